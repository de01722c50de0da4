//! The usage counters: `client.usage()` holds the latest `apiUsage` / `apiDailyUsage` the
//! server reported, shared by clones.

use crate::support::*;
use crate::{case, maybe};

#[maybe]
#[case]
async fn usage_counters_follow_the_latest_response() {
    let server = start_server().await;
    token_mock(&server).await;
    let devices = mock(&server, |when, then| {
        api(when, GET, "/api/devices");
        ok(
            then,
            json!({"success": true, "devices": [], "apiUsage": 10, "apiDailyUsage": 3}),
        );
    })
    .await;
    let groups = mock(&server, |when, then| {
        api(when, GET, "/api/groups/grp-1");
        ok(
            then,
            json!({"success": true, "id": "grp-1", "name": "North", "apiUsage": 11.0}),
        );
    })
    .await;
    let countries = mock(&server, |when, then| {
        api(when, GET, "/api/users/countries");
        ok(
            then,
            json!({"success": true, "countries": {}, "apiDailyUsage": "4"}),
        );
    })
    .await;

    let client = client(&server);
    let before = client.usage();
    assert_eq!((before.api_usage, before.api_daily_usage), (None, None));

    client.devices().list().await.unwrap();
    let usage = client.clone().usage();
    assert_eq!(
        (usage.api_usage, usage.api_daily_usage),
        (Some(10), Some(3))
    );

    // A flattened payload carries them too; a counter left out keeps its last value.
    client.groups().get("grp-1").await.unwrap();
    let usage = client.usage();
    assert_eq!(
        (usage.api_usage, usage.api_daily_usage),
        (Some(11), Some(3))
    );

    client.users().countries().await.unwrap();
    let usage = client.usage();
    assert_eq!(
        (usage.api_usage, usage.api_daily_usage),
        (Some(11), Some(4))
    );
    assert_calls(&devices, 1).await;
    assert_calls(&groups, 1).await;
    assert_calls(&countries, 1).await;
}
