use super::{Endpoint, json_body, segment};
use crate::envelope::{
    Checked, DecodeLimits, Reply, decode_checked_list, decode_list, decode_named, missing,
};
use crate::error::Result;
use crate::http::{HttpResponse, Method};
use crate::models::{AlertEvent, AlertsQuery, Command, Device, Location, LocationsQuery};

fn device_path(id: &str, rest: &str) -> Result<String> {
    const PREFIX: &str = "/api/devices/";
    let id = segment("device", id)?;
    let mut path = String::with_capacity(PREFIX.len() + id.len() + rest.len());
    path.push_str(PREFIX);
    path.push_str(&id);
    path.push_str(rest);
    Ok(path)
}

/// `GET /api/devices`: the account's active devices.
#[derive(Debug, Clone, Copy, Default)]
pub struct ListDevices;

impl Endpoint for ListDevices {
    type Output = Vec<Device>;
    fn method(&self) -> Method {
        Method::Get
    }
    fn path(&self) -> Result<String> {
        Ok("/api/devices".into())
    }
    fn decode(&self, response: &HttpResponse) -> Result<Reply<Vec<Device>>> {
        self.decode_within(response, &DecodeLimits::default())
    }
    fn decode_within(
        &self,
        response: &HttpResponse,
        limits: &DecodeLimits,
    ) -> Result<Reply<Vec<Device>>> {
        decode_list(response, "devices", limits)
    }
}

/// `GET /api/devices/{id}`: one device.
#[derive(Debug, Clone, Copy)]
pub struct GetDevice<'a> {
    /// The device id.
    pub id: &'a str,
}

impl Endpoint for GetDevice<'_> {
    type Output = Device;
    fn method(&self) -> Method {
        Method::Get
    }
    fn path(&self) -> Result<String> {
        device_path(self.id, "")
    }
    fn decode(&self, response: &HttpResponse) -> Result<Reply<Device>> {
        let reply = decode_named::<Device>(response, "device")?;
        let value = reply.value.ok_or_else(|| missing("device"))?;
        Ok(Reply {
            value,
            usage: reply.usage,
        })
    }
}

/// `GET /api/devices/{id}/lastLocation`: the last known position; `None` when the device
/// has reported none yet.
#[derive(Debug, Clone, Copy)]
pub struct LastLocation<'a> {
    /// The device id.
    pub id: &'a str,
}

impl Endpoint for LastLocation<'_> {
    type Output = Option<Location>;
    fn method(&self) -> Method {
        Method::Get
    }
    fn path(&self) -> Result<String> {
        device_path(self.id, "/lastLocation")
    }
    fn decode(&self, response: &HttpResponse) -> Result<Reply<Option<Location>>> {
        decode_named(response, "lastLocation")
    }
}

/// `POST /api/devices/{id}/locations`: the positions in a date range (a query, safe to retry).
#[derive(Debug, Clone, Copy)]
pub struct QueryLocations<'a> {
    /// The device id.
    pub id: &'a str,
    /// The range (and optional filter).
    pub query: &'a LocationsQuery,
}

impl Endpoint for QueryLocations<'_> {
    type Output = Vec<Location>;
    fn method(&self) -> Method {
        Method::Post
    }
    fn path(&self) -> Result<String> {
        device_path(self.id, "/locations")
    }
    fn body(&self) -> Result<Option<Vec<u8>>> {
        self.query.validate()?;
        json_body(self.query)
    }
    fn retry_safe(&self) -> bool {
        true
    }
    fn decode(&self, response: &HttpResponse) -> Result<Reply<Vec<Location>>> {
        self.decode_within(response, &DecodeLimits::default())
    }
    fn decode_within(
        &self,
        response: &HttpResponse,
        limits: &DecodeLimits,
    ) -> Result<Reply<Vec<Location>>> {
        Ok(decode_checked_list(response, "locations", limits)?.map(|list| list.items))
    }
}

/// [`QueryLocations`], reporting the fixes set aside (undecodable, or without a usable
/// position) instead of dropping them silently.
#[derive(Debug, Clone, Copy)]
pub struct QueryLocationsChecked<'a>(pub QueryLocations<'a>);

impl Endpoint for QueryLocationsChecked<'_> {
    type Output = Checked<Location>;
    fn method(&self) -> Method {
        self.0.method()
    }
    fn path(&self) -> Result<String> {
        self.0.path()
    }
    fn body(&self) -> Result<Option<Vec<u8>>> {
        self.0.body()
    }
    fn retry_safe(&self) -> bool {
        true
    }
    fn decode(&self, response: &HttpResponse) -> Result<Reply<Checked<Location>>> {
        self.decode_within(response, &DecodeLimits::default())
    }
    fn decode_within(
        &self,
        response: &HttpResponse,
        limits: &DecodeLimits,
    ) -> Result<Reply<Checked<Location>>> {
        decode_checked_list(response, "locations", limits)
    }
}

/// `POST /api/devices/{id}/alerts`: the alerts in a date range (a query, safe to retry).
#[derive(Debug, Clone, Copy)]
pub struct QueryAlerts<'a> {
    /// The device id.
    pub id: &'a str,
    /// The range and optional alert-name filter.
    pub query: &'a AlertsQuery,
}

impl Endpoint for QueryAlerts<'_> {
    type Output = Vec<AlertEvent>;
    fn method(&self) -> Method {
        Method::Post
    }
    fn path(&self) -> Result<String> {
        device_path(self.id, "/alerts")
    }
    fn body(&self) -> Result<Option<Vec<u8>>> {
        self.query.validate()?;
        json_body(self.query)
    }
    fn retry_safe(&self) -> bool {
        true
    }
    fn decode(&self, response: &HttpResponse) -> Result<Reply<Vec<AlertEvent>>> {
        self.decode_within(response, &DecodeLimits::default())
    }
    fn decode_within(
        &self,
        response: &HttpResponse,
        limits: &DecodeLimits,
    ) -> Result<Reply<Vec<AlertEvent>>> {
        Ok(decode_checked_list(response, "alerts", limits)?.map(|list| list.items))
    }
}

/// [`QueryAlerts`], reporting the events set aside instead of dropping them silently.
#[derive(Debug, Clone, Copy)]
pub struct QueryAlertsChecked<'a>(pub QueryAlerts<'a>);

impl Endpoint for QueryAlertsChecked<'_> {
    type Output = Checked<AlertEvent>;
    fn method(&self) -> Method {
        self.0.method()
    }
    fn path(&self) -> Result<String> {
        self.0.path()
    }
    fn body(&self) -> Result<Option<Vec<u8>>> {
        self.0.body()
    }
    fn retry_safe(&self) -> bool {
        true
    }
    fn decode(&self, response: &HttpResponse) -> Result<Reply<Checked<AlertEvent>>> {
        self.decode_within(response, &DecodeLimits::default())
    }
    fn decode_within(
        &self,
        response: &HttpResponse,
        limits: &DecodeLimits,
    ) -> Result<Reply<Checked<AlertEvent>>> {
        decode_checked_list(response, "alerts", limits)
    }
}

/// `POST /api/devices/{id}/sendCommand`: sends a command to the tracker. Never retried
/// automatically: it acts on a real vehicle.
#[derive(Debug, Clone, Copy)]
pub struct SendCommand<'a> {
    /// The device id.
    pub id: &'a str,
    /// The command.
    pub command: &'a Command,
}

impl Endpoint for SendCommand<'_> {
    type Output = String;
    fn method(&self) -> Method {
        Method::Post
    }
    fn path(&self) -> Result<String> {
        device_path(self.id, "/sendCommand")
    }
    fn body(&self) -> Result<Option<Vec<u8>>> {
        self.command.validate()?;
        json_body(self.command)
    }
    fn decode(&self, response: &HttpResponse) -> Result<Reply<String>> {
        // Free text; a server that answers with a number or an object still gets read, as
        // its compact JSON text.
        Ok(decode_named::<crate::de::TextOrJson>(response, "result")?
            .map(|value| value.map(|v| v.0).unwrap_or_default()))
    }
}
