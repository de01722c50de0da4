//! Time inputs in any chrono time zone: `locations`, `alerts`, the queries and the history
//! builders take `DateTime<FixedOffset>` and `DateTime<Local>` as well as `DateTime<Utc>`,
//! through the `chrono` the client crate re-exports, and give the same fixes and alerts.

use crate::support::*;
use crate::{case, maybe};
use plaspy_types::endpoints::{QueryAlerts, QueryLocations};

// The client crate's own re-exports: a user needs no `chrono` dependency of their own.
use sdk::chrono::{DateTime, Duration, FixedOffset, Local, TimeZone, Utc};
use sdk::time::{DayBound, parse_time};
use sdk::{AlertsQuery, LocationsQuery};

/// Bogotá, where the sandbox fleet drives (UTC-5, no daylight saving time).
fn bogota() -> FixedOffset {
    FixedOffset::west_opt(5 * 3600).unwrap()
}

/// 2025-03-04 in Bogotá, from midnight to 18:00: a fixed past day (seed 42 has alerts of
/// every kind on it), so what it holds does not depend on when the test runs.
fn bogota_day() -> (DateTime<FixedOffset>, DateTime<FixedOffset>) {
    let from = bogota().with_ymd_and_hms(2025, 3, 4, 0, 0, 0).unwrap();
    let to = bogota().with_ymd_and_hms(2025, 3, 4, 18, 0, 0).unwrap();
    (from, to)
}

#[maybe]
#[case]
async fn locations_and_alerts_take_any_time_zone() {
    let sandbox = sandbox();
    let client = sandbox_client(&sandbox);
    let (from, to) = bogota_day();
    let (utc_from, utc_to): (DateTime<Utc>, DateTime<Utc>) = (from.into(), to.into());
    assert_eq!(utc_from, at("2025-03-04T05:00:00Z"));

    // The device with the most alerts that day, asked in UTC.
    let mut busiest = None;
    for device in client.devices().list().await.unwrap() {
        let alerts = client
            .devices()
            .alerts(device.id(), utc_from, utc_to)
            .await
            .unwrap();
        if busiest
            .as_ref()
            .is_none_or(|(_, most): &(String, Vec<_>)| alerts.len() > most.len())
        {
            busiest = Some((device.id().to_owned(), alerts));
        }
    }
    let (id, utc_alerts) = busiest.unwrap();
    assert!(!utc_alerts.is_empty());
    let utc_fixes = client
        .devices()
        .locations(&id, utc_from, utc_to)
        .await
        .unwrap();
    assert!(utc_fixes.len() > 10, "{}", utc_fixes.len());

    // The same instants written in Bogotá time, in Kolkata time (+05:30) and in the
    // machine's local time give the very same fixes and alerts.
    let kolkata = FixedOffset::east_opt(5 * 3600 + 1800).unwrap();
    let zones: [(&str, DateTime<FixedOffset>, DateTime<FixedOffset>); 2] = [
        ("Bogotá", from, to),
        (
            "Kolkata",
            from.with_timezone(&kolkata),
            to.with_timezone(&kolkata),
        ),
    ];
    for (zone, from, to) in zones {
        let fixes = client.devices().locations(&id, from, to).await.unwrap();
        assert_eq!(fixes, utc_fixes, "{zone}");
        let alerts = client.devices().alerts(&id, from, to).await.unwrap();
        assert_eq!(alerts, utc_alerts, "{zone}");
    }
    let (local_from, local_to): (DateTime<Local>, DateTime<Local>) =
        (from.with_timezone(&Local), to.with_timezone(&Local));
    let fixes = client
        .devices()
        .locations(&id, local_from, local_to)
        .await
        .unwrap();
    assert_eq!(fixes, utc_fixes, "Local");
    let alerts = client
        .devices()
        .alerts(&id, local_from, local_to)
        .await
        .unwrap();
    assert_eq!(alerts, utc_alerts, "Local");

    // A shifted range really moves: one hour later in Bogotá is not the same reply.
    let later = client
        .devices()
        .locations(&id, from + Duration::hours(1), to)
        .await
        .unwrap();
    assert!(
        later.len() < utc_fixes.len(),
        "{} vs {}",
        later.len(),
        utc_fixes.len()
    );

    // The full queries take any zone too.
    let query = LocationsQuery::new(local_from, to);
    let fixes = client
        .execute(&QueryLocations {
            id: &id,
            query: &query,
        })
        .await
        .unwrap();
    assert_eq!(fixes, utc_fixes, "LocationsQuery");
}

#[maybe]
#[case]
async fn alert_name_filter_and_history_take_any_time_zone() {
    let sandbox = sandbox();
    let client = sandbox_client(&sandbox);
    let (from, to) = bogota_day();

    // The first device with a named alert that day.
    let mut found = None;
    for device in client.devices().list().await.unwrap() {
        let alerts = client
            .devices()
            .alerts(device.id(), from, to)
            .await
            .unwrap();
        if let Some(name) = alerts
            .iter()
            .find_map(|a| a.alerts.as_ref()?.first().cloned())
        {
            found = Some((device.id().to_owned(), alerts, name));
            break;
        }
    }
    let (id, all, name) = found.expect("a device has a named alert that day");
    let id = id.as_str();
    let named = |a: &sdk::AlertEvent| a.alerts.as_ref().is_some_and(|n| n.contains(&name));
    let expected: Vec<_> = all.iter().filter(|a| named(a)).cloned().collect();
    assert!(!expected.is_empty());

    // The name filter through the query builder, with local times.
    let query =
        AlertsQuery::new(from.with_timezone(&Local), to.with_timezone(&Local)).name(name.as_str());
    assert_eq!(query.alert_name.as_deref(), Some(name.as_str()));
    let filtered = client
        .execute(&QueryAlerts { id, query: &query })
        .await
        .unwrap();
    assert_eq!(filtered, expected);

    // An empty name is no filter.
    let unfiltered = client
        .execute(&QueryAlerts {
            id,
            query: &AlertsQuery::new(from, to).name(""),
        })
        .await
        .unwrap();
    assert_eq!(unfiltered, all);

    // The same over the any-range history, with and without the name.
    let history = client
        .devices()
        .alert_history(id, from, to)
        .name(name.as_str())
        .all()
        .await
        .unwrap();
    assert_eq!(history, expected);
    let history = client
        .devices()
        .alert_history(id, from, to)
        .all()
        .await
        .unwrap();
    assert_eq!(history, all);
}

#[maybe]
#[case]
async fn times_parsed_with_the_sdk_parser_query_the_same_range() {
    let sandbox = sandbox();
    let client = sandbox_client(&sandbox);
    let (from, to) = bogota_day();
    let now = sandbox.control().now();

    let parsed_from = parse_time("2025-03-04 00:00:00-05:00", now, DayBound::Start).unwrap();
    let parsed_to = parse_time("2025-03-04T23:00:00Z", now, DayBound::End).unwrap();
    assert_eq!(parsed_from, from);
    assert_eq!(parsed_to, to);
    let parsed = client
        .devices()
        .locations("dev-02", parsed_from, parsed_to)
        .await
        .unwrap();
    let expected = client
        .devices()
        .locations("dev-02", from, to)
        .await
        .unwrap();
    assert!(!expected.is_empty());
    assert_eq!(parsed, expected);

    // A plain date as an end is the whole UTC day.
    let day_end = parse_time("2025-03-04", now, DayBound::End).unwrap();
    assert_eq!(day_end, at("2025-03-04T23:59:59.999Z"));

    // Bad input is a clear invalid-input error naming it, before any request.
    let error = parse_time("next tuesday", now, DayBound::Start).unwrap_err();
    assert!(matches!(error, Error::InvalidInput { .. }), "{error:?}");
    assert!(error.to_string().contains("`next tuesday`"), "{error}");
}
