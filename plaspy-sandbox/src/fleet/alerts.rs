//! Alerts derived from the track: each compares a fix with the one before it.

use plaspy_types::AlertEvent;

use super::track::{Fix, Kind, Sim};

/// Alert name: the speed went over [`SPEED_LIMIT_KMH`].
pub(crate) const SPEEDING: &str = "Speeding";
/// Alert name: the ignition was switched on.
pub(crate) const IGNITION_ON: &str = "Ignition on";
/// Alert name: the ignition was switched off.
pub(crate) const IGNITION_OFF: &str = "Ignition off";
/// Alert name: the backup battery fell under [`LOW_BATTERY_PERCENT`].
pub(crate) const LOW_BATTERY: &str = "Low battery";
/// Alert name: the vehicle entered a named zone.
pub(crate) const ZONE_ENTRY: &str = "Zone entry";
/// Alert name: the vehicle left a named zone.
pub(crate) const ZONE_EXIT: &str = "Zone exit";

/// The speed limit, km/h.
pub(crate) const SPEED_LIMIT_KMH: f64 = 80.0;
/// The low-battery threshold, percent.
pub(crate) const LOW_BATTERY_PERCENT: i64 = 20;

/// An alert that fired at a fix.
#[derive(Debug, Clone)]
pub(crate) struct Event {
    /// One of the alert names above.
    pub(crate) name: &'static str,
    /// The human text.
    pub(crate) text: String,
    /// The zone, for zone alerts.
    pub(crate) zone: Option<&'static str>,
}

impl Event {
    fn new(name: &'static str, text: String) -> Self {
        Event {
            name,
            text,
            zone: None,
        }
    }

    /// The event as the API reports it.
    pub(crate) fn to_alert(&self, sim: &Sim, fix: &Fix) -> AlertEvent {
        let loc = sim.location(fix, &[]);
        let urgent = matches!(self.name, SPEEDING | LOW_BATTERY);
        let mut extra = plaspy_types::Extra::new();
        if let Some(zone) = self.zone {
            extra.insert("zone", zone);
        }
        {
            let mut alert = AlertEvent::new(loc.date_time, loc.latitude, loc.longitude);
            alert.text = Some(self.text.clone());
            alert.notifications = Some(if urgent {
                vec!["Email".into(), "SMS".into()]
            } else {
                vec!["Email".into()]
            });
            alert.alerts = Some(vec![self.name.to_owned()]);
            alert.extra = extra;
            alert
        }
    }
}

/// The alerts that fire at `cur`, given the fix before it (if known).
pub(crate) fn detect(sim: &Sim, prev: Option<&Fix>, cur: &Fix) -> Vec<Event> {
    let mut events = Vec::new();
    match cur.kind {
        Kind::Depart => events.push(Event::new(IGNITION_ON, "Ignition on".into())),
        Kind::Arrive => events.push(Event::new(IGNITION_OFF, "Ignition off".into())),
        Kind::Moving | Kind::Parked => {}
    }
    let Some(prev) = prev else {
        return events;
    };
    if cur.speed > SPEED_LIMIT_KMH && prev.speed <= SPEED_LIMIT_KMH {
        events.push(Event::new(
            SPEEDING,
            format!(
                "Speeding: {:.0} km/h (limit {SPEED_LIMIT_KMH:.0} km/h)",
                cur.speed
            ),
        ));
    }
    let level = sim.battery(cur);
    if level < LOW_BATTERY_PERCENT && sim.battery(prev) >= LOW_BATTERY_PERCENT {
        events.push(Event::new(
            LOW_BATTERY,
            format!("Low backup battery: {level}%"),
        ));
    }
    for zone in sim.city().zones {
        let (was, is) = (zone.contains(prev.pos), zone.contains(cur.pos));
        let (name, verb) = match (was, is) {
            (false, true) => (ZONE_ENTRY, "Entered"),
            (true, false) => (ZONE_EXIT, "Left"),
            _ => continue,
        };
        events.push(Event {
            name,
            text: format!("{verb} zone {}", zone.name),
            zone: Some(zone.name),
        });
    }
    events
}

/// Whether an alert named `name` matches the `alertName` filter (case, spaces, hyphens and
/// underscores ignored, so `ignitionOn` and `ignition_on` both match "Ignition on").
pub(crate) fn matches_filter(name: &str, filter: &str) -> bool {
    let norm = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    norm(name) == norm(filter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_is_lenient_about_spelling() {
        assert!(matches_filter(IGNITION_ON, "ignitionOn"));
        assert!(matches_filter(IGNITION_ON, "IGNITION_ON"));
        assert!(matches_filter(LOW_BATTERY, "low-battery"));
        assert!(!matches_filter(IGNITION_ON, "ignition off"));
    }
}
