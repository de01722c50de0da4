//! Follows new positions with the live feed: every fix once, resumable from a saved cursor.
//!
//! With `PLASPY_USERNAME` / `PLASPY_API_KEY` (and optionally `PLASPY_BASE_URL`) set, it
//! talks to that account; otherwise it starts the local sandbox and uses the demo fleet.
//! It prints fixes of two devices from an hour back, stops after 20 and saves the cursor
//! in the temporary directory; the next run goes on from there:
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

    // The cursor of the previous run, if any: run the example twice to see it go on.
    let state = std::env::temp_dir().join("plaspy-feed-example.json");
    let saved = match std::fs::read_to_string(&state) {
        Ok(text) => serde_json::from_str(&text)?,
        Err(_) => FeedCursor::default(),
    };
    let mut feed = client
        .feed()
        .devices(["dev-01", "dev-02"]) // or .group(id); default: every device
        .since_ago(Duration::from_secs(3600)) // where a new feed starts (default: now)
        .resume(saved) // a saved cursor wins for the devices it holds
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
    // Saved (serde) and passed to `resume`, it goes on where this run stopped.
    std::fs::write(&state, serde_json::to_string(&feed.cursor())?)?;
    eprintln!("cursor saved to {}", state.display());
    Ok(())
}
