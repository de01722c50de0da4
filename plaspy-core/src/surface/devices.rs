//! `client.devices()`: the device endpoints.
//!
//! Written once as async code; `must_be_sync` turns it into the blocking flavour.

use chrono::{DateTime, Utc};
use plaspy_types::endpoints::{
    GetDevice, LastLocation, ListDevices, QueryAlerts, QueryAlertsChecked, QueryLocations,
    QueryLocationsChecked, SendCommand,
};
use plaspy_types::{AlertEvent, AlertsQuery, Command, Device, Location, LocationsQuery, Result};

use super::client::Client;
use super::history::{History, Report, utc_range};
use super::{Transport, maybe};

/// The device endpoints, from [`Client::devices`].
#[derive(Debug)]
pub struct Devices<'c, T> {
    pub(super) client: &'c Client<T>,
}

impl<'c, T> Devices<'c, T> {
    pub(super) fn new(client: &'c Client<T>) -> Self {
        Devices { client }
    }
}

impl<T: Transport> Devices<'_, T> {
    /// The positions between `from` and `to` over **any range**: cut into windows the API
    /// accepts, fetched a few at a time, merged in time order with none twice. Call
    /// `.all()` for a `Vec`, or `.pages()` to get them window by window.
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// use chrono::{Duration, Utc};
    ///
    /// // With plaspy_async: `.all().await`, or `.into_stream()` for the pages.
    /// let to = Utc::now();
    /// let long = client.devices().location_history("dev-02", to - Duration::days(75), to);
    /// assert_eq!(long.request_count()?, 3); // windows of 31 days at most
    ///
    /// let history = client.devices().location_history("dev-02", to - Duration::days(2), to);
    /// for page in history.concurrency(2).pages() {
    ///     for fix in page? {
    ///         println!("{} {},{}", fix.date_time, fix.latitude, fix.longitude);
    ///     }
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn location_history(
        &self,
        id: &str,
        from: impl Into<DateTime<Utc>>,
        to: impl Into<DateTime<Utc>>,
    ) -> History<T, LocationsQuery> {
        let (from, to) = utc_range(from, to);
        History::new(self.client, id, LocationsQuery::new(from, to))
    }

    /// The alerts between `from` and `to` over any range; see
    /// [`location_history`](Self::location_history). Narrow it to one alert name with
    /// [`History::name`].
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// // With plaspy_blocking::Client (plaspy_async: `.all().await`):
    /// let to = chrono::Local::now();
    /// let speeding = client.devices().alert_history("dev-02", to - chrono::Duration::days(40), to).name("Speeding").all()?;
    /// println!("{} speeding alerts", speeding.len());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn alert_history(
        &self,
        id: &str,
        from: impl Into<DateTime<Utc>>,
        to: impl Into<DateTime<Utc>>,
    ) -> History<T, AlertsQuery> {
        let (from, to) = utc_range(from, to);
        History::new(self.client, id, AlertsQuery::new(from, to))
    }

    /// Trip, stop and daily-summary reports of the device over any range, with settable
    /// thresholds and limits (see `plaspy_fleet` for the definitions).
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// use chrono::{Duration, Utc};
    ///
    /// let to = Utc::now();
    /// let analysis = client.devices().report("dev-01", to - Duration::days(2), to).analyze()?;
    /// println!("{} trips, {} stops", analysis.trips.len(), analysis.stops.len());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn report(
        &self,
        id: &str,
        from: impl Into<DateTime<Utc>>,
        to: impl Into<DateTime<Utc>>,
    ) -> Report<T> {
        Report::new(self.location_history(id, from, to))
    }
}

#[maybe(AFIT)]
impl<T: Transport> Devices<'_, T> {
    /// The device's trips between `from` and `to` (any range), with the default thresholds.
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// use chrono::{Duration, Utc};
    ///
    /// let to = Utc::now();
    /// for trip in client.devices().trips("dev-01", to - Duration::days(1), to)? {
    ///     println!("{} -> {}: {:.1} km", trip.start, trip.end, trip.distance_km);
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub async fn trips(
        &self,
        id: &str,
        from: impl Into<DateTime<Utc>> + Send,
        to: impl Into<DateTime<Utc>> + Send,
    ) -> Result<Vec<plaspy_fleet::Trip>> {
        self.report(id, from, to).trips().await
    }

    /// The device's stops between `from` and `to` (any range), with the default thresholds.
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// use chrono::{Duration, Utc};
    ///
    /// let to = Utc::now();
    /// for stop in client.devices().stops("dev-01", to - Duration::days(1), to)? {
    ///     println!("{}s at {},{}", stop.duration_seconds, stop.latitude, stop.longitude);
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub async fn stops(
        &self,
        id: &str,
        from: impl Into<DateTime<Utc>> + Send,
        to: impl Into<DateTime<Utc>> + Send,
    ) -> Result<Vec<plaspy_fleet::Stop>> {
        self.report(id, from, to).stops().await
    }

    /// The device's daily summaries between `from` and `to` (any range), days in UTC.
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// use chrono::{Duration, Utc};
    ///
    /// let to = Utc::now();
    /// for day in client.devices().summary("dev-01", to - Duration::days(2), to)? {
    ///     println!("{}: {day:?}", day.date);
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub async fn summary(
        &self,
        id: &str,
        from: impl Into<DateTime<Utc>> + Send,
        to: impl Into<DateTime<Utc>> + Send,
    ) -> Result<Vec<plaspy_fleet::DaySummary>> {
        self.report(id, from, to).summary(&Utc).await
    }

    /// Every active device of the account (`GET /api/devices`).
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// let devices = client.devices().list()?;
    /// assert_eq!(devices.len(), 27);
    /// for device in &devices {
    ///     println!("{} {}", device.id(), device.display_name());
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub async fn list(&self) -> Result<Vec<Device>> {
        self.client.run(&ListDevices).await
    }

    /// One device (`GET /api/devices/{id}`).
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// let device = client.devices().get("dev-01")?;
    /// println!("{}", device.display_name());
    /// assert!(matches!(client.devices().get("nope"), Err(plaspy_blocking::Error::NotFound { .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub async fn get(&self, id: &str) -> Result<Device> {
        self.client.run(&GetDevice { id }).await
    }

    /// The device's last known position, or `None` if it has not reported one yet
    /// (`GET /api/devices/{id}/lastLocation`).
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// match client.devices().last_location("dev-01")? {
    ///     Some(fix) => println!("{} at {},{}", fix.date_time, fix.latitude, fix.longitude),
    ///     None => println!("no position yet"),
    /// }
    /// assert!(client.devices().last_location("dev-27")?.is_none()); // never reported
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub async fn last_location(&self, id: &str) -> Result<Option<Location>> {
        self.client.run(&LastLocation { id }).await
    }

    /// The positions between `from` and `to`, in any time zone
    /// (`POST /api/devices/{id}/locations`). The API takes at most 31 days per query; for
    /// longer ranges use [`location_history`](Self::location_history); for a full query,
    /// [`locations_query`](Self::locations_query). A fix that cannot be read is set aside
    /// (logged), the others are returned.
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// use chrono::{Duration, FixedOffset, Utc};
    ///
    /// let bogota = FixedOffset::west_opt(5 * 3600).unwrap();
    /// let to = Utc::now().with_timezone(&bogota);
    /// let fixes = client.devices().locations("dev-01", to - Duration::hours(6), to)?;
    /// println!("{} fixes", fixes.len());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub async fn locations(
        &self,
        id: &str,
        from: impl Into<DateTime<Utc>> + Send,
        to: impl Into<DateTime<Utc>> + Send,
    ) -> Result<Vec<Location>> {
        let query = LocationsQuery::new(from, to);
        self.locations_query(id, &query).await
    }

    /// The positions matching a full query (`POST /api/devices/{id}/locations`), at most
    /// 31 days. A fix that cannot be read is set aside (logged), the others are returned.
    pub async fn locations_query(&self, id: &str, query: &LocationsQuery) -> Result<Vec<Location>> {
        let checked = self
            .client
            .run(&QueryLocationsChecked(QueryLocations { id, query }))
            .await?;
        super::history::warn_skipped(id, &checked.skipped);
        Ok(checked.items)
    }

    /// Every alert between `from` and `to`, in any time zone
    /// (`POST /api/devices/{id}/alerts`). To keep only one alert name, use
    /// [`alerts_query`](Self::alerts_query).
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// // With plaspy_blocking::Client (plaspy_async: `.await?`):
    /// let to = chrono::Local::now();
    /// let alerts = client.devices().alerts("dev-02", to - chrono::Duration::days(1), to)?;
    /// println!("{} alerts", alerts.len());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub async fn alerts(
        &self,
        id: &str,
        from: impl Into<DateTime<Utc>> + Send,
        to: impl Into<DateTime<Utc>> + Send,
    ) -> Result<Vec<AlertEvent>> {
        let query = AlertsQuery::new(from, to);
        self.alerts_query(id, &query).await
    }

    /// The alerts matching a full query, e.g. only one alert name.
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// // With plaspy_blocking::Client (plaspy_async: `.await?`):
    /// use plaspy_blocking::AlertsQuery;
    /// let to = chrono::Utc::now();
    /// let query = AlertsQuery::new(to - chrono::Duration::days(1), to).name("Speeding");
    /// let speeding = client.devices().alerts_query("dev-02", &query)?;
    /// println!("{} speeding alerts", speeding.len());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub async fn alerts_query(&self, id: &str, query: &AlertsQuery) -> Result<Vec<AlertEvent>> {
        let checked = self
            .client
            .run(&QueryAlertsChecked(QueryAlerts { id, query }))
            .await?;
        super::history::warn_skipped(id, &checked.skipped);
        Ok(checked.items)
    }

    /// Sends a command to the device's tracker (`POST /api/devices/{id}/sendCommand`) and
    /// returns the server's result text.
    ///
    /// The command acts on a real vehicle: confirm with the user first. It is never
    /// repeated automatically once it may have reached the server.
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// use plaspy_blocking::Command;
    ///
    /// // Acts on a real vehicle: ask the user first.
    /// let result = client.devices().send_command("dev-03", &Command::text("engine resume"))?;
    /// println!("{result}");
    /// # assert_eq!(sandbox.control().device_commands("dev-03").len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub async fn send_command(&self, id: &str, command: &Command) -> Result<String> {
        self.client.run(&SendCommand { id, command }).await
    }
}
