//! Fault injection for exercising clients: latency, 500/503 answers, truncated bodies and
//! HTML 502 pages, at a random rate or for the next N requests. Off by default; applies to
//! `/api` routes only.

use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::prng::Rng;
use crate::reply::ApiError;
use crate::state::Shared;

/// The header that marks a response a fault was injected into (`latency=200ms`,
/// `status=503`, `html-502`, `truncated`).
pub const FAULT_HEADER: &str = "x-sandbox-fault";

/// Which faults to inject. JSON (camelCase) is the body of `POST /_sandbox/faults` and the
/// answer of `GET /_sandbox/faults`.
///
/// Per request, in this order: wait `latency_ms`; then the first of `fail_next`,
/// `html_502_next`, `truncate_next` that is non-zero is used up; otherwise the random rates
/// are drawn (`error_rate` gives a 500 or a 503, at even odds).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct FaultConfig {
    /// Delay added before every answer, milliseconds.
    pub latency_ms: u64,
    /// Fraction (0 to 1) of requests answered 500 or 503 with a JSON error envelope.
    pub error_rate: f64,
    /// Fraction of requests whose (real) answer has its body cut in half.
    pub truncate_rate: f64,
    /// Fraction of requests answered by an HTML 502 page, as a proxy would.
    #[serde(rename = "html502Rate")]
    pub html_502_rate: f64,
    /// The next this-many requests fail with `fail_status`.
    pub fail_next: u32,
    /// The status of the `fail_next` failures (default 503).
    pub fail_status: u16,
    /// The next this-many answers are truncated.
    pub truncate_next: u32,
    /// The next this-many requests get the HTML 502 page.
    #[serde(rename = "html502Next")]
    pub html_502_next: u32,
}

impl Default for FaultConfig {
    fn default() -> Self {
        FaultConfig {
            latency_ms: 0,
            error_rate: 0.0,
            truncate_rate: 0.0,
            html_502_rate: 0.0,
            fail_next: 0,
            fail_status: 503,
            truncate_next: 0,
            html_502_next: 0,
        }
    }
}

impl FaultConfig {
    /// No faults at all (the default).
    ///
    /// ```
    /// let faults = plaspy_sandbox::FaultConfig { fail_next: 1, ..plaspy_sandbox::FaultConfig::none() };
    /// assert!(!faults.is_off());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn none() -> Self {
        FaultConfig::default()
    }

    /// Whether every switch is off.
    ///
    /// ```
    /// assert!(plaspy_sandbox::FaultConfig::none().is_off());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_off(&self) -> bool {
        FaultConfig {
            fail_status: 503,
            ..self.clone()
        } == FaultConfig::default()
    }

    /// Checks the rates are within 0 to 1 and the status is a 4xx or 5xx.
    ///
    /// ```
    /// use plaspy_sandbox::FaultConfig;
    ///
    /// assert!(FaultConfig { fail_status: 503, ..FaultConfig::none() }.validate().is_ok());
    /// assert!(FaultConfig { fail_status: 200, ..FaultConfig::none() }.validate().is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn validate(&self) -> Result<(), String> {
        for (name, rate) in [
            ("errorRate", self.error_rate),
            ("truncateRate", self.truncate_rate),
            ("html502Rate", self.html_502_rate),
        ] {
            if !(0.0..=1.0).contains(&rate) {
                return Err(format!("`{name}` must be between 0 and 1, not {rate}"));
            }
        }
        if !(400..=599).contains(&self.fail_status) {
            return Err(format!(
                "`failStatus` must be a 4xx or 5xx status, not {}",
                self.fail_status
            ));
        }
        Ok(())
    }
}

/// A partial update of [`FaultConfig`]: the body of `POST /_sandbox/faults`. Absent fields
/// keep their value; `expireTokens: true` also expires every token issued so far.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct FaultUpdate {
    latency_ms: Option<u64>,
    error_rate: Option<f64>,
    truncate_rate: Option<f64>,
    #[serde(rename = "html502Rate")]
    html_502_rate: Option<f64>,
    fail_next: Option<u32>,
    fail_status: Option<u16>,
    truncate_next: Option<u32>,
    #[serde(rename = "html502Next")]
    html_502_next: Option<u32>,
    /// One-shot: expire every token now.
    #[serde(default)]
    pub(crate) expire_tokens: bool,
}

impl FaultUpdate {
    /// `current` with the fields of this update applied.
    pub(crate) fn apply(&self, current: &FaultConfig) -> FaultConfig {
        FaultConfig {
            latency_ms: self.latency_ms.unwrap_or(current.latency_ms),
            error_rate: self.error_rate.unwrap_or(current.error_rate),
            truncate_rate: self.truncate_rate.unwrap_or(current.truncate_rate),
            html_502_rate: self.html_502_rate.unwrap_or(current.html_502_rate),
            fail_next: self.fail_next.unwrap_or(current.fail_next),
            fail_status: self.fail_status.unwrap_or(current.fail_status),
            truncate_next: self.truncate_next.unwrap_or(current.truncate_next),
            html_502_next: self.html_502_next.unwrap_or(current.html_502_next),
        }
    }
}

/// What to do to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Pass,
    Status(u16),
    Html502,
    Truncate,
}

/// The live fault switches and the random source of the rates.
#[derive(Debug)]
pub(crate) struct FaultState {
    pub(crate) config: FaultConfig,
    rng: Rng,
}

impl FaultState {
    /// Switches set to `config`, rates drawn from a generator seeded with `seed`.
    pub(crate) fn new(config: FaultConfig, seed: u64) -> Self {
        FaultState {
            config,
            rng: Rng::new(seed ^ 0xFA17),
        }
    }

    /// Decides the fate of one request, using up one-shot switches.
    fn decide(&mut self) -> (u64, Action) {
        let c = &mut self.config;
        let latency = c.latency_ms;
        if c.fail_next > 0 {
            c.fail_next -= 1;
            return (latency, Action::Status(c.fail_status));
        }
        if c.html_502_next > 0 {
            c.html_502_next -= 1;
            return (latency, Action::Html502);
        }
        if c.truncate_next > 0 {
            c.truncate_next -= 1;
            return (latency, Action::Truncate);
        }
        let (error, html, truncate) = (c.error_rate, c.html_502_rate, c.truncate_rate);
        let action = if error > 0.0 && self.rng.chance(error) {
            Action::Status(if self.rng.chance(0.5) { 500 } else { 503 })
        } else if html > 0.0 && self.rng.chance(html) {
            Action::Html502
        } else if truncate > 0.0 && self.rng.chance(truncate) {
            Action::Truncate
        } else {
            Action::Pass
        };
        (latency, action)
    }
}

/// Middleware of the `/api` routes: injects the configured faults.
pub(crate) async fn inject(State(state): State<Shared>, req: Request, next: Next) -> Response {
    let (latency, action) = state.lock_faults().decide();
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    let mut response = match action {
        Action::Pass => next.run(req).await,
        Action::Status(status) => injected_status(status),
        Action::Html502 => html_502(),
        Action::Truncate => truncate(next.run(req).await).await,
    };
    let mut marks: Vec<String> = Vec::new();
    if latency > 0 {
        marks.push(format!("latency={latency}ms"));
    }
    match action {
        Action::Pass => {}
        Action::Status(status) => marks.push(format!("status={status}")),
        Action::Html502 => marks.push("html-502".into()),
        Action::Truncate => marks.push("truncated".into()),
    }
    if !marks.is_empty()
        && let Ok(value) = HeaderValue::from_str(&marks.join(", "))
    {
        response.headers_mut().insert(FAULT_HEADER, value);
    }
    response
}

fn injected_status(status: u16) -> Response {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    let reason = code.canonical_reason().unwrap_or("Error");
    let mut error = ApiError::new(code, format!("{reason} (injected fault)"));
    if matches!(status, 429 | 503) {
        error = error.retry_after(1);
    }
    error.into_response()
}

const HTML_502: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

fn html_502() -> Response {
    (
        StatusCode::BAD_GATEWAY,
        [(header::CONTENT_TYPE, "text/html")],
        HTML_502,
    )
        .into_response()
}

/// Cuts the body of `response` in half (keeping a consistent `Content-Length`).
async fn truncate(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(bytes.slice(..bytes.len() / 2)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_shots_are_used_up_in_order() {
        let config = FaultConfig {
            fail_next: 1,
            fail_status: 500,
            html_502_next: 1,
            truncate_next: 1,
            ..FaultConfig::none()
        };
        let mut state = FaultState::new(config, 1);
        assert_eq!(state.decide().1, Action::Status(500));
        assert_eq!(state.decide().1, Action::Html502);
        assert_eq!(state.decide().1, Action::Truncate);
        assert_eq!(state.decide().1, Action::Pass);
        assert!(state.config.is_off());
    }

    #[test]
    fn rates_hit_about_their_share() {
        let config = FaultConfig {
            error_rate: 0.5,
            ..FaultConfig::none()
        };
        let mut state = FaultState::new(config, 1);
        let hits = (0..1000)
            .filter(|_| matches!(state.decide().1, Action::Status(500 | 503)))
            .count();
        assert!((400..600).contains(&hits), "{hits}");
    }

    #[test]
    fn updates_merge_and_validate() {
        let update: FaultUpdate = serde_json::from_str(r#"{"latencyMs": 5}"#).unwrap();
        let merged = update.apply(&FaultConfig {
            fail_next: 2,
            ..FaultConfig::none()
        });
        assert_eq!((merged.latency_ms, merged.fail_next), (5, 2));
        assert!(serde_json::from_str::<FaultUpdate>(r#"{"latency": 5}"#).is_err());
        let bad = FaultConfig {
            error_rate: 2.0,
            ..FaultConfig::none()
        };
        assert!(bad.validate().is_err());
    }
}
