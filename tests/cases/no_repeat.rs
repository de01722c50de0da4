//! Creations, patches and commands are never repeated automatically once they may have
//! reached the server: not after a 503, not after a timeout.

use plaspy_types::{Command, GroupInput, PatchOperation, UserInput};

use crate::support::*;
use crate::{case, maybe};

#[maybe]
#[case]
async fn a_create_is_not_repeated_after_a_503() {
    let server = start_server().await;
    token_mock(&server).await;
    let create = mock(&server, |when, then| {
        when.method(POST).path("/api/groups");
        reply(then, 503, failure("Service Unavailable"));
    })
    .await;

    let result = client(&server)
        .groups()
        .create(&GroupInput::new("North depot"))
        .await;
    assert_calls(&create, 1).await;
    assert!(
        matches!(result, Err(Error::Api { status: 503, .. })),
        "{result:?}"
    );
}

#[maybe]
#[case]
async fn a_patch_is_not_repeated_after_a_503() {
    let server = start_server().await;
    token_mock(&server).await;
    let patch = mock(&server, |when, then| {
        when.method(PATCH).path("/api/users/usr-1");
        then.status(503).body("");
    })
    .await;

    let operations = [PatchOperation::replace("/name", json!("Ana"))];
    let result = client(&server).users().patch("usr-1", &operations).await;
    assert_calls(&patch, 1).await;
    assert!(
        matches!(result, Err(Error::Http { status: 503, .. })),
        "{result:?}"
    );
}

#[maybe]
#[case]
async fn a_command_is_not_repeated_after_a_503() {
    let server = start_server().await;
    token_mock(&server).await;
    let command = mock(&server, |when, then| {
        when.method(POST).path("/api/devices/dev-1/sendCommand");
        reply(then, 503, failure("Gateway busy"));
    })
    .await;

    let result = client(&server)
        .devices()
        .send_command("dev-1", &Command::text("engineStop"))
        .await;
    assert_calls(&command, 1).await;
    assert!(
        matches!(result, Err(Error::Api { status: 503, .. })),
        "{result:?}"
    );
}

#[maybe]
#[case]
async fn a_command_is_not_repeated_after_a_timeout() {
    let server = start_server().await;
    token_mock(&server).await;
    let command = mock(&server, |when, then| {
        when.method(POST).path("/api/devices/dev-1/sendCommand");
        ok(then, json!({"success": true, "result": "late"})).delay(SLOW_REPLY);
    })
    .await;
    let client = builder(&server).timeout(SHORT_TIMEOUT).build().unwrap();

    let result = client
        .devices()
        .send_command("dev-1", &Command::text("engineStop"))
        .await;
    assert_calls(&command, 1).await;
    assert!(matches!(result, Err(Error::Timeout { .. })), "{result:?}");
}

#[maybe]
#[case]
async fn a_create_is_not_repeated_after_a_timeout() {
    let server = start_server().await;
    token_mock(&server).await;
    let create = mock(&server, |when, then| {
        when.method(POST).path("/api/users");
        ok(then, flattened(user_json("usr-1"))).delay(SLOW_REPLY);
    })
    .await;
    let client = builder(&server).timeout(SHORT_TIMEOUT).build().unwrap();

    let input = UserInput::new("Ana", "ana@example.com", "CO", "America/Bogota");
    let result = client.users().create(&input).await;
    assert_calls(&create, 1).await;
    assert!(matches!(result, Err(Error::Timeout { .. })), "{result:?}");
}
