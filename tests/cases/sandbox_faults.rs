//! Each fault switch of the sandbox, as a client sees it. One-shot faults are armed with
//! more shots than the client should use, so what is left over tells exactly how many
//! attempts the client made.

use std::time::Duration;

use plaspy_types::GroupInput;

use crate::support::*;
use crate::{case, maybe};

/// Arms one-shot faults (after the client has its token, so the token request does not
/// use them up).
fn arm(sandbox: &SandboxHandle, faults: FaultConfig) {
    sandbox.control().set_faults(faults).expect("valid faults");
}

#[maybe]
#[case]
async fn sandbox_fail_next_503_is_retried_then_succeeds() {
    let sandbox = sandbox();
    let client = sandbox_client(&sandbox);
    client.token().await.unwrap();
    let before = client.usage().api_usage.unwrap();

    // The 503 carries `Retry-After: 1`, which the client honours (a one-second wait).
    arm(
        &sandbox,
        FaultConfig {
            fail_next: 1,
            ..FaultConfig::none()
        },
    );
    let devices = client.devices().list().await.unwrap();
    assert!(devices.len() >= 25);
    assert!(sandbox.control().faults().is_off());
    // The injected failure never reached the API: one request counted.
    assert_eq!(client.usage().api_usage, Some(before + 1));
}

#[maybe]
#[case]
async fn sandbox_fail_next_without_retries_is_the_error() {
    let sandbox = sandbox();
    let client = sandbox_builder(&sandbox).max_retries(0).build().unwrap();
    client.token().await.unwrap();

    arm(
        &sandbox,
        FaultConfig {
            fail_next: 3,
            ..FaultConfig::none()
        },
    );
    let result = client.groups().list().await;
    assert!(
        matches!(&result, Err(Error::Api { status: 503, message, .. }) if message.contains("injected")),
        "{result:?}"
    );
    assert_eq!(sandbox.control().faults().fail_next, 2, "one attempt");

    // Another status, without `Retry-After`; with retries, all three attempts fail.
    arm(&sandbox, FaultConfig::none());
    let retrying = sandbox_client(&sandbox);
    retrying.token().await.unwrap();
    arm(
        &sandbox,
        FaultConfig {
            fail_next: 5,
            fail_status: 500,
            ..FaultConfig::none()
        },
    );
    let result = retrying.groups().get("grp-1").await;
    assert!(
        matches!(&result, Err(Error::Api { status: 500, .. })),
        "{result:?}"
    );
    assert_eq!(sandbox.control().faults().fail_next, 2, "three attempts");
}

#[maybe]
#[case]
async fn sandbox_creates_are_not_retried_after_a_failure() {
    let sandbox = sandbox();
    let client = sandbox_client(&sandbox);
    let before = client.groups().list().await.unwrap();

    arm(
        &sandbox,
        FaultConfig {
            fail_next: 3,
            fail_status: 500,
            ..FaultConfig::none()
        },
    );
    let result = client.groups().create(&GroupInput::new("Once")).await;
    assert!(
        matches!(&result, Err(Error::Api { status: 500, .. })),
        "{result:?}"
    );
    assert_eq!(sandbox.control().faults().fail_next, 2, "one attempt");
    sandbox.control().set_faults(FaultConfig::none()).unwrap();
    let got = client.groups().list().await.unwrap();
    assert_eq!(got, before);
}

#[maybe]
#[case]
async fn sandbox_html_502_is_an_http_error_with_an_excerpt() {
    let sandbox = sandbox();
    let client = sandbox_client(&sandbox);
    client.token().await.unwrap();

    // Retried (502 is transient), then reported once the three attempts are used.
    arm(
        &sandbox,
        FaultConfig {
            html_502_next: 5,
            ..FaultConfig::none()
        },
    );
    let result = client.devices().get("dev-01").await;
    match &result {
        Err(Error::Http {
            status, excerpt, ..
        }) => {
            assert_eq!(*status, 502);
            assert!(excerpt.contains("502 Bad Gateway"), "{excerpt}");
            assert!(!excerpt.contains('\n'), "whitespace folded: {excerpt:?}");
        }
        other => panic!("expected Http, got {other:?}"),
    }
    assert_eq!(
        sandbox.control().faults().html_502_next,
        2,
        "three attempts"
    );

    // Without retries: one attempt.
    arm(&sandbox, FaultConfig::none());
    let once = sandbox_builder(&sandbox).max_retries(0).build().unwrap();
    once.token().await.unwrap();
    arm(
        &sandbox,
        FaultConfig {
            html_502_next: 2,
            ..FaultConfig::none()
        },
    );
    let result = once.users().list().await;
    assert!(
        matches!(&result, Err(Error::Http { status: 502, .. })),
        "{result:?}"
    );
    assert_eq!(sandbox.control().faults().html_502_next, 1, "one attempt");
    // The last shot fails the retrying client's first attempt only.
    client.devices().get("dev-01").await.unwrap();
    assert!(sandbox.control().faults().is_off());
}

#[maybe]
#[case]
async fn sandbox_truncated_body_is_a_decode_error_without_retry() {
    let sandbox = sandbox();
    let client = sandbox_client(&sandbox);
    client.token().await.unwrap();

    // A 200 with half a body: not a transient failure, so not retried.
    arm(
        &sandbox,
        FaultConfig {
            truncate_next: 2,
            ..FaultConfig::none()
        },
    );
    let result = client.devices().list().await;
    match &result {
        Err(Error::Decode { path, message, .. }) => {
            assert_eq!(path, ".");
            assert!(message.contains("not a JSON object"), "{message}");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    assert_eq!(sandbox.control().faults().truncate_next, 1, "one attempt");

    // A flattened payload (a single group) too.
    let result = client.groups().get("grp-1").await;
    assert!(matches!(&result, Err(Error::Decode { .. })), "{result:?}");
    assert!(sandbox.control().faults().is_off());
    client.groups().get("grp-1").await.unwrap();
}

#[maybe]
#[case]
async fn sandbox_truncated_token_response_does_not_show_the_token() {
    let sandbox = sandbox_with(SandboxConfig {
        faults: FaultConfig {
            truncate_next: 1,
            ..FaultConfig::none()
        },
        ..SandboxConfig::default()
    });
    let client = sandbox_client(&sandbox);

    let result = client.devices().list().await;
    match &result {
        Err(Error::Decode { path, message, .. }) => {
            assert_eq!(path, ".");
            assert!(message.contains("not shown"), "{message}");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    let shown = format!("{} {result:?}", result.as_ref().unwrap_err());
    assert!(!shown.contains("eyJ"), "{shown}");
    // The next attempt gets a whole token.
    client.devices().list().await.unwrap();
}

#[maybe]
#[case]
async fn sandbox_latency_beyond_the_timeout_is_a_timeout() {
    let sandbox = sandbox();
    let client = sandbox_builder(&sandbox)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    client.token().await.unwrap();

    // Every attempt (three, retried as a timeout of a safe request) gives up first.
    arm(
        &sandbox,
        FaultConfig {
            latency_ms: 600,
            ..FaultConfig::none()
        },
    );
    let result = client.devices().list().await;
    assert!(
        matches!(result, Err(Error::Timeout { after: Some(after), .. }) if after == Duration::from_millis(200)),
        "{result:?}"
    );

    // Once the latency is gone, the same client works again.
    arm(&sandbox, FaultConfig::none());
    client.devices().list().await.unwrap();
}

#[maybe]
#[case]
async fn sandbox_latency_on_the_token_request_is_a_timeout() {
    let sandbox = sandbox_with(SandboxConfig {
        faults: FaultConfig {
            latency_ms: 600,
            ..FaultConfig::none()
        },
        ..SandboxConfig::default()
    });
    let client = sandbox_builder(&sandbox)
        .timeout(Duration::from_millis(200))
        .max_retries(0)
        .build()
        .unwrap();
    let result = client.groups().list().await;
    assert!(matches!(result, Err(Error::Timeout { .. })), "{result:?}");
}

#[maybe]
#[case]
async fn sandbox_error_rate_without_retries_fails_every_request() {
    let sandbox = sandbox();
    let client = sandbox_builder(&sandbox).max_retries(0).build().unwrap();
    client.token().await.unwrap();

    arm(
        &sandbox,
        FaultConfig {
            error_rate: 1.0,
            ..FaultConfig::none()
        },
    );
    let mut statuses = Vec::new();
    for _ in 0..8 {
        let result = client.groups().list().await;
        match result {
            Err(Error::Api {
                status, message, ..
            }) => {
                assert!(message.contains("injected"), "{message}");
                statuses.push(status);
            }
            other => panic!("expected an API error, got {other:?}"),
        }
    }
    assert!(
        statuses.iter().all(|s| [500, 503].contains(s)),
        "{statuses:?}"
    );
    // The rate stays on: faults are not used up.
    assert_eq!(sandbox.control().faults().error_rate, 1.0);
}
