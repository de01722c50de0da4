//! The feed and history against a hostile server (`plaspy_tests::hostile`): replies cut at
//! an unknown cap, ranges ignored, replies reordered, late uploads, a fix with no usable
//! position, and a wild `Date` header. Nothing may be lost silently, nothing delivered
//! twice, nothing stuck.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use chrono::{DateTime, Utc};
use plaspy_tests::hostile::{Hostile, Keep, fix_at};
use plaspy_types::Location;
use plaspy_types::feed::{FeedCursor, FeedEvent};
use plaspy_types::history::HistoryLimits;
use serde_json::Value;

use crate::support::*;
use crate::{case, maybe};

fn hostile_client(server: &Hostile) -> Client {
    Client::builder()
        .credentials(USER, API_KEY)
        .base_url(server.base_url())
        .retry_policy(fast_retries())
        .build()
        .expect("a valid test configuration")
}

/// `n` fixes of `device`, `step` apart from `from`, each at its own place.
fn track(from: DateTime<Utc>, step: chrono::Duration, n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| {
            let t = from + step * i as i32;
            fix_at(t, 4.6 + i as f64 * 1e-5, -74.08)
        })
        .collect()
}

/// The present, in whole seconds (the fixes' times have no fraction).
fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(Utc::now().timestamp(), 0).unwrap()
}

fn one_device(fixes: Vec<Value>) -> BTreeMap<String, Vec<Value>> {
    BTreeMap::from([("dev-1".to_owned(), fixes)])
}

fn key(fix: &Location) -> String {
    serde_json::to_string(fix).unwrap()
}

/// Every event popped (the poll must not fail for any device).
#[maybe]
async fn drain(feed: &mut Feed) -> Vec<Location> {
    let report = feed.poll_once().await.expect("the poll runs");
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    std::iter::from_fn(|| feed.pop())
        .filter_map(|e| e.location().cloned())
        .collect()
}

fn assert_once(got: &[Location], expected: usize) {
    let distinct: BTreeSet<String> = got.iter().map(key).collect();
    assert_eq!(distinct.len(), got.len(), "a fix was delivered twice");
    assert_eq!(got.len(), expected, "fixes delivered");
}

// ---- history --------------------------------------------------------------------------

#[maybe]
async fn history_under_a_cap(keep: Keep) {
    let from = at("2025-01-01T00:00:00Z");
    let to = from + chrono::Duration::days(90);
    // 4,320 fixes: one every 30 minutes over 90 days; the server keeps 1,000 a reply.
    let server = Hostile::start(one_device(track(
        from,
        chrono::Duration::minutes(30),
        4_320,
    )));
    server.with(|s| s.cap = Some((1_000, keep)));
    let client = hostile_client(&server);
    let all = client
        .devices()
        .location_history("dev-1", from, to)
        .all()
        .await
        .expect("the history completes");
    assert_once(&all, 4_320);
    assert!(all.windows(2).all(|w| w[0].date_time < w[1].date_time));
}

#[maybe]
#[case]
async fn a_90_day_history_at_an_unknown_oldest_kept_cap_loses_nothing() {
    history_under_a_cap(Keep::Oldest).await;
}

#[maybe]
#[case]
async fn a_90_day_history_at_an_unknown_newest_kept_cap_loses_nothing() {
    history_under_a_cap(Keep::Newest).await;
}

#[maybe]
#[case]
async fn a_cut_reply_that_cannot_be_narrowed_fails_naming_device_and_range() {
    let t = at("2025-01-05T00:00:00Z");
    // 5 fixes a second before 50 distinct fixes at one instant, behind a cap of 10: the cut
    // shows (a probe from the last instant finds fixes the reply lacked), but no window
    // narrower than a second holds the 50.
    let mut fixes: Vec<Value> = (0..5)
        .map(|i| {
            fix_at(
                t - chrono::Duration::seconds(1),
                4.5 + i as f64 * 1e-4,
                -74.0,
            )
        })
        .collect();
    fixes.extend((0..50).map(|i| fix_at(t, 4.6 + i as f64 * 1e-4, -74.0)));
    let server = Hostile::start(one_device(fixes));
    server.with(|s| s.cap = Some((10, Keep::Oldest)));
    let client = hostile_client(&server);
    let err = client
        .devices()
        .location_history(
            "dev-1",
            at("2025-01-01T00:00:00Z"),
            at("2025-01-10T00:00:00Z"),
        )
        .all()
        .await
        .expect_err("the fixes cannot all be read");
    let text = err.to_string();
    assert!(text.contains("dev-1"), "{text}");
    assert!(
        text.contains("2025-01-04T23:59:59") || text.contains("2025-01-05T00:00:00"),
        "{text}"
    );
    assert!(text.contains("cut"), "{text}");
}

#[maybe]
#[case]
async fn a_history_from_a_server_that_ignores_the_range_has_each_fix_once() {
    let from = at("2025-01-01T00:00:00Z");
    let to = from + chrono::Duration::days(20);
    let mut fixes = track(from, chrono::Duration::hours(2), 240);
    // Two distinct fixes at one instant.
    let twin = fixes[100]["dateTime"].clone();
    let mut other = fix_at(from, 5.0, -75.0);
    other["dateTime"] = twin;
    fixes.push(other);
    let server = Hostile::start(one_device(fixes));
    server.with(|s| {
        s.ignore_range = true;
        s.reverse = true;
    });
    let client = hostile_client(&server);
    let limits = HistoryLimits::default().with_max_window(chrono::Duration::days(3));
    let all = client
        .devices()
        .location_history("dev-1", from, to)
        .limits(limits)
        .all()
        .await
        .unwrap();
    assert_once(&all, 241);
    assert!(all.iter().all(|f| f.date_time >= from && f.date_time <= to));
}

// ---- the feed -------------------------------------------------------------------------

fn feed_of(client: &Client, since: DateTime<Utc>) -> Feed {
    client
        .feed()
        .devices(["dev-1"])
        .since(since)
        .max_idle(Duration::ZERO)
        .build()
}

#[maybe]
#[case]
async fn the_feed_at_an_unknown_newest_kept_cap_loses_none_of_3000_fixes() {
    let since = now() - chrono::Duration::hours(2);
    let fixes = track(since, chrono::Duration::seconds(2), 3_000);
    let server = Hostile::start(one_device(fixes));
    server.with(|s| s.cap = Some((1_000, Keep::Newest)));
    let client = hostile_client(&server);
    let mut feed = feed_of(&client, since);
    let mut got = Vec::new();
    for _ in 0..5 {
        got.extend(drain(&mut feed).await);
    }
    assert_once(&got, 3_000);
}

#[maybe]
#[case]
async fn the_feed_at_an_unknown_oldest_kept_cap_loses_none_of_3000_fixes() {
    let since = now() - chrono::Duration::hours(2);
    let fixes = track(since, chrono::Duration::seconds(2), 3_000);
    let server = Hostile::start(one_device(fixes));
    server.with(|s| s.cap = Some((1_000, Keep::Oldest)));
    let client = hostile_client(&server);
    let mut feed = feed_of(&client, since);
    let mut got = Vec::new();
    for _ in 0..5 {
        got.extend(drain(&mut feed).await);
    }
    assert_once(&got, 3_000);
}

#[maybe]
#[case]
async fn late_uploads_are_delivered_once_and_the_cursor_stays_bounded() {
    let since = now() - chrono::Duration::hours(1);
    let step = chrono::Duration::seconds(30);
    // Fixes every 30 s for 40 minutes; of them, minutes 10 to 20 are still buffered.
    let all = track(since, step, 80);
    let (early, rest) = all.split_at(20);
    let (buffered, live) = rest.split_at(20);
    let mut first: Vec<Value> = early.to_vec();
    first.extend_from_slice(live);
    let server = Hostile::start(one_device(first));
    let client = hostile_client(&server);
    let mut feed = feed_of(&client, since);
    let got = drain(&mut feed).await;
    assert_once(&got, 60);

    // The buffer is uploaded, times before the cursor, with one new fix.
    let newest = fix_at(since + step * 80, 4.7, -74.08);
    server.with(|s| {
        let fixes = s.fixes.get_mut("dev-1").unwrap();
        fixes.extend_from_slice(buffered);
        fixes.push(newest.clone());
    });
    let cursor = feed.cursor();
    let saved = serde_json::to_string(&cursor).unwrap();
    let mut resumed = client
        .feed()
        .devices(["dev-1"])
        .resume(serde_json::from_str::<FeedCursor>(&saved).unwrap())
        .max_idle(Duration::ZERO)
        .build();
    let late = drain(&mut resumed).await;
    assert_once(&late, 21);
    let again = drain(&mut resumed).await;
    assert!(again.is_empty(), "{again:?}");
    let mut everything = got;
    everything.extend(late);
    assert_once(&everything, 81);

    // The cursor forgets what is older than the lookback: bounded, whatever runs.
    let mut short = client
        .feed()
        .devices(["dev-1"])
        .resume(resumed.cursor())
        .lookback(Duration::from_secs(60))
        .max_idle(Duration::ZERO)
        .build();
    let none = drain(&mut short).await;
    assert!(none.is_empty(), "{none:?}");
    let size = serde_json::to_string(&short.cursor()).unwrap().len();
    assert!(
        size < 1_000,
        "{size} bytes: {}",
        serde_json::to_string(&short.cursor()).unwrap()
    );
}

#[maybe]
#[case]
async fn a_feed_from_a_server_that_ignores_the_range_delivers_each_fix_once() {
    let since = now() - chrono::Duration::hours(1);
    let mut fixes = track(since, chrono::Duration::seconds(60), 30);
    // Older fixes the feed must never deliver.
    fixes.extend(track(
        since - chrono::Duration::days(3),
        chrono::Duration::hours(1),
        10,
    ));
    let server = Hostile::start(one_device(fixes));
    server.with(|s| s.ignore_range = true);
    let client = hostile_client(&server);
    let mut feed = feed_of(&client, since);
    let mut got = drain(&mut feed).await;
    assert_once(&got, 30);
    // A second, distinct fix at the instant of the last one comes, with a newer one; the
    // server answers it first at that instant, then in other orders.
    server.with(|s| {
        let fixes = s.fixes.get_mut("dev-1").unwrap();
        let mut twin = fix_at(since, 5.0, -75.0);
        twin["dateTime"] = fixes[29]["dateTime"].clone();
        fixes.insert(0, twin);
        fixes.push(fix_at(since + chrono::Duration::minutes(31), 4.7, -74.0));
    });
    for _ in 0..3 {
        got.extend(drain(&mut feed).await);
        server.with(|s| s.reverse = !s.reverse);
    }
    assert_once(&got, 32);
}

#[maybe]
#[case]
async fn a_fix_without_a_position_is_set_aside_and_reported_once() {
    let since = now() - chrono::Duration::hours(1);
    let mut fixes = track(since, chrono::Duration::seconds(60), 10);
    let bad_time = since + chrono::Duration::seconds(60 * 10);
    let mut bad = fix_at(bad_time, 0.0, 0.0);
    bad["latitude"] = Value::Null;
    fixes.push(bad);
    let mut wild = fix_at(since + chrono::Duration::seconds(90), 95.0, -74.0);
    wild["longitude"] = Value::from(-74.0);
    fixes.push(wild);
    let server = Hostile::start(one_device(fixes));
    let client = hostile_client(&server);
    let mut feed = feed_of(&client, since);
    let report = feed.poll_once().await.unwrap();
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert_eq!(report.skipped.len(), 2, "{:?}", report.skipped);
    assert!(report.skipped.iter().any(|s| s.time == Some(bad_time)));
    let got: Vec<FeedEvent> = std::iter::from_fn(|| feed.pop()).collect();
    assert_eq!(got.len(), 10);
    // The cursor is past the bad fix: the next poll asks for nothing more.
    assert_eq!(feed.cursor().positions("dev-1").unwrap().time, bad_time);
    let report = feed.poll_once().await.unwrap();
    assert!(
        report.skipped.is_empty() && report.failed.is_empty(),
        "{report:?}"
    );
    assert_eq!(feed.pending(), 0);
    // A history of the same range gives the good fixes too.
    let history = client
        .devices()
        .locations("dev-1", since, Utc::now())
        .await
        .unwrap();
    assert_eq!(history.len(), 10);
    // And a report over the device is computed from them.
    let analysis = client
        .devices()
        .report("dev-1", since, now())
        .analyze()
        .await
        .unwrap();
    assert_eq!(analysis.cleaning.input, 10);
}

#[maybe]
#[case]
async fn one_wild_date_header_neither_stalls_a_device_nor_costs_a_request_per_day() {
    let since = now() - chrono::Duration::minutes(30);
    let server = Hostile::start(one_device(track(since, chrono::Duration::minutes(1), 10)));
    let client = hostile_client(&server);
    let mut feed = client
        .feed()
        .devices(["dev-1"])
        .since(since)
        .interval(Duration::from_millis(5))
        .max_idle(Duration::from_millis(20))
        .build();
    let first_poll = drain(&mut feed).await;
    assert_eq!(first_poll.len(), 10);
    for offset in [chrono::Duration::days(365), -chrono::Duration::days(1)] {
        // One answer from a clock a year ahead (or a day behind), then the right clock.
        server.with(|s| {
            s.dates = vec![Utc::now() + offset];
            s.requests = 0;
            let fixes = s.fixes.get_mut("dev-1").unwrap();
            let n = fixes.len();
            fixes.push(fix_at(
                since + chrono::Duration::minutes(n as i64),
                4.7,
                -74.0,
            ));
        });
        let mut got = drain(&mut feed).await;
        let first = server.with(|s| s.requests);
        assert!(first < 10, "{first} requests in one poll");
        // The idle device is checked again promptly and a new fix comes.
        server.with(|s| {
            let fixes = s.fixes.get_mut("dev-1").unwrap();
            let n = fixes.len();
            fixes.push(fix_at(
                since + chrono::Duration::minutes(n as i64),
                4.7,
                -74.0,
            ));
        });
        for _ in 0..5 {
            std::thread::sleep(Duration::from_millis(25));
            got.extend(drain(&mut feed).await);
        }
        assert_eq!(got.len(), 2, "after a Date {offset} off: {got:?}");
        let total = server.with(|s| s.requests);
        assert!(total < 30, "{total} requests in six polls");
    }
}

#[maybe]
#[case]
async fn a_feed_that_cannot_read_a_cut_range_fails_the_device_naming_the_range() {
    let t = now() - chrono::Duration::minutes(10);
    let mut fixes: Vec<Value> = (0..5)
        .map(|i| {
            fix_at(
                t - chrono::Duration::seconds(1),
                4.5 + i as f64 * 1e-4,
                -74.0,
            )
        })
        .collect();
    fixes.extend((0..50).map(|i| fix_at(t, 4.6 + i as f64 * 1e-4, -74.0)));
    let server = Hostile::start(one_device(fixes));
    server.with(|s| s.cap = Some((10, Keep::Oldest)));
    let client = hostile_client(&server);
    let mut feed = feed_of(&client, t - chrono::Duration::minutes(5));
    let report = feed.poll_once().await.unwrap();
    assert_eq!(report.failed.len(), 1, "{report:?}");
    let text = report.failed[0].1.to_string();
    assert!(text.contains("dev-1") && text.contains("cut"), "{text}");
    // Nothing of the range was handed out, and the cursor did not move.
    assert_eq!(feed.pending(), 0);
    let mark = feed.cursor().positions("dev-1").unwrap();
    assert_eq!(mark.time, t - chrono::Duration::minutes(5));
}
