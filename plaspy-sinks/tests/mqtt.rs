//! The MQTT sink against a real mosquitto started by the test.

mod support;

use std::time::Duration;

use plaspy_sinks::{CursorHome, SinkOptions, SinkSpec, connect};
use plaspy_types::feed::FeedCursor;
use support::mqtt::Mosquitto;
use support::records::{alert, batch, three_fixes};

async fn take(
    rx: &mut tokio::sync::mpsc::UnboundedReceiver<(String, String)>,
    n: usize,
) -> Vec<(String, serde_json::Value)> {
    let mut out = Vec::new();
    while out.len() < n {
        let (topic, payload) = tokio::time::timeout(Duration::from_secs(10), rx.recv())
            .await
            .expect("the subscriber got too few messages")
            .expect("the subscriber ended");
        out.push((
            topic,
            serde_json::from_str(&payload).expect("a JSON payload"),
        ));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publishes_qos1_per_device_and_a_repeat_carries_the_same_ids() {
    let broker = Mosquitto::start();
    let (_subscriber, mut rx) = broker.subscribe("fleet/#").await;
    let spec = SinkSpec::parse(&broker.url("fleet")).unwrap();
    let mut sink = connect(&spec, &SinkOptions::default()).await.unwrap();
    assert_eq!(sink.cursor_home(), CursorHome::State);

    let mut events = three_fixes("dev/01");
    events.push(alert("dev/01", 10));
    let (first, _) = batch("default", &FeedCursor::default(), &events);
    let ack = sink.deliver(&first).await.unwrap();
    assert_eq!((ack.records, ack.cursor_stored), (4, false));

    let got = take(&mut rx, 4).await;
    let topics: Vec<&str> = got.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(
        topics,
        [
            "fleet/dev%2F01",
            "fleet/dev%2F01",
            "fleet/dev%2F01",
            "fleet/dev%2F01/events"
        ]
    );
    assert_eq!(got[1].1["latitude"], 4.61);
    assert_eq!(got[1].1["deviceId"], "dev/01");
    let ids: Vec<serde_json::Value> = got.iter().map(|(_, p)| p["recordId"].clone()).collect();
    assert_eq!(ids[1], "dev/01/2024-06-01T08:00:00Z/1");

    // At least once: a repeat after a restart arrives again, recognisable by its ids.
    sink.deliver(&first).await.unwrap();
    let again: Vec<serde_json::Value> = take(&mut rx, 4)
        .await
        .into_iter()
        .map(|(_, p)| p["recordId"].clone())
        .collect();
    assert_eq!(again, ids);
    sink.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broker_that_is_down_is_named() {
    let url = format!(
        "mqtt://fleet:mq-s3cret@127.0.0.1:{}/fleet",
        support::free_port()
    );
    let options = SinkOptions::default().with_timeout(Duration::from_secs(5));
    let err = connect(&SinkSpec::parse(&url).unwrap(), &options)
        .await
        .unwrap_err();
    assert!(err.is_retryable(), "{err:?}");
    assert!(
        err.to_string()
            .starts_with("sink mqtt://fleet:***@127.0.0.1:"),
        "{err}"
    );
    assert!(!format!("{err} {err:?}").contains("mq-s3cret"), "{err:?}");
}
