//! The request a transport sends: a full URL, headers and body.

use std::fmt;

use plaspy_types::{HttpRequest, Method, Secret};

use crate::Config;

/// A request ready for the wire. `Debug` hides the `Authorization` header.
pub struct Outgoing<'a> {
    /// The method.
    pub method: Method,
    /// The absolute URL.
    pub url: String,
    /// The headers to send (`Accept`, `User-Agent`, `Content-Type`, `Authorization`).
    pub headers: Vec<(&'static str, String)>,
    /// The JSON body, if any.
    pub body: Option<&'a [u8]>,
    /// The limit for this attempt (connect, send, wait, read): the per-attempt timeout,
    /// shortened to what the call's deadline leaves.
    pub timeout: std::time::Duration,
}

impl<'a> Outgoing<'a> {
    /// Builds the wire request for `request` under `config`, with an optional bearer token.
    pub fn new(config: &Config, request: &'a HttpRequest, token: Option<&Secret>) -> Self {
        let mut headers = vec![
            ("Accept", "application/json".to_owned()),
            ("User-Agent", config.transport.user_agent.clone()),
        ];
        if request.body.is_some() {
            headers.push(("Content-Type", "application/json".to_owned()));
        }
        if let Some(token) = token {
            headers.push(("Authorization", format!("Bearer {}", token.expose())));
        }
        Outgoing {
            method: request.method,
            url: format!("{}{}", config.base_url, request.path),
            headers,
            body: request.body.as_deref(),
            timeout: config.transport.timeout,
        }
    }
}

impl fmt::Debug for Outgoing<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(name, _)| *name).collect();
        f.debug_struct("Outgoing")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &names)
            .field("body_len", &self.body.map(<[u8]>::len))
            .field("timeout", &self.timeout)
            .finish()
    }
}
