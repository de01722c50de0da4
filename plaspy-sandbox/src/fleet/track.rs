//! A vehicle's simulated tracker: the fixes it reports and the sensor readings in them.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use plaspy_types::Location;

use super::alerts::Event;
use super::city::City;
use super::geo::Point;
use super::schedule::{Plan, Trip};
use crate::prng::{Rng, hash, unit};

/// Seconds between fixes while the vehicle moves.
pub(crate) const MOVING_EVERY: i64 = 30;
/// Seconds between heartbeat fixes while it is parked.
pub(crate) const PARKED_EVERY: i64 = 600;

/// What a fix reports about the drive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Ignition on, about to leave a stop.
    Depart,
    /// Driving.
    Moving,
    /// Ignition off, just arrived.
    Arrive,
    /// Heartbeat while parked.
    Parked,
}

/// One fix, before it is dressed as a [`Location`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fix {
    /// Unix seconds.
    pub(crate) t: i64,
    /// Where.
    pub(crate) pos: Point,
    /// km/h.
    pub(crate) speed: f64,
    /// Heading, degrees.
    pub(crate) course: f64,
    /// Odometer, km.
    pub(crate) odo: f64,
    /// Driving or parked.
    pub(crate) kind: Kind,
    /// When the vehicle parked, while parked.
    pub(crate) parked_since: Option<i64>,
}

impl Fix {
    /// Whether the ignition (input 0) is on.
    pub(crate) fn ignition(&self) -> bool {
        matches!(self.kind, Kind::Depart | Kind::Moving)
    }
}

/// The simulated tracker of one vehicle.
#[derive(Debug, Clone)]
pub(crate) struct Sim {
    key: u64,
    city: &'static City,
    plan: Plan,
    /// Backup battery drain while parked, percent per hour.
    drain_per_hour: f64,
    /// Kilometres on a full tank.
    tank_km: f64,
    refrigerated: bool,
}

impl Sim {
    /// A tracker for a vehicle driving in `city`.
    pub(crate) fn generate(
        rng: &mut Rng,
        key: u64,
        city: &'static City,
        refrigerated: bool,
    ) -> Sim {
        let route = super::route::Route::generate(rng, city);
        let plan = Plan::generate(rng, key, route);
        Sim {
            key,
            city,
            plan,
            drain_per_hour: rng.range(3.0, 12.0),
            tank_km: rng.range(350.0, 700.0),
            refrigerated,
        }
    }

    /// The city the vehicle drives in.
    pub(crate) fn city(&self) -> &'static City {
        self.city
    }

    /// The fix the tracker would report at `t` (Unix seconds).
    pub(crate) fn fix_at(&self, t: i64) -> Fix {
        let trip = self.plan.trip_at(t);
        if t == trip.depart {
            depart_fix(&trip)
        } else if t < trip.arrive {
            self.moving_fix(&trip, t)
        } else if t == trip.arrive {
            arrive_fix(&trip)
        } else {
            parked_fix(&trip, t)
        }
    }

    /// The fixes reported in `[from, to]`, oldest first, at most `limit` of them: one at each
    /// departure and arrival, one every [`MOVING_EVERY`] s while driving and one every
    /// [`PARKED_EVERY`] s while parked.
    pub(crate) fn fixes(&self, from: i64, to: i64, limit: usize) -> Vec<Fix> {
        let mut out = Vec::new();
        if from > to {
            return out;
        }
        let last = self.plan.trip_at(to).number;
        let mut trip = self.plan.trip_at(from);
        let within = |t: i64| from <= t && t <= to;
        loop {
            let next = self.plan.trip(trip.number + 1);
            if within(trip.depart) {
                out.push(depart_fix(&trip));
            }
            let mut t = next_tick(trip.depart.max(from - 1), MOVING_EVERY);
            while t < trip.arrive && t <= to {
                out.push(self.moving_fix(&trip, t));
                t += MOVING_EVERY;
            }
            if within(trip.arrive) {
                out.push(arrive_fix(&trip));
            }
            let mut t = next_tick(trip.arrive.max(from - 1), PARKED_EVERY);
            while t < next.depart && t <= to {
                out.push(parked_fix(&trip, t));
                t += PARKED_EVERY;
            }
            if trip.number >= last || out.len() >= limit {
                break;
            }
            trip = next;
        }
        out.truncate(limit);
        out
    }

    fn moving_fix(&self, trip: &Trip, t: i64) -> Fix {
        let s = trip.segment_at(t);
        let f = ((t - s.t0) as f64 / (s.t1 - s.t0) as f64).clamp(0.0, 1.0);
        let jitter = unit(hash(&[self.key, t as u64, 3])) * 4.0 - 2.0;
        Fix {
            t,
            pos: s.from.lerp(s.to, f),
            speed: (s.speed + jitter).max(5.0),
            course: s.course(),
            odo: s.odo0 + s.km * f,
            kind: Kind::Moving,
            parked_since: None,
        }
    }

    /// The backup battery level, percent: full while driving, draining while parked.
    pub(crate) fn battery(&self, fix: &Fix) -> i64 {
        match fix.parked_since {
            Some(since) => {
                let hours = (fix.t - since) as f64 / 3600.0;
                (100.0 - hours * self.drain_per_hour).max(5.0).floor() as i64
            }
            None => 100,
        }
    }

    /// The fuel level, percent: burnt with distance, refilled at 15 %.
    fn fuel(&self, fix: &Fix) -> i64 {
        let used = (fix.odo - self.plan.base_odo_km()).rem_euclid(self.tank_km);
        (100.0 - used / self.tank_km * 85.0).round() as i64
    }

    /// The fix as the API reports it, with the names and texts of `events`.
    pub(crate) fn location(&self, fix: &Fix, events: &[Event]) -> Location {
        let mut loc = Location::new(
            timestamp(fix.t),
            round(fix.pos.lat, 6),
            round(fix.pos.lon, 6),
        );
        loc.speed = Some(round(fix.speed, 1));
        loc.course = Some(round(fix.course, 1));
        loc.battery = Some(self.battery(fix));
        loc.fuel = Some(self.fuel(fix));
        loc.mileage = Some(round(fix.odo, 1));
        loc.rpm = Some(match fix.kind {
            Kind::Moving => 900 + (fix.speed * 28.0) as i64,
            Kind::Depart => 850,
            Kind::Arrive | Kind::Parked => 0,
        });
        loc.inactive_seconds = Some(fix.parked_since.map_or(0, |since| fix.t - since));
        loc.inputs = Some(vec![fix.ignition(), false, false, false]);
        loc.outputs = Some(vec![false, false]);
        if self.refrigerated {
            let wave = (fix.t as f64 / 1800.0).sin();
            loc.temperature = Some(round(-18.0 + 1.5 * wave, 1));
        }
        let satellites = 6 + hash(&[self.key, fix.t as u64, 4]) % 7;
        loc.attributes = Some(BTreeMap::from([
            ("satellites".to_owned(), satellites.to_string()),
            (
                "hdop".to_owned(),
                format!("{:.1}", 0.6 + 0.1 * (12 - satellites) as f64),
            ),
        ]));
        if !events.is_empty() {
            loc.alerts = Some(events.iter().map(|e| e.name.to_owned()).collect());
            loc.alert_texts = Some(events.iter().map(|e| e.text.clone()).collect());
        }
        loc
    }
}

fn depart_fix(trip: &Trip) -> Fix {
    let first = trip.first();
    Fix {
        t: trip.depart,
        pos: first.from,
        speed: 0.0,
        course: first.course(),
        odo: first.odo0,
        kind: Kind::Depart,
        parked_since: None,
    }
}

fn arrive_fix(trip: &Trip) -> Fix {
    Fix {
        kind: Kind::Arrive,
        ..parked_fix(trip, trip.arrive)
    }
}

fn parked_fix(trip: &Trip, t: i64) -> Fix {
    let last = trip.last();
    Fix {
        t,
        pos: last.to,
        speed: 0.0,
        course: last.course(),
        odo: trip.odo_end(),
        kind: Kind::Parked,
        parked_since: Some(trip.arrive),
    }
}

/// The smallest multiple of `step` strictly after `t`.
fn next_tick(t: i64, step: i64) -> i64 {
    (t.div_euclid(step) + 1) * step
}

/// Unix seconds as a UTC date-time.
pub(crate) fn timestamp(t: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(t, 0).unwrap_or_default()
}

fn round(x: f64, digits: i32) -> f64 {
    let scale = 10f64.powi(digits);
    (x * scale).round() / scale
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fleet::city::BOGOTA;

    #[test]
    fn fixes_match_the_state_at_their_time() {
        let sim = Sim::generate(&mut Rng::new(5), 5, &BOGOTA, true);
        let from = 1_760_000_000;
        let fixes = sim.fixes(from, from + 3 * 86_400, 100_000);
        assert!(fixes.windows(2).all(|w| w[0].t < w[1].t));
        let (mut moving, mut parked) = (0, 0);
        for fix in &fixes {
            let again = sim.fix_at(fix.t);
            assert_eq!(again.kind, fix.kind);
            assert_eq!(again.pos, fix.pos);
            match fix.kind {
                Kind::Moving => moving += 1,
                Kind::Parked => parked += 1,
                _ => {}
            }
        }
        assert!(moving > 100 && parked > 100, "{moving} {parked}");
        let middle = sim.fixes(from + 86_400, from + 2 * 86_400, 100_000);
        assert!(middle.iter().all(|f| fixes.iter().any(|g| g.t == f.t)));
        assert_eq!(sim.fixes(from, from + 86_400, 10).len(), 10);
    }
}
