//! Edge cases of the report definitions.

use chrono::{DateTime, Duration, FixedOffset, TimeZone, Utc};
use plaspy_types::Location;

use crate::{ReportOptions, analyze, daily_summary, great_circle_km};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 6, 1, 8, 0, 0).unwrap()
}

/// A fix `min` minutes after 08:00, `north_m` metres north of a point in Bogotá.
fn fix(min: i64, north_m: f64, speed: f64) -> Location {
    let mut l = Location::new(
        t0() + Duration::minutes(min),
        4.6 + north_m / 111_195.0,
        -74.08,
    );
    l.speed = Some(speed);
    l
}

/// Standing `before` minutes, driving `driving` minutes at 60 km/h (1 km a minute), standing
/// `after` minutes; one fix a minute. Returns the fixes and the end position (m).
fn drive(
    start_min: i64,
    start_m: f64,
    before: i64,
    driving: i64,
    after: i64,
) -> (Vec<Location>, f64) {
    let mut out = Vec::new();
    let mut m = start_m;
    let mut min = start_min;
    for _ in 0..before {
        out.push(fix(min, m, 0.0));
        min += 1;
    }
    for _ in 0..driving {
        m += 1000.0;
        out.push(fix(min, m, 60.0));
        min += 1;
    }
    for _ in 0..after {
        out.push(fix(min, m, 0.0));
        min += 1;
    }
    (out, m)
}

fn opts() -> ReportOptions {
    ReportOptions::default()
}

#[test]
fn one_trip_from_departure_fix_to_arrival_fix() {
    let (fixes, _) = drive(0, 0.0, 10, 10, 10);
    let a = analyze("dev-01", &fixes, &opts());
    assert_eq!(a.trips.len(), 1);
    let t = &a.trips[0];
    // Departure: the last standing fix (minute 9); arrival: first standing one after (minute 20).
    assert_eq!(t.start, t0() + Duration::minutes(9));
    assert_eq!(t.end, t0() + Duration::minutes(20));
    assert_eq!(t.duration_seconds, 11 * 60);
    assert_eq!(t.fixes, 12);
    // Ten 1 km legs; the arrival fix is at the last moving fix's place.
    assert!((t.distance_km - 10.0).abs() < 0.01, "{}", t.distance_km);
    assert_eq!(t.max_speed_kmh, 60.0);
    assert!((t.avg_speed_kmh - 10.0 / (11.0 / 60.0)).abs() < 0.1);
    assert!(!t.starts_mid_trip && !t.ends_mid_trip);
    assert_eq!(t.start_latitude, fixes[9].latitude);
    let track = a.trip_track(0);
    assert_eq!(track.len(), t.fixes);
    assert_eq!(
        (track[0].time, track[track.len() - 1].time),
        (t.start, t.end)
    );
    assert!(a.trip_track(1).is_empty());
    assert_eq!(t.end_latitude, fixes[20].latitude);
    // Stops: before (open) and after (open).
    assert_eq!(a.stops.len(), 2);
    assert!(a.stops[0].starts_mid_stop && !a.stops[0].ends_mid_stop);
    assert_eq!(a.stops[0].end, t.start);
    assert_eq!(a.stops[1].start, t.end);
    assert!(a.stops[1].ends_mid_stop);
    assert_eq!(a.stops[1].latitude, t.end_latitude);
}

#[test]
fn short_standstill_joins_runs_long_one_splits_them() {
    // 4 standing fixes (minutes 20..=23) between runs: arrival at 20, departure at 23: 3 min.
    let (mut fixes, m) = drive(0, 0.0, 5, 10, 0);
    let (more, _) = drive(15, m, 4, 10, 5);
    fixes.extend(more);
    let joined = analyze("d", &fixes, &opts());
    assert_eq!(joined.trips.len(), 1);
    assert!((joined.trips[0].distance_km - 20.0).abs() < 0.02);
    assert_eq!(joined.stops.len(), 2, "only the open stops at both ends");

    // Same data with a 2-minute minimum stop: two trips, one stop of 3 minutes between.
    let two = analyze(
        "d",
        &fixes,
        &ReportOptions {
            min_stop: Duration::minutes(2),
            ..opts()
        },
    );
    assert_eq!(two.trips.len(), 2);
    assert_eq!(two.stops.len(), 3);
    let between = &two.stops[1];
    assert_eq!(between.start, two.trips[0].end);
    assert_eq!(between.end, two.trips[1].start);
    assert_eq!(between.duration_seconds, 180);
    assert!(!between.starts_mid_stop && !between.ends_mid_stop);
    let total: f64 = two.trips.iter().map(|t| t.distance_km).sum();
    assert!((total - 20.0).abs() < 0.02);
}

#[test]
fn moving_threshold_is_a_parameter() {
    let (fixes, _) = drive(0, 0.0, 3, 5, 3);
    let slow = ReportOptions {
        thresholds: crate::Thresholds::default().with_moving_speed_kmh(60.5), // 60 is below it
        ..opts()
    };
    let a = analyze("d", &fixes, &slow);
    assert!(a.trips.is_empty());
    assert_eq!(a.stops.len(), 1);
    // Just under the default threshold is not moving; at it, it is (the fleet domain's one
    // definition: at or above the moving speed).
    let mut crawl = fixes.clone();
    for f in &mut crawl {
        f.speed = Some(2.9);
    }
    assert!(analyze("d", &crawl, &opts()).trips.is_empty());
    assert!(crate::Thresholds::default().is_moving(3.0));
}

#[test]
fn range_starting_mid_trip() {
    let (fixes, _) = drive(0, 0.0, 0, 5, 6);
    let a = analyze("d", &fixes, &opts());
    assert_eq!(a.trips.len(), 1);
    let t = &a.trips[0];
    assert!(t.starts_mid_trip && !t.ends_mid_trip);
    assert_eq!(
        t.start, fixes[0].date_time,
        "departs at the first fix there is"
    );
    assert!((t.distance_km - 4.0).abs() < 0.01);
    assert_eq!(a.stops.len(), 1, "no stop before the trip");
    assert!(a.stops[0].ends_mid_stop);
}

#[test]
fn range_ending_mid_trip() {
    let (fixes, _) = drive(0, 0.0, 6, 5, 0);
    let a = analyze("d", &fixes, &opts());
    assert_eq!(a.trips.len(), 1);
    let t = &a.trips[0];
    assert!(!t.starts_mid_trip && t.ends_mid_trip);
    assert_eq!(t.end, fixes.last().unwrap().date_time);
    assert!((t.distance_km - 5.0).abs() < 0.01);
    assert_eq!(a.stops.len(), 1);
    assert!(a.stops[0].starts_mid_stop);
}

#[test]
fn all_moving_is_one_open_trip_and_no_stop() {
    let (fixes, _) = drive(0, 0.0, 0, 8, 0);
    let a = analyze("d", &fixes, &opts());
    assert_eq!(a.trips.len(), 1);
    assert!(a.trips[0].starts_mid_trip && a.trips[0].ends_mid_trip);
    assert!(a.stops.is_empty());
}

#[test]
fn gps_jump_while_parked_is_set_aside() {
    let (mut fixes, _) = drive(0, 0.0, 20, 0, 0);
    // One fix 80 km away, reported standing, between two fixes a minute apart.
    fixes[10].latitude += 80.0 / 111.195;
    let a = analyze("d", &fixes, &opts());
    assert_eq!(a.cleaning.jumps, 1);
    assert_eq!(a.cleaning.used, 19);
    assert!(a.trips.is_empty(), "{:?}", a.trips);
    assert_eq!(a.stops.len(), 1);
}

#[test]
fn gps_jump_during_a_trip_does_not_inflate_the_distance() {
    let (mut fixes, _) = drive(0, 0.0, 3, 10, 3);
    fixes[8].longitude += 1.0; // about 111 km east, for one fix
    let a = analyze("d", &fixes, &opts());
    assert_eq!(a.cleaning.jumps, 1);
    assert_eq!(a.trips.len(), 1);
    assert!(
        (a.trips[0].distance_km - 10.0).abs() < 0.02,
        "{}",
        a.trips[0].distance_km
    );
}

#[test]
fn gps_jump_at_either_end_is_set_aside() {
    let (mut fixes, _) = drive(0, 0.0, 5, 0, 0);
    fixes[0].latitude += 1.0;
    fixes[4].latitude -= 1.0;
    let a = analyze("d", &fixes, &opts());
    assert_eq!(a.cleaning.jumps, 2);
    assert_eq!(a.stops.len(), 1);
    assert_eq!(a.stops[0].start, fixes[1].date_time);
    assert_eq!(a.stops[0].end, fixes[3].date_time);
}

#[test]
fn absurd_reported_speed_is_replaced_by_the_implied_one() {
    let (mut fixes, _) = drive(0, 0.0, 10, 0, 0);
    fixes[5].speed = Some(9_999.0);
    let a = analyze("d", &fixes, &opts());
    assert!(a.trips.is_empty());
    assert_eq!(a.daily(&Utc)[0].max_speed_kmh, 0.0);
}

#[test]
fn out_of_order_fixes_give_the_same_report() {
    let (mut fixes, m) = drive(0, 0.0, 6, 10, 6);
    let (more, _) = drive(22, m, 4, 7, 8);
    fixes.extend(more);
    let sorted = analyze("d", &fixes, &opts());
    assert!(!sorted.cleaning.reordered);
    let mut shuffled = fixes.clone();
    shuffled.reverse();
    shuffled.swap(3, 17);
    let a = analyze("d", &shuffled, &opts());
    assert!(a.cleaning.reordered);
    assert_eq!(a.trips, sorted.trips);
    assert_eq!(a.stops, sorted.stops);
    assert_eq!(a.trips.len(), 2);
}

#[test]
fn duplicate_fixes_count_once() {
    let (fixes, _) = drive(0, 0.0, 6, 10, 6);
    let once = analyze("d", &fixes, &opts());
    let twice: Vec<Location> = fixes.iter().flat_map(|f| [f.clone(), f.clone()]).collect();
    let a = analyze("d", &twice, &opts());
    assert_eq!(a.cleaning.duplicates, fixes.len());
    assert_eq!(a.cleaning.used, fixes.len());
    assert_eq!(a.trips, once.trips);
    assert_eq!(a.stops, once.stops);
    // Duplicates at window boundaries arriving out of order too.
    let mut messy = twice.clone();
    messy.reverse();
    assert_eq!(analyze("d", &messy, &opts()).trips, once.trips);
}

#[test]
fn a_device_with_no_fixes() {
    let a = analyze("d", &[], &opts());
    assert!(a.trips.is_empty() && a.stops.is_empty());
    assert_eq!(a.cleaning.input, 0);
    assert!(a.daily(&Utc).is_empty());
}

#[test]
fn a_single_fix() {
    let standing = [fix(0, 0.0, 0.0)];
    let a = analyze("d", &standing, &opts());
    assert!(a.trips.is_empty());
    assert_eq!(a.stops.len(), 1);
    assert_eq!(a.stops[0].duration_seconds, 0);
    assert!(a.stops[0].starts_mid_stop && a.stops[0].ends_mid_stop);
    let days = a.daily(&Utc);
    assert_eq!(days.len(), 1);
    assert_eq!(
        (days[0].fixes, days[0].trips, days[0].driving_seconds),
        (1, 0, 0)
    );
    assert_eq!(days[0].first_fix, days[0].last_fix);

    let moving = [fix(0, 0.0, 50.0)];
    let a = analyze("d", &moving, &opts());
    assert!(a.trips.is_empty(), "a single fix has no extent: no trip");
    assert!(a.stops.is_empty(), "nor is a moving fix a stop");
    assert_eq!(a.daily(&Utc)[0].max_speed_kmh, 50.0);
}

#[test]
fn invalid_positions_are_counted_not_used() {
    let (mut fixes, _) = drive(0, 0.0, 5, 0, 0);
    fixes[2].latitude = f64::NAN;
    fixes[3].longitude = 200.0;
    let a = analyze("d", &fixes, &opts());
    assert_eq!(a.cleaning.invalid, 2);
    assert_eq!(a.cleaning.used, 3);
}

#[test]
fn missing_speed_is_implied_from_positions() {
    let (mut fixes, _) = drive(0, 0.0, 3, 5, 3);
    for f in &mut fixes {
        f.speed = None;
    }
    let a = analyze("d", &fixes, &opts());
    assert_eq!(a.trips.len(), 1);
    assert!((a.trips[0].max_speed_kmh - 60.0).abs() < 0.5);
    assert!((a.trips[0].distance_km - 5.0).abs() < 0.01);
}

#[test]
fn odometer_delta_when_reported() {
    let (mut fixes, _) = drive(0, 0.0, 3, 5, 3);
    assert_eq!(analyze("d", &fixes, &opts()).trips[0].mileage_delta, None);
    for (i, f) in fixes.iter_mut().enumerate() {
        f.mileage = Some(1000.0 + i as f64);
    }
    // Trip: fixes 2 (departure) ..= 8 (arrival).
    assert_eq!(
        analyze("d", &fixes, &opts()).trips[0].mileage_delta,
        Some(6.0)
    );
    // An odometer that went backwards (reset) gives no delta rather than a negative one.
    fixes[8].mileage = Some(3.0);
    assert_eq!(analyze("d", &fixes, &opts()).trips[0].mileage_delta, None);
}

#[test]
fn days_add_up_to_the_trips_across_midnight() {
    // A trip from 23:50 to 00:10 UTC.
    let start = Utc.with_ymd_and_hms(2024, 6, 1, 23, 45, 0).unwrap();
    let (mut fixes, _) = drive(0, 0.0, 5, 20, 5);
    for (i, f) in fixes.iter_mut().enumerate() {
        f.date_time = start + Duration::minutes(i as i64);
    }
    let a = analyze("d", &fixes, &opts());
    assert_eq!(a.trips.len(), 1);
    let days = a.daily(&Utc);
    assert_eq!(days.len(), 2);
    assert_eq!(days[0].date.to_string(), "2024-06-01");
    assert_eq!((days[0].trips, days[1].trips), (1, 0));
    let km: f64 = days.iter().map(|d| d.distance_km).sum();
    assert!((km - a.trips[0].distance_km).abs() < 1e-9);
    let secs: i64 = days.iter().map(|d| d.driving_seconds).sum();
    assert_eq!(secs, a.trips[0].duration_seconds);
    // Departure 23:49, so 11 one-minute segments start on June 1st.
    assert_eq!(days[0].driving_seconds, 11 * 60);
    assert_eq!(days[0].first_fix, start);
    assert_eq!(days[1].last_fix, fixes.last().unwrap().date_time);

    // In UTC-5 (Bogotá) the whole trip is on June 1st.
    let bogota = FixedOffset::west_opt(5 * 3600).unwrap();
    let local = daily_summary("d", &fixes, &opts(), &bogota);
    assert_eq!(local.len(), 1);
    assert_eq!(local[0].date.to_string(), "2024-06-01");
    assert_eq!(local[0].driving_seconds, a.trips[0].duration_seconds);
}

#[test]
fn json_names_are_camel_case() {
    let (fixes, _) = drive(0, 0.0, 3, 5, 3);
    let a = analyze("dev-09", &fixes, &opts());
    let trip = serde_json::to_value(&a.trips[0]).unwrap();
    for key in [
        "deviceId",
        "start",
        "end",
        "distanceKm",
        "durationSeconds",
        "maxSpeedKmh",
        "avgSpeedKmh",
        "startLatitude",
        "startLongitude",
        "endLatitude",
        "endLongitude",
        "mileageDelta",
    ] {
        assert!(trip.get(key).is_some(), "trip lacks {key}: {trip}");
    }
    assert_eq!(trip["deviceId"], "dev-09");
    assert_eq!(trip["start"], "2024-06-01T08:02:00Z");
    let stop = serde_json::to_value(&a.stops[0]).unwrap();
    for key in [
        "deviceId",
        "start",
        "end",
        "durationSeconds",
        "latitude",
        "longitude",
    ] {
        assert!(stop.get(key).is_some(), "stop lacks {key}: {stop}");
    }
    let day = serde_json::to_value(&a.daily(&Utc)[0]).unwrap();
    for key in [
        "deviceId",
        "date",
        "distanceKm",
        "drivingSeconds",
        "trips",
        "maxSpeedKmh",
    ] {
        assert!(day.get(key).is_some(), "summary lacks {key}: {day}");
    }
    assert_eq!(day["date"], "2024-06-01");
}

#[test]
fn distance_matches_a_direct_great_circle_sum() {
    // Irregular path, irregular spacing.
    let mut fixes = vec![fix(0, 0.0, 0.0)];
    let mut lat = 4.6;
    let mut lon = -74.08;
    for i in 1..30 {
        lat += 0.001 * (i % 3) as f64;
        lon -= 0.0007 * (i % 5) as f64;
        let mut l = Location::new(t0() + Duration::seconds(20 * i), lat, lon);
        l.speed = Some(35.0);
        fixes.push(l);
    }
    let mut last = Location::new(t0() + Duration::seconds(620), lat, lon);
    last.speed = Some(0.0);
    fixes.push(last);
    let direct: f64 = fixes
        .windows(2)
        .map(|w| great_circle_km(w[0].latitude, w[0].longitude, w[1].latitude, w[1].longitude))
        .sum();
    let a = analyze("d", &fixes, &opts());
    assert_eq!(a.trips.len(), 1);
    assert!((a.trips[0].distance_km - direct).abs() < 1e-9);
}

#[test]
fn daily_odometer_movement_and_moving_speed() {
    // 3 min standing, 5 min at 60 km/h (one fix a minute, 1 km each), 3 min standing.
    let (mut fixes, _) = drive(0, 0.0, 3, 5, 3);
    let day = &daily_summary("d", &fixes, &opts(), &Utc)[0];
    assert_eq!(day.odometer_km, None, "no odometer reported");
    assert_eq!(day.first_movement, Some(t0() + Duration::minutes(3)));
    assert_eq!(day.last_movement, Some(t0() + Duration::minutes(7)));
    assert_eq!(day.avg_moving_speed_kmh, Some(60.0));
    for (i, f) in fixes.iter_mut().enumerate() {
        f.mileage = Some(5000.0 + (i.saturating_sub(3).min(5)) as f64);
    }
    let day = &daily_summary("d", &fixes, &opts(), &Utc)[0];
    assert_eq!(day.odometer_km, Some(5.0));
    assert!((day.odometer_km.unwrap() - day.distance_km).abs() < 0.1);
    // A reset (the reading goes backwards) gives no figure rather than a negative one.
    fixes[10].mileage = Some(1.0);
    assert_eq!(
        daily_summary("d", &fixes, &opts(), &Utc)[0].odometer_km,
        None
    );
}

#[test]
fn a_day_without_movement_has_no_movement_figures() {
    let (fixes, _) = drive(0, 0.0, 5, 0, 0);
    let day = &daily_summary("d", &fixes, &opts(), &Utc)[0];
    assert_eq!((day.first_movement, day.last_movement), (None, None));
    assert_eq!(day.avg_moving_speed_kmh, None);
    let json = serde_json::to_value(day).unwrap();
    for key in [
        "odometerKm",
        "firstMovement",
        "lastMovement",
        "avgMovingSpeedKmh",
    ] {
        assert!(
            json.get(key).is_some_and(|v| v.is_null()),
            "{key} in {json}"
        );
    }
}
