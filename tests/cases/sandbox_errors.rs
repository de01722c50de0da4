//! Error answers of the sandbox as the clients report them: conflicts, unknown ids, bad
//! credentials, the rate limit and requests the server refuses.

use std::sync::Arc;
use std::time::Duration;

use plaspy_types::policy::clock::ManualClock;
use plaspy_types::{Command, GroupInput, PatchOperation, UserInput};

use crate::support::*;
use crate::{case, maybe};

fn not_found<T: std::fmt::Debug>(what: &str, result: Result<T, Error>) {
    assert!(
        matches!(&result, Err(Error::NotFound { message: Some(m), .. }) if m.contains("not found")),
        "{what}: {result:?}"
    );
}

fn conflict<T: std::fmt::Debug>(what: &str, result: Result<T, Error>) {
    assert!(
        matches!(
            result,
            Err(Error::Conflict {
                message: Some(_),
                ..
            })
        ),
        "{what}: {result:?}"
    );
}

#[maybe]
#[case]
async fn sandbox_duplicate_email_is_a_conflict() {
    let sandbox = sandbox();
    let client = sandbox_client(&sandbox);
    let users = client.users().list().await.unwrap();
    let taken = users[0].email.clone();

    // Create with a taken address (in another case, too).
    let input = UserInput::new("Someone Else", taken.to_uppercase(), "CO", "America/Bogota");
    let result = client.users().create(&input).await;
    conflict("create", result);
    let after = client.users().list().await.unwrap();
    assert_eq!(after, users, "nothing was created");

    // Update and patch onto a taken address.
    let input = UserInput::new(
        "Someone Else",
        "someone@example.com",
        "CO",
        "America/Bogota",
    );
    let other = client.users().create(&input).await.unwrap();
    let mut moved = input.clone();
    moved.email = taken.clone();
    let result = client.users().update(other.id(), &moved).await;
    conflict("update", result);
    let operations = [PatchOperation::replace("/email", json!(taken))];
    let result = client.users().patch(other.id(), &operations).await;
    conflict("patch", result);
    let got = client.users().get(other.id()).await.unwrap();
    assert_eq!(got, other);
}

#[maybe]
#[case]
async fn sandbox_failed_patch_test_is_a_conflict_and_changes_nothing() {
    let sandbox = sandbox();
    let client = sandbox_client(&sandbox);
    let group = client
        .groups()
        .create(&GroupInput::new("Original"))
        .await
        .unwrap();

    let operations = [
        PatchOperation::replace("/name", json!("Changed")),
        PatchOperation::test("/name", json!("Something else")),
    ];
    let result = client.groups().patch(group.id(), &operations).await;
    conflict("test", result);
    let got = client.groups().get(group.id()).await.unwrap();
    assert_eq!(got, group);

    // A path that does not exist is a plain 400.
    let operations = [PatchOperation::remove("/description")];
    let result = client.groups().patch(group.id(), &operations).await;
    assert!(
        matches!(&result, Err(Error::Api { status: 400, .. })),
        "{result:?}"
    );
}

#[maybe]
#[case]
async fn sandbox_unknown_ids_are_not_found() {
    let sandbox = sandbox();
    let client = sandbox_client(&sandbox);
    let (from, to) = (
        sandbox.control().now() - chrono::Duration::hours(1),
        sandbox.control().now(),
    );
    let devices = client.devices();
    let groups = client.groups();
    let users = client.users();

    not_found("device", devices.get("dev-999").await);
    not_found("last location", devices.last_location("dev-999").await);
    not_found("locations", devices.locations("dev-999", from, to).await);
    not_found("alerts", devices.alerts("dev-999", from, to).await);
    not_found(
        "command",
        devices
            .send_command("dev-999", &Command::text("engineStop"))
            .await,
    );
    assert!(sandbox.control().commands().is_empty());

    let group = GroupInput::new("Nobody");
    not_found("group", groups.get("grp-999").await);
    not_found("group update", groups.update("grp-999", &group).await);
    let operations = [PatchOperation::replace("/name", json!("x"))];
    not_found("group patch", groups.patch("grp-999", &operations).await);
    not_found("group delete", groups.delete("grp-999").await);

    let user = UserInput::new("Nobody", "nobody@example.com", "CO", "America/Bogota");
    not_found("user", users.get("usr-999").await);
    not_found("user update", users.update("usr-999", &user).await);
    not_found("user patch", users.patch("usr-999", &operations).await);
    not_found("user delete", users.delete("usr-999").await);

    // Odd ids travel percent-encoded and are unknown all the same.
    not_found("odd id", groups.get(ODD_ID).await);
}

#[maybe]
#[case]
async fn sandbox_wrong_credentials_are_bad_credentials() {
    let sandbox = sandbox();
    let wrong_key = sandbox_builder(&sandbox)
        .credentials(DEMO_USERNAME, "not-the-key")
        .build()
        .unwrap();
    let result = wrong_key.devices().list().await;
    assert!(
        matches!(&result, Err(Error::BadCredentials { message, .. }) if message.contains("Invalid API key")),
        "{result:?}"
    );
    let result = wrong_key.token().await;
    assert!(
        matches!(result, Err(Error::BadCredentials { .. })),
        "{result:?}"
    );

    let unknown_user = sandbox_builder(&sandbox)
        .credentials("nobody", DEMO_API_KEY)
        .build()
        .unwrap();
    let result = unknown_user.groups().list().await;
    assert!(
        matches!(result, Err(Error::BadCredentials { .. })),
        "{result:?}"
    );

    // The right ones work (user names are matched case-insensitively).
    let right = sandbox_builder(&sandbox)
        .credentials(DEMO_USERNAME.to_uppercase(), DEMO_API_KEY)
        .build()
        .unwrap();
    right.groups().list().await.unwrap();
}

#[maybe]
#[case]
async fn sandbox_rate_limit_is_rate_limited_with_retry_after() {
    // A manual clock 10 s into a minute: the window ends in exactly 50 s.
    let clock = ManualClock::new(at("2030-01-01T12:00:10Z"));
    let sandbox = sandbox_with(SandboxConfig {
        rate_limit: Some(3),
        clock: Arc::new(clock.clone()),
        ..SandboxConfig::default()
    });
    let client = sandbox_builder(&sandbox).max_retries(0).build().unwrap();

    // The token request and two calls fit in the minute; the fourth request does not.
    client.token().await.unwrap();
    client.devices().list().await.unwrap();
    client.groups().list().await.unwrap();
    assert_eq!(client.usage().api_usage, Some(3));
    let result = client.users().list().await;
    match result {
        Err(Error::RateLimited {
            retry_after,
            message,
            ..
        }) => {
            assert_eq!(retry_after, Some(Duration::from_secs(50)));
            let message = message.unwrap_or_default();
            assert!(message.contains("3 per minute"), "{message}");
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    // With retries, a wait beyond the retry budget (30 s) is not waited for either.
    let retrying = sandbox_client(&sandbox);
    let result = retrying.groups().list().await;
    assert!(
        matches!(
            result,
            Err(Error::RateLimited {
                retry_after: Some(_),
                ..
            })
        ),
        "{result:?}"
    );

    // The next minute, requests go through again.
    clock.advance(Duration::from_secs(50));
    client.users().list().await.unwrap();
    assert_eq!(client.usage().api_usage, Some(4));
}

#[maybe]
#[case]
async fn sandbox_invalid_requests_are_api_errors() {
    let sandbox = sandbox();
    let client = sandbox_client(&sandbox);
    let now = sandbox.control().now();

    // The server allows at most 31 days per query: 400 with its message.
    let result = client
        .devices()
        .locations("dev-01", now - chrono::Duration::days(40), now)
        .await;
    assert!(
        matches!(&result, Err(Error::Api { status: 400, message, .. }) if message.contains("31 days")),
        "{result:?}"
    );
    // A range that starts after it ends never leaves the SDK.
    let usage = client.usage();
    let result = client
        .devices()
        .alerts("dev-01", now, now - chrono::Duration::hours(1))
        .await;
    assert!(
        matches!(result, Err(Error::InvalidInput { .. })),
        "{result:?}"
    );
    assert_eq!(client.usage(), usage);
    // So does a group without a name.
    let result = client.groups().create(&GroupInput::new("  ")).await;
    assert!(
        matches!(result, Err(Error::InvalidInput { .. })),
        "{result:?}"
    );
    assert_eq!(client.usage(), usage);
}
