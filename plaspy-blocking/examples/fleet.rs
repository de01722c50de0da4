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
    // Keep the sandbox handle alive for as long as the client is used.
    let (client, _sandbox) = if std::env::var_os("PLASPY_USERNAME").is_some() {
        (Client::from_env()?, None)
    } else {
        let sandbox = plaspy_sandbox::start(plaspy_sandbox::SandboxConfig::default())?;
        let client = Client::builder()
            .credentials(plaspy_sandbox::DEMO_USERNAME, plaspy_sandbox::DEMO_API_KEY)
            .base_url(sandbox.base_url())
            .build()?;
        eprintln!(
            "(no PLASPY_USERNAME set: using the local sandbox at {})",
            sandbox.base_url()
        );
        (client, Some(sandbox))
    };

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
