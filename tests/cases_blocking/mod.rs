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
