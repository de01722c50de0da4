//! A program written as a user of the published crates would write it: only the paths
//! `plaspy_blocking::…` / `plaspy_async::…` offer (plus the sandbox to talk to, and the
//! user's own `ureq` / `reqwest`). If a public path it names disappears, this stops compiling.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use plaspy_blocking::chrono::{DateTime, FixedOffset, TimeZone};

/// A range in the user's own time zone (Bogotá, UTC-5): the SDK takes any chrono zone.
fn range() -> (DateTime<FixedOffset>, DateTime<FixedOffset>) {
    let bogota = FixedOffset::west_opt(5 * 3600).unwrap();
    let from = bogota.with_ymd_and_hms(2025, 1, 10, 3, 0, 0).unwrap();
    (from, from + plaspy_blocking::chrono::Duration::hours(6))
}

/// What a user's error handling looks like: the enum is `#[non_exhaustive]`, so a wildcard
/// arm is required — and enough.
fn describe(err: &plaspy_blocking::Error) -> &'static str {
    use plaspy_blocking::Error;
    match err {
        Error::NotFound { .. } => "not found",
        Error::BadCredentials { .. } | Error::Unauthorized { .. } => "check the credentials",
        Error::Timeout { .. } => "too slow",
        _ => "something else",
    }
}

#[test]
fn blocking_program_with_its_own_ureq_agent() {
    let sandbox = plaspy_sandbox::start(plaspy_sandbox::SandboxConfig::default()).unwrap();
    // An agent as a user configures it: its defaults (http errors as `Err`, redirects
    // followed) are not what the client needs, and the client copes.
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(120)))
        .build()
        .into();
    let client = plaspy_blocking::Client::builder()
        .credentials(plaspy_sandbox::DEMO_USERNAME, plaspy_sandbox::DEMO_API_KEY)
        .base_url(sandbox.base_url())
        .http_client(agent)
        .build()
        .unwrap();
    assert!(format!("{client:?}").contains("Client"));

    let (from, to) = range();
    let fixes: Vec<plaspy_blocking::Location> =
        client.devices().locations("dev-02", from, to).unwrap();
    assert!(
        !fixes.is_empty(),
        "the sandbox's dev-02 moves in that range"
    );
    assert!(
        fixes
            .iter()
            .all(|f| f.date_time >= from && f.date_time <= to)
    );
    let alerts: Vec<plaspy_blocking::AlertEvent> =
        client.devices().alerts("dev-02", from, to).unwrap();
    assert!(
        alerts
            .iter()
            .all(|a| a.date_time >= from && a.date_time <= to)
    );

    // A 404 through a user's agent is still the typed error, not a transport failure.
    let err = client.devices().get("no-such-device").unwrap_err();
    assert_eq!(describe(&err), "not found", "{err:?}");
}

#[tokio::test(flavor = "current_thread")]
async fn async_program_with_its_own_reqwest_client() {
    // reqwest is built with `rustls-no-provider` in this workspace: a user installs one.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sandbox = plaspy_sandbox::start(plaspy_sandbox::SandboxConfig::default()).unwrap();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let client = plaspy_async::Client::builder()
        .credentials(plaspy_sandbox::DEMO_USERNAME, plaspy_sandbox::DEMO_API_KEY)
        .base_url(sandbox.base_url())
        .http_client(http)
        .build()
        .unwrap();

    let (from, to) = range();
    let fixes: Vec<plaspy_async::Location> = client
        .devices()
        .locations("dev-02", from, to)
        .await
        .unwrap();
    assert!(!fixes.is_empty());
    let alerts: Vec<plaspy_async::AlertEvent> =
        client.devices().alerts("dev-02", from, to).await.unwrap();
    assert!(
        alerts
            .iter()
            .all(|a| a.date_time >= from && a.date_time <= to)
    );

    match client.devices().get("no-such-device").await {
        Err(plaspy_async::Error::NotFound { .. }) => {}
        Err(other) => panic!("expected NotFound, got {other:?}"),
        Ok(device) => panic!("expected NotFound, got {device:?}"),
    }
}

#[test]
fn plain_http_to_a_named_host_only_when_allowed() {
    let builder = || {
        plaspy_blocking::Client::builder()
            .credentials("demo", "demo-key")
            .base_url("http://sandbox:8080/")
    };
    let err = builder().build().unwrap_err();
    assert!(
        matches!(err, plaspy_blocking::Error::InvalidConfig { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("allow_insecure_http"), "{err}");

    let client = builder().allow_insecure_http(true).build().unwrap();
    assert_eq!(client.base_url(), "http://sandbox:8080");
    // Allowing http to any host does not allow any scheme.
    let err = plaspy_async::Client::builder()
        .credentials("demo", "demo-key")
        .base_url("ftp://sandbox")
        .allow_insecure_http(true)
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("scheme"), "{err}");
}

#[test]
fn max_retries_and_retry_policy_the_later_call_wins() {
    use plaspy_blocking::policy::RetryPolicy;
    let builder = || plaspy_blocking::Client::builder().credentials("demo", "demo-key");
    let slow = RetryPolicy::default()
        .with_max_attempts(2)
        .with_base_delay(Duration::from_secs(1));

    let client = builder().max_retries(5).retry_policy(slow).build().unwrap();
    assert_eq!(
        client.config().retry,
        slow,
        "retry_policy after max_retries replaces it"
    );

    let client = builder().retry_policy(slow).max_retries(5).build().unwrap();
    assert_eq!(
        client.config().retry.max_attempts,
        6,
        "max_retries after sets the attempts"
    );
    assert_eq!(
        client.config().retry.base_delay,
        Duration::from_secs(1),
        "... and keeps the rest of the policy"
    );

    let client = builder().max_retries(0).build().unwrap();
    assert_eq!(client.config().retry.max_attempts, 1);
    assert_eq!(
        client.config().retry.base_delay,
        RetryPolicy::default().base_delay
    );
}

// --- A custom endpoint, tested with a fake transport -------------------------------------

use plaspy_blocking::endpoints::{Endpoint, HttpResponse, Method, Reply};
use plaspy_blocking::transport::{CustomHttpClient, Outgoing, Transport, TransportConfig};

type Log = Arc<Mutex<Vec<(String, Duration)>>>;

/// A user's own endpoint: `GET /api/ping` answering `{"success":true,"pong":"…"}`.
struct Ping;

impl Endpoint for Ping {
    type Output = Option<String>;

    fn method(&self) -> Method {
        Method::Get
    }

    fn path(&self) -> plaspy_blocking::Result<String> {
        Ok("/api/ping".into())
    }

    fn decode(&self, response: &HttpResponse) -> plaspy_blocking::Result<Reply<Option<String>>> {
        Reply::from_field(response, "pong")
    }
}

/// Canned answers, and what was sent: (path, attempt timeout).
#[derive(Clone, Default)]
struct Fake {
    sent: Log,
}

/// The test hands its log in through the builder's bring-your-own-agent hook.
impl CustomHttpClient for Fake {
    type HttpClient = Log;

    fn with_http_client(_: &TransportConfig, sent: Log) -> plaspy_blocking::Result<Self> {
        Ok(Fake { sent })
    }
}

impl Transport for Fake {
    fn new(_: &TransportConfig) -> plaspy_blocking::Result<Self> {
        Ok(Fake::default())
    }

    fn send(&self, request: &Outgoing<'_>) -> plaspy_blocking::Result<HttpResponse> {
        let path = request
            .url
            .trim_start_matches("https://fake.example")
            .to_owned();
        self.sent
            .lock()
            .unwrap()
            .push((path.clone(), request.timeout));
        let body = match path.as_str() {
            "/api/Auth/Token" => {
                r#"{"success":true,"token":"t0k3n","expires":"2099-01-01T00:00:00Z"}"#
            }
            "/api/ping" => r#"{"success":true,"pong":"hello","apiUsage":3}"#,
            p if p.ends_with("/locations") => r#"{"success":true,"locations":[]}"#,
            _ => return Ok(HttpResponse::new(404, r#"{"success":false,"error":"no"}"#)),
        };
        Ok(HttpResponse::new(200, body))
    }

    fn sleep(&self, _: Duration) {}
}

#[test]
fn a_custom_endpoint_runs_on_a_fake_transport() {
    let sent = Log::default();
    // `transport::Client<T>` is the client over any transport; `agent` hands the fake its log.
    let client = plaspy_blocking::transport::Client::<Fake>::builder()
        .credentials("me", "k3y")
        .base_url("https://fake.example")
        .timeout(Duration::from_secs(10))
        .http_client(sent.clone())
        .build()
        .unwrap();
    assert_eq!(client.execute(&Ping).unwrap().as_deref(), Some("hello"));
    assert_eq!(client.usage().api_usage, Some(3));

    // A long history query gets its own attempt timeout; other calls keep the client's.
    let (from, to) = range();
    let all = client
        .devices()
        .location_history("dev-1", from, to)
        .timeout(Duration::from_secs(90))
        .all()
        .unwrap();
    assert!(all.is_empty());

    let sent = sent.lock().unwrap().clone();
    let ten = Duration::from_secs(10);
    assert_eq!(sent[0], ("/api/Auth/Token".to_owned(), ten));
    assert_eq!(sent[1], ("/api/ping".to_owned(), ten));
    assert_eq!(
        sent[2],
        (
            "/api/devices/dev-1/locations".to_owned(),
            Duration::from_secs(90)
        )
    );
    assert_eq!(sent.len(), 3, "{sent:?}");
}
