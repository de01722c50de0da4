//! The dashboard's routes over real HTTP, against the local sandbox (27 demo devices, 25 with
//! a position), and against small fake APIs (httpmock) that count what they are asked.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use chrono::Utc;
use plaspy_sandbox::{DEMO_API_KEY, DEMO_USERNAME, SandboxConfig, SandboxHandle};
use plaspy_web::{Dashboard, DashboardConfig, DashboardHandle};
use serde_json::Value;

/// A sandbox and a dashboard on it, both on free loopback ports.
struct Setup {
    dashboard: DashboardHandle,
    sandbox: SandboxHandle,
    agent: ureq::Agent,
}

fn setup() -> Setup {
    setup_with(DashboardConfig {
        port: 0,
        ..DashboardConfig::default()
    })
}

fn setup_with(config: DashboardConfig) -> Setup {
    let sandbox = plaspy_sandbox::start(SandboxConfig::default()).unwrap();
    let dashboard = Dashboard::bind(demo_client(sandbox.base_url()), config)
        .unwrap()
        .spawn();
    Setup {
        dashboard,
        sandbox,
        agent: agent(),
    }
}

/// The demo account's client on `base_url`.
fn demo_client(base_url: &str) -> plaspy_async::Client {
    plaspy_async::Client::builder()
        .credentials(DEMO_USERNAME, DEMO_API_KEY)
        .base_url(base_url)
        .build()
        .unwrap()
}

/// Runs an SDK call from a test.
fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(future)
}

/// An HTTP client that reads error statuses as answers.
fn agent() -> ureq::Agent {
    ureq::Agent::new_with_config(
        ureq::config::Config::builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            .build(),
    )
}

/// GETs `url` with extra headers: (status, content type, body).
fn get_with(agent: &ureq::Agent, url: &str, headers: &[(&str, &str)]) -> Reply {
    let mut request = agent.get(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let mut response = request.call().unwrap();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let status = response.status().as_u16();
    let bytes = response.body_mut().read_to_vec().unwrap();
    Reply {
        status,
        content_type,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

struct Reply {
    status: u16,
    content_type: String,
    body: String,
}

impl Setup {
    fn get(&self, path: &str) -> Reply {
        get_with(&self.agent, &url_of(&self.dashboard, path), &[])
    }

    fn json(&self, path: &str) -> (u16, Value) {
        let reply = self.get(path);
        assert!(
            reply.content_type.starts_with("application/json"),
            "{path}: {}",
            reply.content_type
        );
        (reply.status, serde_json::from_str(&reply.body).unwrap())
    }

    /// The ids the API itself lists.
    fn api_ids(&self) -> BTreeSet<String> {
        let client = demo_client(self.sandbox.base_url());
        block_on(client.devices().list())
            .unwrap()
            .iter()
            .map(|d| d.id().to_owned())
            .collect()
    }
}

/// The URL of `path` on `dashboard`.
fn url_of(dashboard: &DashboardHandle, path: &str) -> String {
    format!("{}{}", dashboard.url(), path.trim_start_matches('/'))
}

#[test]
fn the_fleet_json_has_every_device_and_consistent_counts() {
    let s = setup();
    let (status, fleet) = s.json("/api/fleet");
    assert_eq!(status, 200);
    let devices = fleet["devices"].as_array().unwrap();
    let ids: BTreeSet<String> = devices
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 27);
    assert_eq!(ids, s.api_ids());
    let placed = devices
        .iter()
        .filter(|d| d["latitude"].is_f64() && d["longitude"].is_f64())
        .count();
    assert_eq!(placed, 25);
    let counts = &fleet["counts"];
    let n = |k: &str| counts[k].as_u64().unwrap();
    assert_eq!(n("vehicles"), 27);
    assert_eq!(n("noPosition"), 2);
    assert_eq!(n("unknown"), 0);
    assert!(n("silent") >= 2, "{counts}");
    assert_eq!(n("moving") + n("parked") + n("silent"), 27);
    // The counts agree with the rows.
    let state = |s: &str| devices.iter().filter(|d| d["state"] == s).count() as u64;
    assert_eq!(state("moving"), n("moving"));
    assert_eq!(state("parked"), n("parked"));
    assert_eq!(state("silent") + state("noPosition"), n("silent"));
    for d in devices.iter().filter(|d| d["state"] == "noPosition") {
        assert!(
            d["lastReport"].is_null() && d["ageSeconds"].is_null(),
            "{d}"
        );
    }
    for d in devices.iter().filter(|d| d["latitude"].is_f64()) {
        assert!(d["ageSeconds"].as_i64().unwrap() >= 0, "{d}");
        assert!(d["name"].as_str().is_some_and(|n| !n.is_empty()), "{d}");
    }
    assert_eq!(fleet["silentAfterSeconds"], 3600);
}

#[test]
fn the_csv_has_every_device() {
    let s = setup();
    let reply = s.get("/fleet.csv");
    assert_eq!(reply.status, 200);
    assert!(reply.content_type.starts_with("text/csv"));
    let mut reader = csv::Reader::from_reader(reply.body.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "id");
    assert_eq!(&headers[4], "state");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let ids: BTreeSet<String> = rows.iter().map(|r| r[0].to_owned()).collect();
    assert_eq!(rows.len(), 27);
    assert_eq!(ids, s.api_ids());
    let without_position = rows.iter().filter(|r| r[8].is_empty()).count();
    assert_eq!(without_position, 2);
}

#[test]
fn a_device_day_has_its_track_trips_and_stops() {
    let s = setup();
    let yesterday = (Utc::now() - chrono::Duration::days(1)).date_naive();
    let (status, day) = s.json(&format!("/api/devices/dev-23?date={yesterday}&offset=-300"));
    assert_eq!(status, 200);
    assert_eq!(day["device"]["id"], "dev-23");
    assert_eq!(day["date"], yesterday.to_string());
    assert_eq!(day["offsetMinutes"], -300);
    assert!(
        day["from"].as_str().unwrap().ends_with("T05:00:00Z"),
        "{}",
        day["from"]
    );
    let points = day["trackPoints"].as_u64().unwrap();
    let track = day["track"].as_array().unwrap();
    assert!(points > 0 && track.len() as u64 == points.min(5000));
    assert!(
        track
            .iter()
            .all(|p| p["lat"].is_f64() && p["lon"].is_f64() && p["t"].is_string())
    );
    let (trips, stops) = (
        day["trips"].as_array().unwrap(),
        day["stops"].as_array().unwrap(),
    );
    assert!(
        !trips.is_empty() || !stops.is_empty(),
        "a whole day of data has trips or stops"
    );
    for trip in trips {
        assert!(trip["distanceKm"].as_f64().unwrap() >= 0.0);
        assert!(trip["start"].as_str().unwrap() <= trip["end"].as_str().unwrap());
    }

    // Today, in UTC by default.
    let (status, today) = s.json("/api/devices/dev-23");
    assert_eq!(status, 200);
    assert_eq!(today["date"], Utc::now().date_naive().to_string());

    // The downloads have every fix of the day.
    let query = format!("date={yesterday}&offset=-300");
    let gpx = s.get(&format!("/devices/dev-23/track.gpx?{query}"));
    assert_eq!(gpx.status, 200);
    assert!(gpx.content_type.starts_with("application/gpx+xml"));
    let doc = roxmltree::Document::parse(&gpx.body).unwrap();
    let trkpts = doc
        .descendants()
        .filter(|n| n.has_tag_name("trkpt"))
        .count();
    assert_eq!(trkpts as u64, points);
    let geojson = s.get(&format!("/devices/dev-23/track.geojson?{query}"));
    assert_eq!(geojson.status, 200);
    let geojson: Value = serde_json::from_str(&geojson.body).unwrap();
    let coordinates = geojson["features"][0]["geometry"]["coordinates"]
        .as_array()
        .unwrap();
    assert_eq!(coordinates.len() as u64, points);
}

#[test]
fn errors_are_json_with_the_right_status() {
    let s = setup();
    let (status, body) = s.json("/api/devices/no-such-device");
    assert_eq!(status, 404);
    assert!(
        body["error"].as_str().is_some_and(|e| !e.is_empty()),
        "{body}"
    );
    let (status, body) = s.json("/api/devices/dev-01?date=2024-13-40");
    assert_eq!(status, 400);
    assert!(
        body["error"].as_str().unwrap().contains("YYYY-MM-DD"),
        "{body}"
    );
    let (status, _) = s.json("/api/devices/dev-01?offset=5000");
    assert_eq!(status, 400);
    assert_eq!(s.get("/assets/nope.js").status, 404);
    assert_eq!(s.get("/nope").status, 404);
}

#[test]
fn pages_and_assets_are_served_from_the_binary() {
    let s = setup();
    for (path, kind) in [
        ("/", "text/html"),
        ("/devices/dev-23", "text/html"),
        ("/assets/leaflet/leaflet.js", "text/javascript"),
        ("/assets/leaflet/leaflet.css", "text/css"),
        ("/assets/leaflet/LICENSE", "text/plain"),
        ("/assets/leaflet/images/layers.png", "image/png"),
        ("/assets/fleet.js", "text/javascript"),
        ("/assets/app.css", "text/css"),
    ] {
        let reply = s.get(path);
        assert_eq!(reply.status, 200, "{path}");
        assert!(
            reply.content_type.starts_with(kind),
            "{path}: {}",
            reply.content_type
        );
    }
    let (_, config) = s.json("/api/config");
    assert_eq!(config["tileUrl"], plaspy_web::DEFAULT_TILE_URL);
    assert!(
        config["tileAttribution"]
            .as_str()
            .unwrap()
            .contains("OpenStreetMap")
    );
    // Every page names its scripts and styles by path, all served here (no CDN).
    let page = s.get("/").body;
    for reference in page
        .split(['"', '\''])
        .filter(|p| p.starts_with("/assets/"))
    {
        assert_eq!(s.get(reference).status, 200, "{reference}");
    }
    assert!(!page.contains("http://") && !page.contains("https://"));
}

#[test]
fn nothing_served_holds_the_api_key_or_a_token() {
    let s = setup();
    let yesterday = (Utc::now() - chrono::Duration::days(1)).date_naive();
    let mut paths: Vec<String> = [
        "/",
        "/devices/dev-23",
        "/api/config",
        "/api/fleet",
        "/api/devices/dev-23",
        "/fleet.csv",
        "/devices/dev-23/track.gpx",
        "/devices/dev-23/track.geojson",
        "/api/devices/no-such-device",
    ]
    .iter()
    .map(|p| (*p).to_owned())
    .collect();
    paths.push(format!("/api/devices/dev-23?date={yesterday}"));
    for page in ["/", "/devices/dev-23"] {
        let html = s.get(page).body;
        paths.extend(
            html.split('"')
                .filter(|p| p.starts_with("/assets/"))
                .map(str::to_owned),
        );
    }
    for path in &paths {
        let body = s.get(path).body;
        assert!(!body.contains(DEMO_API_KEY), "{path} holds the API key");
        // Tokens are JWTs: base64url of `{"...`, which starts `eyJ`.
        assert!(!body.contains("eyJ"), "{path} holds a token");
        assert!(!body.to_ascii_lowercase().contains("bearer"), "{path}");
    }
}

/// Sends a raw request with this `Host` and returns the status line.
fn status_with_host(s: &Setup, host: &str) -> String {
    status_of_raw(s, &format!("Host: {host}\r\n"))
}

/// Sends `GET /api/config` with these header lines (each ending `\r\n`) and returns the
/// status line.
fn status_of_raw(s: &Setup, header_lines: &str) -> String {
    let mut stream = TcpStream::connect(s.dashboard.local_addr()).unwrap();
    write!(
        stream,
        "GET /api/config HTTP/1.1\r\n{header_lines}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    reply.lines().next().unwrap_or_default().to_owned()
}

#[test]
fn a_foreign_host_name_is_refused_on_loopback() {
    let s = setup();
    let port = s.dashboard.local_addr().port();
    assert!(status_with_host(&s, &format!("evil.example:{port}")).contains(" 421 "));
    assert!(status_with_host(&s, &format!("localhost:{port}")).contains(" 200 "));
    assert!(status_with_host(&s, &format!("127.0.0.1:{port}")).contains(" 200 "));
}

#[test]
fn responses_carry_a_content_security_policy() {
    let s = setup();
    let url = s.dashboard.url().to_owned();
    let response = s.agent.get(&url).call().unwrap();
    let csp = response
        .headers()
        .get("content-security-policy")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(csp.contains("script-src 'self'"), "{csp}");
    assert!(csp.contains("https://tile.openstreetmap.org"), "{csp}");
    assert_eq!(
        response.headers().get("x-content-type-options").unwrap(),
        "nosniff"
    );
}

/// Requests the sandbox has answered so far, as a probe request of its own reports them.
fn requests_so_far(s: &Setup) -> i64 {
    let probe = demo_client(s.sandbox.base_url());
    block_on(probe.devices().get("dev-01")).unwrap();
    probe.usage().api_usage.unwrap()
}

#[test]
fn open_pages_share_one_fleet_fetch_per_half_interval() {
    let s = setup_with(DashboardConfig {
        port: 0,
        refresh: Duration::from_secs(3600),
        ..DashboardConfig::default()
    });
    let before = requests_so_far(&s);
    assert_eq!(s.get("/api/fleet").status, 200);
    let after_one = requests_so_far(&s);
    assert_eq!(s.get("/api/fleet").status, 200);
    assert_eq!(s.get("/fleet.csv").status, 200);
    let after_three = requests_so_far(&s);
    // The first fetch: the device list and 27 positions (and a token), plus the probe.
    assert!(after_one - before >= 29, "{before} -> {after_one}");
    // The next two reuse it: only the probes (each also fetches its token).
    assert!(after_three - after_one <= 2, "{after_one} -> {after_three}");

    // With no reuse interval, every page asks the API again.
    let s = setup_with(DashboardConfig {
        port: 0,
        refresh: Duration::ZERO,
        ..DashboardConfig::default()
    });
    s.get("/api/fleet");
    let before = requests_so_far(&s);
    s.get("/api/fleet");
    assert!(requests_so_far(&s) - before >= 29);
}

#[test]
fn a_malformed_host_is_a_bad_request() {
    let s = setup();
    let port = s.dashboard.local_addr().port();
    let host = format!("127.0.0.1:{port}");
    for (what, lines) in [
        ("an empty Host", "Host: \r\n".to_owned()),
        ("user info", format!("Host: user@{host}\r\n")),
        ("user and password", format!("Host: user:secret@{host}\r\n")),
        (
            "two Host headers",
            format!("Host: {host}\r\nHost: {host}\r\n"),
        ),
        (
            "a second, foreign Host",
            format!("Host: {host}\r\nHost: evil.example\r\n"),
        ),
        ("no Host at all", String::new()),
    ] {
        let status = status_of_raw(&s, &lines);
        assert!(status.contains(" 400 "), "{what}: {status}");
    }
    assert!(status_of_raw(&s, &format!("Host: {host}\r\n")).contains(" 200 "));
}

#[test]
fn cross_site_requests_to_the_json_are_forbidden() {
    let s = setup();
    let own = s.dashboard.url().trim_end_matches('/').to_owned();
    for path in ["/api/fleet", "/api/config", "/api/devices/dev-01"] {
        let url = url_of(&s.dashboard, path);
        for headers in [
            [("sec-fetch-site", "cross-site")],
            [("sec-fetch-site", "same-site")],
            [("origin", "http://evil.example")],
            [("origin", "null")],
        ] {
            let reply = get_with(&s.agent, &url, &headers);
            assert_eq!(reply.status, 403, "{path} {headers:?}");
            assert!(reply.content_type.starts_with("application/json"));
            let body: Value = serde_json::from_str(&reply.body).unwrap();
            assert!(
                body["error"].as_str().unwrap().contains("another"),
                "{body}"
            );
        }
    }
    // The dashboard's own pages, and a URL typed in the address bar, are served.
    let url = url_of(&s.dashboard, "/api/config");
    let own_page = [("sec-fetch-site", "same-origin"), ("origin", own.as_str())];
    assert_eq!(get_with(&s.agent, &url, &own_page).status, 200);
    assert_eq!(
        get_with(&s.agent, &url, &[("sec-fetch-site", "none")]).status,
        200
    );
    // A link from elsewhere still opens the page itself.
    let page = url_of(&s.dashboard, "/");
    assert_eq!(
        get_with(&s.agent, &page, &[("sec-fetch-site", "cross-site")]).status,
        200
    );
}

/// A fake API on httpmock that counts what it is asked: a token, one device `d1` with a
/// last position and a track, and a device list.
struct Fake {
    server: httpmock::MockServer,
}

impl Fake {
    fn start() -> Fake {
        let server = httpmock::MockServer::start();
        server.mock(|when, then| {
            when.method(httpmock::Method::POST).path("/api/Auth/Token");
            then.status(200).json_body(serde_json::json!({
                "success": true,
                "token": "fake-token",
                "expires": "2100-01-01T00:00:00Z",
            }));
        });
        Fake { server }
    }

    /// `GET path` answers `body` with `status`.
    fn get(&self, path: &str, status: u16, body: Value) -> httpmock::Mock<'_> {
        self.server.mock(|when, then| {
            when.method(httpmock::Method::GET).path(path);
            then.status(status).json_body(body);
        })
    }

    /// `POST path` answers `body`.
    fn post(&self, path: &str, body: Value) -> httpmock::Mock<'_> {
        self.server.mock(|when, then| {
            when.method(httpmock::Method::POST).path(path);
            then.status(200).json_body(body);
        })
    }

    /// A dashboard on this API (no retries, so each request is one hit).
    fn dashboard(&self, config: DashboardConfig) -> DashboardHandle {
        let client = plaspy_async::Client::builder()
            .credentials("someone", "fake-key")
            .base_url(self.server.base_url())
            .max_retries(0)
            .build()
            .unwrap();
        Dashboard::bind(client, DashboardConfig { port: 0, ..config })
            .unwrap()
            .spawn()
    }
}

/// The device `d1`'s endpoints on `fake`: (details, last position, track).
fn device_d1(fake: &Fake) -> [httpmock::Mock<'_>; 3] {
    let now = Utc::now();
    let fix = |minutes_ago: i64| {
        serde_json::json!({
            "dateTime": (now - chrono::Duration::minutes(minutes_ago)).to_rfc3339(),
            "latitude": 4.6, "longitude": -74.1, "speed": 30,
        })
    };
    [
        fake.get(
            "/api/devices/d1",
            200,
            serde_json::json!({"success": true, "device": {"id": "d1", "name": "One"}}),
        ),
        fake.get(
            "/api/devices/d1/lastLocation",
            200,
            serde_json::json!({"success": true, "lastLocation": fix(0)}),
        ),
        fake.post(
            "/api/devices/d1/locations",
            serde_json::json!({"success": true, "locations": [fix(2), fix(1), fix(0)]}),
        ),
    ]
}

#[test]
fn dates_outside_the_supported_years_are_refused_before_the_api() {
    let fake = Fake::start();
    let mocks = device_d1(&fake);
    let dashboard = fake.dashboard(DashboardConfig::default());
    let agent = agent();
    for query in [
        "date=%2B262142-12-31",
        "date=-262143-01-01",
        "date=%2B10000-01-01",
        "date=0000-06-01",
        "date=9999-12-31&offset=-840",
        "date=0001-01-01&offset=840",
    ] {
        for path in [
            "/api/devices/d1",
            "/devices/d1/track.gpx",
            "/devices/d1/track.geojson",
        ] {
            let url = url_of(&dashboard, &format!("{path}?{query}"));
            let reply = get_with(&agent, &url, &[]);
            assert_eq!(reply.status, 400, "{path}?{query}: {}", reply.body);
            assert!(reply.body.contains("years 1 to 9999"), "{}", reply.body);
        }
    }
    for mock in &mocks {
        assert_eq!(mock.calls(), 0, "a refused year reached the API");
    }
    // The last day the API accepts is asked for.
    let url = url_of(&dashboard, "/api/devices/d1?date=9999-12-31&offset=840");
    assert_eq!(get_with(&agent, &url, &[]).status, 200);
    assert_eq!(mocks[2].calls(), 1);
}

#[test]
fn open_device_pages_share_one_fetch() {
    let fake = Fake::start();
    let mocks = device_d1(&fake);
    let dashboard = fake.dashboard(DashboardConfig {
        refresh: Duration::from_secs(3600),
        ..DashboardConfig::default()
    });
    let yesterday = (Utc::now() - chrono::Duration::days(1)).date_naive();
    let path = format!("/api/devices/d1?date={yesterday}&offset=-300");
    let url = url_of(&dashboard, &path);
    // Eight pages opened at once, then again, then the downloads of the same day.
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let opens: Vec<_> = (0..8)
            .map(|_| scope.spawn(|| get_with(&agent(), &url, &[]).status))
            .collect();
        opens.into_iter().map(|o| o.join().unwrap()).collect()
    });
    assert_eq!(statuses, [200; 8]);
    let agent = agent();
    assert_eq!(get_with(&agent, &url, &[]).status, 200);
    let query = format!("date={yesterday}&offset=-300");
    for download in ["track.gpx", "track.geojson"] {
        let url = url_of(&dashboard, &format!("/devices/d1/{download}?{query}"));
        assert_eq!(get_with(&agent, &url, &[]).status, 200);
    }
    for mock in &mocks {
        assert_eq!(mock.calls(), 1, "one fetch per refresh period");
    }
    // Another day is another fetch.
    let url = url_of(&dashboard, "/api/devices/d1?date=2020-01-01");
    assert_eq!(get_with(&agent, &url, &[]).status, 200);
    assert_eq!(mocks[2].calls(), 2);
}

#[test]
fn an_upstream_failure_is_remembered_briefly() {
    for (memory, expected_calls) in [(Duration::from_secs(3600), 1), (Duration::ZERO, 3)] {
        let fake = Fake::start();
        let list = fake.get(
            "/api/devices",
            500,
            serde_json::json!({"success": false, "message": "down"}),
        );
        let device = fake.get(
            "/api/devices/d2",
            500,
            serde_json::json!({"success": false, "message": "down"}),
        );
        let dashboard = fake.dashboard(DashboardConfig {
            refresh: Duration::ZERO,
            failure_memory: memory,
            ..DashboardConfig::default()
        });
        let agent = agent();
        for path in ["/api/fleet", "/api/fleet", "/fleet.csv"] {
            let reply = get_with(&agent, &url_of(&dashboard, path), &[]);
            assert_eq!(reply.status, 502, "{path}: {}", reply.body);
        }
        for path in [
            "/api/devices/d2",
            "/api/devices/d2",
            "/devices/d2/track.gpx",
        ] {
            let reply = get_with(&agent, &url_of(&dashboard, path), &[]);
            assert_eq!(reply.status, 502, "{path}: {}", reply.body);
            let body: Value = serde_json::from_str(&reply.body).unwrap();
            assert!(body["error"].is_string(), "{body}");
        }
        assert_eq!(list.calls(), expected_calls, "memory {memory:?}");
        assert_eq!(device.calls(), expected_calls, "memory {memory:?}");
    }
}
