//! A vehicle's simulated tracker: the fixes it reports and the sensor readings in them.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use plaspy_types::Location;

use super::alerts::Event;
use super::city::City;
use super::coverage::Outages;
use super::geo::Point;
use super::schedule::{Plan, Trip};
use crate::prng::{Rng, hash, unit};

/// Seconds between fixes while the vehicle moves.
pub(crate) const MOVING_EVERY: i64 = 30;
/// The shortest and longest time between heartbeat fixes while parked, seconds.
pub(crate) const PARKED_EVERY: (i64, i64) = (180, 600);

/// When a tracker reports: its tick phase, its parked heartbeat, its outages.
#[derive(Debug, Clone)]
pub(crate) struct Reporting {
    /// Moving fixes fall on Unix times equal to this modulo [`MOVING_EVERY`].
    phase: i64,
    /// Seconds between heartbeats while parked (a multiple of [`MOVING_EVERY`]).
    parked_every: i64,
    /// Heartbeats fall on Unix times equal to this modulo `parked_every` (and to `phase`
    /// modulo [`MOVING_EVERY`]).
    parked_phase: i64,
    /// When it cannot report.
    outages: Outages,
}

impl Reporting {
    /// A tracker whose moving fixes fall on `phase` (mod 30 s), with a heartbeat every 3 to
    /// 10 minutes drawn from `key`.
    pub(crate) fn new(key: u64, phase: i64, outages: Outages) -> Self {
        let phase = phase.rem_euclid(MOVING_EVERY);
        let minutes = (PARKED_EVERY.1 - PARKED_EVERY.0) / 60 + 1;
        let parked_every = PARKED_EVERY.0 + 60 * (hash(&[key, 7]) % minutes as u64) as i64;
        let ticks = (parked_every / MOVING_EVERY) as u64;
        let parked_phase = phase + MOVING_EVERY * (hash(&[key, 8]) % ticks) as i64;
        Reporting {
            phase,
            parked_every,
            parked_phase,
            outages,
        }
    }
}

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
    reporting: Reporting,
}

impl Sim {
    /// A tracker for a vehicle driving in `city`.
    pub(crate) fn generate(
        rng: &mut Rng,
        key: u64,
        city: &'static City,
        refrigerated: bool,
        reporting: Reporting,
    ) -> Sim {
        let route = super::route::Route::generate(rng, city);
        let plan = Plan::generate(rng, key, route, reporting.phase);
        Sim {
            key,
            city,
            plan,
            drain_per_hour: rng.range(3.0, 12.0),
            tank_km: rng.range(350.0, 700.0),
            refrigerated,
            reporting,
        }
    }

    /// The city the vehicle drives in.
    pub(crate) fn city(&self) -> &'static City {
        self.city
    }

    /// The last fix the tracker reported at or before `t` (Unix seconds): outages are
    /// skipped, so this is the last fix [`Sim::reports`] returns up to `t`.
    pub(crate) fn last_report(&self, t: i64) -> Fix {
        match self.reporting.outages.at(t) {
            Some((start, _)) => self.last_fix(start - 1),
            None => self.last_fix(t),
        }
    }

    /// The fixes reported in `[from, to]`, oldest first, at most `limit` of them: the
    /// fixes of [`Sim::fixes`] outside the tracker's outages.
    pub(crate) fn reports(&self, from: i64, to: i64, limit: usize) -> Vec<Fix> {
        let mut out = Vec::new();
        let mut start = from;
        let outages: Vec<(i64, i64)> = self.reporting.outages.within(from, to).collect();
        for (gap_start, gap_end) in outages.into_iter().chain([(to + 1, to + 1)]) {
            if start < gap_start && out.len() < limit {
                let end = (gap_start - 1).min(to);
                out.extend(self.fixes(start, end, limit - out.len()));
            }
            start = start.max(gap_end);
        }
        out
    }

    /// The last fix at or before `t`, outages aside.
    fn last_fix(&self, t: i64) -> Fix {
        let trip = self.plan.trip_at(t);
        if t < trip.arrive {
            let tick = prev_tick(t, MOVING_EVERY, self.reporting.phase);
            if tick > trip.depart {
                self.moving_fix(&trip, tick)
            } else {
                depart_fix(&trip)
            }
        } else {
            let r = &self.reporting;
            let tick = prev_tick(t, r.parked_every, r.parked_phase);
            if tick > trip.arrive {
                parked_fix(&trip, tick)
            } else {
                arrive_fix(&trip)
            }
        }
    }

    /// The fixes in `[from, to]` outages aside, oldest first, at most `limit` of them:
    /// one at each departure and arrival, one every [`MOVING_EVERY`] s while driving and a
    /// heartbeat every few minutes while parked.
    fn fixes(&self, from: i64, to: i64, limit: usize) -> Vec<Fix> {
        let mut out = Vec::new();
        if from > to || limit == 0 {
            return out;
        }
        let r = &self.reporting;
        let last = self.plan.trip_at(to).number;
        let mut trip = self.plan.trip_at(from);
        let within = |t: i64| from <= t && t <= to;
        loop {
            let next = self.plan.trip(trip.number + 1);
            if within(trip.depart) {
                out.push(depart_fix(&trip));
            }
            let mut t = next_tick(trip.depart.max(from - 1), MOVING_EVERY, r.phase);
            while t < trip.arrive && t <= to {
                out.push(self.moving_fix(&trip, t));
                t += MOVING_EVERY;
            }
            if within(trip.arrive) {
                out.push(arrive_fix(&trip));
            }
            let mut t = next_tick(trip.arrive.max(from - 1), r.parked_every, r.parked_phase);
            while t < next.depart && t <= to {
                out.push(parked_fix(&trip, t));
                t += r.parked_every;
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
        loc.attributes = Some(
            BTreeMap::from([
                ("satellites".to_owned(), satellites.to_string()),
                (
                    "hdop".to_owned(),
                    format!("{:.1}", 0.6 + 0.1 * (12 - satellites) as f64),
                ),
            ])
            .into(),
        );
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

/// The smallest time equal to `phase` modulo `step` strictly after `t`.
fn next_tick(t: i64, step: i64, phase: i64) -> i64 {
    prev_tick(t, step, phase) + step
}

/// The largest time equal to `phase` modulo `step` at or before `t`.
fn prev_tick(t: i64, step: i64, phase: i64) -> i64 {
    phase + (t - phase).div_euclid(step) * step
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

    fn sim(outages: Outages) -> Sim {
        let reporting = Reporting::new(5, 17, outages);
        Sim::generate(&mut Rng::new(5), 5, &BOGOTA, true, reporting)
    }

    #[test]
    fn fixes_match_the_last_report_at_their_time() {
        let sim = sim(Outages::occasional(5));
        let from = 1_760_000_000;
        let fixes = sim.fixes(from, from + 3 * 86_400, 100_000);
        assert!(fixes.windows(2).all(|w| w[0].t < w[1].t));
        let (mut moving, mut parked) = (0, 0);
        for (i, fix) in fixes.iter().enumerate() {
            let again = sim.last_fix(fix.t);
            assert_eq!((again.t, again.kind, again.pos), (fix.t, fix.kind, fix.pos));
            // Between two fixes, the last one is the earlier.
            if let Some(next) = fixes.get(i + 1) {
                assert_eq!(sim.last_fix(next.t - 1).t, fix.t);
            }
            match fix.kind {
                Kind::Moving => {
                    moving += 1;
                    assert_eq!(fix.t.rem_euclid(MOVING_EVERY), 17);
                }
                Kind::Parked => parked += 1,
                _ => {}
            }
        }
        assert!(moving > 100 && parked > 100, "{moving} {parked}");
        let middle = sim.fixes(from + 86_400, from + 2 * 86_400, 100_000);
        assert!(middle.iter().all(|f| fixes.iter().any(|g| g.t == f.t)));
        assert_eq!(sim.fixes(from, from + 86_400, 10).len(), 10);
    }

    #[test]
    fn reports_skip_outages_and_agree_with_the_last_report() {
        let sim = sim(Outages::intermittent(5, 1, 0));
        let (from, to) = (1_760_000_000, 1_760_000_000 + 14 * 86_400);
        let reports = sim.reports(from, to, usize::MAX);
        let outages: Vec<_> = sim.reporting.outages.within(from, to).collect();
        assert!(outages.len() >= 2);
        for &(start, end) in &outages {
            assert!(reports.iter().all(|f| f.t < start || f.t >= end));
            // Inside an outage the last report is the one before it started.
            let Some(before) = reports.iter().rfind(|f| f.t < start) else {
                assert!(start <= from);
                continue;
            };
            assert_eq!(sim.last_report(end - 1).t, before.t);
            assert_eq!(sim.last_report(start + 3_600).t, before.t);
        }
        let gaps = reports.windows(2).filter(|w| w[1].t - w[0].t > 86_400);
        let inside = outages.iter().filter(|o| o.0 > from && o.1 <= to);
        assert_eq!(gaps.count(), inside.count());
        for probe in (from..to).step_by(7_777) {
            let last = reports.iter().rfind(|f| f.t <= probe);
            if let Some(last) = last {
                assert_eq!(sim.last_report(probe).t, last.t, "at {probe}");
            }
        }
        let limited = sim.reports(from, to, 50);
        assert_eq!(limited.len(), 50);
        assert_eq!(limited[49].t, reports[49].t);
    }
}
