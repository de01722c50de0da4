//! Secrets never leak: the API key and tokens are absent from every `Debug` and from the
//! text of errors.

use crate::support::*;
use crate::{case, maybe};

#[maybe]
#[case]
async fn debug_output_hides_the_api_key_and_the_token() {
    let server = start_server().await;
    token_mock(&server).await;
    mock(&server, |when, then| {
        api(when, GET, "/api/devices");
        ok(then, json!({"success": true, "devices": []}));
    })
    .await;

    let builder = builder(&server);
    assert_no_secrets("the builder's Debug", &format!("{builder:?}"));
    let client = builder.build().unwrap();
    client.devices().list().await.unwrap();
    let access = client.token().await.unwrap();
    assert_eq!(access.token.expose(), TOKEN);

    let shown = format!("{client:?}");
    assert_no_secrets("the client's Debug", &shown);
    assert!(shown.contains(USER), "{shown}");
    assert_no_secrets("the client's pretty Debug", &format!("{client:#?}"));
    assert_no_secrets("the config's Debug", &format!("{:?}", client.config()));
    assert_no_secrets(
        "the credentials' Debug",
        &format!("{:?}", client.credentials()),
    );
    assert_no_secrets("the token's Debug", &format!("{access:?}"));
    assert_no_secrets("the token's Display", &access.token.to_string());
}

#[maybe]
#[case]
async fn errors_hide_the_api_key_and_the_token() {
    let server = start_server().await;
    let token = mock(&server, |when, then| {
        token_request(when);
        reply(then, 403, failure("Invalid API key or username.")).up_to_n_times(1);
    })
    .await;
    let result = client(&server).devices().list().await;
    assert_calls(&token, 1).await;
    let err = result.unwrap_err();
    assert!(matches!(err, Error::BadCredentials { .. }), "{err:?}");
    assert_no_secrets("a bad-credentials error", &format!("{err} / {err:?}"));

    token_mock(&server).await;
    let refused = mock(&server, |when, then| {
        when.method(GET).path("/api/users");
        reply(then, 401, json!({"success": false}));
    })
    .await;
    let result = client(&server).users().list().await;
    assert_calls(&refused, 2).await;
    let err = result.unwrap_err();
    assert!(
        matches!(err, Error::Unauthorized { message: None, .. }),
        "{err:?}"
    );
    assert_no_secrets("an unauthorized error", &format!("{err} / {err:?}"));
}
