//! The request a transport sends: a full URL, headers and body.

use std::fmt;

use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use http::{HeaderMap, HeaderValue};
use plaspy_types::{Error, HttpRequest, Method, Result, Secret};

use crate::Config;

/// A request ready for the wire. `Debug` hides the header values; the `Authorization`
/// value is also marked sensitive for the HTTP stack.
///
/// Built once per call and reused by every attempt: the headers are already in the form
/// both transports take (`http` 1.x), so sending one costs no parsing or formatting. The
/// `User-Agent` is not among them: each transport sets it on its HTTP client.
pub struct Outgoing<'a> {
    /// The method.
    pub method: Method,
    /// The absolute URL.
    pub url: String,
    /// The headers to send (`Accept`, `Content-Type` with a body, `Authorization` with a
    /// token).
    pub headers: HeaderMap,
    /// The JSON body, if any.
    pub body: Option<&'a [u8]>,
    /// The limit for this attempt (connect, send, wait, read): the per-attempt timeout,
    /// shortened to what the call's deadline leaves.
    pub timeout: std::time::Duration,
}

const JSON: HeaderValue = HeaderValue::from_static("application/json");

impl<'a> Outgoing<'a> {
    /// Builds the wire request for `request` under `config`, with an optional bearer token.
    ///
    /// Fails when the token holds bytes an HTTP header cannot carry (a token comes from the
    /// server: it is not trusted to be well formed).
    pub fn new(config: &Config, request: &'a HttpRequest, token: Option<&Secret>) -> Result<Self> {
        let mut url = String::with_capacity(config.base_url.len() + request.path.len());
        url.push_str(&config.base_url);
        url.push_str(&request.path);
        let mut headers = HeaderMap::with_capacity(4);
        headers.insert(ACCEPT, JSON);
        if request.body.is_some() {
            headers.insert(CONTENT_TYPE, JSON);
        }
        if let Some(token) = token {
            let token = token.expose();
            let mut value = String::with_capacity("Bearer ".len() + token.len());
            value.push_str("Bearer ");
            value.push_str(token);
            let mut value = HeaderValue::try_from(value).map_err(|_| {
                Error::decode(
                    "token",
                    "the access token holds characters an HTTP header cannot carry",
                )
            })?;
            value.set_sensitive(true);
            headers.insert(AUTHORIZATION, value);
        }
        Ok(Outgoing {
            method: request.method,
            url,
            headers,
            body: request.body.as_deref(),
            timeout: config.transport.timeout,
        })
    }
}

impl Outgoing<'_> {
    /// The method as the `http` crate spells it (what ureq and reqwest take).
    pub fn http_method(&self) -> http::Method {
        match self.method {
            Method::Get => http::Method::GET,
            Method::Post => http::Method::POST,
            Method::Put => http::Method::PUT,
            Method::Patch => http::Method::PATCH,
            Method::Delete => http::Method::DELETE,
        }
    }
}

impl fmt::Debug for Outgoing<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.keys().map(|name| name.as_str()).collect();
        f.debug_struct("Outgoing")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &names)
            .field("body_len", &self.body.map(<[u8]>::len))
            .field("timeout", &self.timeout)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plaspy_types::Credentials;

    fn config() -> Config {
        crate::config::Draft {
            credentials: Some(Credentials::new("demo", "demo-key")),
            base_url: Some("http://127.0.0.1:9".into()),
            ..Default::default()
        }
        .finish()
        .unwrap()
    }

    fn get(path: &str) -> HttpRequest {
        HttpRequest {
            method: Method::Get,
            path: path.into(),
            body: None,
            retry_safe: true,
            authenticated: true,
        }
    }

    #[test]
    fn carries_url_headers_and_a_sensitive_bearer() {
        let request = get("/api/devices");
        let token = Secret::new("t0k3n");
        let outgoing = Outgoing::new(&config(), &request, Some(&token)).unwrap();
        assert_eq!(outgoing.url, "http://127.0.0.1:9/api/devices");
        assert_eq!(outgoing.headers[ACCEPT], "application/json");
        assert!(outgoing.headers.get(CONTENT_TYPE).is_none());
        assert_eq!(outgoing.headers[AUTHORIZATION], "Bearer t0k3n");
        assert!(outgoing.headers[AUTHORIZATION].is_sensitive());
        assert!(!format!("{outgoing:?}").contains("t0k3n"));
    }

    #[test]
    fn a_token_a_header_cannot_carry_is_an_error_not_a_panic() {
        let request = get("/api/devices");
        let token = Secret::new("bad\r\nInjected: yes");
        let err = Outgoing::new(&config(), &request, Some(&token)).unwrap_err();
        assert!(err.to_string().contains("access token"), "{err}");
        assert!(!err.to_string().contains("Injected"), "{err}");
    }
}
