//! A sink that is down: a line naming it (password masked), retries, the cursor stays;
//! SIGTERM exits 0. And a sink that needs --state without it: exit 2.

use crate::servers::free_port;
use crate::watcher::{Env, GUARD};
use crate::webhook::Receiver;

#[test]
fn a_database_that_is_down_is_named_without_its_password_and_retried() {
    let env = Env::at_t0();
    env.advance(1800);
    let port = free_port(); // nothing listens there
    let url = format!("postgres://fleet:hunter2-secret@127.0.0.1:{port}/tracking");
    let watch = env.watch(&["--to", &url]);
    let mut warnings = 0;
    while warnings < 2 {
        let line = watch
            .lines
            .recv_timeout(GUARD)
            .expect("a warning per attempt");
        if line.contains(&format!("127.0.0.1:{port}")) {
            warnings += 1;
        }
    }
    let (ok, stderr) = watch.terminate();
    assert!(ok, "SIGTERM while waiting for the sink exits 0: {stderr}");
    assert!(
        stderr.contains(&format!("postgres://fleet:***@127.0.0.1:{port}/tracking")),
        "the sink is named, its password masked: {stderr}"
    );
    assert!(!stderr.contains("hunter2"), "the password leaked: {stderr}");
}

#[test]
fn a_webhook_that_refuses_leaves_the_cursor_where_it_was() {
    let receiver = Receiver::start();
    receiver.fail_next(usize::MAX);
    let env = Env::at_t0();
    env.advance(1800);
    let state = env.path("hook.json");
    let watch = env.watch(&["--to", &receiver.url, "--state", &state]);
    let mut warnings = 0;
    while warnings < 2 {
        let line = watch
            .lines
            .recv_timeout(GUARD)
            .expect("a warning per attempt");
        if line.contains(&receiver.url) {
            warnings += 1;
        }
    }
    let (ok, stderr) = watch.terminate();
    assert!(ok, "SIGTERM while retrying exits 0: {stderr}");
    assert!(receiver.received().len() >= 2, "the batch was tried again");
    assert_eq!(
        moved(&state),
        0,
        "nothing acknowledged, the cursor stayed: {stderr}"
    );

    // Once it answers, the same batch goes through and the cursor moves.
    receiver.fail_next(0);
    let watch = env.watch(&["--to", &receiver.url, "--state", &state]);
    crate::watcher::wait_for("the cursor moved", || moved(&state) > 0);
    let (ok, _) = watch.terminate();
    assert!(ok);
}

#[test]
fn a_sink_without_a_cursor_of_its_own_needs_a_state_file() {
    let env = Env::at_t0();
    for url in ["mqtt://127.0.0.1:1/fleet", "http://127.0.0.1:1/hook"] {
        let watch = env.watch(&["--to", url]);
        let line = watch.lines.recv_timeout(GUARD).expect("an error");
        assert!(line.contains("--state"), "{line}");
        let (ok, _) = watch.terminate();
        assert!(!ok);
    }
}

/// How many devices the cursor in `state` has moved for (0 if there is no file).
fn moved(state: &str) -> usize {
    std::fs::read_to_string(state)
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .and_then(|v| v["devices"].as_object().map(|d| d.len()))
        .unwrap_or(0)
}
