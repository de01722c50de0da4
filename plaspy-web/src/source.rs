//! Where the pages' data come from: the SDK's async calls.

use std::time::Duration;

use chrono::{DateTime, Utc};
use plaspy_async::{Client, Device, Error, FleetOptions, Location};
use plaspy_fleet::FleetEntry;

/// How long one fleet refresh waits in all for the pauses `429` answers ask for: a page
/// refresh should show an error rather than hang for minutes.
const THROTTLE_BUDGET: Duration = Duration::from_secs(20);

/// Every device with its last position (the SDK's fleet snapshot, up to `concurrency`
/// requests in flight). A device whose position cannot be fetched keeps its entry with the
/// error; only the device list failing fails the whole.
pub(crate) async fn fleet(client: &Client, concurrency: usize) -> Result<Vec<FleetEntry>, Error> {
    let options = FleetOptions::new()
        .with_concurrency(concurrency)
        .with_throttle_budget(THROTTLE_BUDGET);
    client.fleet().snapshot_with(&options).await
}

/// One device's details, last position and fixes in a day.
#[derive(Debug)]
pub(crate) struct DeviceDay {
    /// The device.
    pub device: Device,
    /// Its last position.
    pub last: Option<Location>,
    /// Its fixes in the range, oldest first.
    pub fixes: Vec<Location>,
}

/// Fetches a device's details, then its last position and its fixes in `[from, to]`
/// together (an unknown device costs one request).
pub(crate) async fn device_day(
    client: &Client,
    id: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<DeviceDay, Error> {
    let devices = client.devices();
    let device = devices.get(id).await?;
    let (last, mut fixes) =
        tokio::try_join!(devices.last_location(id), devices.locations(id, from, to))?;
    fixes.sort_by_key(|f| f.date_time);
    Ok(DeviceDay {
        device,
        last,
        fixes,
    })
}
