//! Lists the fleet with each device's last position, synchronously.
//!
//! With `PLASPY_USERNAME` / `PLASPY_API_KEY` (and optionally `PLASPY_BASE_URL`) set, it
//! talks to that account; otherwise it starts the local sandbox and uses the demo fleet:
//!
//! ```sh
//! cargo run -p plaspy-blocking --example fleet
//! ```

use plaspy_blocking::Client;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Keep `target` alive while the client is used: it may hold a running sandbox.
    let target = plaspy_sandbox::DemoTarget::from_env_or_sandbox()?;
    let client = Client::builder()
        .credentials(&target.username, &target.api_key)
        .base_url(&target.base_url)
        .build()?;

    let devices = client.devices().list()?;
    println!(
        "{:<28} {:<22} {:>10} {:>11} {:>7}",
        "DEVICE", "LAST FIX (UTC)", "LATITUDE", "LONGITUDE", "KM/H"
    );
    for device in &devices {
        match client.devices().last_location(device.id())? {
            Some(fix) => println!(
                "{:<28} {:<22} {:>10.5} {:>11.5} {:>7.0}",
                device.display_name(),
                fix.date_time.format("%Y-%m-%d %H:%M:%S"),
                fix.latitude,
                fix.longitude,
                fix.speed.unwrap_or_default()
            ),
            None => println!("{:<28} no position yet", device.display_name()),
        }
    }
    let usage = client.usage();
    eprintln!(
        "{} devices; API usage today: {:?}",
        devices.len(),
        usage.api_daily_usage
    );
    Ok(())
}
