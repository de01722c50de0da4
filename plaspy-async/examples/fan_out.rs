//! Fetches every device's last location concurrently, at most 8 requests in flight.
//!
//! With `PLASPY_USERNAME` / `PLASPY_API_KEY` (and optionally `PLASPY_BASE_URL`) set, it
//! talks to that account; otherwise it starts the local sandbox and uses the demo fleet:
//!
//! ```sh
//! cargo run -p plaspy-async --example fan_out
//! ```

use futures_util::stream::{self, StreamExt};
use plaspy_async::Client;

/// How many requests may be in flight at once.
const CONCURRENCY: usize = 8;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Keep `target` alive while the client is used: it may hold a running sandbox.
    let target = plaspy_sandbox::DemoTarget::from_env_or_sandbox()?;
    let client = Client::builder()
        .credentials(&target.username, &target.api_key)
        .base_url(&target.base_url)
        .build()?;

    let devices = client.devices().list().await?;
    // One token request serves every concurrent call below.
    let mut results: Vec<_> = stream::iter(devices)
        .map(|device| {
            let client = client.clone();
            async move {
                let fix = client.devices().last_location(device.id()).await;
                (device, fix)
            }
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    results.sort_by(|a, b| a.0.display_name().cmp(b.0.display_name()));

    for (device, fix) in results {
        match fix {
            Ok(Some(fix)) => println!(
                "{:<28} {} {:>10.5} {:>11.5}",
                device.display_name(),
                fix.date_time.format("%Y-%m-%d %H:%M:%S"),
                fix.latitude,
                fix.longitude
            ),
            Ok(None) => println!("{:<28} no position yet", device.display_name()),
            Err(err) => println!("{:<28} error: {err}", device.display_name()),
        }
    }
    Ok(())
}
