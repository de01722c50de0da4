//! Feed events and batches for the tests, numbered as the watcher numbers them.

use chrono::{DateTime, Duration, Utc};
use plaspy_sinks::{Batch, Sequencer};
use plaspy_types::Location;
use plaspy_types::feed::{FeedCursor, FeedEvent};

/// A fix of `device` at `at` seconds past 2024-06-01T08:00:00Z.
pub fn fix(device: &str, at: i64, lat: f64, lon: f64) -> FeedEvent {
    let t0: DateTime<Utc> = "2024-06-01T08:00:00Z".parse().unwrap();
    let mut location = Location::new(t0 + Duration::seconds(at), lat, lon);
    location.speed = Some(42.5);
    location.course = Some(90.0);
    FeedEvent::Location {
        device_id: device.into(),
        location,
    }
}

/// The batch of `events` after `cursor`, and the cursor that follows it.
pub fn batch(feed: &str, cursor: &FeedCursor, events: &[FeedEvent]) -> (Batch, FeedCursor) {
    let mut seq = Sequencer::new(cursor);
    let records = events.iter().map(|e| seq.record(e).unwrap()).collect();
    let after = seq.cursor().clone();
    (Batch::new(feed, records, &after).unwrap(), after)
}

/// Three fixes of `device` (two sharing an instant).
pub fn three_fixes(device: &str) -> Vec<FeedEvent> {
    vec![
        fix(device, 0, 4.6, -74.0),
        fix(device, 0, 4.61, -74.01),
        fix(device, 30, 4.62, -74.02),
    ]
}

/// An alert event of `device` at `at` seconds past 2024-06-01T08:00:00Z.
pub fn alert(device: &str, at: i64) -> FeedEvent {
    let t0: DateTime<Utc> = "2024-06-01T08:00:00Z".parse().unwrap();
    let mut alert = plaspy_types::AlertEvent::new(t0 + Duration::seconds(at), 4.6, -74.0);
    alert.text = Some("Overspeed".into());
    FeedEvent::Alert {
        device_id: device.into(),
        alert,
    }
}
