//! `call_loop KIND CALLS [BASE_URL]`: `CALLS` `lastLocation` calls made one way, for
//! profilers (`valgrind --tool=callgrind`, `strace -f -c`), not for timing.
//!
//! KIND is one of `blocking`, `bare-ureq`, `bare-ureq-timeouts`, `async`, `bare-reqwest`.
//! Without BASE_URL a sandbox runs in this process (on its own threads); with one (a
//! `plaspy-sandbox --port 0` started beforehand) the process holds only the client, so every
//! instruction callgrind counts is the client's. Ten warm-up calls open the connection
//! and fetch the token; the measured calls run inside a function named `measured_*`, so
//! `callgrind --toggle-collect='*measured_*'` counts exactly those.
//!
//! ```text
//! cargo build --release -p plaspy-bench --bin call_loop
//! valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*measured_*' \
//!     target/release/call_loop blocking 2000 http://127.0.0.1:PORT
//! ```

use std::process::ExitCode;
use std::time::Duration;

use plaspy_bench::*;

const WARM_UP: u32 = 10;

#[inline(never)]
fn measured_blocking(client: &plaspy_blocking::Client, calls: u32) {
    for _ in 0..calls {
        std::hint::black_box(client.devices().last_location(DEVICE).unwrap());
    }
}

#[inline(never)]
fn measured_bare_ureq(agent: &ureq::Agent, url: &str, auth: &str, calls: u32) {
    for _ in 0..calls {
        std::hint::black_box(bare_ureq_call(agent, url, auth));
    }
}

#[inline(never)]
fn measured_async(runtime: &tokio::runtime::Runtime, client: &plaspy_async::Client, calls: u32) {
    for _ in 0..calls {
        std::hint::black_box(
            runtime
                .block_on(client.devices().last_location(DEVICE))
                .unwrap(),
        );
    }
}

#[inline(never)]
fn measured_bare_reqwest(
    runtime: &tokio::runtime::Runtime,
    client: &reqwest::Client,
    url: &str,
    auth: &str,
    calls: u32,
) {
    for _ in 0..calls {
        std::hint::black_box(runtime.block_on(bare_reqwest_call(client, url, auth)));
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(kind), Some(calls)) = (args.first(), args.get(1).and_then(|n| n.parse().ok())) else {
        eprintln!("usage: call_loop KIND CALLS [BASE_URL]");
        return ExitCode::from(2);
    };
    let local = match args.get(2) {
        Some(_) => None,
        None => Some(sandbox(27, Duration::ZERO)),
    };
    let base_url = args
        .get(2)
        .map(String::as_str)
        .or(local.as_ref().map(|s| s.base_url()))
        .unwrap_or_default()
        .to_owned();
    let runtime = runtime();
    match kind.as_str() {
        "blocking" => {
            let client = blocking_client_at(&base_url);
            measured_blocking(&client, WARM_UP);
            measured_blocking(&client, calls);
        }
        "async" => {
            let client = async_client_at(&base_url, &runtime);
            measured_async(&runtime, &client, WARM_UP);
            measured_async(&runtime, &client, calls);
        }
        "bare-ureq" | "bare-ureq-timeouts" => {
            let token = blocking_client_at(&base_url).token().unwrap().token;
            let (url, auth) = last_location_request(&base_url, token.expose());
            let agent = if kind == "bare-ureq" {
                bare_ureq()
            } else {
                bare_ureq_with_timeouts()
            };
            measured_bare_ureq(&agent, &url, &auth, WARM_UP);
            measured_bare_ureq(&agent, &url, &auth, calls);
        }
        "bare-reqwest" => {
            let token = runtime
                .block_on(async_client_at(&base_url, &runtime).token())
                .unwrap()
                .token;
            let (url, auth) = last_location_request(&base_url, token.expose());
            let client = bare_reqwest();
            measured_bare_reqwest(&runtime, &client, &url, &auth, WARM_UP);
            measured_bare_reqwest(&runtime, &client, &url, &auth, calls);
        }
        other => {
            eprintln!("unknown KIND {other:?}");
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}
