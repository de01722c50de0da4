//! Live fleet events, streaming: `geofenceEnter`, `geofenceExit`, `overspeed`, `silent` and
//! `backOnline`, from each device's fixes in time order and ticks of the server's clock.
//!
//! The rules ([`EventRules`]):
//!
//! - **Geofences.** A fix inside a zone after a fix outside it is a `geofenceEnter`; a fix
//!   outside after a fix inside is a `geofenceExit`; both at the fix's time. The zone rules
//!   and the code are those of [`visits`](crate::visits) (without crossings): over the same
//!   fixes, the enters and exits are exactly the visits' (a visit flagged `startsInside` has
//!   no enter event). A fix without a valid position tells nothing about zones.
//! - **Overspeed.** A fix whose speed is above [`EventRules::overspeed_kmh`] right after a
//!   fix whose speed is at or below it: once per excursion, with the fix's `speed`. A fix
//!   without a speed (or a non-finite one) leaves the speed unknown, so the next fix above
//!   the limit is no event.
//! - **Silent.** On a tick, a device whose last fix is older than the silence threshold
//!   ([`Thresholds::silent_after`], judged by [`Thresholds::is_silent`] on the server's clock
//!   passed in) becomes silent, once (`time` is the tick's, `lastReport` the last fix's).
//! - **Back online.** The first fix of a silent device, at the fix's time.
//! - **No event for the initial state.** The first fix seen of a device sets its zones and
//!   its speed without an event, and the first tick after it sets whether it is silent
//!   without an event.
//! - **Order.** A fix earlier than the last fix taken for its device is out of order and
//!   skipped. For one fix the events come as `backOnline`, then `geofenceExit`s, then
//!   `geofenceEnter`s (each in the zones' file order), then `overspeed`.
//!
//! The state of each device ([`DeviceEvents`], or all of them in [`EventState`]) is
//! serde-serialisable, so a feed cursor can carry it from one run to the next.
//!
//! ```
//! use std::sync::Arc;
//! use chrono::{TimeDelta, TimeZone, Utc};
//! use plaspy_fleet::{Event, EventEngine, EventRules, Fix, Zones};
//!
//! let zones = Zones::from_geojson("z.geojson", r#"{"type":"FeatureCollection","features":[
//!   {"type":"Feature","properties":{"name":"depot","radius":100},
//!    "geometry":{"type":"Point","coordinates":[0.0,0.0]}}]}"#)?;
//! let rules = EventRules::default().with_zones(Arc::new(zones)).with_overspeed_kmh(80.0);
//! let mut engine = EventEngine::new(rules);
//! let t = |min| Utc.with_ymd_and_hms(2024, 6, 1, 8, min, 0).unwrap();
//!
//! assert!(engine.fix("dev-01", Fix::new(t(0), 0.0, 0.5, Some(50.0))).is_empty()); // first fix
//! let events = engine.fix("dev-01", Fix::new(t(5), 0.0, 0.0, Some(90.0)));
//! assert_eq!(serde_json::to_value(&events)?, serde_json::json!([
//!   {"event": "geofenceEnter", "deviceId": "dev-01", "geofence": "depot", "time": "2024-06-01T08:05:00Z"},
//!   {"event": "overspeed", "deviceId": "dev-01", "time": "2024-06-01T08:05:00Z", "speed": 90.0},
//! ]));
//! // The first tick only sets the initial state; the next one judges a change.
//! assert!(engine.tick(t(6)).is_empty());
//! let events = engine.tick(t(5) + TimeDelta::hours(2));
//! assert!(matches!(&events[..], [Event::Silent { .. }]));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::geofence::track::{changes, in_order, zones_of};
use crate::{Fix, Thresholds, Zones};

/// One fleet event. Serialised with an `event` tag and camelCase fields, e.g.
/// `{"event":"geofenceEnter","deviceId":"dev-01","geofence":"depot","time":"2024-06-01T08:05:00Z"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "event",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[non_exhaustive]
pub enum Event {
    /// The device entered a zone.
    GeofenceEnter {
        /// The device.
        device_id: String,
        /// The zone's name.
        geofence: String,
        /// The time of the first fix inside.
        time: DateTime<Utc>,
    },
    /// The device left a zone.
    GeofenceExit {
        /// The device.
        device_id: String,
        /// The zone's name.
        geofence: String,
        /// The time of the first fix outside.
        time: DateTime<Utc>,
    },
    /// The device's speed rose above the limit.
    Overspeed {
        /// The device.
        device_id: String,
        /// The time of the fix above the limit.
        time: DateTime<Utc>,
        /// Its speed (km/h).
        speed: f64,
    },
    /// The device has not reported for longer than the silence threshold.
    Silent {
        /// The device.
        device_id: String,
        /// The server's time when the silence was judged.
        time: DateTime<Utc>,
        /// The time of the device's last fix.
        last_report: DateTime<Utc>,
    },
    /// A silent device reported again.
    BackOnline {
        /// The device.
        device_id: String,
        /// The time of the fix that ended the silence.
        time: DateTime<Utc>,
    },
}

impl Event {
    /// The event's name as serialised (`geofenceEnter`, `geofenceExit`, `overspeed`,
    /// `silent`, `backOnline`).
    ///
    /// ```
    /// use chrono::Utc;
    /// let e = plaspy_fleet::Event::BackOnline { device_id: "d".into(), time: Utc::now() };
    /// assert_eq!(e.name(), "backOnline");
    /// ```
    pub fn name(&self) -> &'static str {
        match self {
            Event::GeofenceEnter { .. } => "geofenceEnter",
            Event::GeofenceExit { .. } => "geofenceExit",
            Event::Overspeed { .. } => "overspeed",
            Event::Silent { .. } => "silent",
            Event::BackOnline { .. } => "backOnline",
        }
    }

    /// The device the event is about.
    pub fn device_id(&self) -> &str {
        match self {
            Event::GeofenceEnter { device_id, .. }
            | Event::GeofenceExit { device_id, .. }
            | Event::Overspeed { device_id, .. }
            | Event::Silent { device_id, .. }
            | Event::BackOnline { device_id, .. } => device_id,
        }
    }

    /// The event's time: the fix's, or the server's for `silent`.
    pub fn time(&self) -> DateTime<Utc> {
        match self {
            Event::GeofenceEnter { time, .. }
            | Event::GeofenceExit { time, .. }
            | Event::Overspeed { time, .. }
            | Event::Silent { time, .. }
            | Event::BackOnline { time, .. } => *time,
        }
    }
}

/// Which events to raise: geofence events when there are zones, overspeed when there is a
/// limit, and silent / back online by [`Thresholds::silent_after`] (on ticks).
///
/// ```
/// use chrono::TimeDelta;
/// use plaspy_fleet::{EventRules, Thresholds};
///
/// let rules = EventRules::default()
///     .with_overspeed_kmh(90.0)
///     .with_thresholds(Thresholds::default().with_silent_after(TimeDelta::minutes(30)));
/// assert_eq!(rules.overspeed_kmh, Some(90.0));
/// assert!(rules.zones.is_none());
/// ```
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct EventRules {
    /// The zones for `geofenceEnter` / `geofenceExit` (none: no geofence events).
    pub zones: Option<Arc<Zones>>,
    /// The speed limit (km/h) for `overspeed` (none: no overspeed events).
    pub overspeed_kmh: Option<f64>,
    /// The silence threshold for `silent` / `backOnline` (its moving speed is not used).
    pub thresholds: Thresholds,
}

impl EventRules {
    /// Sets the zones.
    pub fn with_zones(mut self, zones: Arc<Zones>) -> Self {
        self.zones = Some(zones);
        self
    }

    /// Sets the speed limit (km/h).
    pub fn with_overspeed_kmh(mut self, kmh: f64) -> Self {
        self.overspeed_kmh = Some(kmh);
        self
    }

    /// Sets the thresholds.
    pub fn with_thresholds(mut self, thresholds: Thresholds) -> Self {
        self.thresholds = thresholds;
        self
    }
}

/// What the engine remembers of one device between fixes. Serialised (camelCase) so that
/// a feed cursor can carry it; zones are remembered by name, so a state survives a zones
/// file being edited (a zone no longer in the file is forgotten without an event).
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use plaspy_fleet::{DeviceEvents, EventRules, Fix};
///
/// let rules = EventRules::default().with_overspeed_kmh(80.0);
/// let t = |min| Utc.with_ymd_and_hms(2024, 6, 1, 8, min, 0).unwrap();
/// let mut state = DeviceEvents::default();
/// assert!(state.fix(&rules, "dev-01", Fix::new(t(0), 4.6, -74.0, Some(60.0))).is_empty());
/// let json = serde_json::to_string(&state)?;
/// let mut resumed: DeviceEvents = serde_json::from_str(&json)?;
/// let events = resumed.fix(&rules, "dev-01", Fix::new(t(1), 4.6, -74.0, Some(85.0)));
/// assert_eq!(events.len(), 1);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DeviceEvents {
    /// Time of the last fix taken.
    last_report: Option<DateTime<Utc>>,
    /// The zones (names, file order) of the last fix with a position; `None` before it.
    zones: Option<Vec<String>>,
    /// Whether the last fix was above the speed limit; `None` when unknown.
    over_limit: Option<bool>,
    /// Whether the device is silent; `None` until a tick has judged it.
    silent: Option<bool>,
}

impl DeviceEvents {
    /// Time of the last fix taken, if any.
    pub fn last_report(&self) -> Option<DateTime<Utc>> {
        self.last_report
    }

    /// The zones the device is in by its last fix with a position (none before one).
    pub fn zones(&self) -> &[String] {
        self.zones.as_deref().unwrap_or_default()
    }

    /// Whether the device was judged silent at the last tick.
    pub fn is_silent(&self) -> bool {
        self.silent == Some(true)
    }

    /// Takes one fix of the device (`device_id` names it in the events) and returns its
    /// events. A fix earlier than the last one taken is skipped (no events).
    pub fn fix(&mut self, rules: &EventRules, device_id: &str, fix: impl Into<Fix>) -> Vec<Event> {
        let fix: Fix = fix.into();
        if !in_order(self.last_report, fix.time) {
            return Vec::new();
        }
        self.last_report = Some(fix.time);
        let mut events = Vec::new();
        if self.silent == Some(true) {
            events.push(Event::BackOnline {
                device_id: device_id.to_owned(),
                time: fix.time,
            });
        }
        if self.silent.is_some() {
            self.silent = Some(false);
        }
        if let Some(zones) = &rules.zones {
            self.zones_step(zones, device_id, &fix, &mut events);
        }
        if let Some(limit) = rules.overspeed_kmh {
            self.speed_step(limit, device_id, &fix, &mut events);
        }
        events
    }

    /// The geofence events of a fix (the rule of `track`, shared with the visits).
    fn zones_step(&mut self, zones: &Zones, device_id: &str, fix: &Fix, events: &mut Vec<Event>) {
        let mut now = Vec::new();
        if !zones_of(zones, fix, &mut now) {
            return;
        }
        if let Some(names) = &self.zones {
            let mut before: Vec<usize> = names.iter().filter_map(|n| zones.index_of(n)).collect();
            before.sort_unstable();
            let (exited, entered) = changes(&before, &now);
            let event = |z: usize, enter: bool| {
                let (device_id, geofence) = (device_id.to_owned(), zones.at(z).name().to_owned());
                let time = fix.time;
                if enter {
                    Event::GeofenceEnter {
                        device_id,
                        geofence,
                        time,
                    }
                } else {
                    Event::GeofenceExit {
                        device_id,
                        geofence,
                        time,
                    }
                }
            };
            events.extend(exited.into_iter().map(|z| event(z, false)));
            events.extend(entered.into_iter().map(|z| event(z, true)));
        }
        self.zones = Some(
            now.into_iter()
                .map(|z| zones.at(z).name().to_owned())
                .collect(),
        );
    }

    /// The overspeed event of a fix, if it starts an excursion above `limit`.
    fn speed_step(&mut self, limit: f64, device_id: &str, fix: &Fix, events: &mut Vec<Event>) {
        let Some(speed) = fix.speed_kmh.filter(|s| s.is_finite()) else {
            self.over_limit = None;
            return;
        };
        let over = speed > limit;
        if over && self.over_limit == Some(false) {
            events.push(Event::Overspeed {
                device_id: device_id.to_owned(),
                time: fix.time,
                speed,
            });
        }
        self.over_limit = Some(over);
    }

    /// Judges silence at `now` (the server's time): a `silent` event when the device has
    /// just become silent. Nothing before its first fix, and nothing the first time it is
    /// judged (the initial state).
    pub fn tick(
        &mut self,
        rules: &EventRules,
        device_id: &str,
        now: DateTime<Utc>,
    ) -> Option<Event> {
        let last = self.last_report?;
        let silent = rules.thresholds.is_silent(last, now);
        let was = self.silent.replace(silent);
        (silent && was == Some(false)).then(|| Event::Silent {
            device_id: device_id.to_owned(),
            time: now,
            last_report: last,
        })
    }
}

/// The state of every device the engine has seen, by device id. Serialised as a JSON object
/// of [`DeviceEvents`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EventState {
    devices: BTreeMap<String, DeviceEvents>,
}

impl EventState {
    /// The state of one device, if the engine has seen it.
    pub fn device(&self, device_id: &str) -> Option<&DeviceEvents> {
        self.devices.get(device_id)
    }

    /// The devices seen, by id.
    pub fn devices(&self) -> impl Iterator<Item = (&str, &DeviceEvents)> {
        self.devices.iter().map(|(id, state)| (id.as_str(), state))
    }
}

/// The events engine for a whole fleet: the rules, and a [`DeviceEvents`] per device.
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use plaspy_fleet::{Event, EventEngine, EventRules, Fix};
///
/// let t0 = Utc.with_ymd_and_hms(2024, 6, 1, 8, 0, 0).unwrap();
/// let mut engine = EventEngine::new(EventRules::default()); // silent after 1 h
/// engine.fix("dev-01", Fix::new(t0, 4.6, -74.0, None));
/// assert!(engine.tick(t0 + TimeDelta::minutes(1)).is_empty()); // the initial state
/// let events = engine.tick(t0 + TimeDelta::minutes(61));
/// assert_eq!(events[0].name(), "silent");
/// // The state goes into a cursor and comes back.
/// let cursor = serde_json::to_string(engine.state())?;
/// let mut engine = EventEngine::resume(EventRules::default(), serde_json::from_str(&cursor)?);
/// let events = engine.fix("dev-01", Fix::new(t0 + TimeDelta::minutes(90), 4.6, -74.0, None));
/// assert!(matches!(&events[..], [Event::BackOnline { .. }]));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct EventEngine {
    rules: EventRules,
    state: EventState,
}

impl EventEngine {
    /// An engine that has seen no device yet.
    pub fn new(rules: EventRules) -> Self {
        EventEngine::resume(rules, EventState::default())
    }

    /// An engine that goes on from a saved state.
    pub fn resume(rules: EventRules, state: EventState) -> Self {
        EventEngine { rules, state }
    }

    /// The rules.
    pub fn rules(&self) -> &EventRules {
        &self.rules
    }

    /// The state of every device seen (to save in a cursor).
    pub fn state(&self) -> &EventState {
        &self.state
    }

    /// The state, giving up the engine.
    pub fn into_state(self) -> EventState {
        self.state
    }

    /// Takes one fix of a device (fixes of a device in time order) and returns its events.
    pub fn fix(&mut self, device_id: &str, fix: impl Into<Fix>) -> Vec<Event> {
        let device = self.state.devices.entry(device_id.to_owned()).or_default();
        device.fix(&self.rules, device_id, fix)
    }

    /// Judges silence of every device seen at `now` (the server's time), in device-id
    /// order.
    pub fn tick(&mut self, now: DateTime<Utc>) -> Vec<Event> {
        let rules = &self.rules;
        self.state
            .devices
            .iter_mut()
            .filter_map(|(id, device)| device.tick(rules, id, now))
            .collect()
    }
}

#[cfg(test)]
mod tests;
