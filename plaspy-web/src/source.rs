//! Where the pages' data come from: SDK calls, run on blocking threads.

use std::time::Duration;

use chrono::{DateTime, Utc};
use plaspy_blocking::{Client, Device, Error, FleetOptions, Location};

/// Each device with its last position, or the error that fetching it met.
pub(crate) type FleetEntries = Vec<(Device, LastPosition)>;

/// A device's last position (`None`: it never reported one), or why it is unknown.
pub(crate) type LastPosition = Result<Option<Location>, String>;

/// How long one fleet refresh waits in all for the pauses `429` answers ask for: a page
/// refresh should show an error rather than hang for minutes.
const THROTTLE_BUDGET: Duration = Duration::from_secs(20);

/// Every device with its last position (the SDK's fleet snapshot, up to `concurrency` requests
/// in flight). A device whose position cannot be fetched keeps its row with the error; only
/// the device list failing fails the whole.
pub(crate) fn fleet(client: &Client, concurrency: usize) -> Result<FleetEntries, Error> {
    let options = FleetOptions::new()
        .with_concurrency(concurrency)
        .with_throttle_budget(THROTTLE_BUDGET);
    Ok(client
        .fleet()
        .snapshot_with(&options)?
        .into_iter()
        .map(|entry| (entry.device, entry.location.map_err(|e| e.to_string())))
        .collect())
}

/// One device's details, last position and fixes in `[from, to]`.
pub(crate) struct DeviceDay {
    /// The device.
    pub device: Device,
    /// Its last position.
    pub last: Option<Location>,
    /// Its fixes in the range, oldest first.
    pub fixes: Vec<Location>,
}

/// Fetches a device's details, last position and fixes in `[from, to]`.
pub(crate) fn device_day(
    client: &Client,
    id: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<DeviceDay, Error> {
    let device = client.devices().get(id)?;
    let last = client.devices().last_location(id)?;
    let mut fixes = client.devices().locations(id, from, to)?;
    fixes.sort_by_key(|f| f.date_time);
    Ok(DeviceDay {
        device,
        last,
        fixes,
    })
}
