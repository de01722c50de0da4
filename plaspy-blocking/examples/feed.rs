//! Follows new positions with the live feed: every fix once, resumable from a saved cursor.
//!
//! With `PLASPY_USERNAME` / `PLASPY_API_KEY` (and optionally `PLASPY_BASE_URL`) set, it
//! talks to that account; otherwise it starts the local sandbox and uses the demo fleet.
//! It prints the last hour of fixes of two devices, then stops after 20 new ones and
//! prints the cursor to resume from:
//!
//! ```sh
//! cargo run -p plaspy-blocking --example feed
//! ```

use std::time::Duration;

use plaspy_blocking::Client;
use plaspy_blocking::feed::{FeedCursor, FeedEvent};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Keep `target` alive while the client is used: it may hold a running sandbox.
    let target = plaspy_sandbox::DemoTarget::from_env_or_sandbox()?;
    let client = Client::builder()
        .credentials(&target.username, &target.api_key)
        .base_url(&target.base_url)
        .build()?;

    let saved: Option<FeedCursor> = None; // e.g. serde_json::from_str(&std::fs::read_to_string(path)?)?
    let mut feed = client
        .feed()
        .devices(["dev-01", "dev-02"]) // or .group(id); default: every device
        .since_ago(Duration::from_secs(3600)) // where a new feed starts (default: now)
        .resume(saved.unwrap_or_default()) // a saved cursor wins for the devices it holds
        .interval(Duration::from_secs(5))
        .build();
    let mut printed = 0;
    while printed < 20 {
        match feed.next_event() {
            Ok(FeedEvent::Location {
                device_id,
                location,
            }) => {
                printed += 1;
                println!(
                    "{device_id} {} {:.5},{:.5}",
                    location.date_time, location.latitude, location.longitude
                );
            }
            Ok(FeedEvent::Alert { .. }) => {} // only with .alerts(true)
            Err(err) => eprintln!("poll failed, retried at the next one: {err}"),
        }
    }
    // Save this (it is serde) and pass it to `resume` to go on where this run stopped.
    println!("{}", serde_json::to_string(&feed.cursor())?);
    Ok(())
}
