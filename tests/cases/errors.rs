//! How failures reach the caller: error statuses with and without an envelope,
//! `success:false` on a 200, undecodable payloads, and invalid input caught before sending.

use chrono::Duration;
use plaspy_types::{Command, GroupInput, PatchOperation, UserInput};

use crate::support::*;
use crate::{case, maybe};

#[maybe]
#[case]
async fn an_html_502_is_an_http_error_with_an_excerpt() {
    let server = start_server().await;
    token_mock(&server).await;
    let gateway = mock(&server, |when, then| {
        api(when, GET, "/api/devices");
        then.status(502)
            .header("content-type", "text/html")
            .body("<html>\n  <body><h1>502   Bad Gateway</h1></body>\n</html>");
    })
    .await;

    let result = client(&server).devices().list().await;
    // A 502 is transient: retried up to the attempt limit first.
    assert_calls(&gateway, 3).await;
    match result {
        Err(Error::Http {
            status, excerpt, ..
        }) => {
            assert_eq!(status, 502);
            assert!(excerpt.contains("<h1>502 Bad Gateway</h1>"), "{excerpt}");
        }
        other => panic!("expected Http, got {other:?}"),
    }
}

#[maybe]
#[case]
async fn a_404_is_not_found_with_the_server_message() {
    let server = start_server().await;
    token_mock(&server).await;
    let missing = mock(&server, |when, then| {
        api(when, GET, "/api/devices/dev-404");
        reply(then, 404, failure("Device not found"));
    })
    .await;

    let result = client(&server).devices().get("dev-404").await;
    assert_calls(&missing, 1).await;
    match result {
        Err(err @ Error::NotFound { .. }) => {
            assert_eq!(err.to_string(), "not found: Device not found");
            assert_eq!(err.status(), Some(404));
        }
        other => panic!("expected NotFound, got {other:?}"),
    }
}

#[maybe]
#[case]
async fn a_409_is_a_conflict() {
    let server = start_server().await;
    token_mock(&server).await;
    let conflict = mock(&server, |when, then| {
        when.method(POST).path("/api/users");
        reply(then, 409, failure("E-mail already in use"));
    })
    .await;

    let input = UserInput::new("Ana", "ana@example.com", "CO", "America/Bogota");
    let result = client(&server).users().create(&input).await;
    assert_calls(&conflict, 1).await;
    match result {
        Err(Error::Conflict { message, .. }) => {
            assert_eq!(message.as_deref(), Some("E-mail already in use"))
        }
        other => panic!("expected Conflict, got {other:?}"),
    }
}

#[maybe]
#[case]
async fn a_403_is_forbidden() {
    let server = start_server().await;
    token_mock(&server).await;
    let forbidden = mock(&server, |when, then| {
        api(when, DELETE, "/api/users/usr-1");
        then.status(403);
    })
    .await;

    let result = client(&server).users().delete("usr-1").await;
    assert_calls(&forbidden, 1).await;
    assert!(
        matches!(result, Err(Error::Forbidden { message: None, .. })),
        "{result:?}"
    );
}

#[maybe]
#[case]
async fn success_false_on_a_200_is_an_api_error() {
    let server = start_server().await;
    token_mock(&server).await;
    let refused = mock(&server, |when, then| {
        api(when, GET, "/api/groups/grp-0");
        ok(
            then,
            json!({"success": false, "error": "Group not found", "apiUsage": 3}),
        );
    })
    .await;

    let result = client(&server).groups().get("grp-0").await;
    // A 200 is final: not retried.
    assert_calls(&refused, 1).await;
    match result {
        Err(Error::Api {
            status, message, ..
        }) => {
            assert_eq!((status, message.as_str()), (200, "Group not found"))
        }
        other => panic!("expected Api, got {other:?}"),
    }
}

#[maybe]
#[case]
async fn an_undecodable_payload_names_the_field() {
    let server = start_server().await;
    token_mock(&server).await;
    let bad = mock(&server, |when, then| {
        api(when, GET, "/api/devices/dev-1/lastLocation");
        let fix = json!({"dateTime": "yesterday", "latitude": 1, "longitude": 2});
        ok(then, json!({"success": true, "lastLocation": fix}));
    })
    .await;

    let result = client(&server).devices().last_location("dev-1").await;
    assert_calls(&bad, 1).await;
    match result {
        Err(Error::Decode { path, message, .. }) => {
            assert_eq!(path, "lastLocation.dateTime");
            assert!(message.contains("yesterday"), "{message}");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
}

#[track_caller]
fn refused<T: std::fmt::Debug>(result: Result<T, Error>) {
    assert!(
        matches!(result, Err(Error::InvalidInput { .. })),
        "{result:?}"
    );
}

#[maybe]
#[case]
async fn invalid_input_is_refused_without_a_request() {
    let server = start_server().await;
    let anything = mock(&server, |when, then| {
        when.any_request();
        ok(then, json!({"success": true}));
    })
    .await;
    let client = client(&server);
    let (from, to) = (at("2024-06-02T00:00:00Z"), at("2024-06-01T00:00:00Z"));

    refused(
        client
            .devices()
            .send_command("dev-1", &Command::hex("0g"))
            .await,
    );
    refused(
        client
            .devices()
            .send_command("dev-1", &Command::hex("abc"))
            .await,
    );
    refused(
        client
            .devices()
            .send_command("dev-1", &Command::base64("not base64!"))
            .await,
    );
    refused(
        client
            .devices()
            .send_command("dev-1", &Command::text("  "))
            .await,
    );
    refused(client.groups().create(&GroupInput::new(" ")).await);
    refused(client.groups().update("grp-1", &GroupInput::new("")).await);
    refused(client.devices().get("").await);
    refused(client.devices().last_location("  ").await);
    refused(client.groups().delete("").await);
    refused(client.users().get("..").await);
    refused(client.users().patch("usr-1", &[]).await);
    refused(
        client
            .users()
            .patch("usr-1", &[PatchOperation::remove("name")])
            .await,
    );
    refused(
        client
            .users()
            .create(&UserInput::new("Ana", "not-an-email", "CO", "UTC"))
            .await,
    );
    refused(client.devices().locations("dev-1", from, to).await);
    refused(
        client
            .devices()
            .alerts("dev-1", from, to - Duration::days(1))
            .await,
    );
    assert_calls(&anything, 0).await;
}
