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
async fn a_broker_that_goes_down_fails_the_batch_and_the_sink_recovers_after() {
    let mut broker = Mosquitto::start();
    let spec = SinkSpec::parse(&broker.url("fleet")).unwrap();
    let options = SinkOptions::default().with_timeout(Duration::from_secs(3));
    let mut sink = connect(&spec, &options).await.unwrap();
    let (first, after) = batch("default", &FeedCursor::default(), &three_fixes("d"));
    sink.deliver(&first).await.unwrap();

    broker.stop();
    let (second, _) = batch(
        "default",
        &after,
        &[support::records::fix("d", 60, 1.0, 2.0)],
    );
    let err = sink.deliver(&second).await.unwrap_err();
    assert!(err.is_retryable(), "{err:?}");
    assert!(
        err.to_string()
            .starts_with(&format!("sink mqtt://127.0.0.1:{}/fleet", broker.port)),
        "{err}"
    );

    // The caller kept its cursor; once the broker is back the same batch goes through.
    broker.run();
    let (_subscriber, mut rx) = broker.subscribe("fleet/#").await;
    let policy = plaspy_types::policy::retry::RetryPolicy::default()
        .with_max_attempts(20)
        .with_base_delay(Duration::from_millis(50))
        .with_max_delay(Duration::from_millis(500));
    plaspy_sinks::deliver_with_retry(&mut *sink, &second, &policy, |_, _| true)
        .await
        .unwrap();
    let got = take(&mut rx, 1).await;
    assert_eq!(got[0].1["recordId"], "d/2024-06-01T08:01:00Z/0");
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
