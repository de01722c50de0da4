//! The token lifecycle against the sandbox: a refused token is renewed once (401 →
//! re-authentication), and a token is renewed ahead of its expiry by the client's clock.

use std::sync::Arc;
use std::time::Duration;

use plaspy_types::policy::clock::ManualClock;

use crate::support::*;
use crate::{case, maybe};

#[maybe]
#[case]
async fn sandbox_expired_tokens_are_renewed_on_the_401() {
    let sandbox = sandbox();
    let client = sandbox_client(&sandbox);
    let first = client.token().await.unwrap();
    client.devices().list().await.unwrap();
    let before = client.usage().api_usage.unwrap();

    assert_eq!(
        sandbox.control().expire_tokens(),
        1,
        "the client's token was live"
    );
    let devices = client.devices().list().await.unwrap();
    assert!(devices.len() >= 25);

    // A second token was issued: the token request counted as well as the call (the
    // refused attempt never reached the API, so it did not count).
    assert_eq!(client.usage().api_usage, Some(before + 2));
    let second = client.token().await.unwrap();
    assert_ne!(second.token, first.token);
    // And it is the one in use now: one more call counts one request.
    client.groups().list().await.unwrap();
    assert_eq!(client.usage().api_usage, Some(before + 3));
}

#[maybe]
#[case]
async fn sandbox_clones_share_the_renewed_token() {
    let sandbox = sandbox();
    let client = sandbox_client(&sandbox);
    let clone = client.clone();
    let first = client.token().await.unwrap();

    sandbox.control().expire_tokens();
    clone.users().list().await.unwrap();
    let renewed = client.token().await.unwrap();
    assert_ne!(renewed.token, first.token);
    let before = client.usage().api_usage.unwrap();
    client.users().list().await.unwrap();
    assert_eq!(
        client.usage().api_usage,
        Some(before + 1),
        "no second renewal"
    );
}

#[maybe]
#[case]
async fn sandbox_time_past_the_expiry_is_renewed_on_the_401() {
    let sandbox = sandbox();
    let client = sandbox_client(&sandbox);
    let first = client.token().await.unwrap();

    // The server's time moves an hour and a minute on; the client's does not, so it still
    // sends its token, which the server refuses.
    sandbox.control().advance_clock(3660);
    let before = client.usage().api_usage.unwrap();
    client.groups().list().await.unwrap();
    assert_eq!(client.usage().api_usage, Some(before + 2));
    let second = client.token().await.unwrap();
    assert_ne!(second.token, first.token);
    let lifetime = second.expires.unwrap() - sandbox.control().now();
    assert!(lifetime > chrono::Duration::minutes(59), "{lifetime:?}");
}

#[maybe]
#[case]
async fn sandbox_token_is_renewed_before_it_expires() {
    // The sandbox and the client share a manual clock; tokens live ten minutes, and the
    // client renews them a minute early.
    let clock = ManualClock::new(at("2030-01-01T12:00:00Z"));
    let sandbox = sandbox_with(SandboxConfig {
        token_lifetime: Duration::from_secs(600),
        clock: Arc::new(clock.clone()),
        ..SandboxConfig::default()
    });
    let client = sandbox_builder(&sandbox)
        .clock(clock.clone())
        .build()
        .unwrap();

    let first = client.token().await.unwrap();
    assert_eq!(first.expires, Some(at("2030-01-01T12:10:00Z")));
    client.devices().list().await.unwrap();
    assert_eq!(client.usage().api_usage, Some(2));

    // Nine minutes on: still the same token.
    clock.advance(Duration::from_secs(530));
    client.devices().list().await.unwrap();
    let got = client.token().await.unwrap();
    assert_eq!(got, first);
    assert_eq!(client.usage().api_usage, Some(3));

    // 595 s: the server would still take it, but the client renews first.
    clock.advance(Duration::from_secs(65));
    client.devices().list().await.unwrap();
    let second = client.token().await.unwrap();
    assert_ne!(second.token, first.token);
    assert_eq!(second.expires, Some(at("2030-01-01T12:19:55Z")));
    assert_eq!(
        client.usage().api_usage,
        Some(5),
        "one token request, one call"
    );
    // Both tokens were still valid: the renewal was the client's own, not a 401's.
    assert_eq!(sandbox.control().expire_tokens(), 2);
}
