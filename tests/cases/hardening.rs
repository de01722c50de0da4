//! Hostile servers and careless callers (issue 9): secrets a server echoes are redacted,
//! careless input is refused before anything is sent, and a silent server cannot hold a
//! call longer than its deadline.

use plaspy_types::{Command, PatchOperation};

use crate::support::*;
use crate::{case, maybe};

/// A catch-all mock: anything that reaches the server is counted (and fails).
#[maybe]
async fn anything(server: &MockServer) -> Mock<'_> {
    mock(server, |_when, then| {
        then.status(500).body("nothing should have been sent");
    })
    .await
}

#[maybe]
#[case]
async fn secrets_echoed_by_the_server_are_redacted() {
    let server = start_server().await;
    token_mock(&server).await;
    // A gateway error page quoting the whole request, the key and the token, and cut
    // short in the middle of the token.
    let page = format!(
        "<html><body><h1>502 Bad Gateway</h1><pre>Authorization: Bearer {TOKEN} apiKey={API_KEY}</pre></body></html>"
    );
    mock(&server, |when, then| {
        api(when, GET, "/api/devices");
        then.status(502)
            .header("content-type", "text/html")
            .body(page);
    })
    .await;
    let cut = format!("{}{}", "x".repeat(140), TOKEN);
    mock(&server, |when, then| {
        api(when, GET, "/api/groups");
        then.status(503).body(cut);
    })
    .await;
    // A 401 whose message quotes the refused token (it is renewed once, then given up).
    mock(&server, |when, then| {
        api(when, GET, "/api/users");
        reply(then, 401, failure(&format!("token {TOKEN} is not valid")));
    })
    .await;
    // A 200 `success:false` quoting the key.
    mock(&server, |when, then| {
        api(when, GET, "/api/devices/dev-1");
        ok(then, failure(&format!("key {API_KEY} lacks a licence")));
    })
    .await;

    let client = client(&server);
    let errors = [
        client.devices().list().await.unwrap_err(),
        client.groups().list().await.unwrap_err(),
        client.users().list().await.unwrap_err(),
        client.devices().get("dev-1").await.unwrap_err(),
    ];
    for err in &errors {
        let shown = format!("{err} / {err:?}");
        assert_no_secrets("an error quoting the server", &shown);
        assert!(shown.contains("[redacted]"), "{shown}");
    }
    assert!(
        matches!(errors[0], Error::Http { status: 502, .. }),
        "{:?}",
        errors[0]
    );
    assert!(
        matches!(errors[2], Error::Unauthorized { .. }),
        "{:?}",
        errors[2]
    );
}

#[maybe]
#[case]
async fn a_token_endpoint_echoing_the_key_is_redacted() {
    let server = start_server().await;
    mock(&server, |when, then| {
        token_request(when);
        reply(then, 401, failure(&format!("unknown key {API_KEY}")));
    })
    .await;
    let err = client(&server).token().await.unwrap_err();
    assert!(matches!(err, Error::BadCredentials { .. }), "{err:?}");
    assert_no_secrets("a bad-credentials error", &format!("{err} / {err:?}"));
    assert!(err.to_string().contains("unknown key [redacted]"), "{err}");
}

#[maybe]
#[case]
async fn careless_input_is_refused_before_sending() {
    let server = start_server().await;
    token_mock(&server).await;
    let sent = anything(&server).await;
    let client = client(&server);

    let empty = client.devices().last_location("").await;
    assert!(
        matches!(empty, Err(Error::InvalidInput { .. })),
        "{empty:?}"
    );

    let huge = "7".repeat(100 * 1024);
    let err = client.devices().get(&huge).await.unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
    assert!(err.to_string().contains("id is 102400 bytes long"), "{err}");

    let separators = client
        .devices()
        .send_command("dev-1", &Command::hex(" - "))
        .await;
    let err = separators.unwrap_err();
    assert!(err.to_string().contains("no hex digits"), "{err}");

    for pointer in ["", "/", "name", "/a~2"] {
        let ops = [PatchOperation::remove(pointer)];
        let err = client.groups().patch("grp-1", &ops).await.unwrap_err();
        assert!(
            matches!(err, Error::InvalidInput { .. }),
            "{pointer:?}: {err:?}"
        );
        assert!(err.to_string().contains("JSON Pointer"), "{err}");
    }
    assert_calls(&sent, 0).await;
}

#[maybe]
#[case]
async fn credentials_with_a_line_break_are_refused_by_name() {
    let server = start_server().await;
    let sent = anything(&server).await;
    for (user, key, named) in [
        (
            USER,
            "apikey-7Hq2-SECRET-KEY\n",
            "API key contains a line break",
        ),
        (USER, "apikey\r\nX-Evil: 1", "API key contains a line break"),
        ("fleet\r\nadmin", API_KEY, "user name contains a line break"),
    ] {
        let built = Client::builder()
            .credentials(user, key)
            .base_url(server.base_url())
            .build();
        let err = built.unwrap_err();
        assert!(matches!(err, Error::InvalidConfig { .. }), "{err:?}");
        assert!(err.to_string().contains(named), "{err}");
        assert_no_secrets("a credentials error", &err.to_string());
    }
    assert_calls(&sent, 0).await;
}

#[maybe]
#[case]
async fn a_token_with_a_line_break_is_a_clear_error() {
    let server = start_server().await;
    let token = token_mock_with(&server, "eyJ.SECRET\r\nX-Injected: 1", None).await;
    let devices = mock(&server, |when, then| {
        when.path("/api/devices");
        ok(then, json!({"success": true, "devices": []}));
    })
    .await;
    let err = client(&server).devices().list().await.unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    let shown = err.to_string();
    assert!(shown.contains("token containing a line break"), "{shown}");
    assert!(
        !shown.contains("SECRET") && !shown.contains("Injected"),
        "{shown}"
    );
    assert_calls(&token, 1).await;
    assert_calls(&devices, 0).await;
}

/// A deadline shorter than one attempt cuts that attempt short: a command (never retried)
/// to a silent server fails after the deadline, not after the 30 s attempt limit.
#[maybe]
#[case]
async fn the_deadline_cuts_a_single_attempt_short() {
    let server = start_server().await;
    token_mock(&server).await;
    let silent = mock(&server, |when, then| {
        when.method(POST).path("/api/devices/dev-1/sendCommand");
        ok(then, json!({"success": true, "result": "sent"})).delay(SLOW_REPLY);
    })
    .await;
    let deadline = std::time::Duration::from_millis(300);
    let client = builder(&server).deadline(deadline).build().unwrap();

    let result = client
        .devices()
        .send_command("dev-1", &Command::text("engineStop"))
        .await;
    assert_calls(&silent, 1).await;
    let err = result.unwrap_err();
    match &err {
        Error::Timeout {
            deadline: Some(limit),
            attempts: 1,
            ..
        } => assert_eq!(*limit, deadline),
        other => panic!("expected a deadline timeout, got {other:?}"),
    }
    let shown = err.to_string();
    assert!(
        shown.contains("the 0.3s deadline for the call passed after 1 attempt over"),
        "{shown}"
    );
}

/// Retries stop at the deadline: a retried query to a silent server makes fewer attempts
/// than the retry policy allows and says so.
#[maybe]
#[case]
async fn retries_stop_at_the_deadline() {
    let server = start_server().await;
    token_mock(&server).await;
    let silent = mock(&server, |when, then| {
        api(when, GET, "/api/devices");
        ok(then, json!({"success": true, "devices": []})).delay(SLOW_REPLY);
    })
    .await;
    // Attempts of 0.5 s, 3 allowed (1.5 s), but the whole call may take 0.7 s.
    let deadline = std::time::Duration::from_millis(700);
    let client = builder(&server)
        .timeout(SHORT_TIMEOUT)
        .deadline(deadline)
        .build()
        .unwrap();

    let err = client.devices().list().await.unwrap_err();
    let made = calls(&silent).await;
    assert!(
        (1..=2).contains(&made),
        "{made} attempts within the deadline"
    );
    match &err {
        Error::Timeout {
            deadline: Some(limit),
            after: Some(each),
            ..
        } => {
            assert_eq!(*limit, deadline);
            assert_eq!(*each, SHORT_TIMEOUT);
        }
        other => panic!("expected a deadline timeout, got {other:?}"),
    }
    assert!(err.to_string().contains("0.7s deadline"), "{err}");
}

#[maybe]
#[case]
async fn a_zero_deadline_is_refused() {
    let server = start_server().await;
    let built = builder(&server).deadline(std::time::Duration::ZERO).build();
    assert!(
        matches!(built, Err(Error::InvalidConfig { .. })),
        "{built:?}"
    );
}

/// A reply holding more records than the configured limit fails with a clear error.
#[maybe]
#[case]
async fn replies_over_the_record_limit_are_refused() {
    let server = start_server().await;
    token_mock(&server).await;
    mock(&server, |when, then| {
        api(when, GET, "/api/devices");
        let devices: Vec<_> = (0..3).map(|i| device_json(&format!("dev-{i}"))).collect();
        ok(then, json!({"success": true, "devices": devices}));
    })
    .await;
    let two = builder(&server).max_records(2).build().unwrap();
    let err = two.devices().list().await.unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert!(err.to_string().contains("more than 2 records"), "{err}");
    let three = builder(&server).max_records(3).build().unwrap();
    let listed = three.devices().list().await.unwrap();
    assert_eq!(listed.len(), 3);
    let zero = builder(&server).max_records(0).build();
    assert!(matches!(zero, Err(Error::InvalidConfig { .. })), "{zero:?}");
}
