//! A whole-fleet snapshot of 1,000 devices at 20 ms per request against the sequential loop
//! of the same calls. `cargo bench -p plaspy-bench --bench fleet`

use std::time::Duration;

use plaspy_bench::*;

fn main() {
    divan::main();
}

const DEVICES: usize = 1000;
const LATENCY: Duration = Duration::from_millis(20);

#[divan::bench(sample_count = 3, sample_size = 1)]
fn blocking_snapshot(bencher: divan::Bencher) {
    let sandbox = sandbox(DEVICES, LATENCY);
    let client = blocking_client(&sandbox);
    bencher.bench(|| {
        let fleet = client.fleet().snapshot().unwrap();
        assert_eq!(fleet.len(), DEVICES);
        assert!(fleet.iter().all(|e| e.location.is_ok()));
    });
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn async_snapshot(bencher: divan::Bencher) {
    let sandbox = sandbox(DEVICES, LATENCY);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let client = async_client(&sandbox, &runtime);
    bencher.bench(|| {
        let fleet = runtime.block_on(client.fleet().snapshot()).unwrap();
        assert_eq!(fleet.len(), DEVICES);
        assert!(fleet.iter().all(|e| e.location.is_ok()));
    });
}

/// What users write today: list, then one call after the other.
#[divan::bench(sample_count = 1, sample_size = 1)]
fn blocking_sequential_loop(bencher: divan::Bencher) {
    let sandbox = sandbox(DEVICES, LATENCY);
    let client = blocking_client(&sandbox);
    bencher.bench(|| {
        let devices = client.devices().list().unwrap();
        let found = devices
            .iter()
            .filter(|d| client.devices().last_location(d.id()).unwrap().is_some())
            .count();
        assert_eq!(devices.len(), DEVICES);
        found
    });
}
