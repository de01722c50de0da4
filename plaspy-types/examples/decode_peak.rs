//! Decodes a large generated `locations` reply, to measure peak memory against the body size:
//!
//! ```sh
//! cargo build --release -p plaspy-types --example decode_peak
//! /usr/bin/time -v target/release/examples/decode_peak locations 100   # ~100 MB of fixes
//! /usr/bin/time -v target/release/examples/decode_peak sparse 100      # fixes of 3 fields
//! /usr/bin/time -v target/release/examples/decode_peak empty 100       # ~100 MB of `""`
//! /usr/bin/time -v target/release/examples/decode_peak extra 100       # ~100 MB of unknown `""`
//! /usr/bin/time -v target/release/examples/decode_peak user 100        # one user, ditto
//! ```
//!
//! Compare "Maximum resident set size" with the body size printed. A third argument sets
//! the record limit (`DecodeLimits::max_records`), e.g. `locations 100 100000`.

use plaspy_types::endpoints::{GetUser, QueryLocations};
use plaspy_types::{DecodeLimits, Endpoint, HttpResponse, LocationsQuery};

fn body(kind: &str, megabytes: usize) -> Vec<u8> {
    let target = megabytes * 1024 * 1024;
    let mut body = Vec::with_capacity(target + 1024);
    body.extend_from_slice(br#"{"success":true,"apiUsage":1,"locations":["#);
    match kind {
        "locations" => {
            let mut i = 0u64;
            while body.len() < target {
                if i > 0 {
                    body.push(b',');
                }
                body.extend_from_slice(
                    format!(
                        r#"{{"dateTime":"2024-06-01T08:{:02}:{:02}.1234567","latitude":4.{i},"longitude":-74.{i},"speed":42.5,"course":180,"battery":87,"milleage":12345.6,"warningTexts":["Low battery"],"alerts":["Speeding"],"inputs":[true,false],"attributes":{{"ignition":"on"}}}}"#,
                        (i / 60) % 60,
                        i % 60
                    )
                    .as_bytes(),
                );
                i += 1;
            }
        }
        "sparse" => {
            let mut i = 0u64;
            while body.len() < target {
                if i > 0 {
                    body.push(b',');
                }
                body.extend_from_slice(
                    format!(
                        r#"{{"dateTime":"2024-06-01T08:00:{:02}Z","latitude":4.{i},"longitude":-74.{i}}}"#,
                        i % 60
                    )
                    .as_bytes(),
                );
                i += 1;
            }
        }
        "user" => {
            body.clear();
            body.extend_from_slice(br#"{"success":true,"id":"u1","name":"Ana","unknownList":["#);
            let mut first = true;
            while body.len() < target {
                if !first {
                    body.push(b',');
                }
                first = false;
                body.extend_from_slice(b"\"\"");
            }
            body.extend_from_slice(b"]}");
            return body;
        }
        "empty" | "extra" => {
            let field = if kind == "empty" {
                "warningTexts"
            } else {
                "unknownList"
            };
            body.extend_from_slice(
                format!(r#"{{"dateTime":"2024-06-01T08:00:00Z","latitude":4.6,"longitude":-74.1,"{field}":["#)
                    .as_bytes(),
            );
            let mut first = true;
            while body.len() < target {
                if !first {
                    body.push(b',');
                }
                first = false;
                body.extend_from_slice(b"\"\"");
            }
            body.extend_from_slice(b"]}");
        }
        other => panic!("unknown kind {other} (locations, sparse, empty, extra, user)"),
    }
    body.extend_from_slice(b"]}");
    body
}

fn main() {
    let mut args = std::env::args().skip(1);
    let kind = args.next().unwrap_or_else(|| "locations".into());
    let megabytes: usize = args.next().map_or(100, |m| m.parse().expect("megabytes"));
    let limits = args.next().map_or_else(DecodeLimits::default, |n| {
        DecodeLimits::max_records(n.parse().expect("a record limit"))
    });
    let response = HttpResponse::new(200, body(&kind, megabytes));
    let body_len = response.body.len();
    let query = LocationsQuery::new(chrono::DateTime::UNIX_EPOCH, chrono::Utc::now());
    let endpoint = QueryLocations {
        id: "dev-1",
        query: &query,
    };
    if kind == "user" {
        let user = GetUser::new("u1").decode(&response);
        println!("user: body {body_len} bytes, ok: {}", user.is_ok());
        return;
    }
    match endpoint.decode_within(&response, &limits) {
        Ok(reply) => println!(
            "{kind}: body {body_len} bytes, {} records",
            reply.value.len()
        ),
        Err(err) => println!("{kind}: body {body_len} bytes, error: {err}"),
    }
}
