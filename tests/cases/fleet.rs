//! Whole-fleet calls: one result per device in input order, failures kept per device,
//! `429` waited for within the budget, and pacing shared by every clone.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use plaspy_blocking::FleetOptions; // the same type as plaspy_async::FleetOptions
use plaspy_types::Location;

use crate::support::*;
use crate::{case, maybe};

/// `lastLocation` for `id`, answering a position.
#[maybe]
async fn located<'a>(server: &'a MockServer, id: &str) -> Mock<'a> {
    let path = format!("/api/devices/{id}/lastLocation");
    mock(server, move |when, then| {
        api(when, GET, &path);
        ok(
            then,
            json!({"success": true, "lastLocation": location_json()}),
        );
    })
    .await
}

fn position(result: &Result<Option<Location>, Error>) -> f64 {
    match result {
        Ok(Some(fix)) => fix.latitude,
        other => panic!("expected a position, got {other:?}"),
    }
}

#[maybe]
#[case]
async fn one_failing_device_does_not_hide_the_others() {
    let server = start_server().await;
    token_mock(&server).await;
    let first = located(&server, "dev-1").await;
    let missing = mock(&server, |when, then| {
        api(when, GET, "/api/devices/dev-2/lastLocation");
        reply(then, 404, failure("Device not found"));
    })
    .await;
    let third = located(&server, "dev-3").await;
    let silent = mock(&server, |when, then| {
        api(when, GET, "/api/devices/dev-4/lastLocation");
        ok(then, json!({"success": true, "lastLocation": null}));
    })
    .await;

    let client = client(&server);
    let results = client
        .devices()
        .last_locations(&["dev-1", "dev-2", "dev-3", "dev-4"])
        .await;
    assert_eq!(results.len(), 4);
    assert_eq!(position(&results[0]), 4.711);
    assert!(
        matches!(&results[1], Err(Error::NotFound { message: Some(m), .. }) if m == "Device not found"),
        "{:?}",
        results[1]
    );
    assert_eq!(position(&results[2]), 4.711);
    assert!(matches!(results[3], Ok(None)), "{:?}", results[3]);
    for m in [&first, &missing, &third, &silent] {
        assert_calls(m, 1).await;
    }
}

#[maybe]
#[case]
async fn a_snapshot_lists_every_device_with_its_position_or_error() {
    let server = start_server().await;
    token_mock(&server).await;
    let ids: Vec<String> = (0..40).map(|i| format!("dev-{i}")).collect();
    let listed: Vec<_> = ids.iter().map(|id| device_json(id)).collect();
    mock(&server, move |when, then| {
        api(when, GET, "/api/devices");
        ok(then, json!({"success": true, "devices": listed}));
    })
    .await;
    for id in ids.iter().filter(|id| id.as_str() != "dev-17") {
        located(&server, id).await;
    }
    let broken = mock(&server, |when, then| {
        api(when, GET, "/api/devices/dev-17/lastLocation");
        reply(then, 500, failure("Internal error"));
    })
    .await;

    let progress = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&progress);
    let options = FleetOptions::new()
        .with_concurrency(6)
        .on_progress(move |done, total| {
            assert_eq!(total, 40);
            seen.fetch_max(done, Ordering::SeqCst);
        });
    let client = client(&server);
    let snapshot = client.fleet().snapshot_with(&options).await.unwrap();

    assert_eq!(snapshot.len(), 40);
    for (entry, id) in snapshot.iter().zip(&ids) {
        assert_eq!(entry.device.id(), id, "input order is kept");
        if id == "dev-17" {
            assert!(
                matches!(&entry.location, Err(Error::Api { status: 500, .. })),
                "{:?}",
                entry.location
            );
        } else {
            assert_eq!(position(&entry.location), 4.711);
        }
    }
    // The failing device was retried as any safe call is, then reported.
    assert_calls(&broken, 3).await;
    assert_eq!(progress.load(Ordering::SeqCst), 40);
}

#[maybe]
#[case]
async fn a_429_pauses_then_the_fleet_call_goes_on() {
    let server = start_server().await;
    token_mock(&server).await;
    // The quota runs out at once: the first three answers are 429 with a short pause.
    let limited = mock(&server, |when, then| {
        when.path_includes("/lastLocation");
        reply(then, 429, failure("Too many requests"))
            .header("retry-after", "0.05")
            .up_to_n_times(3);
    })
    .await;
    let ids: Vec<String> = (0..12).map(|i| format!("dev-{i}")).collect();
    for id in &ids {
        located(&server, id).await;
    }
    // One device at a time: the first call meets all three 429s, more than the two
    // attempts its retry policy allows; a 429 is a pause, not a failed attempt.
    let client = builder(&server).max_retries(1).build().unwrap();
    let results = client
        .devices()
        .last_locations_with(&ids, &FleetOptions::new().with_concurrency(1))
        .await;
    assert_calls(&limited, 3).await;
    for result in &results {
        assert_eq!(position(result), 4.711);
    }
}

#[maybe]
#[case]
async fn a_429_beyond_the_fleet_budget_is_reported_per_device() {
    let server = start_server().await;
    token_mock(&server).await;
    let limited = mock(&server, |when, then| {
        api(when, GET, "/api/devices/dev-1/lastLocation");
        reply(then, 429, failure("Daily quota reached")).header("retry-after", "3600");
    })
    .await;
    located(&server, "dev-2").await;

    let client = client(&server);
    let options = FleetOptions::new().with_throttle_budget(Duration::from_secs(60));
    let results = client
        .devices()
        .last_locations_with(&["dev-1", "dev-2"], &options)
        .await;
    assert!(
        matches!(&results[0], Err(Error::RateLimited { retry_after: Some(d), .. }) if d.as_secs() == 3600),
        "{:?}",
        results[0]
    );
    assert_calls(&limited, 1).await;
}

#[maybe]
#[case]
async fn the_rate_limit_is_shared_by_clones() {
    let server = start_server().await;
    token_mock(&server).await;
    let devices = mock(&server, |when, then| {
        api(when, GET, "/api/devices");
        ok(then, json!({"success": true, "devices": []}));
    })
    .await;
    // 1,200 per minute: one request every 50 ms, whichever clone sends it.
    let client = builder(&server).rate_limit(1200).build().unwrap();
    // Timed from before the token request: its slot opens the schedule, whatever time the
    // server takes to answer it.
    let started = Instant::now();
    client.token().await.unwrap();
    let results = concurrently(&client, 5, |clone, _| async move {
        clone.devices().list().await
    })
    .await;
    let elapsed = started.elapsed();
    for result in results {
        result.unwrap();
    }
    assert_calls(&devices, 5).await;
    // Five requests after the token's: the last left at least 5 intervals after it.
    assert!(
        elapsed >= Duration::from_millis(5 * 50 - 10),
        "five paced requests took only {elapsed:?}"
    );
}

#[maybe]
#[case]
async fn a_zero_rate_limit_is_refused() {
    let server = start_server().await;
    let result = builder(&server).rate_limit(0).build();
    assert!(
        matches!(&result, Err(Error::InvalidConfig { message, .. }) if message.contains("rate limit")),
        "{result:?}"
    );
}

/// Issue 18.6: the client's own pacing is a quota wait, not held against a call's deadline.
/// Eight devices at 240 requests a minute: the last waits about two seconds for its turn,
/// twice the deadline that each call's own work stays far within.
#[maybe]
#[case]
async fn pacing_waits_do_not_count_against_the_deadline() {
    let server = start_server().await;
    token_mock(&server).await;
    let ids: Vec<String> = (0..8).map(|i| format!("dev-{i}")).collect();
    for id in &ids {
        located(&server, id).await;
    }
    let client = builder(&server)
        .rate_limit(240)
        .timeout(Duration::from_secs(1))
        .deadline(Duration::from_secs(1))
        .build()
        .unwrap();
    let results = client.devices().last_locations(&ids).await;
    for result in &results {
        assert_eq!(position(result), 4.711);
    }
}

/// Issue 18.6: a pause a `429` imposes on the whole client is a quota wait too: it counts
/// against the throttle budget, not against the deadline of the calls that wait it out.
#[maybe]
#[case]
async fn a_shared_429_pause_does_not_count_against_the_deadline() {
    let server = start_server().await;
    token_mock(&server).await;
    let limited = mock(&server, |when, then| {
        when.path_includes("/lastLocation");
        reply(then, 429, failure("Too many requests"))
            .header("retry-after", "1.5")
            .up_to_n_times(1);
    })
    .await;
    let ids: Vec<String> = (0..4).map(|i| format!("dev-{i}")).collect();
    for id in &ids {
        located(&server, id).await;
    }
    let client = builder(&server)
        .timeout(Duration::from_secs(1))
        .deadline(Duration::from_secs(1))
        .build()
        .unwrap();
    client.token().await.unwrap();
    let results = client
        .devices()
        .last_locations_with(&ids, &FleetOptions::new().with_concurrency(1))
        .await;
    assert_calls(&limited, 1).await;
    for result in &results {
        assert_eq!(position(result), 4.711);
    }
}

/// The public fan-out: any per-device work, one output per item in input order, and the
/// calls the task makes may wait for `429` pauses up to the fan-out's throttle budget,
/// not only the client's (here 10 ms, shorter than the server's pause).
#[maybe]
#[case]
async fn fan_out_runs_any_work_in_order_within_the_fleet_throttle_budget() {
    let server = start_server().await;
    token_mock(&server).await;
    let limited = mock(&server, |when, then| {
        when.path_includes("/lastLocation");
        reply(then, 429, failure("Too many requests"))
            .header("retry-after", "0.2")
            .up_to_n_times(1);
    })
    .await;
    let ids: Vec<String> = (0..6).map(|i| format!("dev-{i}")).collect();
    for id in &ids {
        located(&server, id).await;
    }
    let impatient = fast_retries().with_max_total_wait(Duration::from_millis(10));
    let client = builder(&server).retry_policy(impatient).build().unwrap();
    let options = FleetOptions::new()
        .with_concurrency(2)
        .with_throttle_budget(Duration::from_secs(30));
    let results = client
        .fan_out(ids.clone(), &options, |client, id| async move {
            let fix = client.devices().last_location(&id).await;
            (id, fix)
        })
        .await;
    assert_calls(&limited, 1).await;
    assert_eq!(results.len(), ids.len());
    for ((id, fix), expected) in results.iter().zip(&ids) {
        assert_eq!(id, expected);
        assert_eq!(position(fix), 4.711);
    }
    // Outside a fan-out, the client's own budget applies: the same pause is too long.
    mock(&server, |when, then| {
        api(when, GET, "/api/devices/dev-9/lastLocation");
        reply(then, 429, failure("Too many requests")).header("retry-after", "0.2");
    })
    .await;
    let alone = client.devices().last_location("dev-9").await;
    assert!(matches!(alone, Err(Error::RateLimited { .. })), "{alone:?}");
}

/// Reports in fleet form: one analysis per device, in order, an unknown device failing
/// on its own.
#[maybe]
#[case]
async fn reports_of_several_devices_come_back_in_order() {
    let sandbox = sandbox();
    let client = sandbox_client(&sandbox);
    let to = chrono::Utc::now();
    let ids = ["dev-01", "no-such-device", "dev-02"];
    let reports = client
        .devices()
        .reports(
            &ids,
            to - chrono::Duration::days(1),
            to,
            &plaspy_fleet::ReportOptions::default(),
            &FleetOptions::new().with_concurrency(2),
        )
        .await;
    assert_eq!(reports.len(), 3);
    let single = client
        .devices()
        .report("dev-02", to - chrono::Duration::days(1), to)
        .analyze()
        .await
        .unwrap();
    assert_eq!(reports[2].as_ref().unwrap().trips, single.trips);
    assert!(reports[0].is_ok(), "{:?}", reports[0]);
    assert!(
        matches!(reports[1], Err(Error::NotFound { .. })),
        "{:?}",
        reports[1]
    );
}
