//! The tabular view (columns for tables and CSV) of each model and of the CLI's own shapes.

use chrono::{DateTime, Utc};
use plaspy_blocking::{AlertEvent, Device, Group, Location, User};
use serde::{Deserialize, Serialize};

use super::{Cell, Column, Record};
use crate::time::age;

impl Record for Device {
    fn columns() -> Vec<Column<Self>> {
        vec![
            Column::new("id", "ID", |d: &Device| Cell::text(d.id.as_deref())),
            Column::new("name", "NAME", |d: &Device| Cell::text(d.name.as_deref())),
            Column::new("description", "DESCRIPTION", |d: &Device| {
                Cell::text(d.description.as_deref())
            }),
            Column::new("min", "MIN", |d: &Device| Cell::text(d.min.as_deref())),
            Column::new("expires", "EXPIRES (UTC)", |d: &Device| {
                d.expires.map_or(Cell::Empty, Cell::Time)
            }),
            Column::detail("tags", "TAGS", |d: &Device| Cell::map(d.tags.as_ref())),
        ]
    }
}

impl Record for Location {
    fn columns() -> Vec<Column<Self>> {
        fn num(v: Option<f64>) -> Cell {
            v.map_or(Cell::Empty, Cell::Num)
        }
        fn int(v: Option<i64>) -> Cell {
            v.map_or(Cell::Empty, Cell::Int)
        }
        vec![
            Column::new("dateTime", "TIME (UTC)", |l: &Location| {
                Cell::Time(l.date_time)
            }),
            Column::new("latitude", "LAT", |l: &Location| Cell::Coord(l.latitude)),
            Column::new("longitude", "LON", |l: &Location| Cell::Coord(l.longitude)),
            Column::new("speed", "SPEED", |l: &Location| num(l.speed)),
            Column::new("course", "COURSE", |l: &Location| num(l.course)),
            Column::detail("battery", "BATTERY", |l: &Location| int(l.battery)),
            Column::detail("fuel", "FUEL", |l: &Location| int(l.fuel)),
            Column::detail("fuel2", "FUEL 2", |l: &Location| int(l.fuel2)),
            Column::detail("temperature", "TEMPERATURE", |l: &Location| {
                num(l.temperature)
            }),
            Column::detail("temperature2", "TEMPERATURE 2", |l: &Location| {
                num(l.temperature2)
            }),
            Column::detail("sensorTime1", "SENSOR TIME 1", |l: &Location| {
                int(l.sensor_time1)
            }),
            Column::detail("sensorTime2", "SENSOR TIME 2", |l: &Location| {
                int(l.sensor_time2)
            }),
            Column::detail("sensorTime3", "SENSOR TIME 3", |l: &Location| {
                int(l.sensor_time3)
            }),
            Column::detail("sensorTime4", "SENSOR TIME 4", |l: &Location| {
                int(l.sensor_time4)
            }),
            Column::detail("inactiveSeconds", "INACTIVE (S)", |l: &Location| {
                int(l.inactive_seconds)
            }),
            Column::detail("rpm", "RPM", |l: &Location| int(l.rpm)),
            Column::detail("milleage", "MILEAGE", |l: &Location| num(l.mileage)),
            Column::detail("hasCriticalAlert", "CRITICAL", |l: &Location| {
                l.has_critical_alert.map_or(Cell::Empty, Cell::Bool)
            }),
            Column::new("alerts", "ALERTS", |l: &Location| {
                Cell::list(l.alerts.as_deref())
            }),
            Column::detail("warnings", "WARNINGS", |l: &Location| {
                Cell::list(l.warnings.as_deref())
            }),
            Column::detail("alertTexts", "ALERT TEXTS", |l: &Location| {
                Cell::list(l.alert_texts.as_deref())
            }),
            Column::detail("warningTexts", "WARNING TEXTS", |l: &Location| {
                Cell::list(l.warning_texts.as_deref())
            }),
            Column::detail("inputs", "INPUTS", |l: &Location| {
                Cell::bits(l.inputs.as_deref())
            }),
            Column::detail("outputs", "OUTPUTS", |l: &Location| {
                Cell::bits(l.outputs.as_deref())
            }),
            Column::detail("attributes", "ATTRIBUTES", |l: &Location| {
                Cell::map(l.attributes.as_ref())
            }),
        ]
    }
}

impl Record for AlertEvent {
    fn columns() -> Vec<Column<Self>> {
        vec![
            Column::new("dateTime", "TIME (UTC)", |a: &AlertEvent| {
                Cell::Time(a.date_time)
            }),
            Column::new("latitude", "LAT", |a: &AlertEvent| Cell::Coord(a.latitude)),
            Column::new("longitude", "LON", |a: &AlertEvent| {
                Cell::Coord(a.longitude)
            }),
            Column::new("alerts", "ALERTS", |a: &AlertEvent| {
                Cell::list(a.alerts.as_deref())
            }),
            Column::new("text", "TEXT", |a: &AlertEvent| {
                Cell::text(a.text.as_deref())
            }),
            Column::new("notifications", "NOTIFIED BY", |a: &AlertEvent| {
                Cell::list(a.notifications.as_deref())
            }),
        ]
    }
}

impl Record for Group {
    fn columns() -> Vec<Column<Self>> {
        fn time(t: Option<DateTime<Utc>>) -> Cell {
            t.map_or(Cell::Empty, Cell::Time)
        }
        vec![
            Column::new("id", "ID", |g: &Group| Cell::text(g.id.as_deref())),
            Column::new("name", "NAME", |g: &Group| Cell::Text(g.name.clone())),
            Column::new("description", "DESCRIPTION", |g: &Group| {
                Cell::text(g.description.as_deref())
            }),
            Column::table_only("deviceCount", "DEVICES", |g: &Group| {
                Cell::Int(g.devices.as_ref().map_or(0, Vec::len) as i64)
            }),
            Column::detail("devices", "DEVICE IDS", |g: &Group| {
                Cell::list(g.devices.as_deref())
            }),
            Column::detail("creation", "CREATED (UTC)", |g: &Group| time(g.creation)),
            Column::new("lastModified", "MODIFIED (UTC)", |g: &Group| {
                time(g.last_modified)
            }),
        ]
    }
}

impl Record for User {
    fn columns() -> Vec<Column<Self>> {
        fn time(t: Option<DateTime<Utc>>) -> Cell {
            t.map_or(Cell::Empty, Cell::Time)
        }
        vec![
            Column::new("id", "ID", |u: &User| Cell::text(u.id.as_deref())),
            Column::new("name", "NAME", |u: &User| Cell::Text(u.name.clone())),
            Column::new("email", "EMAIL", |u: &User| Cell::Text(u.email.clone())),
            Column::new("country", "COUNTRY", |u: &User| {
                Cell::Text(u.country.clone())
            }),
            Column::new("timeZone", "TIME ZONE", |u: &User| {
                Cell::Text(u.time_zone.clone())
            }),
            Column::detail("description", "DESCRIPTION", |u: &User| {
                Cell::text(u.description.as_deref())
            }),
            Column::detail("message", "MESSAGE", |u: &User| {
                Cell::text(u.message.as_deref())
            }),
            Column::new("disabled", "DISABLED", |u: &User| {
                u.disabled.map_or(Cell::Empty, Cell::Bool)
            }),
            Column::detail("disabledMessage", "DISABLED MESSAGE", |u: &User| {
                Cell::text(u.disabled_message.as_deref())
            }),
            Column::detail("tags", "TAGS", |u: &User| Cell::map(u.tags.as_ref())),
            Column::detail("privileges", "PRIVILEGES", |u: &User| {
                Cell::list(u.privileges.as_deref())
            }),
            Column::detail("group", "GROUP", |u: &User| Cell::text(u.group.as_deref())),
            Column::detail("deviceId", "DEVICE", |u: &User| {
                Cell::text(u.device_id.as_deref())
            }),
            Column::detail("adminDevices", "ADMIN DEVICES", |u: &User| {
                u.admin_devices.map_or(Cell::Empty, Cell::Int)
            }),
            Column::detail("from", "FROM (UTC)", |u: &User| time(u.from)),
            Column::detail("expires", "EXPIRES (UTC)", |u: &User| time(u.expires)),
            Column::detail("creation", "CREATED (UTC)", |u: &User| time(u.creation)),
            Column::detail("modification", "MODIFIED (UTC)", |u: &User| {
                time(u.modification)
            }),
            Column::new("lastLogin", "LAST LOGIN (UTC)", |u: &User| {
                time(u.last_login)
            }),
        ]
    }
}

/// A device with its last position: one row of `plaspy fleet`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FleetEntry {
    /// The device.
    pub device: Device,
    /// Its state (`moving`, `parked`, `silent`, `noPosition`, `unknown`), by the fleet
    /// domain's one definition.
    pub state: plaspy_fleet::DeviceState,
    /// Its last position, `null` when it has none yet (or it could not be read).
    pub last_location: Option<Location>,
    /// Why its position could not be read, `null` when it was.
    #[serde(default)]
    pub error: Option<String>,
}

impl Record for FleetEntry {
    fn columns() -> Vec<Column<Self>> {
        let mut columns = vec![
            Column::new("id", "ID", |e: &FleetEntry| {
                Cell::text(e.device.id.as_deref())
            }),
            Column::new("name", "NAME", |e: &FleetEntry| {
                Cell::text(e.device.name.as_deref())
            }),
            Column::new("dateTime", "LAST FIX (UTC)", |e: &FleetEntry| {
                match (&e.last_location, &e.error) {
                    (Some(l), _) => Cell::Time(l.date_time),
                    (None, Some(_)) => Cell::Note("unknown"),
                    (None, None) => Cell::Note("no position yet"),
                }
            }),
            Column::new("state", "STATE", |e: &FleetEntry| {
                Cell::text(Some(e.state.as_str()))
            }),
            Column::table_only("age", "AGE", |e: &FleetEntry| {
                e.last_location
                    .as_ref()
                    .map_or(Cell::Empty, |l| Cell::Text(age(l.date_time, Utc::now())))
            }),
        ];
        columns.extend(
            Location::columns()
                .into_iter()
                .filter(|c| c.name != "dateTime")
                .map(|c| c.lift(|e: &FleetEntry| e.last_location.as_ref())),
        );
        columns.push(Column::new("error", "ERROR", |e: &FleetEntry| {
            Cell::text(e.error.as_deref())
        }));
        columns
    }
}

/// A device id with its last position: one item of `devices last-location` with several ids.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PositionEntry {
    /// The device id.
    pub device_id: String,
    /// Its last position, `null` when it has none yet.
    pub last_location: Option<Location>,
}

impl Record for PositionEntry {
    fn columns() -> Vec<Column<Self>> {
        let mut columns = vec![
            Column::new("deviceId", "DEVICE", |e: &PositionEntry| {
                Cell::Text(e.device_id.clone())
            }),
            Column::new("dateTime", "TIME (UTC)", |e: &PositionEntry| {
                e.last_location
                    .as_ref()
                    .map_or(Cell::Note("no position yet"), |l| Cell::Time(l.date_time))
            }),
        ];
        columns.extend(
            Location::columns()
                .into_iter()
                .filter(|c| c.name != "dateTime")
                .map(|c| c.lift(|e: &PositionEntry| e.last_location.as_ref())),
        );
        columns
    }
}

/// A code and its name: one country or time zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeName {
    /// The ISO 3166 code or IANA id.
    pub code: String,
    /// The display name.
    pub name: String,
}

impl Record for CodeName {
    fn columns() -> Vec<Column<Self>> {
        vec![
            Column::new("code", "CODE", |c: &CodeName| Cell::Text(c.code.clone())),
            Column::new("name", "NAME", |c: &CodeName| Cell::Text(c.name.clone())),
        ]
    }
}
