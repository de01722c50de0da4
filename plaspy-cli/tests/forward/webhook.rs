//! Webhooks: a tiny receiver (std only) recording every request; the watcher's cursor
//! lives in `--state`, written after a 2xx.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::watcher::{DEVICES, Env, wait_for};

/// One request as received.
#[derive(Debug, Clone)]
pub struct Received {
    /// The `Idempotency-Key` header.
    pub key: String,
    /// The `X-Test` header (from `--to-header`).
    pub test_header: String,
    /// The body: a JSON array of records.
    pub records: Vec<Value>,
}

#[derive(Default)]
struct Shared {
    received: Vec<Received>,
    /// Requests still to answer with 503.
    failing: usize,
}

/// A receiver at `url`, answering `POST`s with 200 (or 503 while told to fail).
#[derive(Clone)]
pub struct Receiver {
    /// Where it listens.
    pub url: String,
    shared: Arc<Mutex<Shared>>,
}

impl Receiver {
    /// Starts a receiver on a free loopback port.
    pub fn start() -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let shared = Arc::new(Mutex::new(Shared::default()));
        let accept = Arc::clone(&shared);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let shared = Arc::clone(&accept);
                std::thread::spawn(move || serve(stream, &shared));
            }
        });
        Receiver { url, shared }
    }

    /// Answers 503 to the next `n` requests.
    pub fn fail_next(&self, n: usize) {
        self.shared.lock().unwrap().failing = n;
    }

    /// Every request so far.
    pub fn received(&self) -> Vec<Received> {
        self.shared.lock().unwrap().received.clone()
    }

    /// The records received so far (repeats included).
    pub fn records(&self) -> Vec<Value> {
        self.received()
            .into_iter()
            .flat_map(|r| r.records)
            .collect()
    }
}

/// Serves the requests of one connection (keep-alive).
fn serve(stream: TcpStream, shared: &Mutex<Shared>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut out = stream;
    loop {
        let mut headers = BTreeMap::new();
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        loop {
            line.clear();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let trimmed = line.trim_end();
            if trimmed.is_empty() {
                break;
            }
            if let Some((name, value)) = trimmed.split_once(':') {
                headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
            }
        }
        let length: usize = headers
            .get("content-length")
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let status = {
            let mut shared = shared.lock().unwrap();
            shared.received.push(Received {
                key: headers.get("idempotency-key").cloned().unwrap_or_default(),
                test_header: headers.get("x-test").cloned().unwrap_or_default(),
                records: serde_json::from_slice(&body).unwrap_or_default(),
            });
            if shared.failing > 0 {
                shared.failing -= 1;
                "503 Service Unavailable"
            } else {
                "200 OK"
            }
        };
        let reply = format!("HTTP/1.1 {status}\r\ncontent-length: 0\r\n\r\n");
        if out.write_all(reply.as_bytes()).is_err() {
            return;
        }
    }
}

/// `(deviceId, dateTime)` of each record.
fn ids(records: &[Value]) -> BTreeSet<(String, String)> {
    records
        .iter()
        .map(|r| {
            (
                r["deviceId"].as_str().unwrap_or_default().to_owned(),
                r["dateTime"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// Every fix the server holds from T0 to now, as `(deviceId, dateTime)`.
fn expected(env: &Env) -> BTreeSet<(String, String)> {
    DEVICES
        .iter()
        .flat_map(|id| {
            env.fixes(id).into_iter().map(move |f| {
                (
                    (*id).to_owned(),
                    f["dateTime"].as_str().unwrap_or_default().to_owned(),
                )
            })
        })
        .collect()
}

#[test]
fn a_webhook_receives_every_fix_across_a_kill_and_repeats_carry_the_same_key() {
    let receiver = Receiver::start();
    let env = Env::at_t0();
    env.advance(3600);
    let state = env.path("hook.json");
    let args = [
        "--to",
        &receiver.url,
        "--to-header",
        "X-Test: forwarded",
        "--state",
        &state,
    ];
    // The first two deliveries fail: the batch is sent again, the same.
    receiver.fail_next(2);
    let first = env.watch(&args);
    wait_for("a delivery after two failures", || {
        receiver.received().len() >= 3
    });
    first.kill9();
    let got = receiver.received();
    assert_eq!(got[0].key.len(), 64, "an Idempotency-Key: {:?}", got[0].key);
    assert_eq!(got[0].key, got[1].key, "a repeat carries the same key");
    assert_eq!(got[1].key, got[2].key);
    assert_eq!(got[0].records, got[2].records, "and the same records");
    assert!(
        got.iter().all(|r| r.test_header == "forwarded"),
        "--to-header is sent"
    );
    let record_id = &got[0].records[0]["recordId"];
    assert!(record_id.is_string(), "each record has its id: {record_id}");

    env.advance(1800);
    let want = expected(&env);
    let second = env.watch(&args);
    wait_for("every fix of the span at the receiver", || {
        ids(&receiver.records()).is_superset(&want)
    });
    let (ok, stderr) = second.terminate();
    assert!(ok, "SIGTERM ends the watch with exit 0: {stderr}");
    assert_eq!(ids(&receiver.records()), want, "every fix, nothing else");
    assert!(
        std::fs::metadata(&state).is_ok(),
        "the cursor is in --state after the 2xx"
    );
}
