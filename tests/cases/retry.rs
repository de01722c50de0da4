//! Retries of requests that are safe to repeat: transient statuses and timeouts are retried
//! up to the attempt limit, and `Retry-After` is honoured within the wait budget.

use std::time::Duration;

use plaspy_types::GroupInput;

use crate::support::*;
use crate::{case, maybe};

#[maybe]
#[case]
async fn a_503_is_retried_then_succeeds() {
    let server = start_server().await;
    token_mock(&server).await;
    let unavailable = mock(&server, |when, then| {
        api(when, GET, "/api/devices");
        reply(then, 503, failure("Service Unavailable")).up_to_n_times(1);
    })
    .await;
    let devices = mock(&server, |when, then| {
        api(when, GET, "/api/devices");
        ok(
            then,
            json!({"success": true, "devices": [device_json("dev-1")]}),
        );
    })
    .await;

    let result = client(&server).devices().list().await;
    assert_calls(&unavailable, 1).await;
    assert_calls(&devices, 1).await;
    assert_eq!(result.unwrap().len(), 1);
}

#[maybe]
#[case]
async fn persistent_503_gives_up_after_the_attempt_limit() {
    let server = start_server().await;
    token_mock(&server).await;
    let unavailable = mock(&server, |when, then| {
        api(when, GET, "/api/groups/grp-1");
        reply(then, 503, failure("Maintenance"));
    })
    .await;

    let result = client(&server).groups().get("grp-1").await;
    assert_calls(&unavailable, 3).await;
    assert!(
        matches!(&result, Err(Error::Api { status: 503, message, .. }) if message == "Maintenance"),
        "{result:?}"
    );
}

#[maybe]
#[case]
async fn retry_after_within_the_budget_is_waited_for() {
    let server = start_server().await;
    token_mock(&server).await;
    let limited = mock(&server, |when, then| {
        api(when, GET, "/api/users");
        reply(then, 429, failure("Too many requests"))
            .header("retry-after", "1")
            .up_to_n_times(1);
    })
    .await;
    let users = mock(&server, |when, then| {
        api(when, GET, "/api/users");
        ok(
            then,
            json!({"success": true, "users": [user_json("usr-1")]}),
        );
    })
    .await;

    let result = client(&server).users().list().await;
    assert_calls(&limited, 1).await;
    assert_calls(&users, 1).await;
    assert_eq!(result.unwrap().len(), 1);
}

#[maybe]
#[case]
async fn retry_after_beyond_the_budget_gives_up_at_once() {
    let server = start_server().await;
    token_mock(&server).await;
    let limited = mock(&server, |when, then| {
        api(when, GET, "/api/users");
        reply(then, 429, failure("Daily limit reached")).header("retry-after", "3600");
    })
    .await;

    let result = client(&server).users().list().await;
    assert_calls(&limited, 1).await;
    match result {
        Err(Error::RateLimited {
            retry_after,
            message,
            ..
        }) => {
            assert_eq!(retry_after, Some(Duration::from_secs(3600)));
            assert_eq!(message.as_deref(), Some("Daily limit reached"));
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
}

#[maybe]
#[case]
async fn retry_after_as_an_http_date() {
    let server = start_server().await;
    token_mock(&server).await;
    let passed = mock(&server, |when, then| {
        api(when, GET, "/api/groups");
        reply(then, 503, json!({}))
            .header("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")
            .up_to_n_times(1);
    })
    .await;
    let later =
        (chrono::Utc::now() + chrono::Duration::hours(2)).format("%a, %d %b %Y %H:%M:%S GMT");
    let later = later.to_string();
    let distant = mock(&server, move |when, then| {
        api(when, GET, "/api/groups");
        reply(then, 429, json!({})).header("retry-after", later);
    })
    .await;

    // A date already past: retried at once. A date two hours ahead: beyond the budget.
    let result = client(&server).groups().list().await;
    assert_calls(&passed, 1).await;
    assert_calls(&distant, 1).await;
    match result {
        Err(Error::RateLimited {
            retry_after: Some(wait),
            ..
        }) => {
            assert!(
                wait > Duration::from_secs(7000) && wait <= Duration::from_secs(7200),
                "{wait:?}"
            );
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
}

#[maybe]
#[case]
async fn retry_after_replaces_the_backoff() {
    // The millisecond backoff would fit a 500 ms budget; the 1 s the server asks for does not.
    let server = start_server().await;
    token_mock(&server).await;
    let limited = mock(&server, |when, then| {
        api(when, GET, "/api/devices");
        reply(then, 429, json!({})).header("retry-after", "1");
    })
    .await;
    let policy = fast_retries().with_max_total_wait(Duration::from_millis(500));
    let client = builder(&server).retry_policy(policy).build().unwrap();

    let result = client.devices().list().await;
    assert_calls(&limited, 1).await;
    match result {
        Err(Error::RateLimited {
            retry_after,
            message,
            ..
        }) => {
            assert_eq!(retry_after, Some(Duration::from_secs(1)));
            assert_eq!(message, None);
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
}

#[maybe]
#[case]
async fn a_slow_safe_request_times_out_after_its_retries() {
    let server = start_server().await;
    token_mock(&server).await;
    let slow = mock(&server, |when, then| {
        api(when, GET, "/api/devices/dev-1");
        ok(
            then,
            json!({"success": true, "device": device_json("dev-1")}),
        )
        .delay(SLOW_REPLY);
    })
    .await;
    let client = builder(&server).timeout(SHORT_TIMEOUT).build().unwrap();

    let result = client.devices().get("dev-1").await;
    assert_calls(&slow, 3).await;
    match result {
        Err(
            err @ Error::Timeout {
                after, attempts, ..
            },
        ) => {
            assert_eq!(after, Some(SHORT_TIMEOUT));
            assert_eq!(attempts, 3);
            // The message tells the whole wait, not one attempt's.
            let shown = err.to_string();
            assert!(shown.contains("after 3 attempts over"), "{shown}");
            assert!(shown.contains("(0.5s each)"), "{shown}");
        }
        other => panic!("expected Timeout, got {other:?}"),
    }
}

#[maybe]
#[case]
async fn max_retries_zero_disables_retries() {
    let server = start_server().await;
    token_mock(&server).await;
    let unavailable = mock(&server, |when, then| {
        api(when, GET, "/api/devices");
        reply(then, 503, failure("Service Unavailable"));
    })
    .await;
    let client = builder(&server).max_retries(0).build().unwrap();

    let result = client.devices().list().await;
    assert_calls(&unavailable, 1).await;
    assert!(
        matches!(result, Err(Error::Api { status: 503, .. })),
        "{result:?}"
    );
}

#[maybe]
#[case]
async fn a_refused_connection_is_a_transport_error_known_not_sent() {
    // A port nobody listens on: bind one, then free it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::builder()
        .credentials(USER, API_KEY)
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry_policy(fast_retries())
        .build()
        .unwrap();

    let result = client
        .groups()
        .create(&GroupInput::new("North depot"))
        .await;
    assert!(
        matches!(result, Err(Error::Transport { not_sent: true, .. })),
        "{result:?}"
    );
}
