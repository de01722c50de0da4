//! Whole-fleet calls: `client.devices().last_locations(ids)`, `.reports(ids, ..)` and
//! `client.fleet()`.
//!
//! Written once as async code; `must_be_sync` turns it into the blocking flavour. The
//! fan-out itself is the flavour's own `Client::fan_out`: scoped threads (blocking) or
//! concurrent futures (async).

use chrono::{DateTime, Utc};
use plaspy_fleet::{Analysis, ReportOptions};
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
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// let ids = ["dev-01", "dev-02", "dev-27"];
    /// let fixes = client.devices().last_locations(&ids);
    /// for (id, fix) in ids.iter().zip(fixes) {
    ///     match fix {
    ///         Ok(Some(fix)) => println!("{id}: {}", fix.date_time),
    ///         Ok(None) => println!("{id}: no position yet"),
    ///         Err(err) => println!("{id}: {err}"),
    ///     }
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub async fn last_locations<S: AsRef<str> + Sync>(
        &self,
        ids: &[S],
    ) -> Vec<Result<Option<Location>>> {
        self.last_locations_with(ids, &FleetOptions::default())
            .await
    }

    /// [`last_locations`](Self::last_locations) with chosen concurrency, `429` patience and
    /// progress callback.
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// use plaspy_blocking::FleetOptions;
    ///
    /// let ids: Vec<String> = (1..=20).map(|n| format!("dev-{n:02}")).collect();
    /// let options = FleetOptions::new().with_concurrency(4).on_progress(|done, total| eprint!("\r{done}/{total}"));
    /// let fixes = client.devices().last_locations_with(&ids, &options);
    /// assert_eq!(fixes.len(), 20);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub async fn last_locations_with<S: AsRef<str> + Sync>(
        &self,
        ids: &[S],
        options: &FleetOptions,
    ) -> Vec<Result<Option<Location>>> {
        self.client
            .fan_out(ids, options, |client, id| async move {
                client.devices().last_location(id.as_ref()).await
            })
            .await
    }

    /// The [`Analysis`] (trips, stops, daily summaries) of each device in `ids` between
    /// `from` and `to`, the devices fetched concurrently as `options` says: one result per
    /// id, in the order of `ids`. A device whose positions cannot be read gets its own
    /// error; the others are still analysed. Each device's range is fetched as
    /// [`report`](Self::report) does, a few windows at a time: keep the concurrency
    /// modest.
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// use chrono::{Duration, Utc};
    /// use plaspy_blocking::FleetOptions;
    /// use plaspy_fleet::ReportOptions;
    ///
    /// let to = Utc::now();
    /// let ids = ["dev-01", "dev-02", "nope"];
    /// let options = FleetOptions::new().with_concurrency(4);
    /// let reports = client.devices().reports(&ids, to - Duration::days(1), to, &ReportOptions::default(), &options);
    /// for (id, report) in ids.iter().zip(&reports) {
    ///     match report {
    ///         Ok(analysis) => println!("{id}: {} trips", analysis.trips.len()),
    ///         Err(err) => println!("{id}: {err}"),
    ///     }
    /// }
    /// assert!(reports[2].is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub async fn reports<S: AsRef<str> + Sync>(
        &self,
        ids: &[S],
        from: impl Into<DateTime<Utc>> + Send,
        to: impl Into<DateTime<Utc>> + Send,
        report: &ReportOptions,
        options: &FleetOptions,
    ) -> Vec<Result<Analysis>> {
        let (from, to) = (from.into(), to.into());
        let report = *report;
        self.client
            .fan_out(ids, options, |client, id| async move {
                let device = client.devices();
                device
                    .report(id.as_ref(), from, to)
                    .options(report)
                    .analyze()
                    .await
            })
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
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// for entry in client.fleet().snapshot()? {
    ///     let at = match &entry.location {
    ///         Ok(Some(fix)) => fix.date_time.to_rfc3339(),
    ///         Ok(None) => "no position yet".into(),
    ///         Err(err) => err.to_string(),
    ///     };
    ///     println!("{:<24} {at}", entry.device.display_name());
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub async fn snapshot(&self) -> Result<Vec<FleetEntry>> {
        self.snapshot_with(&FleetOptions::default()).await
    }

    /// [`snapshot`](Self::snapshot) with chosen concurrency, `429` patience and progress
    /// callback.
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// use std::time::Duration;
    /// use plaspy_blocking::FleetOptions;
    ///
    /// let options = FleetOptions::new()
    ///     .with_concurrency(8)
    ///     .with_throttle_budget(Duration::from_secs(120)) // patience with 429s, for the whole fetch
    ///     .on_progress(|done, total| eprint!("\r{done}/{total}"));
    /// let fleet = client.fleet().snapshot_with(&options)?;
    /// assert_eq!(fleet.len(), 27);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
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
            .map(|(device, location)| FleetEntry::new(device.clone(), location))
            .collect())
    }
}
