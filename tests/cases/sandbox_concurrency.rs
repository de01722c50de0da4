//! Many writers at once through clones of one client (tokio tasks for the async client,
//! threads for the blocking one): the sandbox loses no write.

use std::collections::BTreeSet;
use std::sync::Arc;

use plaspy_types::{Group, GroupInput, PatchOperation, Result};

use crate::support::*;
use crate::{case, maybe};

const WORKERS: usize = 64;

/// What one worker did.
#[derive(Debug)]
enum Wrote {
    /// Created this group.
    Created(Group),
    /// Replaced this group, then appended `device` to the shared group.
    Updated { group: Group, device: String },
}

/// Worker `i`: even ones create a group, odd ones replace their own target group and
/// append a device to the group they all share (a read-modify-write on the server).
#[maybe]
async fn work(
    client: Client,
    i: usize,
    targets: Arc<Vec<String>>,
    shared: String,
) -> Result<Wrote> {
    if i.is_multiple_of(2) {
        let input =
            GroupInput::new(format!("created-{i:02}")).description(format!("by worker {i}"));
        let group = client.groups().create(&input).await?;
        Ok(Wrote::Created(group))
    } else {
        let target = &targets[i / 2];
        let input = GroupInput::new(format!("updated-{i:02}")).device(format!("dev-{i:02}"));
        let group = client.groups().update(target, &input).await?;
        let device = format!("worker-{i:02}");
        let operations = [PatchOperation::add("/devices/-", json!(device))];
        client.groups().patch(&shared, &operations).await?;
        Ok(Wrote::Updated { group, device })
    }
}

#[maybe]
#[case]
async fn sandbox_concurrent_creators_and_updaters_lose_no_write() {
    let sandbox = sandbox();
    let client = sandbox_client(&sandbox);
    let seeded = client.groups().list().await.unwrap();

    let mut targets = Vec::new();
    for j in 0..WORKERS / 2 {
        let group = client
            .groups()
            .create(&GroupInput::new(format!("target-{j:02}")))
            .await
            .unwrap();
        targets.push(group.id().to_owned());
    }
    let shared = client
        .groups()
        .create(&GroupInput::new("shared").device("first"))
        .await
        .unwrap();
    let shared_id = shared.id().to_owned();
    let targets = Arc::new(targets);

    let results = concurrently(&client, WORKERS, |client, i| {
        work(client, i, targets.clone(), shared_id.clone())
    })
    .await;

    let listed = client.groups().list().await.unwrap();
    let (mut created, mut appended) = (BTreeSet::new(), BTreeSet::new());
    for (i, result) in results.into_iter().enumerate() {
        match result.unwrap_or_else(|e| panic!("worker {i}: {e}")) {
            Wrote::Created(group) => {
                assert_eq!(group.name, format!("created-{i:02}"));
                assert!(
                    listed.contains(&group),
                    "created group {group:?} is missing"
                );
                assert!(
                    created.insert(group.id().to_owned()),
                    "id {} given twice",
                    group.id()
                );
            }
            Wrote::Updated { group, device } => {
                assert_eq!(group.id(), targets[i / 2]);
                let now = listed.iter().find(|g| g.id() == group.id()).unwrap();
                assert_eq!(now, &group, "the update of worker {i} is visible");
                assert_eq!(now.name, format!("updated-{i:02}"));
                appended.insert(device);
            }
        }
    }
    assert_eq!(created.len(), WORKERS / 2);
    assert_eq!(appended.len(), WORKERS / 2);
    assert!(
        created
            .iter()
            .all(|id| !targets.contains(id) && *id != shared_id)
    );
    // Every group exists once: the seeded ones, the targets, the shared one, the new ones.
    assert_eq!(listed.len(), seeded.len() + WORKERS / 2 + 1 + WORKERS / 2);
    let ids: BTreeSet<&str> = listed.iter().map(Group::id).collect();
    assert_eq!(ids.len(), listed.len());

    // Every append to the shared group is there, each once, after the first device.
    let shared = client.groups().get(&shared_id).await.unwrap();
    let devices = shared.devices.unwrap_or_default();
    assert_eq!(devices.len(), 1 + WORKERS / 2, "{devices:?}");
    assert_eq!(devices[0], "first");
    let found: BTreeSet<String> = devices[1..].iter().cloned().collect();
    assert_eq!(found, appended);
}
