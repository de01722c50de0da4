//! Combining cursors when several sinks each hold one.

use plaspy_types::feed::{DeviceCursor, FeedCursor, Mark};

/// The cursor that is behind or equal to both `a` and `b` for every device and stream:
/// where to resume when several sinks hold cursors that may differ (one acknowledged a
/// batch the other did not). Replaying from it is safe: each sink drops or tags what it
/// already has. A device or stream one cursor lacks is left out (the feed starts it from
/// its start point).
///
/// ```
/// use plaspy_types::feed::{FeedCursor, Mark};
/// let t0: chrono::DateTime<chrono::Utc> = "2024-06-01T08:00:00Z".parse()?;
/// let mut a = FeedCursor::default();
/// a.devices.entry("d".into()).or_default().positions = Some(Mark { time: t0, seen: 3 });
/// let mut b = a.clone();
/// b.devices.get_mut("d").unwrap().positions = Some(Mark { time: t0, seen: 1 });
/// assert_eq!(plaspy_sinks::earliest(&a, &b), b);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn earliest(a: &FeedCursor, b: &FeedCursor) -> FeedCursor {
    let mut out = FeedCursor::default();
    for (device, da) in &a.devices {
        let Some(db) = b.devices.get(device) else {
            continue;
        };
        // The delivered sets go with the earlier mark: what that cursor had delivered.
        let a_first = |x: Option<Mark>, y: Option<Mark>| min_mark(x, y) == x;
        let both = DeviceCursor {
            positions: min_mark(da.positions, db.positions),
            alerts: min_mark(da.alerts, db.alerts),
            delivered: if a_first(da.positions, db.positions) {
                da.delivered.clone()
            } else {
                db.delivered.clone()
            },
            delivered_alerts: if a_first(da.alerts, db.alerts) {
                da.delivered_alerts.clone()
            } else {
                db.delivered_alerts.clone()
            },
        };
        if both.positions.is_some() || both.alerts.is_some() {
            out.devices.insert(device.clone(), both);
        }
    }
    out
}

fn min_mark(a: Option<Mark>, b: Option<Mark>) -> Option<Mark> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if (a.time, a.seen) <= (b.time, b.seen) {
            a
        } else {
            b
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_missing_on_one_side_are_left_out() {
        let t0 = "2024-06-01T08:00:00Z".parse().unwrap();
        let t1 = "2024-06-01T09:00:00Z".parse().unwrap();
        let mut a = FeedCursor::default();
        a.devices.entry("x".into()).or_default().positions = Some(Mark { time: t1, seen: 0 });
        a.devices.entry("y".into()).or_default().positions = Some(Mark::new(t0));
        let mut b = FeedCursor::default();
        b.devices.entry("x".into()).or_default().positions = Some(Mark { time: t0, seen: 5 });
        let e = earliest(&a, &b);
        assert_eq!(e.devices.len(), 1);
        assert_eq!(e.positions("x"), Some(Mark { time: t0, seen: 5 }));
    }
}
