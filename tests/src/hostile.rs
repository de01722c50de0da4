//! A small hostile fake server for the feed and history cases: it caps replies without a
//! signal (keeping the oldest or the newest fixes), may ignore the range asked, shuffle a
//! reply, and write a wild `Date` header. Hand-rolled over `std::net` (one thread per
//! connection, `Connection: close`), so its behaviour is whatever the test sets, at any
//! moment, through [`Hostile::with`].

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

/// Which fixes a capped reply keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// The oldest `cap` fixes of the range.
    Oldest,
    /// The newest `cap` fixes of the range.
    Newest,
}

/// What the server holds and how it misbehaves; change it between calls.
#[derive(Debug)]
pub struct Behaviour {
    /// The fixes of each device, as JSON objects with a `dateTime`.
    pub fixes: BTreeMap<String, Vec<Value>>,
    /// Replies hold at most this many fixes, without saying so.
    pub cap: Option<(usize, Keep)>,
    /// Answer every fix of the device whatever the range asked.
    pub ignore_range: bool,
    /// Reverse the order of each reply (a new order at each call).
    pub reverse: bool,
    /// The `Date` headers of the next responses, one each, before the real clock again.
    pub dates: Vec<DateTime<Utc>>,
    /// The `Date` header after `dates`: the real clock plus this.
    pub clock_offset: chrono::Duration,
    /// Every range asked for positions: (device, from, to).
    pub ranges: Vec<(String, DateTime<Utc>, DateTime<Utc>)>,
    /// How many requests were answered.
    pub requests: usize,
}

/// A running hostile server; it stops with the test process.
#[derive(Debug, Clone)]
pub struct Hostile {
    base_url: String,
    state: Arc<Mutex<Behaviour>>,
}

impl Hostile {
    /// Starts a server holding these fixes, on a loopback port.
    pub fn start(fixes: BTreeMap<String, Vec<Value>>) -> Hostile {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let base_url = format!("http://{}", listener.local_addr().expect("an address"));
        let state = Arc::new(Mutex::new(Behaviour {
            fixes,
            cap: None,
            ignore_range: false,
            reverse: false,
            dates: Vec::new(),
            clock_offset: chrono::Duration::zero(),
            ranges: Vec::new(),
            requests: 0,
        }));
        let shared = state.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let state = shared.clone();
                std::thread::spawn(move || {
                    let _ = serve(stream, &state);
                });
            }
        });
        Hostile { base_url, state }
    }

    /// The base URL to give a client.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Reads or changes the behaviour.
    pub fn with<R>(&self, f: impl FnOnce(&mut Behaviour) -> R) -> R {
        f(&mut self.state.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

/// A fix as the server sends it.
pub fn fix_at(time: DateTime<Utc>, latitude: f64, longitude: f64) -> Value {
    json!({
        "dateTime": time.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "latitude": latitude,
        "longitude": longitude,
        "speed": 10.0
    })
}

fn time_of(fix: &Value) -> Option<DateTime<Utc>> {
    fix.get("dateTime")?.as_str()?.parse().ok()
}

fn serve(stream: TcpStream, state: &Mutex<Behaviour>) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let (method, target) = (
        parts.next().unwrap_or("").to_owned(),
        parts.next().unwrap_or("").to_owned(),
    );
    let mut length = 0usize;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let (reply, date) = {
        let mut s = state.lock().unwrap_or_else(|p| p.into_inner());
        s.requests += 1;
        let reply = answer(&mut s, &method, &target, &body);
        let date = if s.dates.is_empty() {
            Utc::now() + s.clock_offset
        } else {
            s.dates.remove(0)
        };
        (reply, date)
    };
    let text = reply.to_string();
    let mut out = stream;
    write!(
        out,
        "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nDate: {}\r\nConnection: close\r\n\r\n{}",
        text.len(),
        httpdate::fmt_http_date(date.into()),
        text
    )?;
    out.flush()
}

fn answer(s: &mut Behaviour, method: &str, target: &str, body: &Value) -> Value {
    let path = target.split('?').next().unwrap_or("");
    if method == "POST" && path.eq_ignore_ascii_case("/api/Auth/Token") {
        return json!({"success": true, "token": "hostile-token", "expires": "2999-01-01T00:00:00Z"});
    }
    if method == "GET" && path == "/api/devices" {
        let devices: Vec<Value> = s
            .fixes
            .keys()
            .map(|id| json!({"id": id, "name": id}))
            .collect();
        return json!({"success": true, "devices": devices});
    }
    let Some(rest) = path.strip_prefix("/api/devices/") else {
        return json!({"success": false, "error": "not found"});
    };
    let (id, what) = rest.split_once('/').unwrap_or((rest, ""));
    let id = percent_decode(id);
    let fixes = s.fixes.get(&id).cloned().unwrap_or_default();
    match what {
        "lastLocation" => {
            let last = fixes
                .iter()
                .filter(|f| time_of(f).is_some())
                .max_by_key(|f| time_of(f));
            json!({"success": true, "lastLocation": last})
        }
        "locations" => {
            let from = body["from"]
                .as_str()
                .and_then(|t| t.parse::<DateTime<Utc>>().ok());
            let to = body["to"]
                .as_str()
                .and_then(|t| t.parse::<DateTime<Utc>>().ok());
            let (Some(from), Some(to)) = (from, to) else {
                return json!({"success": false, "error": "bad range"});
            };
            s.ranges.push((id.clone(), from, to));
            let mut picked: Vec<Value> = fixes
                .into_iter()
                .filter(|f| s.ignore_range || time_of(f).is_none_or(|t| from <= t && t <= to))
                .collect();
            picked.sort_by_key(time_of);
            if let Some((cap, keep)) = s.cap
                && picked.len() > cap
            {
                picked = match keep {
                    Keep::Oldest => picked[..cap].to_vec(),
                    Keep::Newest => picked[picked.len() - cap..].to_vec(),
                };
            }
            if s.reverse {
                picked.reverse();
            }
            json!({"success": true, "locations": picked})
        }
        "alerts" => json!({"success": true, "alerts": []}),
        _ => json!({"success": false, "error": "not found"}),
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(v) = text
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
