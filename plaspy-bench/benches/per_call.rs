//! Per-call time of both clients against their bare transports, on loopback keep-alive
//! connections to a local sandbox, same request, same JSON decoding.
//! `cargo bench -p plaspy-bench --bench per_call`

use std::time::Duration;

use plaspy_bench::*;

fn main() {
    divan::main();
}

const CALLS: u32 = 2000;

#[divan::bench(sample_count = 30, sample_size = 100)]
fn blocking_plaspy(bencher: divan::Bencher) {
    let sandbox = sandbox(27, Duration::ZERO);
    let client = blocking_client(&sandbox);
    bencher.bench(|| client.devices().last_location(DEVICE).unwrap());
}

#[divan::bench(sample_count = 30, sample_size = 100)]
fn blocking_bare_ureq(bencher: divan::Bencher) {
    let sandbox = sandbox(27, Duration::ZERO);
    let token = blocking_client(&sandbox).token().unwrap().token;
    let (url, auth) = last_location_request(sandbox.base_url(), token.expose());
    let agent = plaspy_bench::bare_ureq();
    bencher.bench(|| bare_ureq_call(&agent, &url, &auth));
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[divan::bench(sample_count = 30, sample_size = 100)]
fn async_plaspy(bencher: divan::Bencher) {
    let sandbox = sandbox(27, Duration::ZERO);
    let runtime = runtime();
    let client = async_client(&sandbox, &runtime);
    bencher.bench(|| {
        runtime
            .block_on(client.devices().last_location(DEVICE))
            .unwrap()
    });
}

#[divan::bench(sample_count = 30, sample_size = 100)]
fn async_bare_reqwest(bencher: divan::Bencher) {
    let sandbox = sandbox(27, Duration::ZERO);
    let runtime = runtime();
    let token = async_client(&sandbox, &runtime);
    let token = runtime.block_on(token.token()).unwrap().token;
    let (url, auth) = last_location_request(sandbox.base_url(), token.expose());
    let client = plaspy_bench::bare_reqwest();
    bencher.bench(|| runtime.block_on(bare_reqwest_call(&client, &url, &auth)));
}

/// Not a benchmark: `CALLS` blocking calls in a loop, for `strace -f -c` (see
/// BENCHMARKS.md). Runs when the bench binary is given `--exact loop_for_strace`.
#[divan::bench(sample_count = 1, sample_size = 1)]
fn loop_for_strace() {
    let sandbox = sandbox(27, Duration::ZERO);
    let client = blocking_client(&sandbox);
    for _ in 0..CALLS {
        client.devices().last_location(DEVICE).unwrap();
    }
}
