//! Cases only the blocking client has: one client shared by many threads.

use crate::support::*;

/// 16 threads calling at once on a cold client share a single token request.
#[test]
fn threads_on_a_cold_client_share_one_token_request() {
    let server = start_server();
    let token = token_mock(&server);
    let devices = mock(&server, |when, then| {
        api(when, GET, "/api/devices");
        ok(
            then,
            json!({"success": true, "devices": [device_json("dev-1")]}),
        );
    });
    let client = client(&server);

    std::thread::scope(|scope| {
        let threads: Vec<_> = (0..16)
            .map(|_| scope.spawn(|| client.devices().list()))
            .collect();
        for thread in threads {
            let devices = thread.join().expect("the thread did not panic").unwrap();
            assert_eq!(devices[0].id(), "dev-1");
        }
    });
    assert_calls(&token, 1);
    assert_calls(&devices, 16);
}

/// The client can be moved to and shared between threads.
#[test]
fn client_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync + Clone + 'static>() {}
    assert_send_sync::<Client>();
    let server = start_server();
    token_mock(&server);
    let groups = mock(&server, |when, then| {
        api(when, GET, "/api/groups");
        ok(
            then,
            json!({"success": true, "groups": [group_json("grp-1", "North")]}),
        );
    });
    let client = client(&server);
    let moved = client.clone();
    let names = std::thread::spawn(move || moved.groups().list().unwrap())
        .join()
        .expect("the thread did not panic");
    assert_eq!(names[0].name, "North");
    assert_calls(&groups, 1);
}

/// The blocking feed is an iterator: `take(n)` waits for `n` new fixes, polling on the
/// interval, and they equal the date-range endpoint's.
#[test]
fn feed_is_an_iterator_of_new_fixes() {
    use plaspy_types::policy::clock::ManualClock;
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
        .unwrap();
    assert!(expected.len() > 2);
    let mut feed = client
        .feed()
        .devices(["dev-02"])
        .since(t0)
        .interval(std::time::Duration::from_millis(5))
        .build();
    let got: Vec<_> = feed
        .by_ref()
        .take(expected.len())
        .map(|event| event.unwrap().location().cloned().unwrap())
        .collect();
    assert_eq!(got, expected);
    let saved = feed.cursor();
    assert_eq!(
        saved.positions("dev-02").unwrap().time,
        expected.last().unwrap().date_time
    );
}
