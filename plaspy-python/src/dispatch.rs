//! Runs an [`Op`] on a client and answers JSON: written once, expanded for the blocking
//! client (plain calls) and for the async one (`.await`ed calls).

use plaspy_types::{Device, Location, Result as SdkResult};
use serde::Serialize;

use crate::error::{ErrorInfo, Failure};
use crate::ops::{Op, Zone};

/// One entry of `fleet.snapshot()`, as Python reads it.
#[derive(Serialize)]
struct Entry<'a> {
    device: &'a Device,
    location: Option<&'a Location>,
    error: Option<ErrorInfo>,
}

/// The snapshot entries as JSON: each device with its position or its error.
fn fleet_json(devices: &[Device], locations: &[SdkResult<Option<Location>>]) -> SdkJson {
    let entries: Vec<Entry<'_>> = devices
        .iter()
        .zip(locations)
        .map(|(device, location)| Entry {
            device,
            location: location.as_ref().ok().and_then(Option::as_ref),
            error: location.as_ref().err().map(ErrorInfo::of),
        })
        .collect();
    json(&entries)
}

/// What every op answers: JSON text, or a failure.
pub type SdkJson = Result<String, Failure>;

/// `value` as JSON text.
pub fn json<T: Serialize + ?Sized>(value: &T) -> SdkJson {
    Ok(serde_json::to_string(value)?)
}

/// The devices of `group`, in the order the device list gives them.
fn in_group(devices: Vec<Device>, members: Option<Vec<String>>) -> Vec<Device> {
    let members = members.unwrap_or_default();
    devices
        .into_iter()
        .filter(|device| members.iter().any(|id| id == device.id()))
        .collect()
}

/// A time zone by IANA name or fixed offset.
enum AnyZone {
    Named(chrono_tz::Tz),
    Fixed(chrono::FixedOffset),
}

fn zone(tz: Option<Zone>) -> Result<AnyZone, Failure> {
    let bad = |what: String| Failure(ErrorInfo::invalid_input(what));
    match tz {
        None => Ok(AnyZone::Fixed(
            chrono::FixedOffset::east_opt(0).expect("0 is valid"),
        )),
        Some(Zone::Name(name)) => name
            .parse::<chrono_tz::Tz>()
            .map(AnyZone::Named)
            .map_err(|_| {
                bad(format!(
                    "unknown time zone {name:?} (expected an IANA name)"
                ))
            }),
        Some(Zone::Offset(seconds)) => chrono::FixedOffset::east_opt(seconds)
            .map(AnyZone::Fixed)
            .ok_or_else(|| bad(format!("UTC offset of {seconds} s out of range"))),
    }
}

/// The body of both `run` functions; `$($aw)*` is `.await` for the async client, nothing
/// for the blocking one.
macro_rules! run_op {
    ($client:expr, $op:expr, $($aw:tt)*) => {{
        let client = $client;
        match $op {
            Op::DevicesList => json(&client.devices().list()$($aw)*?),
            Op::DevicesGet { id } => json(&client.devices().get(&id)$($aw)*?),
            Op::DevicesLastLocation { id } => json(&client.devices().last_location(&id)$($aw)*?),
            Op::DevicesLocations { id, start, end } => {
                json(&client.devices().locations(&id, start.utc()?, end.utc()?)$($aw)*?)
            }
            Op::DevicesAlerts { id, start, end, name } => {
                let mut query = plaspy_types::AlertsQuery::new(start.utc()?, end.utc()?);
                if let Some(name) = name {
                    query = query.name(name);
                }
                json(&client.devices().alerts_query(&id, &query)$($aw)*?)
            }
            Op::DevicesSendCommand { id, command } => {
                json(&client.devices().send_command(&id, &command)$($aw)*?)
            }
            Op::DevicesTrips { id, start, end } => {
                json(&client.devices().trips(&id, start.utc()?, end.utc()?)$($aw)*?)
            }
            Op::DevicesStops { id, start, end } => {
                json(&client.devices().stops(&id, start.utc()?, end.utc()?)$($aw)*?)
            }
            Op::DevicesSummary { id, start, end, tz } => {
                let report = client.devices().report(&id, start.utc()?, end.utc()?);
                match zone(tz)? {
                    AnyZone::Named(tz) => json(&report.summary(&tz)$($aw)*?),
                    AnyZone::Fixed(tz) => json(&report.summary(&tz)$($aw)*?),
                }
            }
            Op::GroupsList => json(&client.groups().list()$($aw)*?),
            Op::GroupsGet { id } => json(&client.groups().get(&id)$($aw)*?),
            Op::GroupsCreate { input } => json(&client.groups().create(&input)$($aw)*?),
            Op::GroupsUpdate { id, input } => json(&client.groups().update(&id, &input)$($aw)*?),
            Op::GroupsPatch { id, operations } => {
                json(&client.groups().patch(&id, &operations)$($aw)*?)
            }
            Op::GroupsDelete { id } => json(&client.groups().delete(&id)$($aw)*?),
            Op::UsersList => json(&client.users().list()$($aw)*?),
            Op::UsersGet { id } => json(&client.users().get(&id)$($aw)*?),
            Op::UsersCreate { input } => json(&client.users().create(&input)$($aw)*?),
            Op::UsersUpdate { id, input } => json(&client.users().update(&id, &input)$($aw)*?),
            Op::UsersPatch { id, operations } => {
                json(&client.users().patch(&id, &operations)$($aw)*?)
            }
            Op::UsersDelete { id } => json(&client.users().delete(&id)$($aw)*?),
            Op::UsersCountries => json(&client.users().countries()$($aw)*?),
            Op::UsersTimeZones => json(&client.users().time_zones()$($aw)*?),
            Op::FleetSnapshot { concurrency, group } => {
                let mut options = plaspy_blocking::FleetOptions::new();
                if let Some(concurrency) = concurrency {
                    options = options.with_concurrency(concurrency);
                }
                let Some(group) = group else {
                    let entries = client.fleet().snapshot_with(&options)$($aw)*?;
                    let (devices, locations): (Vec<_>, Vec<_>) =
                        entries.into_iter().map(|e| (e.device, e.location)).unzip();
                    return fleet_json(&devices, &locations);
                };
                let members = client.groups().get(&group)$($aw)*?.devices;
                let devices = in_group(client.devices().list()$($aw)*?, members);
                let ids: Vec<&str> = devices.iter().map(|device| device.id()).collect();
                let locations = client.devices().last_locations_with(&ids, &options)$($aw)*;
                fleet_json(&devices, &locations)
            }
        }
    }};
}

/// Runs `op` on the blocking client (call it with the GIL released).
pub fn run_blocking(client: &plaspy_blocking::Client, op: Op) -> SdkJson {
    run_op!(client, op,)
}

/// Runs `op` on the async client.
pub async fn run_async(client: &plaspy_async::Client, op: Op) -> SdkJson {
    run_op!(client, op, .await)
}
