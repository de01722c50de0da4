//! Fixes per second into each sink: a 100-device backfill delivered in batches of 500,
//! against real servers started here (the same helpers as the tests), synthetic fixes.
//! `cargo bench -p plaspy-sinks --bench sinks`
//!
//! One sample delivers [`DEVICES`] × [`FIXES_PER_DEVICE`] fresh fixes (new times each
//! sample, so PostgreSQL and NATS really insert); divan reports items (fixes) per second.

#[path = "../tests/support/mod.rs"]
#[allow(missing_docs)]
mod support;

use std::time::Duration;

use plaspy_sinks::{Batch, Sink, SinkOptions, SinkSpec, connect};
use plaspy_types::feed::{FeedCursor, FeedEvent};
use tokio::runtime::Runtime;

fn main() {
    divan::main();
}

/// Devices in the backfill.
const DEVICES: usize = 100;
/// Fixes per device per sample (a sandbox day at 30 s is 2,880).
const FIXES_PER_DEVICE: usize = 100;
/// Records per batch (what the watcher hands a sink at once during a backfill).
const BATCH: usize = 500;

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime")
}

/// The batches of sample number `round`: every device's fixes, interleaved by time.
fn backfill(round: usize) -> Vec<Batch> {
    let base = i64::try_from(round * FIXES_PER_DEVICE * 30).unwrap_or(0);
    let events: Vec<FeedEvent> = (0..FIXES_PER_DEVICE)
        .flat_map(|i| {
            (0..DEVICES).map(move |d| {
                let at = base + i64::try_from(i * 30).unwrap_or(0);
                support::records::fix(&format!("dev-{d:03}"), at, 4.6, -74.0)
            })
        })
        .collect();
    let mut cursor = FeedCursor::default();
    events
        .chunks(BATCH)
        .map(|chunk| {
            let (batch, after) = support::records::batch("bench", &cursor, chunk);
            cursor = after;
            batch
        })
        .collect()
}

fn run(bencher: divan::Bencher, rt: &Runtime, sink: &mut Box<dyn Sink>) {
    let mut round = 0;
    bencher
        .counter(divan::counter::ItemsCount::new(DEVICES * FIXES_PER_DEVICE))
        .with_inputs(|| {
            round += 1;
            backfill(round)
        })
        .bench_local_values(|batches| {
            rt.block_on(async {
                for batch in &batches {
                    sink.deliver(batch).await.expect("delivered");
                }
            });
        });
}

fn open(rt: &Runtime, url: &str) -> Box<dyn Sink> {
    let spec = SinkSpec::parse(url).expect("a sink URL");
    let options = SinkOptions::default().with_timeout(Duration::from_secs(30));
    rt.block_on(connect(&spec, &options)).expect("connected")
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn postgres(bencher: divan::Bencher) {
    let rt = runtime();
    let pg = support::postgres::Postgres::start();
    let mut sink = open(&rt, &pg.url());
    run(bencher, &rt, &mut sink);
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn nats(bencher: divan::Bencher) {
    let rt = runtime();
    let nats = support::nats::Nats::start();
    let mut sink = open(&rt, &nats.url("bench"));
    run(bencher, &rt, &mut sink);
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn mqtt(bencher: divan::Bencher) {
    let rt = runtime();
    let broker = support::mqtt::Mosquitto::start();
    let mut sink = open(&rt, &broker.url("bench"));
    run(bencher, &rt, &mut sink);
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn webhook(bencher: divan::Bencher) {
    let rt = runtime();
    let hook = rt.block_on(support::webhook::Receiver::start());
    let mut sink = open(&rt, &hook.url);
    run(bencher, &rt, &mut sink);
}
