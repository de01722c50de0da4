//! A minimal HTTP client over ureq, and sandbox set-ups for the tests.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use plaspy_sandbox::{DEMO_API_KEY, DEMO_USERNAME, SandboxConfig, SandboxHandle};
use plaspy_types::HttpResponse;
use plaspy_types::policy::clock::ManualClock;
use serde_json::Value;

/// A Tuesday, 10:00 in Bogotá: vehicles are out on their routes.
pub const T0: &str = "2025-03-04T15:00:00Z";

/// [`T0`] as a date-time.
pub fn t0() -> DateTime<Utc> {
    T0.parse().unwrap()
}

/// A clock stopped at [`T0`].
pub fn clock() -> ManualClock {
    ManualClock::new(t0())
}

/// A sandbox on a manual clock (returned too), otherwise the default configuration.
pub fn sandbox_at(clock: &ManualClock) -> SandboxHandle {
    start(SandboxConfig {
        clock: Arc::new(clock.clone()),
        ..SandboxConfig::default()
    })
}

/// Starts a sandbox.
pub fn start(config: SandboxConfig) -> SandboxHandle {
    plaspy_sandbox::start(config).expect("the sandbox starts")
}

/// What came back.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: String,
    pub content_type: Option<String>,
    pub retry_after: Option<String>,
    pub www_authenticate: Option<String>,
    pub fault: Option<String>,
    pub date: Option<String>,
}

impl Reply {
    /// The body as JSON (panics if it is not).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The response as plaspy-types endpoints decode it.
    pub fn http(&self) -> HttpResponse {
        HttpResponse {
            status: self.status,
            retry_after: self.retry_after.clone(),
            date: self.date.clone(),
            body: self.body.clone().into_bytes(),
        }
    }

    /// The `error` of an error envelope, checking `success` is false.
    pub fn error(&self) -> String {
        let json = self.json();
        assert_eq!(json["success"], false, "{}", self.body);
        json["error"].as_str().unwrap_or_default().to_owned()
    }
}

/// A client of one sandbox, with an optional bearer token.
#[derive(Clone)]
pub struct Client {
    pub base: String,
    agent: ureq::Agent,
    pub token: Option<String>,
}

impl Client {
    /// A client without a token.
    pub fn new(sandbox: &SandboxHandle) -> Self {
        let config = ureq::config::Config::builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build();
        Client {
            base: sandbox.base_url().to_owned(),
            agent: ureq::Agent::new_with_config(config),
            token: None,
        }
    }

    /// A client logged in to the demo account.
    pub fn demo(sandbox: &SandboxHandle) -> Self {
        let mut client = Client::new(sandbox);
        let reply = client.login(DEMO_USERNAME, DEMO_API_KEY);
        assert_eq!(reply.status, 200, "{}", reply.body);
        client
    }

    /// Asks for a token and keeps it.
    pub fn login(&mut self, username: &str, api_key: &str) -> Reply {
        let body = serde_json::json!({"userName": username, "apiKey": api_key});
        let reply = self.post("/api/Auth/Token", &body);
        if reply.status == 200 {
            self.token = Some(reply.json()["token"].as_str().unwrap().to_owned());
        }
        reply
    }

    /// Any request: `body` is (content type, bytes).
    pub fn send(&self, method: &str, path: &str, body: Option<(&str, Vec<u8>)>) -> Reply {
        let mut request = ureq::http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base));
        if let Some(token) = &self.token {
            request = request.header("Authorization", format!("Bearer {token}"));
        }
        let bytes = match body {
            Some((content_type, bytes)) => {
                request = request.header("Content-Type", content_type);
                bytes
            }
            None => Vec::new(),
        };
        let request = request.body(bytes).unwrap();
        let mut response = self.agent.run(request).expect("the request is answered");
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let (content_type, retry_after, www_authenticate, fault, date) = (
            header("content-type"),
            header("retry-after"),
            header("www-authenticate"),
            header("x-sandbox-fault"),
            header("date"),
        );
        let body = response
            .body_mut()
            .with_config()
            .limit(200 * 1024 * 1024)
            .read_to_string()
            .unwrap_or_default();
        Reply {
            status: response.status().as_u16(),
            body,
            content_type,
            retry_after,
            www_authenticate,
            fault,
            date,
        }
    }

    /// GET.
    pub fn get(&self, path: &str) -> Reply {
        self.send("GET", path, None)
    }

    /// DELETE.
    pub fn delete(&self, path: &str) -> Reply {
        self.send("DELETE", path, None)
    }

    /// A method with a JSON body.
    pub fn json(&self, method: &str, path: &str, body: &Value) -> Reply {
        let bytes = serde_json::to_vec(body).unwrap();
        self.send(method, path, Some(("application/json", bytes)))
    }

    /// POST with a JSON body.
    pub fn post(&self, path: &str, body: &Value) -> Reply {
        self.json("POST", path, body)
    }

    /// PUT with a JSON body.
    pub fn put(&self, path: &str, body: &Value) -> Reply {
        self.json("PUT", path, body)
    }

    /// PATCH with a JSON body.
    pub fn patch(&self, path: &str, body: &Value) -> Reply {
        self.json("PATCH", path, body)
    }
}
