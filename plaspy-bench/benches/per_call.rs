//! Per-call time of both clients against their bare transports, on loopback keep-alive
//! connections to a local sandbox, same request, same JSON decoding.
//!
//! `cargo bench -p plaspy-bench --bench per_call [-- --rounds N --calls N]`
//!
//! Not divan: on a shared machine the load changes from one second to the next, so timing
//! one contender after the other compares two different machines. Here the contenders of a
//! group take turns: every round runs `--calls` calls of each, one after the other, in an
//! order that rotates from round to round, and the figures are medians over the rounds.
//! The ratio column is the median of the per-round ratios (client / bare), which cancels
//! the load that both sides of one round shared.

use std::time::{Duration, Instant};

use plaspy_bench::*;

/// One way of making the call, run `calls` times.
struct Contender<'a> {
    name: &'static str,
    run: Box<dyn FnMut(u32) + 'a>,
    per_call: Vec<f64>,
}

impl<'a> Contender<'a> {
    fn new(name: &'static str, run: impl FnMut(u32) + 'a) -> Self {
        Contender {
            name,
            run: Box::new(run),
            per_call: Vec::new(),
        }
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    }
}

/// Runs the group in interleaved rounds and prints one line per contender; the first one
/// is the client, compared with every other one.
fn interleave(title: &str, contenders: &mut [Contender<'_>], rounds: usize, calls: u32) {
    for contender in contenders.iter_mut() {
        (contender.run)(calls); // warm up: connection open, caches and allocator primed
    }
    for round in 0..rounds {
        let n = contenders.len();
        for i in 0..n {
            let contender = &mut contenders[(round + i) % n];
            let started = Instant::now();
            (contender.run)(calls);
            let elapsed = started.elapsed();
            contender
                .per_call
                .push(elapsed.as_secs_f64() * 1e6 / f64::from(calls));
        }
    }
    println!("\n{title}: {rounds} interleaved rounds x {calls} calls each");
    println!(
        "| {:<36} | {:>9} | {:>9} | {:>16} |",
        "contender", "fastest", "median", "client / this"
    );
    println!("|{:-<38}|{:->11}|{:->11}|{:->18}|", "", "", "", "");
    let client = contenders[0].per_call.clone();
    for (i, contender) in contenders.iter().enumerate() {
        let mut times = contender.per_call.clone();
        let fastest = times.iter().copied().fold(f64::INFINITY, f64::min);
        let median_time = median(&mut times);
        let ratio = if i == 0 {
            "-".to_owned()
        } else {
            let mut ratios: Vec<f64> = client
                .iter()
                .zip(&contender.per_call)
                .map(|(c, b)| c / b)
                .collect();
            format!("{:+.1} %", (median(&mut ratios) - 1.0) * 100.0)
        };
        println!(
            "| {:<36} | {:>6.1} µs | {:>6.1} µs | {:>16} |",
            contender.name, fastest, median_time, ratio
        );
    }
}

fn arg(args: &[String], name: &str, default: usize) -> usize {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--list") {
        return; // `cargo bench -- --list` and test discovery: nothing to list
    }
    // `cargo bench` passes `--bench`; without it (`cargo test --all-targets`) one short
    // round only, as a smoke test that every contender works, not a measurement.
    let smoke = !args.iter().any(|a| a == "--bench");
    let rounds = if smoke { 1 } else { arg(&args, "--rounds", 40) };
    let calls = if smoke {
        2
    } else {
        u32::try_from(arg(&args, "--calls", 200)).unwrap_or(200)
    };
    let only = |group: &str| {
        let filters: Vec<&String> = args
            .iter()
            .skip(1)
            .filter(|a| !a.starts_with("--") && a.parse::<usize>().is_err())
            .collect();
        filters.is_empty() || filters.iter().any(|f| group.contains(f.as_str()))
    };

    let sandbox = sandbox(27, Duration::ZERO);
    let base_url = sandbox.base_url().to_owned();

    if only("blocking") {
        let client = blocking_client_at(&base_url);
        let token = client.token().unwrap().token;
        let (url, auth) = last_location_request(&base_url, token.expose());
        let bare = bare_ureq();
        let bare_timeouts = bare_ureq_with_timeouts();
        let mut group = [
            Contender::new("plaspy_blocking::Client", |n| {
                for _ in 0..n {
                    std::hint::black_box(client.devices().last_location(DEVICE).unwrap());
                }
            }),
            Contender::new("bare ureq::Agent, no timeouts", |n| {
                for _ in 0..n {
                    std::hint::black_box(bare_ureq_call(&bare, &url, &auth));
                }
            }),
            Contender::new("bare ureq::Agent, same timeouts", |n| {
                for _ in 0..n {
                    std::hint::black_box(bare_ureq_call(&bare_timeouts, &url, &auth));
                }
            }),
        ];
        interleave("blocking", &mut group, rounds, calls);
    }

    if only("async") {
        let runtime = runtime();
        let client = async_client_at(&base_url, &runtime);
        let token = runtime.block_on(client.token()).unwrap().token;
        let (url, auth) = last_location_request(&base_url, token.expose());
        let bare = bare_reqwest();
        let mut group = [
            Contender::new("plaspy_async::Client", |n| {
                for _ in 0..n {
                    std::hint::black_box(
                        runtime
                            .block_on(client.devices().last_location(DEVICE))
                            .unwrap(),
                    );
                }
            }),
            Contender::new("bare reqwest::Client, same timeouts", |n| {
                for _ in 0..n {
                    std::hint::black_box(runtime.block_on(bare_reqwest_call(&bare, &url, &auth)));
                }
            }),
        ];
        interleave("async", &mut group, rounds, calls);
    }
}
