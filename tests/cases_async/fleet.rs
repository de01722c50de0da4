//! Async-only fleet cases: a thousand calls at once on a cold client.

use plaspy_async::FleetOptions;

use crate::support::*;

/// 1,000 concurrent calls on a cold client make exactly one token request.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_concurrent_calls_on_a_cold_client_make_one_token_request() {
    let server = start_server().await;
    let token = token_mock(&server).await;
    let located = mock(&server, |when, then| {
        when.path_includes("/lastLocation");
        ok(
            then,
            json!({"success": true, "lastLocation": location_json()}),
        );
    })
    .await;
    let client = client(&server);
    let ids: Vec<String> = (0..1000).map(|i| format!("dev-{i}")).collect();

    let results = client
        .devices()
        .last_locations_with(&ids, &FleetOptions::new().with_concurrency(1000))
        .await;
    assert_eq!(results.len(), 1000);
    assert!(results.iter().all(|r| matches!(r, Ok(Some(_)))));
    assert_calls(&token, 1).await;
    assert_calls(&located, 1000).await;
}

/// The fleet futures are `Send`: they can be spawned.
#[tokio::test]
async fn fleet_futures_are_send() {
    let server = start_server().await;
    token_mock(&server).await;
    mock(&server, |when, then| {
        api(when, GET, "/api/devices");
        ok(
            then,
            json!({"success": true, "devices": [device_json("dev-1")]}),
        );
    })
    .await;
    mock(&server, |when, then| {
        api(when, GET, "/api/devices/dev-1/lastLocation");
        ok(then, json!({"success": true, "lastLocation": null}));
    })
    .await;
    let client = client(&server);
    let spawned = tokio::spawn(async move {
        let ids = vec!["dev-1".to_owned()];
        let one = client.devices().last_locations(&ids).await;
        let all = client.fleet().snapshot().await;
        (one, all)
    });
    let (one, all) = spawned.await.unwrap();
    assert!(matches!(one[0], Ok(None)));
    let all = all.unwrap();
    assert_eq!(all[0].device.id(), "dev-1");
}
