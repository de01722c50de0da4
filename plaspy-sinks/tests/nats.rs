//! The NATS JetStream sink against a real `nats-server -js` started by the test.

mod support;

use std::time::Duration;

use plaspy_sinks::{CursorHome, ErrorKind, SinkOptions, SinkSpec, connect};
use plaspy_types::feed::FeedCursor;
use support::nats::{Nats, PASSWORD};
use support::records::{alert, batch, fix, three_fixes};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publishes_with_message_ids_drops_a_replay_and_keeps_the_cursor_in_kv() {
    let nats = Nats::start();
    let spec = SinkSpec::parse(&nats.url("fleet")).unwrap();
    let mut sink = connect(&spec, &SinkOptions::default()).await.unwrap();
    assert_eq!(sink.cursor_home(), CursorHome::Sink);
    assert_eq!(sink.load_cursor("default").await.unwrap(), None);

    let mut events = three_fixes("dev.01");
    events.push(alert("dev.01", 10));
    let (first, _) = batch("default", &FeedCursor::default(), &events);
    let ack = sink.deliver(&first).await.unwrap();
    assert_eq!(
        (ack.records, ack.duplicates, ack.cursor_stored),
        (4, 0, true)
    );

    let js = nats.jetstream().await;
    let mut stream = js.get_stream("PLASPY_fleet").await.unwrap();
    assert_eq!(stream.info().await.unwrap().state.messages, 4);
    let message = stream.get_raw_message(2).await.unwrap();
    assert_eq!(message.subject.as_str(), "fleet.dev%2E01");
    assert_eq!(
        message
            .headers
            .get(async_nats::header::NATS_MESSAGE_ID)
            .map(|v| v.as_str()),
        Some("dev.01/2024-06-01T08:00:00Z/1")
    );
    let payload: serde_json::Value = serde_json::from_slice(&message.payload).unwrap();
    assert_eq!(payload["deviceId"], "dev.01");
    assert_eq!(payload["latitude"], 4.61);
    let event = stream.get_raw_message(4).await.unwrap();
    assert_eq!(event.subject.as_str(), "fleet.dev%2E01.events");

    assert_eq!(
        sink.load_cursor("default").await.unwrap(),
        Some(first.cursor.clone())
    );

    // Republished after a crash: the stream drops every message id it has seen.
    let ack = sink.deliver(&first).await.unwrap();
    assert_eq!(ack.duplicates, 4);
    assert_eq!(stream.info().await.unwrap().state.messages, 4);

    // A replacement watcher (a new connection) resumes from the bucket.
    let mut replacement = connect(&spec, &SinkOptions::default()).await.unwrap();
    assert_eq!(
        replacement.load_cursor("default").await.unwrap(),
        Some(first.cursor)
    );
    assert_eq!(replacement.load_cursor("other feed").await.unwrap(), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_existing_stream_covering_the_subject_is_used() {
    let nats = Nats::start();
    let js = nats.jetstream().await;
    js.create_stream(async_nats::jetstream::stream::Config {
        name: "MINE".into(),
        subjects: vec!["fleet.>".into()],
        ..Default::default()
    })
    .await
    .unwrap();
    let spec = SinkSpec::parse(&nats.url("fleet")).unwrap();
    let mut sink = connect(&spec, &SinkOptions::default()).await.unwrap();
    let (first, _) = batch("default", &FeedCursor::default(), &three_fixes("d"));
    sink.deliver(&first).await.unwrap();
    let mut mine = js.get_stream("MINE").await.unwrap();
    assert_eq!(mine.info().await.unwrap().state.messages, 3);
    assert!(
        js.get_stream("PLASPY_fleet").await.is_err(),
        "no second stream"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_goes_down_is_named_and_the_cursor_stays_put() {
    let mut nats = Nats::start();
    let spec = SinkSpec::parse(&nats.url("fleet")).unwrap();
    let options = SinkOptions::default().with_timeout(Duration::from_secs(2));
    let mut sink = connect(&spec, &options).await.unwrap();
    let (first, after) = batch("default", &FeedCursor::default(), &three_fixes("d"));
    sink.deliver(&first).await.unwrap();

    nats.stop();
    let (second, _) = batch("default", &after, &[fix("d", 60, 1.0, 2.0)]);
    let err = sink.deliver(&second).await.unwrap_err();
    assert!(err.is_retryable(), "{err:?}");
    assert!(
        err.to_string().starts_with(&format!(
            "sink nats://plaspy:***@127.0.0.1:{}/fleet",
            nats.port
        )),
        "{err}"
    );
    assert!(!format!("{err} {err:?}").contains(PASSWORD));

    nats.run();
    let mut fresh = connect(&spec, &options).await.unwrap();
    assert_eq!(
        fresh.load_cursor("default").await.unwrap(),
        Some(first.cursor.clone())
    );
    fresh.deliver(&second).await.unwrap();
    assert_eq!(
        fresh.load_cursor("default").await.unwrap(),
        Some(second.cursor)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_credentials_and_closed_ports_are_named_without_the_password() {
    let nats = Nats::start();
    let wrong = format!("nats://plaspy:not-{PASSWORD}@127.0.0.1:{}/fleet", nats.port);
    let options = SinkOptions::default().with_timeout(Duration::from_secs(5));
    let err = connect(&SinkSpec::parse(&wrong).unwrap(), &options)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth, "{err:?}");
    assert!(!err.is_retryable());
    assert!(!format!("{err} {err:?}").contains(PASSWORD), "{err:?}");

    let closed = format!(
        "nats://plaspy:{PASSWORD}@127.0.0.1:{}/fleet",
        support::free_port()
    );
    let err = connect(&SinkSpec::parse(&closed).unwrap(), &options)
        .await
        .unwrap_err();
    assert!(err.is_retryable(), "{err:?}");
    assert!(
        err.to_string()
            .starts_with("sink nats://plaspy:***@127.0.0.1:"),
        "{err}"
    );
    assert!(!format!("{err} {err:?}").contains(PASSWORD), "{err:?}");
}
