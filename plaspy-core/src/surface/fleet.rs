//! Whole-fleet calls: `client.devices().last_locations(ids)` and `client.fleet()`.
//!
//! Written once as async code; `must_be_sync` turns it into the blocking flavour. The
//! fan-out itself is the flavour's own: scoped threads (blocking) or concurrent futures
//! (async), both behind `super::fan_out`.

use plaspy_types::endpoints::LastLocation;
use plaspy_types::{Location, Result};

use super::client::Client;
use super::devices::Devices;
use super::{Transport, maybe};
use crate::{FleetEntry, FleetOptions};

/// Whole-fleet calls, from [`Client::fleet`].
#[derive(Debug)]
pub struct Fleet<'c, T> {
    client: &'c Client<T>,
}

impl<'c, T> Fleet<'c, T> {
    pub(super) fn new(client: &'c Client<T>) -> Self {
        Fleet { client }
    }
}

#[maybe(AFIT)]
impl<T: Transport> Devices<'_, T> {
    /// The last position of each device in `ids`, fetched concurrently with the default
    /// [`FleetOptions`]: one result per id, in the order of `ids`. A device whose lookup
    /// fails gets its own error; the others are still returned.
    pub async fn last_locations<S: AsRef<str> + Sync>(
        &self,
        ids: &[S],
    ) -> Vec<Result<Option<Location>>> {
        self.last_locations_with(ids, &FleetOptions::default())
            .await
    }

    /// [`last_locations`](Self::last_locations) with chosen concurrency, `429` patience and
    /// progress callback.
    pub async fn last_locations_with<S: AsRef<str> + Sync>(
        &self,
        ids: &[S],
        options: &FleetOptions,
    ) -> Vec<Result<Option<Location>>> {
        let client = self.client;
        let budget = Some(options.max_throttle_wait());
        super::fan_out(
            ids.len(),
            options,
            &client.inner.pacer,
            move |i| async move {
                client
                    .run_with(
                        &LastLocation {
                            id: ids[i].as_ref(),
                        },
                        super::execute::CallOptions {
                            throttle_budget: budget,
                            timeout: None,
                        },
                    )
                    .await
            },
        )
        .await
    }
}

#[maybe(AFIT)]
impl<T: Transport> Fleet<'_, T> {
    /// Every active device with its last position, fetched concurrently with the default
    /// [`FleetOptions`], in the order `GET /api/devices` lists them.
    ///
    /// Fails only when the device list cannot be read; a device whose position cannot be
    /// read carries its own error in [`FleetEntry::location`].
    pub async fn snapshot(&self) -> Result<Vec<FleetEntry>> {
        self.snapshot_with(&FleetOptions::default()).await
    }

    /// [`snapshot`](Self::snapshot) with chosen concurrency, `429` patience and progress
    /// callback.
    pub async fn snapshot_with(&self, options: &FleetOptions) -> Result<Vec<FleetEntry>> {
        let devices = self.client.devices().list().await?;
        let ids: Vec<&str> = devices.iter().map(|d| d.id()).collect();
        let locations = self
            .client
            .devices()
            .last_locations_with(&ids, options)
            .await;
        Ok(devices
            .iter()
            .zip(locations)
            .map(|(device, location)| FleetEntry {
                device: device.clone(),
                location,
            })
            .collect())
    }
}
