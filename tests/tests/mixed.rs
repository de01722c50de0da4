//! One program using both clients at once: a `plaspy_blocking::Client` and a
//! `plaspy_async::Client` in the same binary, against the same mock server.

use httpmock::Method::GET;
use httpmock::MockServer;
use plaspy_tests::*;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn blocking_and_async_clients_side_by_side() {
    let server = MockServer::start_async().await;
    let token = server
        .mock_async(|when, then| {
            token_request(when);
            token_reply(then, TOKEN);
        })
        .await;
    let devices = server
        .mock_async(|when, then| {
            api(when, GET, "/api/devices");
            ok(
                then,
                json!({"success": true, "devices": [device_json("dev-1")], "apiUsage": 7}),
            );
        })
        .await;
    let base_url = server.base_url();

    let blocking = plaspy_blocking::Client::builder()
        .credentials(USER, API_KEY)
        .base_url(&base_url)
        .build()
        .unwrap();
    let nonblocking = plaspy_async::Client::builder()
        .credentials(USER, API_KEY)
        .base_url(&base_url)
        .build()
        .unwrap();

    // The blocking client runs on a blocking thread while the async one runs here.
    let blocking_call = tokio::task::spawn_blocking(move || {
        let listed = blocking.devices().list();
        (listed, blocking.usage())
    });
    let async_listed = nonblocking.devices().list().await.unwrap();
    let (blocking_listed, blocking_usage) = blocking_call.await.expect("the thread did not panic");
    let blocking_listed = blocking_listed.unwrap();

    assert_eq!(blocking_listed, async_listed);
    assert_eq!(async_listed[0].id(), "dev-1");
    // Each client keeps its own token cache and counters.
    token.assert_calls_async(2).await;
    devices.assert_calls_async(2).await;
    assert_eq!(blocking_usage.api_usage, Some(7));
    assert_eq!(nonblocking.usage().api_usage, Some(7));
}

#[test]
fn both_clients_from_plain_threads() {
    let server = MockServer::start();
    let token = server.mock(|when, then| {
        token_request(when);
        token_reply(then, TOKEN);
    });
    let groups = server.mock(|when, then| {
        api(when, GET, "/api/groups");
        ok(
            then,
            json!({"success": true, "groups": [group_json("grp-1", "North")]}),
        );
    });
    let nonblocking = plaspy_async::Client::builder()
        .credentials(USER, API_KEY)
        .base_url(server.base_url())
        .build()
        .unwrap();
    let blocking = plaspy_blocking::Client::builder()
        .credentials(USER, API_KEY)
        .base_url(server.base_url())
        .build()
        .unwrap();

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let from_async = runtime.block_on(nonblocking.groups().list()).unwrap();
    let from_blocking = blocking.groups().list().unwrap();
    assert_eq!(from_async, from_blocking);
    assert_eq!(from_blocking[0].id(), "grp-1");
    token.assert_calls(2);
    groups.assert_calls(2);
}
