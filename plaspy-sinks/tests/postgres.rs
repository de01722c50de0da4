//! The PostgreSQL sink against a real PostgreSQL started by the test.

mod support;

use std::time::Duration;

use plaspy_sinks::{CursorHome, ErrorKind, SinkOptions, SinkSpec, connect};
use plaspy_types::feed::FeedCursor;
use support::postgres::{PASSWORD, Postgres};
use support::records::{alert, batch, fix, three_fixes};

async fn count(client: &tokio_postgres::Client, table: &str) -> i64 {
    client
        .query_one(&format!("SELECT count(*) FROM {table}"), &[])
        .await
        .unwrap()
        .get(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rows_and_cursor_land_in_one_transaction_and_a_replay_adds_nothing() {
    let pg = Postgres::start();
    let spec = SinkSpec::parse(&pg.url()).unwrap();
    let mut sink = connect(&spec, &SinkOptions::default()).await.unwrap();
    assert_eq!(sink.cursor_home(), CursorHome::Sink);
    assert_eq!(sink.load_cursor("default").await.unwrap(), None);

    let mut events = three_fixes("dev-01");
    events.push(alert("dev-01", 10));
    let (first, _) = batch("default", &FeedCursor::default(), &events);
    let ack = sink.deliver(&first).await.unwrap();
    assert_eq!(
        (ack.records, ack.duplicates, ack.cursor_stored),
        (4, 0, true)
    );

    let db = pg.client().await;
    assert_eq!(count(&db, "plaspy_positions").await, 3);
    assert_eq!(count(&db, "plaspy_events").await, 1);
    let rows = db
        .query(
            "SELECT seq, latitude, longitude, speed, course, fix->>'deviceId', date_time \
             FROM plaspy_positions ORDER BY date_time, seq",
            &[],
        )
        .await
        .unwrap();
    let seqs: Vec<i32> = rows.iter().map(|r| r.get(0)).collect();
    assert_eq!(seqs, [0, 1, 0], "two fixes share the first instant");
    assert_eq!(rows[1].get::<_, f64>(1), 4.61);
    assert_eq!(rows[1].get::<_, f64>(2), -74.01);
    assert_eq!(rows[1].get::<_, f64>(3), 42.5);
    assert_eq!(rows[1].get::<_, f64>(4), 90.0);
    assert_eq!(rows[1].get::<_, String>(5), "dev-01");
    let text: String = db
        .query_one("SELECT event->'alert'->>'text' FROM plaspy_events", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(text, "Overspeed");
    assert_eq!(
        sink.load_cursor("default").await.unwrap(),
        Some(first.cursor.clone())
    );

    // A watcher killed before it knew of the commit sends the same batch again.
    let ack = sink.deliver(&first).await.unwrap();
    assert_eq!((ack.records, ack.duplicates), (4, 4));
    assert_eq!(count(&db, "plaspy_positions").await, 3);
    assert_eq!(count(&db, "plaspy_events").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_watchers_share_one_database_under_their_own_feed_names() {
    let pg = Postgres::start();
    let spec = SinkSpec::parse(&pg.url()).unwrap();
    // Both create the tables at once: the advisory lock keeps them from racing.
    let options = SinkOptions::default();
    let (a, b) = tokio::join!(connect(&spec, &options), connect(&spec, &options));
    let (mut a, mut b) = (a.unwrap(), b.unwrap());
    let (batch_a, _) = batch("group-a", &FeedCursor::default(), &three_fixes("a-1"));
    let (batch_b, _) = batch(
        "group-b",
        &FeedCursor::default(),
        &[fix("b-1", 5, 1.0, 2.0)],
    );
    a.deliver(&batch_a).await.unwrap();
    b.deliver(&batch_b).await.unwrap();
    assert_eq!(
        a.load_cursor("group-a").await.unwrap(),
        Some(batch_a.cursor.clone())
    );
    assert_eq!(
        a.load_cursor("group-b").await.unwrap(),
        Some(batch_b.cursor.clone())
    );
    assert_ne!(batch_a.cursor, batch_b.cursor);
    let db = pg.client().await;
    assert_eq!(count(&db, "plaspy_positions").await, 4);
    assert_eq!(count(&db, "plaspy_feed_cursor").await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_goes_down_is_named_and_the_cursor_stays_put() {
    let mut pg = Postgres::start();
    let spec = SinkSpec::parse(&pg.url()).unwrap();
    let options = SinkOptions::default().with_timeout(Duration::from_secs(5));
    let mut sink = connect(&spec, &options).await.unwrap();
    let (first, after) = batch("default", &FeedCursor::default(), &three_fixes("dev-01"));
    sink.deliver(&first).await.unwrap();

    pg.stop();
    let (second, _) = batch("default", &after, &[fix("dev-01", 60, 4.7, -74.1)]);
    let err = sink.deliver(&second).await.unwrap_err();
    assert!(err.is_retryable(), "{err:?}");
    let shown = err.to_string();
    assert!(
        shown.contains(&format!(
            "postgres://plaspy:***@127.0.0.1:{}/postgres",
            pg.port
        )),
        "{shown}"
    );
    assert!(
        !shown.contains(PASSWORD) && !format!("{err:?}").contains(PASSWORD),
        "{shown}"
    );

    pg.run();
    // Nothing of the failed batch was stored: the cursor is the first batch's.
    assert_eq!(
        sink.load_cursor("default").await.unwrap(),
        Some(first.cursor.clone())
    );
    // The same sink reconnects and the batch goes through.
    sink.deliver(&second).await.unwrap();
    assert_eq!(
        sink.load_cursor("default").await.unwrap(),
        Some(second.cursor.clone())
    );
    assert_eq!(count(&pg.client().await, "plaspy_positions").await, 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_logins_and_closed_ports_are_named_without_the_password() {
    let pg = Postgres::start();
    let wrong = format!(
        "postgres://plaspy:not-{PASSWORD}@127.0.0.1:{}/postgres",
        pg.port
    );
    let err = connect(&SinkSpec::parse(&wrong).unwrap(), &SinkOptions::default())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth, "{err:?}");
    assert!(!err.is_retryable());
    assert!(err.to_string().contains("127.0.0.1"), "{err}");
    assert!(!format!("{err} {err:?}").contains(PASSWORD), "{err:?}");

    let closed = format!(
        "postgres://plaspy:{PASSWORD}@127.0.0.1:{}/postgres",
        support::free_port()
    );
    let err = connect(&SinkSpec::parse(&closed).unwrap(), &SinkOptions::default())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable, "{err:?}");
    assert!(err.is_retryable());
    assert!(
        err.to_string()
            .starts_with("sink postgres://plaspy:***@127.0.0.1:"),
        "{err}"
    );
    assert!(!format!("{err} {err:?}").contains(PASSWORD), "{err:?}");
}
