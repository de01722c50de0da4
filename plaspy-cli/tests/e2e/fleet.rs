//! `plaspy fleet` on the SDK's fleet call: per-device errors, `--stale`, `--concurrency`,
//! and a fleet larger than the per-minute quota.

use chrono::{Duration, Utc};
use plaspy_blocking::{Device, Location};
use plaspy_sandbox::SandboxConfig;
use serde::Deserialize;

use crate::common::*;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Row {
    device: Device,
    last_location: Option<Location>,
    error: Option<String>,
}

#[test]
fn every_row_has_an_error_field_and_concurrency_is_a_flag() {
    let env = Env::new();
    let rows: Vec<Row> = env.json(&["fleet", "--concurrency", "4"]);
    assert!(rows.len() >= 27);
    assert!(rows.iter().all(|r| r.error.is_none()), "{rows:?}");
    assert!(rows.iter().any(|r| r.last_location.is_some()));
    assert!(rows.iter().all(|r| !r.device.id().is_empty()));
    let out = env.run(&["fleet", "--concurrency", "0"]);
    assert_eq!(code(&out), 2);
}

#[test]
fn stale_lists_only_devices_silent_for_longer() {
    let env = Env::new();
    let all: Vec<Row> = env.json(&["fleet"]);
    let stale: Vec<Row> = env.json(&["fleet", "--stale", "1h"]);
    let cutoff = Utc::now() - Duration::hours(1);
    let expected = all
        .iter()
        .filter(|r| {
            r.last_location
                .as_ref()
                .is_none_or(|l| l.date_time < cutoff)
        })
        .count();
    assert!(
        !stale.is_empty() && stale.len() < all.len(),
        "{}",
        stale.len()
    );
    assert_eq!(stale.len(), expected);
    for row in &stale {
        if let Some(fix) = &row.last_location {
            assert!(fix.date_time < Utc::now() - Duration::hours(1), "{row:?}");
        }
    }
    // Never reported: silent for ever, so listed.
    assert!(stale.iter().any(|r| r.last_location.is_none()));
    let out = env.run(&["fleet", "--stale", "soon"]);
    assert_eq!(code(&out), 2);
    assert!(
        text(&out.stderr).contains("--stale"),
        "{}",
        text(&out.stderr)
    );
}

/// 100 devices behind a 60-per-minute quota finish with every position and exit 0. It
/// waits for the sandbox's real per-minute window to roll over (up to a minute), so it only
/// runs on demand: `cargo test -p plaspy-cli --test e2e -- --ignored quota`.
#[test]
#[ignore = "waits up to a minute of real time for the quota window"]
fn a_fleet_larger_than_the_quota_completes() {
    let env = Env::with(SandboxConfig {
        devices: 100,
        rate_limit: Some(60),
        ..SandboxConfig::default()
    });
    let out = env.run(&["fleet", "--output", "json"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let rows: Vec<Row> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.len(), 100);
    assert!(rows.iter().all(|r| r.error.is_none()));
}
