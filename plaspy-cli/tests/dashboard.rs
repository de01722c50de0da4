//! `plaspy dashboard`: the command itself, and the pages in a real headless Chromium.
//!
//! The browser test needs Chromium from the OS packages (`.ci/install-chromium` installs it;
//! `PLASPY_CHROMIUM` names another binary). Where there is none and it cannot be installed,
//! the test says so on stderr and passes without running.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// A tile server that refuses connections at once: the page must work without tiles.
const NO_TILES: &str = "http://127.0.0.1:9/{z}/{x}/{y}.png";
/// The demo account's API key (`plaspy_sandbox::DEMO_API_KEY`).
const API_KEY: &str = "demo-key";

/// A running `plaspy dashboard`, killed on drop.
struct Dashboard {
    child: Child,
    url: String,
    _config: TempDir,
}

impl Dashboard {
    /// `plaspy ACCOUNT... dashboard --port 0` with tiles that cannot load.
    fn start(account: &[&str]) -> Dashboard {
        let config = tempfile::tempdir().unwrap();
        let mut command = Command::new(env!("CARGO_BIN_EXE_plaspy"));
        for var in [
            "PLASPY_BASE_URL",
            "PLASPY_USERNAME",
            "PLASPY_API_KEY",
            "PLASPY_PROFILE",
            "PLASPY_TILE_URL",
            "RUST_LOG",
        ] {
            command.env_remove(var);
        }
        let mut child = command
            .env("PLASPY_CONFIG", config.path().join("config.toml"))
            .args(account)
            .args(["dashboard", "--port", "0", "--tile-url", NO_TILES])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        let url = first.trim().to_owned();
        assert!(
            url.starts_with("http://127.0.0.1:") && url.ends_with('/'),
            "first line: {first:?}"
        );
        Dashboard {
            child,
            url,
            _config: config,
        }
    }

    fn get(&self, path: &str) -> (u16, String) {
        let agent = ureq::Agent::new_with_config(
            ureq::config::Config::builder()
                .http_status_as_error(false)
                .timeout_global(Some(Duration::from_secs(60)))
                .build(),
        );
        let url = format!("{}{}", self.url, path.trim_start_matches('/'));
        let mut response = agent.get(&url).call().unwrap();
        let status = response.status().as_u16();
        let body = response.body_mut().read_to_vec().unwrap();
        (status, String::from_utf8_lossy(&body).into_owned())
    }
}

impl Drop for Dashboard {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits for `child` to exit, killing it after `limit` (a safety net, not an assertion).
fn wait_or_kill(child: &mut Child, limit: Duration) -> Option<std::process::ExitStatus> {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[cfg(unix)]
#[test]
fn the_url_comes_first_and_ctrl_c_stops_cleanly() {
    let mut dashboard = Dashboard::start(&["--sandbox"]);
    let (status, body) = dashboard.get("/api/fleet");
    assert_eq!(status, 200);
    let fleet: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(fleet["devices"].as_array().unwrap().len(), 27);
    let pid = dashboard.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = wait_or_kill(&mut dashboard.child, Duration::from_secs(30))
        .expect("the dashboard stops on SIGINT");
    assert!(status.success(), "{status}");
}

/// A Chromium binary: `PLASPY_CHROMIUM`, one on the PATH, or one `.ci/install-chromium`
/// installs.
fn chromium() -> Option<PathBuf> {
    let find = || {
        let names = std::env::var("PLASPY_CHROMIUM")
            .into_iter()
            .chain(["chromium", "chromium-browser", "google-chrome"].map(String::from));
        let path = std::env::var_os("PATH").unwrap_or_default();
        names.filter(|n| !n.is_empty()).find_map(|name| {
            let direct = PathBuf::from(&name);
            if direct.is_absolute() {
                return direct.is_file().then_some(direct);
            }
            std::env::split_paths(&path)
                .map(|dir| dir.join(&name))
                .find(|p| p.is_file())
        })
    };
    if let Some(found) = find() {
        return Some(found);
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.ci/install-chromium");
    if script.is_file() {
        let _ = Command::new("bash").arg(&script).status();
    }
    find()
}

/// The DOM of `url` after Chromium ran its scripts for a few seconds of virtual time.
fn dump_dom(browser: &Path, url: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--virtual-time-budget=8000",
            "--window-size=1280,800",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(url)
        .env("TZ", "UTC")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || std::io::read_to_string(stdout).unwrap_or_default());
    let status = wait_or_kill(&mut child, Duration::from_secs(120));
    let dom = reader.join().unwrap();
    assert!(
        status.is_some_and(|s| s.success()),
        "chromium failed on {url}: {status:?}"
    );
    dom
}

/// The distinct values of `attr="..."` in `html`.
fn values(html: &str, attr: &str) -> BTreeSet<String> {
    let needle = format!(" {attr}=\"");
    html.split(&needle)
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

/// The text of the first element carrying `marker` in its start tag.
fn text_of(html: &str, marker: &str) -> String {
    let start = html.find(marker).unwrap_or_else(|| panic!("no {marker}"));
    let rest = &html[start..];
    let open = rest.find('>').unwrap() + 1;
    let close = rest[open..].find('<').unwrap() + open;
    rest[open..close].to_owned()
}

/// Rows of the fleet table: (device id, state).
fn rows(html: &str) -> Vec<(String, String)> {
    html.split("<tr ")
        .skip(1)
        .filter_map(|tag| {
            let tag = tag.split('>').next()?;
            let attr = |name: &str| {
                let at = tag.find(&format!("{name}=\""))? + name.len() + 2;
                Some(tag[at..].split('"').next()?.to_owned())
            };
            Some((attr("data-device-id")?, attr("data-state")?))
        })
        .collect()
}

#[test]
fn the_dashboard_renders_in_headless_chromium() {
    let Some(browser) = chromium() else {
        eprintln!(
            "SKIPPED the_dashboard_renders_in_headless_chromium: no Chromium found and it \
             could not be installed (run .ci/install-chromium as root, or set PLASPY_CHROMIUM)"
        );
        return;
    };
    let dashboard = Dashboard::start(&["--sandbox"]);

    // The fleet page: every device in the table, every positioned one on the map.
    let fleet = dump_dom(&browser, &dashboard.url);
    assert!(
        fleet.contains("data-loaded=\"true\""),
        "the page did not load:\n{fleet}"
    );
    let rows = rows(&fleet);
    let ids: BTreeSet<String> = rows.iter().map(|(id, _)| id.clone()).collect();
    assert_eq!(rows.len(), 27, "{rows:?}");
    assert_eq!(ids.len(), 27);
    assert_eq!(values(&fleet, "data-device-id"), ids);
    let markers = values(&fleet, "data-marker-device-id");
    assert_eq!(markers.len(), 25, "{markers:?}");
    assert!(markers.is_subset(&ids));
    // The silent count, and the rows it counts.
    let silent: usize = text_of(&fleet, "data-count=\"silent\"").parse().unwrap();
    let silent_rows = rows
        .iter()
        .filter(|(_, state)| state == "silent" || state == "noPosition")
        .count();
    assert_eq!(silent, silent_rows);
    assert!(
        silent >= 2,
        "the two devices that never reported are silent"
    );
    assert!(fleet.contains("2 never reported a position"));
    let vehicles: usize = text_of(&fleet, "data-count=\"vehicles\"").parse().unwrap();
    assert_eq!(vehicles, 27);

    // `?q=` searches by plate (and the map follows the table).
    let plate = csv_plate(&dashboard, "dev-23");
    let found = dump_dom(&browser, &format!("{}?q={plate}", dashboard.url));
    assert_eq!(
        values(&found, "data-device-id"),
        BTreeSet::from(["dev-23".to_owned()])
    );
    assert_eq!(
        values(&found, "data-marker-device-id"),
        BTreeSet::from(["dev-23".to_owned()])
    );

    // The CSV has every device.
    let (status, csv) = dashboard.get("/fleet.csv");
    assert_eq!(status, 200);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let csv_ids: BTreeSet<String> = reader.records().map(|r| r.unwrap()[0].to_owned()).collect();
    assert_eq!(csv_ids, ids);

    // The device page draws the day's track.
    let device = dump_dom(&browser, &format!("{}devices/dev-23", dashboard.url));
    assert!(
        device.contains("data-loaded=\"true\""),
        "the page did not load:\n{device}"
    );
    assert_eq!(
        values(&device, "data-track-device-id"),
        BTreeSet::from(["dev-23".to_owned()])
    );
    let points: usize = values(&device, "data-track-points")
        .first()
        .unwrap()
        .parse()
        .unwrap();
    assert!(points > 0);
    assert!(
        device.contains("data-trip=") || device.contains("data-stop="),
        "the day's trips and stops are listed"
    );

    // Nothing the browser can fetch holds the API key or a token (a JWT starts `eyJ`).
    let mut fetched = vec![fleet, device];
    let mut paths: BTreeSet<String> = [
        "/",
        "/devices/dev-23",
        "/api/config",
        "/api/fleet",
        "/api/devices/dev-23",
        "/fleet.csv",
        "/devices/dev-23/track.gpx",
        "/devices/dev-23/track.geojson",
    ]
    .map(String::from)
    .into();
    for page in ["/", "/devices/dev-23"] {
        let (_, html) = dashboard.get(page);
        paths.extend(
            html.split('"')
                .filter(|p| p.starts_with("/assets/"))
                .map(str::to_owned),
        );
    }
    for path in &paths {
        let (status, body) = dashboard.get(path);
        assert_eq!(status, 200, "{path}");
        fetched.push(body);
    }
    for body in &fetched {
        assert!(!body.contains(API_KEY), "the API key reached the browser");
        assert!(!body.contains("eyJ"), "a token reached the browser");
    }
}

/// Values an API could send that are markup: the pages must show them as text.
const HOSTILE_NAME: &str =
    "<img src=x onerror=\"document.body.setAttribute('data-pwned','name')\">Evil";
const HOSTILE_DESCRIPTION: &str =
    "<script>document.body.setAttribute('data-pwned','desc')</script>";
const HOSTILE_PLATE: &str = "<b id=\"bold-plate\">P1</b>";
const FAKE_KEY: &str = "hostile-test-key";
const FAKE_TOKEN: &str = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1In0.c2lnbmF0dXJl";

#[test]
fn markup_from_the_api_is_shown_as_text_in_chromium() {
    use httpmock::{Method, MockServer};
    use serde_json::json;

    let Some(browser) = chromium() else {
        eprintln!("SKIPPED markup_from_the_api_is_shown_as_text_in_chromium: no Chromium");
        return;
    };
    let server = MockServer::start();
    let now = chrono::Utc::now();
    let device = json!({
        "id": "evil-1",
        "name": HOSTILE_NAME,
        "description": HOSTILE_DESCRIPTION,
        "tags": {"plate": HOSTILE_PLATE},
    });
    server.mock(|when, then| {
        when.method(Method::POST).path("/api/Auth/Token");
        then.status(200).json_body(
            json!({"success": true, "token": FAKE_TOKEN, "expires": "2100-01-01T00:00:00Z"}),
        );
    });
    server.mock(|when, then| {
        when.method(Method::GET).path("/api/devices");
        then.status(200)
            .json_body(json!({"success": true, "devices": [
                device.clone(),
                {"id": "quiet-2", "name": "<i>Quiet</i>"},
            ]}));
    });
    server.mock(|when, then| {
        when.method(Method::GET).path("/api/devices/evil-1");
        then.status(200)
            .json_body(json!({"success": true, "device": device.clone()}));
    });
    let fix = |minutes_ago: i64, lat: f64| json!({"dateTime": (now - chrono::Duration::minutes(minutes_ago)).to_rfc3339(), "latitude": lat, "longitude": -74.1, "speed": 30});
    server.mock(|when, then| {
        when.method(Method::GET)
            .path("/api/devices/evil-1/lastLocation");
        then.status(200)
            .json_body(json!({"success": true, "lastLocation": fix(0, 4.62)}));
    });
    server.mock(|when, then| {
        when.method(Method::GET)
            .path("/api/devices/quiet-2/lastLocation");
        then.status(200).json_body(json!({"success": true}));
    });
    server.mock(|when, then| {
        when.method(Method::POST)
            .path("/api/devices/evil-1/locations");
        then.status(200).json_body(
            json!({"success": true, "locations": [fix(2, 4.60), fix(1, 4.61), fix(0, 4.62)]}),
        );
    });
    let dashboard = Dashboard::start(&[
        "--base-url",
        &server.base_url(),
        "--username",
        "someone",
        "--api-key",
        FAKE_KEY,
    ]);
    let fleet = dump_dom(&browser, &dashboard.url);
    let device = dump_dom(&browser, &format!("{}devices/evil-1", dashboard.url));
    for (page, dom) in [("fleet", &fleet), ("device", &device)] {
        assert!(
            dom.contains("data-loaded=\"true\""),
            "{page} did not load:\n{dom}"
        );
        assert!(
            !dom.contains("data-pwned=\""),
            "{page}: a script from the API ran"
        );
        assert!(
            !dom.contains("<img src=\"x\""),
            "{page}: markup from the API became an element"
        );
        assert!(
            !dom.contains("<b id=\"bold-plate\""),
            "{page}: markup from the API became an element"
        );
        assert!(
            dom.contains("&lt;img src=x onerror="),
            "{page}: the name is shown as text"
        );
        assert!(
            dom.contains("&lt;script&gt;document"),
            "{page}: the description is shown as text"
        );
        assert!(
            !dom.contains(FAKE_KEY) && !dom.contains(FAKE_TOKEN),
            "{page}: a secret leaked"
        );
    }
    assert_eq!(values(&fleet, "data-device-id").len(), 2);
    assert_eq!(values(&fleet, "data-marker-device-id").len(), 1);
    assert_eq!(values(&device, "data-track-device-id").len(), 1);
    let (_, json) = dashboard.get("/api/fleet");
    assert!(!json.contains(FAKE_KEY) && !json.contains(FAKE_TOKEN));
    // The CSV keeps the text and defuses nothing that is not a formula.
    let (_, csv) = dashboard.get("/fleet.csv");
    assert!(csv.contains("<i>Quiet</i>"));
}

/// A device's plate, from the CSV.
fn csv_plate(dashboard: &Dashboard, id: &str) -> String {
    let (_, csv) = dashboard.get("/fleet.csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let plate = reader
        .records()
        .map(Result::unwrap)
        .find(|r| &r[0] == id)
        .map(|r| r[3].to_owned())
        .unwrap();
    assert!(!plate.is_empty() && plate.chars().all(|c| c.is_ascii_alphanumeric()));
    plate
}

/// One device, one state: the dashboard's `/api/fleet` and `plaspy fleet -o json` give every
/// device of the same server the same state (both use `plaspy_fleet::Thresholds`). A device
/// whose last fix changed between the two reads is not compared.
#[test]
fn the_dashboard_and_the_cli_agree_on_every_state() {
    let sandbox = plaspy_sandbox::start(plaspy_sandbox::SandboxConfig::default()).unwrap();
    let account = [
        "--base-url",
        sandbox.base_url(),
        "--username",
        plaspy_sandbox::DEMO_USERNAME,
        "--api-key",
        plaspy_sandbox::DEMO_API_KEY,
    ];
    let dashboard = Dashboard::start(&account);
    let (status, body) = dashboard.get("/api/fleet");
    assert_eq!(status, 200, "{body}");
    let page: serde_json::Value = serde_json::from_str(&body).unwrap();
    let config = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_plaspy"))
        .env("PLASPY_CONFIG", config.path().join("config.toml"))
        .env_remove("PLASPY_PROFILE")
        .args(account)
        .args(["fleet", "-o", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cli: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let by_id: std::collections::BTreeMap<&str, &serde_json::Value> = cli
        .iter()
        .map(|e| (e["device"]["id"].as_str().unwrap(), e))
        .collect();
    let rows = page["devices"].as_array().unwrap();
    assert_eq!(rows.len(), by_id.len());
    let mut compared = 0;
    for row in rows {
        let id = row["id"].as_str().unwrap();
        let entry = by_id[id];
        let same_fix = match (
            row["lastReport"].as_str(),
            entry["lastLocation"]["dateTime"].as_str(),
        ) {
            (Some(a), Some(b)) => {
                a.parse::<chrono::DateTime<chrono::Utc>>().ok()
                    == b.parse::<chrono::DateTime<chrono::Utc>>().ok()
            }
            (None, None) => true,
            _ => false,
        };
        if same_fix {
            assert_eq!(row["state"], entry["state"], "device {id}");
            compared += 1;
        }
    }
    assert!(
        compared >= 20,
        "only {compared} devices kept their fix between the reads"
    );
    let states: BTreeSet<&str> = rows.iter().filter_map(|r| r["state"].as_str()).collect();
    assert!(
        states.len() >= 3,
        "the demo fleet shows several states: {states:?}"
    );
}
