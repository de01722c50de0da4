//! `--timeout` bounds the whole wait on one call, retries included (issue 9, finding 8).

use std::net::TcpListener;

use crate::common::{code, plaspy, text};

/// A server that accepts connections and never answers: every attempt times out.
#[test]
fn timeout_bounds_the_whole_call_against_a_silent_server() {
    let silent = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let url = format!("http://{}", silent.local_addr().unwrap());
    let dir = tempfile::tempdir().expect("a temp dir");
    let out = plaspy(&dir.path().join("config.toml"))
        .env("PLASPY_BASE_URL", &url)
        .env("PLASPY_USERNAME", "me")
        .env("PLASPY_API_KEY", "my-key")
        .args(["--timeout", "1", "--retries", "2", "devices", "list"])
        .output()
        .expect("plaspy runs");
    let stderr = text(&out.stderr);
    assert_eq!(code(&out), 1, "{stderr}");
    // Not "timed out after 1.0s" three times over: one deadline for the whole call.
    assert!(
        stderr.contains("the 1.0s deadline for the call passed after 1 attempt"),
        "{stderr}"
    );
    drop(silent);
}
