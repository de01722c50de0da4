//! Where the pages' data come from: SDK calls, run on blocking threads.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{DateTime, Utc};
use plaspy_blocking::{Client, Device, Error, Location};

/// Each device with its last position, or the error that fetching it met.
pub(crate) type FleetEntries = Vec<(Device, LastPosition)>;

/// A device's last position (`None`: it never reported one), or why it is unknown.
pub(crate) type LastPosition = Result<Option<Location>, String>;

/// Every device with its last position, fetched by up to `workers` threads. A device whose
/// position cannot be fetched keeps its row with the error; only the device list failing
/// fails the whole.
pub(crate) fn fleet(client: &Client, workers: usize) -> Result<FleetEntries, Error> {
    let devices = client.devices().list()?;
    let slots: Vec<Mutex<Option<LastPosition>>> =
        devices.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..workers.clamp(1, devices.len().max(1)) {
            let (client, devices, slots, next) = (client.clone(), &devices, &slots, &next);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(device) = devices.get(i) else { break };
                    let result = if device.id().is_empty() {
                        Err("the API sent this device without an id".to_owned())
                    } else {
                        client
                            .devices()
                            .last_location(device.id())
                            .map_err(|e| e.to_string())
                    };
                    *slots[i].lock().unwrap_or_else(|p| p.into_inner()) = Some(result);
                }
            });
        }
    });
    Ok(devices
        .into_iter()
        .zip(slots)
        .map(|(device, slot)| {
            let result = slot
                .into_inner()
                .unwrap_or_else(|p| p.into_inner())
                .unwrap_or_else(|| Err("not fetched".to_owned()));
            (device, result)
        })
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
