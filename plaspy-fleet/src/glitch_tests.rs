//! Reports on glitchy fixes: (0,0), runs of impossible jumps, duplicates at one instant.

use chrono::{DateTime, Duration, TimeZone, Utc};
use plaspy_types::Location;
use proptest::prelude::*;

use crate::{ReportOptions, analyze};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 6, 1, 8, 0, 0).unwrap()
}

/// A fix `min` minutes after 08:00, `north_m` metres north of a point in Bogotá, no speed.
fn bare(min: i64, north_m: f64) -> Location {
    Location::new(
        t0() + Duration::minutes(min),
        4.6 + north_m / 111_195.0,
        -74.08,
    )
}

/// Parked 5 min, 10 min at 60 km/h, parked 5 min: one fix a minute, no speed field.
fn trip_without_speeds() -> Vec<Location> {
    let mut out = Vec::new();
    let mut m = 0.0;
    for min in 0..20 {
        if (5..15).contains(&min) {
            m += 1000.0;
        }
        out.push(bare(min, m));
    }
    out
}

#[test]
fn null_island_fixes_are_invalid() {
    let mut fixes = trip_without_speeds();
    for i in [3, 8, 9] {
        fixes[i].latitude = 0.0;
        fixes[i].longitude = 0.0;
    }
    let a = analyze("d", &fixes, &ReportOptions::default());
    assert_eq!(a.cleaning.invalid, 3, "{:?}", a.cleaning);
    assert_eq!(a.cleaning.used, 17);
    assert_eq!(a.trips.len(), 1);
    assert!(a.trips[0].max_speed_kmh <= 61.0, "{:?}", a.trips[0]);
}

#[test]
fn a_run_of_jumps_without_speeds_is_set_aside() {
    let mut fixes = trip_without_speeds();
    // Three fixes in a row, 500 km away: each agrees with its neighbours in the run.
    for i in [7, 8, 9] {
        fixes[i].latitude += 4.5;
    }
    let a = analyze("d", &fixes, &ReportOptions::default());
    assert_eq!(a.cleaning.jumps, 3, "{:?}", a.cleaning);
    assert_eq!(a.trips.len(), 1, "{:?}", a.trips);
    let trip = &a.trips[0];
    assert!(trip.max_speed_kmh <= 300.0, "{trip:?}");
    assert!((trip.distance_km - 10.0).abs() < 0.05, "{trip:?}");
}

#[test]
fn a_run_of_jumps_at_the_start_is_set_aside() {
    let mut fixes = trip_without_speeds();
    for f in fixes.iter_mut().take(2) {
        f.longitude += 3.0;
    }
    let a = analyze("d", &fixes, &ReportOptions::default());
    assert_eq!(a.cleaning.jumps, 2, "{:?}", a.cleaning);
    assert_eq!(a.trips.len(), 1);
    assert!(a.trips[0].max_speed_kmh <= 300.0);
}

#[test]
fn a_duplicate_at_one_instant_keeps_the_plausible_fix() {
    let fixes = trip_without_speeds();
    let mut glitchy = fixes.clone();
    // Before the real fix at 10 min (so first after a stable sort), a fix 200 km away.
    let mut ghost = fixes[10].clone();
    ghost.latitude += 1.8;
    glitchy.insert(10, ghost);
    let a = analyze("d", &glitchy, &ReportOptions::default());
    let clean = analyze("d", &fixes, &ReportOptions::default());
    assert_eq!(a.cleaning.duplicates, 1, "{:?}", a.cleaning);
    assert_eq!(a.cleaning.jumps, 0, "{:?}", a.cleaning);
    assert_eq!(a.trips, clean.trips);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Whatever the glitches, no trip is faster, on average or at most, than the limit.
    #[test]
    fn no_trip_is_faster_than_the_plausible_limit(
        steps in proptest::collection::vec(
            (1i64..600, -0.05f64..0.05, -0.05f64..0.05, any::<bool>(), proptest::option::of(0.0f64..2_000.0)),
            2..120,
        ),
    ) {
        let mut t = t0();
        let (mut lat, mut lon) = (4.6, -74.08);
        let mut fixes = Vec::new();
        for (secs, dlat, dlon, glitch, speed) in steps {
            t += Duration::seconds(secs);
            lat += dlat;
            lon += dlon;
            let mut f = if glitch {
                Location::new(t, lat + dlat * 100.0, lon - dlon * 100.0)
            } else {
                Location::new(t, lat, lon)
            };
            f.speed = speed;
            fixes.push(f);
        }
        let options = ReportOptions::default();
        let a = analyze("d", &fixes, &options);
        for trip in &a.trips {
            prop_assert!(trip.max_speed_kmh <= options.max_plausible_speed_kmh, "{trip:?}");
            prop_assert!(trip.avg_speed_kmh <= options.max_plausible_speed_kmh, "{trip:?}");
        }
    }
}
