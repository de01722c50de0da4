//! The live feed against the sandbox, whose data are a pure function of time and whose
//! clock only moves when told (a `ManualClock` plus `advance_clock`): what the feed
//! delivers for each device must equal what the date-range endpoint returns for the span,
//! none missing and none twice, through restarts, token expiry, 503 bursts and a server
//! clock hours ahead of the client's.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use plaspy_types::feed::{FeedCursor, FeedEvent};
use plaspy_types::policy::clock::ManualClock;
use plaspy_types::{AlertEvent, Location};

use crate::support::*;
use crate::{case, maybe};

/// 08:00 in Bogotá on a weekday: the demo fleet is on the road.
const T0: &str = "2030-01-08T13:00:00Z";
/// Sandbox time between polls.
const STEP: i64 = 600;

fn t0() -> DateTime<Utc> {
    T0.parse().unwrap()
}

fn feed_sandbox() -> SandboxHandle {
    sandbox_with(SandboxConfig {
        clock: Arc::new(ManualClock::new(t0())),
        ..SandboxConfig::default()
    })
}

/// Positions delivered, by device.
type ByDevice = BTreeMap<String, Vec<Location>>;

fn collect(into: &mut ByDevice, events: Vec<FeedEvent>) {
    for event in events {
        if let FeedEvent::Location {
            device_id,
            location,
        } = event
        {
            into.entry(device_id).or_default().push(location);
        }
    }
}

/// One poll, then everything it queued.
#[maybe]
async fn poll(feed: &mut Feed) -> Vec<FeedEvent> {
    let report = feed.poll_once().await.expect("the poll runs");
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    std::iter::from_fn(|| feed.pop()).collect()
}

/// Asserts that the feed delivered, for every device, exactly the fixes the date-range
/// endpoint returns for `[from, to]`; returns how many fixes that was.
#[maybe]
async fn assert_lossless(
    client: &Client,
    got: &ByDevice,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> usize {
    let devices = client.devices().list().await.unwrap();
    let mut total = 0;
    for device in &devices {
        let expected = client
            .devices()
            .locations(device.id(), from, to)
            .await
            .unwrap();
        let delivered = got.get(device.id()).cloned().unwrap_or_default();
        assert_eq!(
            delivered.len(),
            expected.len(),
            "device {}: {} delivered, {} in the range",
            device.id(),
            delivered.len(),
            expected.len()
        );
        assert_eq!(delivered, expected, "device {}", device.id());
        total += expected.len();
    }
    total
}

/// The most fixes one device delivered in one poll.
fn most_in_one_poll(events: &[FeedEvent]) -> usize {
    let mut per: BTreeMap<&str, usize> = BTreeMap::new();
    for event in events {
        *per.entry(event.device_id()).or_default() += 1;
    }
    per.into_values().max().unwrap_or(0)
}

#[maybe]
#[case]
async fn feed_delivers_every_fix_of_a_device_that_drove_between_polls() {
    let sandbox = feed_sandbox();
    let client = sandbox_client(&sandbox);
    let mut feed = client.feed().since(t0()).max_idle(Duration::ZERO).build();
    let mut got = ByDevice::new();
    let mut busiest = 0;
    for _ in 0..6 {
        let events = poll(&mut feed).await;
        busiest = busiest.max(most_in_one_poll(&events));
        let times: Vec<_> = events.iter().map(FeedEvent::time).collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]), "time order");
        collect(&mut got, events);
        sandbox.control().advance_clock(STEP);
    }
    let events = poll(&mut feed).await;
    collect(&mut got, events);
    assert!(
        busiest >= 15,
        "a device drove 10 minutes between polls: {busiest} fixes"
    );
    let total = assert_lossless(&client, &got, t0(), sandbox.control().now()).await;
    assert!(total > 300, "{total} fixes");
    // Nothing new: every device is asked for its last fix, none for a range.
    let report = feed.poll_once().await.unwrap();
    assert_eq!(
        (report.checked, report.fetched, report.queued),
        (27, 0, 0),
        "{report:?}"
    );
}

#[maybe]
#[case]
async fn feed_restarted_from_a_saved_cursor_loses_and_repeats_nothing() {
    let sandbox = feed_sandbox();
    let client = sandbox_client(&sandbox);
    let mut got = ByDevice::new();

    let mut first = client.feed().since(t0()).max_idle(Duration::ZERO).build();
    for _ in 0..3 {
        let events = poll(&mut first).await;
        collect(&mut got, events);
        sandbox.control().advance_clock(STEP);
    }
    // Stop in the middle of a batch: only what was handed out counts.
    first.poll_once().await.unwrap();
    let half = first.pending() / 2;
    assert!(half > 5, "a batch to stop in: {}", first.pending());
    let handed: Vec<_> = (0..half).filter_map(|_| first.pop()).collect();
    collect(&mut got, handed);
    let saved = serde_json::to_string(&first.cursor()).unwrap();
    drop(first);

    sandbox.control().advance_clock(3 * STEP);
    let cursor: FeedCursor = serde_json::from_str(&saved).unwrap();
    // A later `since` does not override the saved marks.
    let mut second = client
        .feed()
        .resume(cursor)
        .since(sandbox.control().now())
        .max_idle(Duration::ZERO)
        .build();
    for _ in 0..3 {
        let events = poll(&mut second).await;
        collect(&mut got, events);
        sandbox.control().advance_clock(STEP);
    }
    let events = poll(&mut second).await;
    collect(&mut got, events);
    assert_lossless(&client, &got, t0(), sandbox.control().now()).await;
}

#[maybe]
#[case]
async fn feed_follows_the_server_clock_when_it_is_hours_ahead_of_the_client() {
    let sandbox = feed_sandbox();
    // This machine's clock shows 6 hours earlier than the server's.
    let client_clock = ManualClock::new(t0() - chrono::Duration::hours(6));
    let client = sandbox_builder(&sandbox)
        .clock(client_clock)
        .build()
        .unwrap();
    let mut feed = client
        .feed()
        .devices(["dev-01", "dev-02", "dev-03", "dev-04"])
        .since_ago(Duration::from_secs(1800))
        .max_idle(Duration::ZERO)
        .build();
    let mut got = ByDevice::new();
    for _ in 0..4 {
        let events = poll(&mut feed).await;
        collect(&mut got, events);
        sandbox.control().advance_clock(STEP);
    }
    let events = poll(&mut feed).await;
    collect(&mut got, events);
    let first = got
        .values()
        .flatten()
        .map(|f| f.date_time)
        .min()
        .expect("fixes were delivered");
    // Half an hour before the server's present, not the client's.
    let from = t0() - chrono::Duration::minutes(30);
    assert!(
        first > from - chrono::Duration::seconds(1) && first < t0(),
        "first fix at {first}"
    );
    let last = got.values().flatten().map(|f| f.date_time).max().unwrap();
    assert!(
        last > t0() + chrono::Duration::minutes(30),
        "last fix at {last}"
    );
    assert_eq!(feed.cursor().devices.len(), 4);
    for id in ["dev-01", "dev-02", "dev-03", "dev-04"] {
        let delivered = got.get(id).cloned().unwrap_or_default();
        let expected = client
            .devices()
            .locations(id, from, sandbox.control().now())
            .await
            .unwrap();
        // The start point is 30 minutes before the server's present at the first poll
        // (a few milliseconds after T0): every fix from the first delivered one on.
        let expected: Vec<_> = expected
            .into_iter()
            .filter(|f| f.date_time >= first)
            .collect();
        assert_eq!(delivered, expected, "device {id}");
    }
}

#[maybe]
#[case]
async fn feed_survives_token_expiry_during_a_long_watch() {
    let sandbox = feed_sandbox();
    let client = sandbox_client(&sandbox);
    let mut feed = client.feed().since(t0()).max_idle(Duration::ZERO).build();
    let mut got = ByDevice::new();
    let first = client.token().await.unwrap();
    for round in 0..4 {
        let events = poll(&mut feed).await;
        collect(&mut got, events);
        if round % 2 == 0 {
            sandbox.control().expire_tokens();
        }
        // 70 minutes: past the one-hour token lifetime too.
        sandbox.control().advance_clock(4200);
    }
    let events = poll(&mut feed).await;
    collect(&mut got, events);
    let last = client.token().await.unwrap();
    assert_ne!(first.token, last.token, "the token was renewed");
    assert_lossless(&client, &got, t0(), sandbox.control().now()).await;
}

#[maybe]
#[case]
async fn feed_loses_and_repeats_nothing_through_a_503_burst() {
    let sandbox = feed_sandbox();
    let client = sandbox_client(&sandbox);
    let mut feed = client.feed().since(t0()).max_idle(Duration::ZERO).build();
    let mut got = ByDevice::new();
    let mut failures = 0;
    for burst in [2, 0, 7, 0, 40, 0] {
        sandbox
            .control()
            .set_faults(FaultConfig {
                fail_next: burst,
                fail_status: 503,
                ..FaultConfig::none()
            })
            .unwrap();
        match feed.poll_once().await {
            Ok(report) => failures += report.failed.len(),
            Err(_) => failures += 1,
        }
        let events: Vec<_> = std::iter::from_fn(|| feed.pop()).collect();
        collect(&mut got, events);
        sandbox.control().set_faults(FaultConfig::none()).unwrap();
        sandbox.control().advance_clock(STEP);
    }
    let events = poll(&mut feed).await;
    collect(&mut got, events);
    assert!(failures > 0, "the long bursts outlasted the retries");
    assert_lossless(&client, &got, t0(), sandbox.control().now()).await;
}

#[maybe]
#[case]
async fn feed_delivers_alert_events_once() {
    let sandbox = feed_sandbox();
    let client = sandbox_client(&sandbox);
    let ids = ["dev-01", "dev-02", "dev-03", "dev-04", "dev-05", "dev-06"];
    let mut feed = client
        .feed()
        .devices(ids)
        .since(t0())
        .alerts(true)
        .max_idle(Duration::ZERO)
        .build();
    let mut alerts: BTreeMap<String, Vec<AlertEvent>> = BTreeMap::new();
    for _ in 0..8 {
        let events = poll(&mut feed).await;
        for event in events {
            if let FeedEvent::Alert { device_id, alert } = event {
                alerts.entry(device_id).or_default().push(alert);
            }
        }
        sandbox.control().advance_clock(1800);
    }
    let end = sandbox.control().now();
    let events = poll(&mut feed).await;
    for event in events {
        if let FeedEvent::Alert { device_id, alert } = event {
            alerts.entry(device_id).or_default().push(alert);
        }
    }
    let mut total = 0;
    for id in ids {
        let expected = client.devices().alerts(id, t0(), end).await.unwrap();
        let delivered = alerts.get(id).cloned().unwrap_or_default();
        assert_eq!(delivered, expected, "device {id}");
        total += expected.len();
    }
    assert!(total > 0, "four hours of driving fire some alerts");
}

#[maybe]
#[case]
async fn feed_next_event_waits_for_new_fixes_on_the_interval() {
    let sandbox = feed_sandbox();
    let client = sandbox_client(&sandbox);
    let mut feed = client
        .feed()
        .devices(["dev-02"])
        .since(t0())
        .interval(Duration::from_millis(5))
        .max_idle(Duration::ZERO)
        .build();
    sandbox.control().advance_clock(STEP);
    let expected = client
        .devices()
        .locations("dev-02", t0(), sandbox.control().now())
        .await
        .unwrap();
    assert!(expected.len() > 2);
    let mut delivered = Vec::new();
    while delivered.len() < expected.len() {
        let event = feed.next_event().await.unwrap();
        delivered.push(event.location().cloned().unwrap());
    }
    assert_eq!(delivered, expected);
    assert_eq!(feed.pending(), 0);
}

#[maybe]
#[case]
async fn feed_pages_through_replies_cut_at_the_reply_cap() {
    over_the_cap(false).await;
}

#[maybe]
#[case]
async fn feed_narrows_ranges_the_server_refuses_as_too_large() {
    over_the_cap(true).await;
}

/// Three devices followed for hours through a sandbox whose replies hold at most 7 fixes
/// (cut there, or refused with 400 when `refuse`).
#[maybe]
async fn over_the_cap(refuse: bool) {
    let sandbox = sandbox_with(SandboxConfig {
        clock: Arc::new(ManualClock::new(t0())),
        max_records: 7,
        refuse_over_cap: refuse,
        ..SandboxConfig::default()
    });
    let client = sandbox_client(&sandbox);
    let ids = ["dev-02", "dev-03", "dev-05"];
    let mut feed = client
        .feed()
        .devices(ids)
        .since(t0())
        .max_idle(Duration::ZERO)
        .build();
    let mut got = ByDevice::new();
    for _ in 0..3 {
        let events = poll(&mut feed).await;
        collect(&mut got, events);
        sandbox.control().advance_clock(3 * STEP);
    }
    let events = poll(&mut feed).await;
    collect(&mut got, events);
    let end = sandbox.control().now();
    let mut total = 0;
    for id in ids {
        // The reference, read in slices that stay under the cap.
        let mut expected = Vec::new();
        let mut from = t0();
        while from < end {
            let until = (from + chrono::Duration::minutes(2)).min(end);
            let page = client.devices().locations(id, from, until).await.unwrap();
            expected.extend(
                page.into_iter()
                    .filter(|f| f.date_time < until || until == end),
            );
            from = until;
        }
        let delivered = got.get(id).cloned().unwrap_or_default();
        assert_eq!(delivered, expected, "device {id}");
        total += expected.len();
    }
    assert!(total > 3 * 7, "{total} fixes, well over the cap");
}

#[maybe]
#[case]
async fn feed_checks_quiet_devices_less_often_and_loses_nothing() {
    let sandbox = feed_sandbox();
    let client = sandbox_client(&sandbox);
    let mut feed = client
        .feed()
        .since(t0())
        .interval(Duration::from_secs(30))
        .max_idle(Duration::from_secs(600))
        .build();
    let mut got = ByDevice::new();
    let first = feed.poll_once().await.unwrap();
    assert_eq!(first.checked, 27);
    let events: Vec<_> = std::iter::from_fn(|| feed.pop()).collect();
    // Only the devices with a fix at the start point delivered something.
    let moved: std::collections::BTreeSet<_> =
        events.iter().map(|e| e.device_id().to_owned()).collect();
    collect(&mut got, events);
    // The server's clock has not moved: the quiet devices wait 2 × 30 s of server time
    // before their next check; only those that moved are asked again.
    let report = feed.poll_once().await.unwrap();
    assert_eq!(report.checked, moved.len(), "{report:?}");
    assert_eq!(report.fetched, 0);
    sandbox.control().advance_clock(61);
    let report = feed.poll_once().await.unwrap();
    assert_eq!(report.checked, 27, "due again after a minute");
    let events: Vec<_> = std::iter::from_fn(|| feed.pop()).collect();
    collect(&mut got, events);
    // Skipped checks only delay: after an hour, everything up to now has come.
    for _ in 0..6 {
        sandbox.control().advance_clock(STEP);
        let events = poll(&mut feed).await;
        collect(&mut got, events);
    }
    for _ in 0..3 {
        sandbox.control().advance_clock(300);
        let events = poll(&mut feed).await;
        collect(&mut got, events);
    }
    // The last check of a device may be up to 10 minutes old: compare up to then.
    let end = sandbox.control().now() - chrono::Duration::minutes(15);
    for list in got.values_mut() {
        list.retain(|f| f.date_time <= end);
    }
    assert_lossless(&client, &got, t0(), end).await;
}

#[maybe]
#[case]
async fn feed_catches_up_a_long_gap_over_several_bounded_polls() {
    let sandbox = feed_sandbox();
    let client = sandbox_client(&sandbox);
    let ids = ["dev-02", "dev-03"];
    // Two days behind, at most ~100 fixes per device per poll (whole one-day windows).
    sandbox.control().advance_clock(2 * 86_400);
    let mut feed = client
        .feed()
        .devices(ids)
        .since(t0())
        .max_per_poll(100)
        .max_idle(Duration::ZERO)
        .build();
    let mut got = ByDevice::new();
    let mut polls = 0;
    loop {
        let report = feed.poll_once().await.unwrap();
        assert!(report.failed.is_empty(), "{:?}", report.failed);
        polls += 1;
        let events: Vec<_> = std::iter::from_fn(|| feed.pop()).collect();
        collect(&mut got, events);
        if report.behind == 0 {
            break;
        }
        assert!(polls < 10, "caught up within a few polls");
    }
    assert!(polls >= 2, "the gap took more than one poll: {polls}");
    let end = sandbox.control().now();
    for id in ids {
        let mut expected = Vec::new();
        let mut from = t0();
        while from < end {
            let until = (from + chrono::Duration::hours(12)).min(end);
            let page = client.devices().locations(id, from, until).await.unwrap();
            expected.extend(
                page.into_iter()
                    .filter(|f| f.date_time < until || until == end),
            );
            from = until;
        }
        let delivered = got.get(id).cloned().unwrap_or_default();
        assert_eq!(delivered, expected, "device {id}");
    }
}
