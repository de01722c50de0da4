//! Cases only the async client has: many concurrent calls on one client.

mod fleet;

use crate::support::*;

/// 100 calls spawned at once on a cold client share a single token request.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_calls_on_a_cold_client_share_one_token_request() {
    let server = start_server().await;
    let token = token_mock(&server).await;
    let devices = mock(&server, |when, then| {
        api(when, GET, "/api/devices");
        ok(
            then,
            json!({"success": true, "devices": [device_json("dev-1")]}),
        );
    })
    .await;
    let client = client(&server);

    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.devices().list().await })
        })
        .collect();
    for task in tasks {
        let devices = task.await.expect("the task did not panic").unwrap();
        assert_eq!(devices[0].id(), "dev-1");
    }
    assert_calls(&token, 1).await;
    assert_calls(&devices, 100).await;
}

/// 50 concurrent calls whose token is refused renew it once between them.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_calls_with_a_refused_token_renew_it_once() {
    let server = start_server().await;
    let first = token_mock_with(&server, TOKEN, Some(1)).await;
    let second = token_mock_with(&server, TOKEN_2, None).await;
    let refused = mock(&server, |when, then| {
        api_with(when, TOKEN, GET, "/api/groups");
        reply(then, 401, failure("Token expired"));
    })
    .await;
    let accepted = mock(&server, |when, then| {
        api_with(when, TOKEN_2, GET, "/api/groups");
        ok(then, json!({"success": true, "groups": []}));
    })
    .await;
    let client = client(&server);
    // Warm the cache with the token the server is about to refuse.
    assert_eq!(client.token().await.unwrap().token.expose(), TOKEN);

    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.groups().list().await })
        })
        .collect();
    for task in tasks {
        task.await.expect("the task did not panic").unwrap();
    }
    assert_calls(&first, 1).await;
    assert_calls(&second, 1).await;
    assert_calls(&accepted, 50).await;
    let refusals = calls(&refused).await;
    assert!((1..=50).contains(&refusals), "{refusals}");
}

/// The futures are `Send`, so a client call can be spawned (a compile-time check with a
/// runtime one).
#[tokio::test]
async fn futures_are_send() {
    fn assert_send<T: Send>(value: T) -> T {
        value
    }
    let server = start_server().await;
    token_mock(&server).await;
    let users = mock(&server, |when, then| {
        api(when, GET, "/api/users/timeZones");
        ok(
            then,
            json!({"success": true, "timeZones": {"UTC": "(UTC) Coordinated Universal Time"}}),
        );
    })
    .await;
    let client = client(&server);
    let zones = assert_send(client.users().time_zones()).await.unwrap();
    assert_eq!(zones.len(), 1);
    assert_calls(&users, 1).await;
}

/// The async history is a `Send` stream: it can be spawned, and pages come in time order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_stream_is_send_and_ordered() {
    use futures_util::StreamExt;
    use plaspy_types::history::HistoryLimits;

    let sandbox = sandbox();
    let client = sandbox_client(&sandbox);
    let from = at("2025-01-10T00:00:00Z");
    let limits = HistoryLimits::default().with_max_window(chrono::Duration::days(1));
    let stream = client
        .devices()
        .location_history("dev-02", from, from + chrono::Duration::days(4))
        .limits(limits)
        .into_stream();
    let pages: Vec<_> = tokio::spawn(stream.collect::<Vec<_>>())
        .await
        .expect("no panic");
    assert_eq!(pages.len(), 4);
    let fixes: Vec<_> = pages.into_iter().flat_map(|p| p.unwrap()).collect();
    assert!(fixes.windows(2).all(|w| w[0].date_time < w[1].date_time));
    let direct = client
        .devices()
        .locations("dev-02", from, from + chrono::Duration::days(4))
        .await
        .unwrap();
    assert!(fixes == direct);
}

/// The async feed is a `Send` stream: it runs on a spawned task, yields the date-range
/// endpoint's fixes in order, and its cursor covers exactly what it yielded.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feed_is_a_send_stream_of_new_fixes() {
    use futures_core::Stream;
    use plaspy_types::policy::clock::ManualClock;
    fn assert_send<T: Send + Unpin>(_: &T) {}

    let t0: chrono::DateTime<chrono::Utc> = "2030-01-08T13:00:00Z".parse().unwrap();
    let sandbox = sandbox_with(SandboxConfig {
        clock: std::sync::Arc::new(ManualClock::new(t0)),
        ..SandboxConfig::default()
    });
    let client = sandbox_client(&sandbox);
    sandbox.control().advance_clock(900);
    let expected = client
        .devices()
        .locations("dev-02", t0, sandbox.control().now())
        .await
        .unwrap();
    assert!(expected.len() > 2);
    let mut stream = client
        .feed()
        .devices(["dev-02"])
        .since(t0)
        .interval(std::time::Duration::from_millis(5))
        .build()
        .into_stream();
    assert_send(&stream);
    let n = expected.len();
    let (stream, got) = tokio::spawn(async move {
        let mut got = Vec::new();
        while got.len() < n {
            let next =
                std::future::poll_fn(|cx| std::pin::Pin::new(&mut stream).poll_next(cx)).await;
            got.push(next.unwrap().unwrap().location().cloned().unwrap());
        }
        (stream, got)
    })
    .await
    .unwrap();
    assert_eq!(got, expected);
    assert_eq!(
        stream.cursor().positions("dev-02").unwrap().time,
        expected.last().unwrap().date_time
    );
}
