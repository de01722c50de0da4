//! 64 concurrent writers lose nothing.

use std::thread;

use plaspy_sandbox::SandboxConfig;
use serde_json::json;

use crate::common::{Client, start};

#[test]
fn concurrent_creators_and_updaters_lose_no_write() {
    let sandbox = start(SandboxConfig::default());
    let client = Client::demo(&sandbox);
    let target = "/api/users/usr-1";
    let before = client.get(target).json()["tags"].as_object().unwrap().len();
    let workers: Vec<_> = (0..64)
        .map(|i| {
            let client = client.clone();
            thread::spawn(move || {
                let created =
                    client.post("/api/groups", &json!({"name": format!("Concurrent {i}")}));
                assert_eq!(created.status, 201, "{}", created.body);
                let patch =
                    json!([{"op": "add", "path": format!("/tags/k{i}"), "value": i.to_string()}]);
                let patched = client.patch(target, &patch);
                assert_eq!(patched.status, 200, "{}", patched.body);
                created.json()["id"].as_str().unwrap().to_owned()
            })
        })
        .collect();
    let mut ids: Vec<String> = workers.into_iter().map(|w| w.join().unwrap()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 64, "every group got its own id");

    let groups = client.get("/api/groups").json();
    let names: Vec<&str> = groups["groups"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|g| g["name"].as_str())
        .filter(|n| n.starts_with("Concurrent "))
        .collect();
    assert_eq!(names.len(), 64);
    let tags = client.get(target).json()["tags"]
        .as_object()
        .unwrap()
        .clone();
    assert_eq!(tags.len(), before + 64);
    assert!((0..64).all(|i| tags[&format!("k{i}")] == json!(i.to_string())));
}
