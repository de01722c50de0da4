//! The token endpoint (#1) and the token lifecycle: lazy first fetch, caching, renewal
//! before expiry, one re-authentication on a 401, and bad credentials.

use std::time::Duration;

use chrono::Utc;
use plaspy_types::policy::clock::ManualClock;

use crate::support::*;
use crate::{case, maybe};

/// `GET /api/devices` answered with an empty list to requests bearing `token`.
#[maybe]
async fn devices_for<'a>(server: &'a MockServer, token: &str) -> Mock<'a> {
    let token = token.to_owned();
    mock(server, move |when, then| {
        api_with(when, &token, GET, "/api/devices");
        ok(then, json!({"success": true, "devices": []}));
    })
    .await
}

#[maybe]
#[case]
async fn token_endpoint() {
    let server = start_server().await;
    let expires = at("2030-06-01T12:00:00Z");
    let token = mock(&server, |when, then| {
        token_request(when);
        ok(then, token_body(TOKEN, expires));
    })
    .await;

    let client = client(&server);
    let result = client.token().await;
    assert_calls(&token, 1).await;
    let access = result.unwrap();
    assert_eq!(access.token.expose(), TOKEN);
    assert_eq!(access.expires, Some(expires));
    // The cached token is handed out again without a request.
    let again = client.token().await.unwrap();
    assert_eq!(again, access);
    assert_calls(&token, 1).await;
}

#[maybe]
#[case]
async fn token_is_fetched_lazily_and_cached() {
    let server = start_server().await;
    let token = token_mock(&server).await;
    let devices = devices_for(&server, TOKEN).await;

    // Building does no I/O, even for the default (remote) base URL.
    Client::new(USER, API_KEY).unwrap();
    let client = client(&server);
    let before = calls(&token).await;
    assert_eq!(before, 0, "building a client must not fetch a token");

    client.devices().list().await.unwrap();
    assert_calls(&token, 1).await;
    client.devices().list().await.unwrap();
    client.clone().devices().list().await.unwrap();
    assert_calls(&token, 1).await;
    assert_calls(&devices, 3).await;
}

/// Tokens live ten minutes and are renewed a minute early. The lifetime is measured against
/// the server's `Date` header, so the client clock may be `skew` off without harm.
#[maybe]
async fn renewal_with_client_clock_off_by(skew: chrono::Duration) {
    let server = start_server().await;
    let first = token_mock_with(&server, TOKEN, Some(1)).await;
    let second = token_mock_with(&server, TOKEN_2, None).await;
    let with_first = devices_for(&server, TOKEN).await;
    let with_second = devices_for(&server, TOKEN_2).await;
    let clock = ManualClock::new(Utc::now() + skew);
    let client = builder(&server).clock(clock.clone()).build().unwrap();

    client.devices().list().await.unwrap();
    clock.advance(Duration::from_secs(8 * 60));
    client.devices().list().await.unwrap();
    assert_calls(&first, 1).await;
    assert_calls(&second, 0).await;
    assert_calls(&with_first, 2).await;

    // 9.5 minutes in: past the renewal point, still before the expiry.
    clock.advance(Duration::from_secs(90));
    client.devices().list().await.unwrap();
    assert_calls(&second, 1).await;
    assert_calls(&with_first, 2).await;
    assert_calls(&with_second, 1).await;
    let current = client.token().await.unwrap();
    assert_eq!(current.token.expose(), TOKEN_2);
}

#[maybe]
#[case]
async fn token_is_renewed_before_it_expires() {
    renewal_with_client_clock_off_by(chrono::Duration::zero()).await;
}

#[maybe]
#[case]
async fn renewal_survives_a_client_clock_hours_ahead() {
    renewal_with_client_clock_off_by(chrono::Duration::hours(3)).await;
}

#[maybe]
#[case]
async fn renewal_survives_a_client_clock_hours_behind() {
    renewal_with_client_clock_off_by(chrono::Duration::hours(-3)).await;
}

#[maybe]
#[case]
async fn a_token_without_expiry_is_renewed_after_the_fallback_lifetime() {
    let server = start_server().await;
    let first = mock(&server, |when, then| {
        token_request(when);
        ok(
            then,
            json!({"success": true, "token": TOKEN, "expires": null}),
        )
        .up_to_n_times(1);
    })
    .await;
    let second = token_mock_with(&server, TOKEN_2, None).await;
    devices_for(&server, TOKEN).await;
    devices_for(&server, TOKEN_2).await;
    let clock = ManualClock::new(Utc::now());
    let client = builder(&server).clock(clock.clone()).build().unwrap();

    // Assumed to live 5 minutes, renewed a minute early.
    client.devices().list().await.unwrap();
    clock.advance(Duration::from_secs(3 * 60 + 30));
    client.devices().list().await.unwrap();
    assert_calls(&first, 1).await;
    assert_calls(&second, 0).await;
    clock.advance(Duration::from_secs(60));
    client.devices().list().await.unwrap();
    assert_calls(&second, 1).await;
}

#[maybe]
#[case]
async fn a_refused_token_is_renewed_once_and_the_call_retried() {
    let server = start_server().await;
    let first = token_mock_with(&server, TOKEN, Some(1)).await;
    let second = token_mock_with(&server, TOKEN_2, None).await;
    let refused = mock(&server, |when, then| {
        api_with(when, TOKEN, GET, "/api/devices");
        reply(then, 401, failure("Token expired"));
    })
    .await;
    let accepted = mock(&server, |when, then| {
        api_with(when, TOKEN_2, GET, "/api/devices");
        ok(
            then,
            json!({"success": true, "devices": [device_json("dev-1")]}),
        );
    })
    .await;

    let result = client(&server).devices().list().await;
    assert_calls(&first, 1).await;
    assert_calls(&second, 1).await;
    assert_calls(&refused, 1).await;
    assert_calls(&accepted, 1).await;
    assert_eq!(result.unwrap()[0].id(), "dev-1");
}

#[maybe]
#[case]
async fn a_second_401_is_unauthorized_without_a_loop() {
    let server = start_server().await;
    let token = token_mock(&server).await;
    let refused = mock(&server, |when, then| {
        when.method(GET).path("/api/groups");
        reply(then, 401, failure("Token revoked"));
    })
    .await;

    let client = client(&server);
    let result = client.groups().list().await;
    assert_calls(&token, 2).await;
    assert_calls(&refused, 2).await;
    match result {
        Err(Error::Unauthorized { message, .. }) => {
            assert_eq!(message.as_deref(), Some("Token revoked"))
        }
        other => panic!("expected Unauthorized, got {other:?}"),
    }
}

#[maybe]
#[case]
async fn bad_credentials_fail_at_once() {
    let server = start_server().await;
    let token = mock(&server, |when, then| {
        token_request(when);
        reply(then, 401, failure("Invalid API key or username."));
    })
    .await;
    let devices = devices_for(&server, TOKEN).await;

    let result = client(&server).devices().list().await;
    assert_calls(&token, 1).await;
    assert_calls(&devices, 0).await;
    match result {
        Err(Error::BadCredentials { message, .. }) => {
            assert_eq!(message, "Invalid API key or username.")
        }
        other => panic!("expected BadCredentials, got {other:?}"),
    }
}

#[maybe]
#[case]
async fn success_false_from_the_token_endpoint_is_bad_credentials() {
    let server = start_server().await;
    let token = mock(&server, |when, then| {
        token_request(when);
        ok(then, failure("Invalid API key or username."));
    })
    .await;

    let result = client(&server).token().await;
    assert_calls(&token, 1).await;
    match result {
        Err(Error::BadCredentials { message, .. }) => {
            assert_eq!(message, "Invalid API key or username.")
        }
        other => panic!("expected BadCredentials, got {other:?}"),
    }
}

#[maybe]
#[case]
async fn a_create_refused_with_401_is_sent_once_more_after_renewal() {
    // A 401 means the request was not acted on, so even a create may go again, once.
    let server = start_server().await;
    token_mock_with(&server, TOKEN, Some(1)).await;
    let second = token_mock_with(&server, TOKEN_2, None).await;
    let refused = mock(&server, |when, then| {
        when.method(POST)
            .path("/api/groups")
            .header("authorization", bearer(TOKEN));
        reply(then, 401, failure("Token expired"));
    })
    .await;
    let created = mock(&server, |when, then| {
        when.method(POST)
            .path("/api/groups")
            .header("authorization", bearer(TOKEN_2));
        reply(then, 201, flattened(group_json("grp-1", "North depot")));
    })
    .await;

    let result = client(&server)
        .groups()
        .create(&plaspy_types::GroupInput::new("North depot"))
        .await;
    assert_calls(&second, 1).await;
    assert_calls(&refused, 1).await;
    assert_calls(&created, 1).await;
    assert_eq!(result.unwrap().id(), "grp-1");
}
