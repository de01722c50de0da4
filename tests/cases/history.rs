//! Positions and alerts over any range, and the reports on top, against the sandbox (which
//! refuses ranges over 31 days and caps replies).

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use plaspy_types::history::HistoryLimits;
use plaspy_types::{AlertEvent, Location};

use crate::support::*;
use crate::{case, maybe};

/// A fixed past range, so the data do not depend on when the test runs.
fn start() -> DateTime<Utc> {
    at("2025-01-10T00:00:00Z")
}

/// The same span fetched by hand with separate queries of at most 31 days, keyed by time.
#[maybe]
async fn by_hand(
    client: &Client,
    id: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<Location> {
    let mut seen: BTreeMap<DateTime<Utc>, Location> = BTreeMap::new();
    let mut a = from;
    while a < to {
        let b = (a + Duration::days(31)).min(to);
        let part = client.devices().locations(id, a, b).await.unwrap();
        for fix in part {
            seen.insert(fix.date_time, fix);
        }
        a = b;
    }
    seen.into_values().collect()
}

fn assert_strictly_increasing(fixes: &[Location]) {
    for pair in fixes.windows(2) {
        assert!(
            pair[0].date_time < pair[1].date_time,
            "{} then {}",
            pair[0].date_time,
            pair[1].date_time
        );
    }
}

#[maybe]
#[case]
async fn seventy_five_days_equal_separate_31_day_queries() {
    let sandbox = sandbox();
    let client = sandbox_client(&sandbox);
    let (from, to) = (start(), start() + Duration::days(75));

    let history = client.devices().location_history("dev-02", from, to);
    assert_eq!(history.request_count().unwrap(), 3);
    let all = history.all().await.unwrap();
    let expected = by_hand(&client, "dev-02", from, to).await;
    assert!(all.len() > 1000, "{} fixes", all.len());
    assert_strictly_increasing(&all);
    assert_eq!(all.len(), expected.len());
    assert!(
        all == expected,
        "the merged history differs from the separate queries"
    );
}

#[maybe]
#[case]
async fn pages_arrive_window_by_window_in_order() {
    let sandbox = sandbox();
    let client = sandbox_client(&sandbox);
    let (from, to) = (start(), start() + Duration::days(9));
    let limits = HistoryLimits::default().with_max_window(Duration::days(2));
    let mut pages = client
        .devices()
        .location_history("dev-02", from, to)
        .limits(limits)
        .concurrency(3)
        .pages();
    let mut sizes = Vec::new();
    let mut all: Vec<Location> = Vec::new();
    while let Some(page) = pages.next_page().await {
        let page = page.unwrap();
        sizes.push(page.len());
        all.extend(page);
    }
    assert_eq!(sizes.len(), 5, "one page per 2-day window: {sizes:?}");
    assert_strictly_increasing(&all);
    let direct = client
        .devices()
        .locations("dev-02", from, to)
        .await
        .unwrap();
    assert!(
        all == direct,
        "{} paged vs {} direct",
        all.len(),
        direct.len()
    );
}

#[maybe]
#[case]
async fn a_window_at_the_reply_cap_is_split_and_nothing_is_lost() {
    let sandbox = sandbox();
    let client = sandbox_client(&sandbox);
    let (from, to) = (start(), start() + Duration::days(3));
    let direct = client
        .devices()
        .locations("dev-02", from, to)
        .await
        .unwrap();
    assert!(direct.len() > 500, "{}", direct.len());

    // A cap far below what a 3-day window holds: windows are halved until under it.
    let limits = HistoryLimits::default().with_reply_cap(100);
    let mut pages = client
        .devices()
        .location_history("dev-02", from, to)
        .limits(limits)
        .pages();
    let mut all: Vec<Location> = Vec::new();
    let mut count = 0;
    while let Some(page) = pages.next_page().await {
        let page = page.unwrap();
        assert!(
            page.len() < 100,
            "a page at the cap was delivered: {}",
            page.len()
        );
        all.extend(page);
        count += 1;
    }
    assert!(count >= direct.len() / 100, "{count} pages");
    assert_strictly_increasing(&all);
    assert!(
        all == direct,
        "{} split vs {} direct",
        all.len(),
        direct.len()
    );
}

#[maybe]
#[case]
async fn a_window_refused_as_too_long_is_split() {
    let sandbox = sandbox();
    let client = sandbox_client(&sandbox);
    let (from, to) = (start(), start() + Duration::days(40));
    // Windows of 40 days: the sandbox refuses them (31 days at most), so the SDK halves them.
    let limits = HistoryLimits::default().with_max_window(Duration::days(40));
    let history = client
        .devices()
        .location_history("dev-05", from, to)
        .limits(limits);
    assert_eq!(history.request_count().unwrap(), 1);
    let all = history.all().await.unwrap();
    let expected = by_hand(&client, "dev-05", from, to).await;
    assert_strictly_increasing(&all);
    assert!(all == expected, "{} vs {}", all.len(), expected.len());
}

#[maybe]
#[case]
async fn a_range_past_the_maximum_is_refused_before_any_request() {
    let sandbox = sandbox();
    let client = sandbox_client(&sandbox);
    let (from, to) = (start(), start() + Duration::days(3650));
    let history = client.devices().location_history("dev-02", from, to);
    let err = history.request_count().unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
    assert!(err.to_string().contains("maximum range"), "{err}");
    let err = history.all().await.unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
    // The maximum can be raised; this is a cheap way to see it is: count only.
    let wide = HistoryLimits::default().with_max_range(Duration::days(4000));
    let count = client
        .devices()
        .location_history("dev-02", from, to)
        .limits(wide)
        .request_count();
    assert_eq!(count.unwrap(), 118);
}

#[maybe]
#[case]
async fn other_errors_end_the_history() {
    let sandbox = sandbox();
    let client = sandbox_client(&sandbox);
    let err = client
        .devices()
        .location_history("no-such-device", start(), start() + Duration::days(40))
        .all()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
}

#[maybe]
#[case]
async fn alerts_over_a_long_range_have_no_boundary_duplicates() {
    let sandbox = sandbox();
    let client = sandbox_client(&sandbox);
    let (from, to) = (start(), start() + Duration::days(45));
    let limits = HistoryLimits::default().with_max_window(Duration::days(5));
    let all = client
        .devices()
        .alert_history("dev-02", from, to)
        .limits(limits)
        .all()
        .await
        .unwrap();
    let mut expected: Vec<AlertEvent> = Vec::new();
    let mut a = from;
    while a < to {
        let b = (a + Duration::days(31)).min(to);
        let part = client.devices().alerts("dev-02", a, b).await.unwrap();
        // Drop what the previous query returned at the shared instant.
        expected.extend(part.into_iter().filter(|e| a == from || e.date_time > a));
        a = b;
    }
    assert!(!expected.is_empty());
    for pair in all.windows(2) {
        assert!(pair[0].date_time <= pair[1].date_time);
    }
    assert_eq!(all.len(), expected.len());
}

// ---- reports ----------------------------------------------------------------------------

/// Trips straight from the definition, independently of plaspy-fleet: moving above
/// 3 km/h, runs joined across standstills shorter than 5 minutes, departure fix to arrival
/// fix, great-circle distance. Returns (trip count, total km).
fn reference_trips(fixes: &[Location]) -> (usize, f64) {
    let moving: Vec<bool> = fixes.iter().map(|f| f.speed.unwrap_or(0.0) > 3.0).collect();
    let mut trips: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < fixes.len() {
        if !moving[i] {
            i += 1;
            continue;
        }
        let first = i;
        while i + 1 < fixes.len() && moving[i + 1] {
            i += 1;
        }
        let (dep, arr) = (first.saturating_sub(1), (i + 1).min(fixes.len() - 1));
        i += 1;
        match trips.last_mut() {
            Some(prev) if fixes[dep].date_time - fixes[prev.1].date_time < Duration::minutes(5) => {
                prev.1 = arr
            }
            _ => trips.push((dep, arr)),
        }
    }
    let km = trips
        .iter()
        .map(|&(d, a)| {
            fixes[d..=a]
                .windows(2)
                .map(|w| {
                    plaspy_fleet::great_circle_km(
                        w[0].latitude,
                        w[0].longitude,
                        w[1].latitude,
                        w[1].longitude,
                    )
                })
                .sum::<f64>()
        })
        .sum();
    (trips.len(), km)
}

#[maybe]
#[case]
async fn reports_agree_with_the_definition_on_three_days_of_sandbox_data() {
    let sandbox = sandbox();
    let client = sandbox_client(&sandbox);
    let (from, to) = (start(), start() + Duration::days(3));
    for id in ["dev-01", "dev-02", "dev-07"] {
        let raw = client.devices().locations(id, from, to).await.unwrap();
        let (count, km) = reference_trips(&raw);
        assert!(count > 0, "{id} never drove");

        let trips = client.devices().trips(id, from, to).await.unwrap();
        assert_eq!(trips.len(), count, "{id}");
        let total: f64 = trips.iter().map(|t| t.distance_km).sum();
        assert!(
            (total - km).abs() <= 0.03 * km,
            "{id}: {total} km vs {km} km"
        );
        assert!(trips.iter().all(|t| t.device_id == id && t.end > t.start));

        let stops = client.devices().stops(id, from, to).await.unwrap();
        for (trip, next) in trips.iter().zip(trips.iter().skip(1)) {
            assert!(
                stops
                    .iter()
                    .any(|s| s.start == trip.end && s.end == next.start),
                "{id}: no stop between trips"
            );
        }

        let days = client.devices().summary(id, from, to).await.unwrap();
        assert!((3..=4).contains(&days.len()), "{id}: {} days", days.len());
        let day_km: f64 = days.iter().map(|d| d.distance_km).sum();
        assert!(
            (day_km - total).abs() < 1e-6,
            "{id}: days {day_km} vs trips {total}"
        );
        let day_trips: usize = days.iter().map(|d| d.trips).sum();
        assert_eq!(day_trips, trips.len());
        let day_secs: i64 = days.iter().map(|d| d.driving_seconds).sum();
        let trip_secs: i64 = trips.iter().map(|t| t.duration_seconds).sum();
        assert_eq!(day_secs, trip_secs, "{id}");
    }
}

#[maybe]
#[case]
async fn report_over_a_long_range_uses_the_windows() {
    let sandbox = sandbox();
    let client = sandbox_client(&sandbox);
    let (from, to) = (start(), start() + Duration::days(6));
    let limits = HistoryLimits::default().with_max_window(Duration::days(1));
    let report = client
        .devices()
        .report("dev-02", from, to)
        .limits(limits)
        .concurrency(2);
    assert_eq!(report.request_count().unwrap(), 6);
    let windowed = report.analyze().await.unwrap();
    let raw = client
        .devices()
        .locations("dev-02", from, to)
        .await
        .unwrap();
    let direct = plaspy_fleet::analyze("dev-02", &raw, &plaspy_fleet::ReportOptions::default());
    assert_eq!(
        windowed.cleaning.duplicates, 0,
        "no boundary fix counted twice"
    );
    assert_eq!(windowed.trips, direct.trips);
    assert_eq!(windowed.stops, direct.stops);
}
