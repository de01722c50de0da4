//! When a tracker cannot report: unplugged, out of coverage. Outages are a pure function of
//! the device's key and the time, so any instant can be checked without replaying history.
//!
//! Two kinds of devices:
//! - *intermittent* ones are off the air for 3 to 3.7 days of every 6-day cycle. Their
//!   cycles are staggered over six slots, so that a fleet holding one intermittent device per
//!   slot always has at least three of them silent (and at least two silent for hours);
//! - every other device loses coverage now and then: in half of its 6-day cycles, for 1 to
//!   8 hours.
//!
//! Outages of one device never overlap and are at least an hour apart, so the last report
//! before an outage is never inside another one.

use super::schedule::EPOCH;
use crate::prng::{hash, unit};

const HOUR: i64 = 3_600;
/// The length of a cycle: at most one outage per cycle.
const CYCLE: i64 = 6 * 86_400;
/// How many staggered slots intermittent devices are spread over.
pub(crate) const SLOTS: i64 = 6;
const SLOT: i64 = CYCLE / SLOTS;

/// The outage plan of one tracker.
#[derive(Debug, Clone)]
pub(crate) struct Outages {
    key: u64,
    /// Where the device's cycles start, seconds after [`EPOCH`].
    offset: i64,
    intermittent: bool,
}

impl Outages {
    /// The plan of an intermittent device in stagger slot `slot` (0..[`SLOTS`]);
    /// `fleet_offset` shifts all the slots of one fleet together.
    pub(crate) fn intermittent(key: u64, slot: i64, fleet_offset: i64) -> Self {
        Outages {
            key,
            offset: (fleet_offset + slot.rem_euclid(SLOTS) * SLOT).rem_euclid(CYCLE),
            intermittent: true,
        }
    }

    /// The plan of a device that loses coverage only now and then.
    pub(crate) fn occasional(key: u64) -> Self {
        Outages {
            key,
            offset: (hash(&[key, 20]) % CYCLE as u64) as i64,
            intermittent: false,
        }
    }

    /// The cycle holding `t`.
    fn cycle(&self, t: i64) -> i64 {
        (t - EPOCH - self.offset).div_euclid(CYCLE)
    }

    /// The outage of cycle `c`, `[start, end)` in Unix seconds, if it has one. It lies
    /// inside the cycle, at least an hour before its end.
    fn of_cycle(&self, c: i64) -> Option<(i64, i64)> {
        let base = EPOCH + self.offset + c * CYCLE;
        let (k, n) = (self.key, c as u64);
        if self.intermittent {
            let jitter = (unit(hash(&[k, n, 21])) * 0.1 * SLOT as f64) as i64;
            let len = ((3.1 + 0.6 * unit(hash(&[k, n, 22]))) * SLOT as f64) as i64;
            Some((base + jitter, base + jitter + len))
        } else {
            if unit(hash(&[k, n, 23])) >= 0.5 {
                return None;
            }
            let len = HOUR + (unit(hash(&[k, n, 24])) * 7.0 * HOUR as f64) as i64;
            let room = CYCLE - 10 * HOUR;
            let start = base + HOUR + (unit(hash(&[k, n, 25])) * room as f64) as i64;
            Some((start, start + len))
        }
    }

    /// The outage `t` falls in, if any.
    pub(crate) fn at(&self, t: i64) -> Option<(i64, i64)> {
        self.of_cycle(self.cycle(t))
            .filter(|&(start, end)| start <= t && t < end)
    }

    /// The outages overlapping `[from, to]`, oldest first.
    pub(crate) fn within(&self, from: i64, to: i64) -> impl Iterator<Item = (i64, i64)> + '_ {
        (self.cycle(from)..=self.cycle(to))
            .filter_map(|c| self.of_cycle(c))
            .filter(move |&(start, end)| start <= to && end > from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staggered_intermittent_devices_keep_three_silent() {
        let devices: Vec<Outages> = (0..SLOTS)
            .map(|slot| Outages::intermittent(hash(&[9, slot as u64]), slot, 12_345))
            .collect();
        let start = 1_760_000_000;
        for step in 0..(30 * 24 * 4) {
            let t = start + step * 900;
            let silent: Vec<_> = devices.iter().filter_map(|d| d.at(t)).collect();
            assert!(silent.len() >= 3, "{} at {t}", silent.len());
            let long = silent.iter().filter(|(s, _)| t - s > HOUR).count();
            assert!(long >= 2, "{long} at {t}");
        }
    }

    #[test]
    fn outages_are_apart_and_found_by_both_lookups() {
        for outages in [
            Outages::intermittent(5, 2, 0),
            Outages::occasional(5),
            Outages::occasional(6),
        ] {
            let (from, to) = (1_760_000_000, 1_760_000_000 + 90 * 86_400);
            let all: Vec<_> = outages.within(from, to).collect();
            assert!(!all.is_empty());
            for w in all.windows(2) {
                assert!(w[1].0 - w[0].1 >= HOUR, "{w:?}");
            }
            for &(start, end) in &all {
                assert!(end - start >= HOUR);
                assert_eq!(outages.at(start), Some((start, end)));
                assert_eq!(outages.at(end - 1), Some((start, end)));
                assert_eq!(outages.at(end), None);
                assert_eq!(outages.at(start - 1), None);
            }
        }
    }
}
