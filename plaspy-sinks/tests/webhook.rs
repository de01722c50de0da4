//! The webhook sink against a receiver started by the test.

mod support;

use std::time::Duration;

use plaspy_sinks::{CursorHome, ErrorKind, SinkOptions, SinkSpec, connect, deliver_with_retry};
use plaspy_types::feed::FeedCursor;
use plaspy_types::policy::retry::RetryPolicy;
use support::records::{batch, fix, three_fixes};
use support::webhook::Receiver;

const TOKEN: &str = "Bearer hook-s3cret-token";

fn quick() -> SinkOptions {
    SinkOptions::default()
        .with_timeout(Duration::from_secs(5))
        .with_retry(
            RetryPolicy::default()
                .with_max_attempts(4)
                .with_base_delay(Duration::from_millis(5)),
        )
}

async fn sink_for(url: &str) -> Box<dyn plaspy_sinks::Sink> {
    let spec = SinkSpec::parse(url)
        .unwrap()
        .with_headers(&[format!("Authorization: {TOKEN}"), "X-Fleet: north".into()])
        .unwrap();
    connect(&spec, &quick()).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn posts_json_arrays_with_headers_and_a_stable_idempotency_key() {
    let hook = Receiver::start().await;
    let mut sink = sink_for(&hook.url).await;
    assert_eq!(sink.cursor_home(), CursorHome::State);
    let (first, after) = batch("default", &FeedCursor::default(), &three_fixes("dev-01"));
    let ack = sink.deliver(&first).await.unwrap();
    assert_eq!((ack.records, ack.cursor_stored), (3, false));
    sink.deliver(&first).await.unwrap();
    let (second, _) = batch("default", &after, &[fix("dev-01", 60, 1.0, 2.0)]);
    sink.deliver(&second).await.unwrap();

    let got = hook.received();
    assert_eq!(got.len(), 3);
    let header = |i: usize, name: &str| {
        got[i]
            .headers
            .get(name)
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(header(0, "authorization"), TOKEN);
    assert_eq!(header(0, "x-fleet"), "north");
    assert_eq!(header(0, "content-type"), "application/json");
    assert_eq!(
        header(0, "idempotency-key"),
        header(1, "idempotency-key"),
        "same batch, same key"
    );
    assert_ne!(header(0, "idempotency-key"), header(2, "idempotency-key"));
    let body: serde_json::Value = serde_json::from_str(&got[0].body).unwrap();
    let items = body.as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(items[1]["deviceId"], "dev-01");
    assert_eq!(items[1]["latitude"], 4.61);
    assert_eq!(items[1]["recordId"], "dev-01/2024-06-01T08:00:00Z/1");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_errors_are_retried_with_the_same_key() {
    let hook = Receiver::start().await;
    hook.fail_next(&[503, 500]);
    let mut sink = sink_for(&hook.url).await;
    let (first, _) = batch("default", &FeedCursor::default(), &three_fixes("d"));
    sink.deliver(&first).await.unwrap();
    let got = hook.received();
    assert_eq!(got.len(), 3, "two failures, then the 2xx");
    let keys: Vec<_> = got
        .iter()
        .map(|r| r.headers["idempotency-key"].clone())
        .collect();
    assert!(keys.iter().all(|k| *k == keys[0]));
    assert!(got.iter().all(|r| r.body == got[0].body));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receiver_that_times_out_is_tried_again_with_the_same_key() {
    let hook = Receiver::start().await;
    hook.fail_next(&[0]); // the first request hangs past the sink's timeout
    let spec = SinkSpec::parse(&hook.url).unwrap();
    let options = quick().with_timeout(Duration::from_millis(300));
    assert!(options.timeout < support::webhook::HANG);
    let mut sink = connect(&spec, &options).await.unwrap();
    let (first, _) = batch("default", &FeedCursor::default(), &three_fixes("d"));
    sink.deliver(&first).await.unwrap();
    let got = hook.received();
    assert_eq!(got.len(), 2, "the timed-out attempt, then the retry");
    assert_eq!(
        got[0].headers["idempotency-key"],
        got[1].headers["idempotency-key"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusal_is_final_and_names_the_sink_without_secrets() {
    let hook = Receiver::start().await;
    hook.fail_next(&[422]);
    let mut sink = sink_for(&format!("{}?token=q-s3cret", hook.url)).await;
    let (first, _) = batch("default", &FeedCursor::default(), &three_fixes("d"));
    let err = sink.deliver(&first).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Rejected);
    assert!(!err.is_retryable());
    assert_eq!(hook.received().len(), 1, "a 422 is not retried");
    let shown = format!("{err} {err:?} {sink} {sink:?}");
    assert!(shown.contains("422"), "{shown}");
    assert!(shown.contains("token=***"), "{shown}");
    for secret in ["hook-s3cret", "q-s3cret", "north"] {
        assert!(!shown.contains(secret), "{shown}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receiver_that_is_down_fails_retryably_and_the_retry_helper_gives_up() {
    let url = format!("http://127.0.0.1:{}/hook", support::free_port());
    let mut sink = sink_for(&url).await;
    let (first, _) = batch("default", &FeedCursor::default(), &three_fixes("d"));
    let err = sink.deliver(&first).await.unwrap_err();
    assert!(err.is_retryable(), "{err:?}");
    assert_eq!(err.kind(), ErrorKind::Unavailable);
    assert!(
        err.to_string().starts_with(&format!("sink {url}: ")),
        "{err}"
    );
    assert!(err.message().contains("after 4 attempts"), "{err}");
    assert!(!format!("{err:?}").contains("hook-s3cret"));

    let policy = RetryPolicy::default()
        .with_max_attempts(3)
        .with_base_delay(Duration::from_millis(1));
    let mut retries = Vec::new();
    let err = deliver_with_retry(&mut *sink, &first, &policy, |e, delay| {
        retries.push((e.sink().to_owned(), delay));
        true
    })
    .await
    .unwrap_err();
    assert!(err.is_retryable());
    assert_eq!(retries.len(), 2, "3 attempts: 2 retries");
    assert!(retries.iter().all(|(name, _)| *name == url));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_retry_helper_delivers_once_the_receiver_recovers() {
    let hook = Receiver::start().await;
    // The sink's own retries are off: the helper does them.
    let spec = SinkSpec::parse(&hook.url).unwrap();
    let options = quick().with_retry(RetryPolicy::none());
    let mut sink = connect(&spec, &options).await.unwrap();
    hook.fail_next(&[503, 503]);
    let (first, _) = batch("default", &FeedCursor::default(), &three_fixes("d"));
    let policy = RetryPolicy::default()
        .with_max_attempts(5)
        .with_base_delay(Duration::from_millis(1));
    let mut retried = 0;
    let ack = deliver_with_retry(&mut *sink, &first, &policy, |_, _| {
        retried += 1;
        true
    })
    .await
    .unwrap();
    assert_eq!((ack.records, retried), (3, 2));
}
