//! `BlockingSink`: the sinks from synchronous code (as the CLI drives them).

mod support;

use std::time::Duration;

use plaspy_sinks::{BlockingSink, CursorHome, SinkOptions, SinkSpec};
use plaspy_types::feed::FeedCursor;
use plaspy_types::policy::retry::RetryPolicy;
use support::nats::Nats;
use support::records::{batch, fix, three_fixes};

#[test]
fn a_synchronous_caller_delivers_and_resumes_from_the_sink_cursor() {
    let nats = Nats::start();
    let spec = SinkSpec::parse(&nats.url("fleet")).unwrap();
    let options = SinkOptions::default().with_timeout(Duration::from_secs(5));
    let mut sink = BlockingSink::connect(&spec, &options).unwrap();
    assert_eq!(sink.cursor_home(), CursorHome::Sink);
    assert!(sink.to_string().starts_with("nats://plaspy:***@127.0.0.1:"));
    let (first, after) = batch("north", &FeedCursor::default(), &three_fixes("d"));
    assert_eq!(sink.deliver(&first).unwrap().records, 3);
    let (second, _) = batch("north", &after, &[fix("d", 60, 1.0, 2.0)]);
    let ack = sink
        .deliver_with_retry(&second, &RetryPolicy::default(), |_, _| true)
        .unwrap();
    assert_eq!(ack.duplicates, 0);
    sink.close().unwrap();

    // A new process (a restarted watcher) reads the cursor back.
    let mut again = BlockingSink::connect(&spec, &options).unwrap();
    assert_eq!(again.load_cursor("north").unwrap(), Some(second.cursor));
}

#[test]
fn giving_up_on_retry_returns_the_error_at_once() {
    let url = format!("http://127.0.0.1:{}/hook", support::free_port());
    let options = SinkOptions::default().with_retry(RetryPolicy::none());
    let mut sink = BlockingSink::connect(&SinkSpec::parse(&url).unwrap(), &options).unwrap();
    let (first, _) = batch("default", &FeedCursor::default(), &three_fixes("d"));
    let mut asked = 0;
    let err = sink
        .deliver_with_retry(&first, &RetryPolicy::default(), |_, _| {
            asked += 1;
            false // e.g. SIGTERM arrived
        })
        .unwrap_err();
    assert_eq!(asked, 1);
    assert!(err.is_retryable());
    assert!(err.to_string().starts_with(&format!("sink {url}")), "{err}");
}
