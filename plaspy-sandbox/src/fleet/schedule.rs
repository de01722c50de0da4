//! When a vehicle drives: a fixed number of trips a day, each from one stop of its route to
//! the next, departing at a pseudo-random time inside its slot. Everything is a pure
//! function of the vehicle's key and the trip's number, so any instant can be computed
//! without replaying history.

use super::geo::Point;
use super::route::Route;
use crate::prng::{Rng, hash, unit};

/// 2020-01-01T00:00:00 at UTC-05:00 (local midnight in Colombia), in Unix seconds.
pub(crate) const EPOCH: i64 = 1_577_854_800;
const DAY: i64 = 86_400;
/// Slowest and fastest cruising speed of a piece, km/h.
const SPEED_KMH: (f64, f64) = (20.0, 90.0);

/// One straight stretch of a trip, driven at one speed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Segment {
    /// When the vehicle enters it (Unix seconds).
    pub(crate) t0: i64,
    /// When it leaves it.
    pub(crate) t1: i64,
    /// Where it starts.
    pub(crate) from: Point,
    /// Where it ends.
    pub(crate) to: Point,
    /// The speed driven, km/h.
    pub(crate) speed: f64,
    /// The odometer at its start, km.
    pub(crate) odo0: f64,
    /// Its length, km.
    pub(crate) km: f64,
}

impl Segment {
    /// The heading along the segment.
    pub(crate) fn course(&self) -> f64 {
        self.from.bearing_to(self.to)
    }
}

/// One drive from a stop to the next.
#[derive(Debug, Clone)]
pub(crate) struct Trip {
    /// The trip's global number (trips since [`EPOCH`]).
    pub(crate) number: i64,
    /// Ignition on (Unix seconds).
    pub(crate) depart: i64,
    /// Ignition off.
    pub(crate) arrive: i64,
    /// The stretches driven, back to back from `depart` to `arrive`.
    pub(crate) segments: Vec<Segment>,
}

impl Trip {
    /// The segment being driven at `t` (the last one at or after arrival).
    pub(crate) fn segment_at(&self, t: i64) -> &Segment {
        let i = self.segments.partition_point(|s| s.t1 <= t);
        &self.segments[i.min(self.segments.len() - 1)]
    }

    /// The first segment.
    pub(crate) fn first(&self) -> &Segment {
        &self.segments[0]
    }

    /// The last segment.
    pub(crate) fn last(&self) -> &Segment {
        &self.segments[self.segments.len() - 1]
    }

    /// The odometer on arrival.
    pub(crate) fn odo_end(&self) -> f64 {
        let last = self.last();
        last.odo0 + last.km
    }
}

/// A vehicle's route and timetable.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    key: u64,
    route: Route,
    trips_per_day: i64,
    /// Seconds after local midnight when the first slot opens.
    window_start: i64,
    /// Seconds per trip slot.
    slot_len: i64,
    /// The odometer at the first trip after [`EPOCH`], km.
    base_odo_km: f64,
    /// Departures and arrivals fall on Unix times equal to this modulo [`TICK`], the
    /// tracker's reporting phase.
    phase: i64,
}

/// The tracker's reporting period while moving, seconds: departures and arrivals are on
/// its grid.
pub(crate) const TICK: i64 = 30;

impl Plan {
    /// A timetable for `route`: 5 to 9 trips a day between about 05:30 and 22:00 local,
    /// departing and arriving on the seconds equal to `phase` modulo [`TICK`].
    pub(crate) fn generate(rng: &mut Rng, key: u64, route: Route, phase: i64) -> Plan {
        let trips_per_day = rng.int(5, 9);
        let window_start = rng.int(330, 420) * 60;
        let window_len = rng.int(14 * 60, 15 * 60 + 30) * 60;
        Plan {
            key,
            route,
            trips_per_day,
            window_start,
            slot_len: window_len / trips_per_day,
            base_odo_km: rng.range(8_000.0, 60_000.0),
            phase: phase.rem_euclid(TICK),
        }
    }

    /// The odometer reading at the first trip after [`EPOCH`], km.
    pub(crate) fn base_odo_km(&self) -> f64 {
        self.base_odo_km
    }

    /// Trip number `number`.
    pub(crate) fn trip(&self, number: i64) -> Trip {
        let per_day = self.trips_per_day;
        let (day, slot) = (number.div_euclid(per_day), number.rem_euclid(per_day));
        let stops = self.route.stop_count() as i64;
        let leg = number.rem_euclid(stops) as usize;
        let slot_start = EPOCH + day * DAY + self.window_start + slot * self.slot_len;

        let pieces = self.route.leg(leg);
        let n = number as u64;
        // Each trip has a typical speed (traffic, road class); pieces vary around it.
        let typical = 30.0 + 45.0 * unit(hash(&[self.key, n, 0]));
        let mut timed: Vec<(f64, i64)> = pieces
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let u = unit(hash(&[self.key, n, i as u64, 1]));
                let speed = (typical + (u - 0.5) * 32.0).clamp(SPEED_KMH.0, SPEED_KMH.1);
                (speed, ((p.km / speed * 3600.0).round() as i64).max(1))
            })
            .collect();
        let mut drive: i64 = timed.iter().map(|t| t.1).sum();
        let budget = self.slot_len - 120;
        if drive > budget {
            // Never happens with the generated routes; keeps trips inside their slot anyway.
            for (i, t) in timed.iter_mut().enumerate() {
                t.1 = (t.1 * budget / drive).max(1);
                t.0 = pieces[i].km / (t.1 as f64 / 3600.0);
            }
            drive = timed.iter().map(|t| t.1).sum();
        }
        let slack = (self.slot_len - drive - 60).max(0);
        let depart = slot_start + (unit(hash(&[self.key, n, 2])) * slack as f64) as i64;
        // On the tracker's grid: back to the previous tick (the slack leaves 60 s spare).
        let depart = depart - (depart - self.phase).rem_euclid(TICK);
        // ... and the last piece a little slower, so that the arrival is on it too.
        let end = depart + drive;
        if let Some(last) = timed.last_mut() {
            last.1 += (self.phase - end).rem_euclid(TICK);
        }

        let mut odo = self.base_odo_km
            + number.div_euclid(stops) as f64 * self.route.total_km()
            + self.route.km_to_stop(leg);
        let mut t = depart;
        let segments = pieces
            .iter()
            .zip(&timed)
            .map(|(p, &(speed, secs))| {
                let segment = Segment {
                    t0: t,
                    t1: t + secs,
                    from: p.from,
                    to: p.to,
                    speed,
                    odo0: odo,
                    km: p.km,
                };
                t += secs;
                odo += p.km;
                segment
            })
            .collect();
        Trip {
            number,
            depart,
            arrive: t,
            segments,
        }
    }

    /// The last trip that departed at or before `t`.
    pub(crate) fn trip_at(&self, t: i64) -> Trip {
        let day = (t - EPOCH).div_euclid(DAY);
        let first = day * self.trips_per_day;
        for number in (first..first + self.trips_per_day).rev() {
            let trip = self.trip(number);
            if trip.depart <= t {
                return trip;
            }
        }
        self.trip(first - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fleet::city::MEDELLIN;

    fn plan(seed: u64) -> Plan {
        let mut rng = Rng::new(seed);
        let route = Route::generate(&mut rng, &MEDELLIN);
        Plan::generate(&mut rng, seed, route, 7)
    }

    #[test]
    fn trips_chain_without_overlap() {
        let plan = plan(11);
        let start = plan.trip_at(1_750_000_000).number;
        let mut previous: Option<Trip> = None;
        for number in start..start + 40 {
            let trip = plan.trip(number);
            assert!(trip.depart < trip.arrive);
            assert_eq!(trip.depart.rem_euclid(TICK), 7);
            assert_eq!(trip.arrive.rem_euclid(TICK), 7);
            for s in &trip.segments {
                assert!((20.0..=90.0).contains(&s.speed), "{}", s.speed);
            }
            if let Some(prev) = previous {
                assert!(prev.arrive < trip.depart);
                assert_eq!(prev.last().to, trip.first().from);
                assert!((prev.odo_end() - trip.first().odo0).abs() < 1e-6);
            }
            assert_eq!(plan.trip_at(trip.depart).number, number);
            assert_eq!(plan.trip_at(trip.arrive + 1).number, number);
            assert_eq!(plan.trip_at(trip.depart - 1).number, number - 1);
            previous = Some(trip);
        }
    }
}
