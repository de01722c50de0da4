//! `client.devices()`: the device endpoints.
//!
//! Written once as async code; `must_be_sync` turns it into the blocking flavour.

use chrono::{DateTime, Utc};
use plaspy_types::endpoints::{
    GetDevice, LastLocation, ListDevices, QueryAlerts, QueryLocations, SendCommand,
};
use plaspy_types::{AlertEvent, AlertsQuery, Command, Device, Location, LocationsQuery, Result};

use super::client::Client;
use super::{Transport, maybe};

/// The device endpoints, from [`Client::devices`].
#[derive(Debug)]
pub struct Devices<'c, T> {
    client: &'c Client<T>,
}

impl<'c, T> Devices<'c, T> {
    pub(super) fn new(client: &'c Client<T>) -> Self {
        Devices { client }
    }
}

#[maybe(AFIT)]
impl<T: Transport> Devices<'_, T> {
    /// Every active device of the account (`GET /api/devices`).
    pub async fn list(&self) -> Result<Vec<Device>> {
        self.client.run(&ListDevices).await
    }

    /// One device (`GET /api/devices/{id}`).
    pub async fn get(&self, id: &str) -> Result<Device> {
        self.client.run(&GetDevice { id }).await
    }

    /// The device's last known position, or `None` if it has not reported one yet
    /// (`GET /api/devices/{id}/lastLocation`).
    pub async fn last_location(&self, id: &str) -> Result<Option<Location>> {
        self.client.run(&LastLocation { id }).await
    }

    /// The positions between `from` and `to` (`POST /api/devices/{id}/locations`).
    pub async fn locations(
        &self,
        id: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Location>> {
        self.locations_query(id, &LocationsQuery::new(from, to))
            .await
    }

    /// The positions matching a full query, with its optional location filter.
    pub async fn locations_query(&self, id: &str, query: &LocationsQuery) -> Result<Vec<Location>> {
        self.client.run(&QueryLocations { id, query }).await
    }

    /// The alerts between `from` and `to`, only those named `name_filter` when given
    /// (`POST /api/devices/{id}/alerts`).
    pub async fn alerts(
        &self,
        id: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        name_filter: Option<&str>,
    ) -> Result<Vec<AlertEvent>> {
        let query = AlertsQuery::new(from, to, name_filter.map(str::to_owned));
        self.client.run(&QueryAlerts { id, query: &query }).await
    }

    /// Sends a command to the device's tracker (`POST /api/devices/{id}/sendCommand`) and
    /// returns the server's result text.
    ///
    /// The command acts on a real vehicle: confirm with the user first. It is never
    /// repeated automatically once it may have reached the server.
    pub async fn send_command(&self, id: &str, command: &Command) -> Result<String> {
        self.client.run(&SendCommand { id, command }).await
    }
}
