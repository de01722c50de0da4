//! The simulated demo fleet: devices, where they are at any instant, what they reported in
//! any date range and the alerts that fired. Everything is a pure function of
//! (seed, device, time): two sandboxes with the same seed report the same data.

mod alerts;
pub(crate) mod city;
mod coverage;
mod geo;
mod route;
mod schedule;
mod track;

use std::collections::{BTreeMap, HashSet};
use std::sync::OnceLock;

use chrono::{DateTime, Duration, TimeZone, Utc};
use plaspy_types::{AlertEvent, Device, Location};

use self::city::{BOGOTA, City, MEDELLIN};
use self::coverage::Outages;
use self::track::{Reporting, Sim};
use crate::prng::{Rng, hash, unit};

/// How many devices the demo fleet has (the default fleet size).
pub(crate) const DEMO_DEVICES: usize = 27;
/// How many of the demo devices (the last ones) have not reported a position yet.
pub(crate) const SILENT_DEVICES: usize = 2;
/// The most devices a fleet may have.
pub(crate) const MAX_DEVICES: usize = 100_000;
/// The most fixes scanned at once while looking for alerts.
const ALERT_SCAN_SECONDS: i64 = 86_400;

/// The demo groups' names and what they hold (index = `Vehicle::group`).
pub(crate) const GROUP_NAMES: [(&str, &str); 4] = [
    (
        "Bogotá North Distribution",
        "Vans and trucks leaving Bodega Montevideo on the northern routes",
    ),
    (
        "Bogotá South Distribution",
        "Vans and trucks leaving Bodega Montevideo on the southern routes",
    ),
    ("Medellín Couriers", "Couriers based at Bodega Guayabal"),
    ("Refrigerated Fleet", "Cold-chain vehicles in both cities"),
];
/// Index in [`GROUP_NAMES`] of the refrigerated group.
pub(crate) const REFRIGERATED_GROUP: usize = 3;

/// One device and its simulated tracker.
#[derive(Debug, Clone)]
pub(crate) struct Vehicle {
    /// The device as `GET /api/devices` shows it.
    pub(crate) device: Device,
    /// Its home group (index in [`GROUP_NAMES`]).
    pub(crate) group: usize,
    /// Whether it also belongs to the refrigerated group.
    pub(crate) refrigerated: bool,
    /// The tracker; `None` for a device that has not reported yet.
    tracker: Option<Tracker>,
}

/// What a tracker is built from, and the tracker, built on first use (so that a fleet of
/// thousands of devices is cheap to set up and to list).
#[derive(Debug, Clone)]
struct Tracker {
    rng: Rng,
    key: u64,
    city: &'static City,
    refrigerated: bool,
    reporting: Reporting,
    sim: OnceLock<Sim>,
}

impl Tracker {
    fn sim(&self) -> &Sim {
        self.sim.get_or_init(|| {
            Sim::generate(
                &mut self.rng.clone(),
                self.key,
                self.city,
                self.refrigerated,
                self.reporting.clone(),
            )
        })
    }
}

impl Vehicle {
    /// The device id.
    pub(crate) fn id(&self) -> &str {
        self.device.id()
    }

    fn sim(&self) -> Option<&Sim> {
        self.tracker.as_ref().map(Tracker::sim)
    }

    /// The last fix reported at or before `now` (with the alerts that fired at it), exactly
    /// as the last fix of [`Vehicle::locations`] up to `now`; `None` if it never reported.
    pub(crate) fn last_location(&self, now: DateTime<Utc>) -> Option<Location> {
        let sim = self.sim()?;
        let fix = sim.last_report(now.timestamp());
        let prev = sim.last_report(fix.t - 1);
        let events = alerts::detect(sim, Some(&prev), &fix);
        Some(sim.location(&fix, &events))
    }

    /// The fixes reported in `[from, to]` (at most `limit`), each carrying the names of
    /// the alerts that fired at it.
    pub(crate) fn locations(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: usize,
    ) -> Vec<Location> {
        let Some(sim) = self.sim() else {
            return Vec::new();
        };
        annotated(sim, seconds_up(from), to.timestamp(), limit)
            .into_iter()
            .map(|(fix, events)| sim.location(&fix, &events))
            .collect()
    }

    /// The alerts in `[from, to]` (at most `limit`), only those named `filter` when given.
    pub(crate) fn alerts(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        filter: Option<&str>,
        limit: usize,
    ) -> Vec<AlertEvent> {
        let Some(sim) = self.sim() else {
            return Vec::new();
        };
        let (mut start, to) = (seconds_up(from), to.timestamp());
        let mut out = Vec::new();
        // A day at a time, so that a long range is never held in memory as fixes.
        while start <= to && out.len() < limit {
            let end = start.saturating_add(ALERT_SCAN_SECONDS - 1).min(to);
            for (fix, events) in annotated(sim, start, end, usize::MAX) {
                let matching = events
                    .into_iter()
                    .filter(|e| filter.is_none_or(|f| alerts::matches_filter(e.name, f)));
                out.extend(matching.map(|e| e.to_alert(sim, &fix)));
            }
            start = end + 1;
        }
        out.truncate(limit);
        out
    }
}

/// A date-time rounded up to whole seconds, as fixes fall on whole seconds.
fn seconds_up(t: DateTime<Utc>) -> i64 {
    t.timestamp() + i64::from(t.timestamp_subsec_nanos() > 0)
}

/// The fixes reported in `[from, to]` (Unix seconds, at most `limit`) with the alerts that
/// fired at each. The first one is compared with the last report before `from`, so that
/// alerts do not depend on where a range starts.
fn annotated(sim: &Sim, from: i64, to: i64, limit: usize) -> Vec<(track::Fix, Vec<alerts::Event>)> {
    if from > to {
        return Vec::new();
    }
    let mut prev = Some(sim.last_report(from - 1));
    sim.reports(from, to, limit)
        .into_iter()
        .map(|fix| {
            let events = alerts::detect(sim, prev.as_ref(), &fix);
            prev = Some(fix);
            (fix, events)
        })
        .collect()
}

/// The devices of one account.
#[derive(Debug, Clone)]
pub(crate) struct Fleet {
    vehicles: Vec<Vehicle>,
}

const KINDS: [(&str, &[&str]); 5] = [
    (
        "Truck",
        &["Chevrolet NHR", "Hino Dutro", "JAC 1063", "Foton Aumark"],
    ),
    (
        "Van",
        &["Renault Master", "Mercedes-Benz Sprinter", "Chevrolet N300"],
    ),
    (
        "Pickup",
        &["Toyota Hilux", "Nissan Frontier", "Mitsubishi L200"],
    ),
    ("Car", &["Renault Logan", "Kia Picanto", "Chevrolet Onix"]),
    (
        "Motorbike",
        &["Yamaha XTZ 150", "Honda CB 190R", "AKT NKD 125"],
    ),
];
const REEFERS: [&str; 3] = [
    "Hino 300 Thermo King",
    "Chevrolet NPR Carrier",
    "JAC 1040 Frío",
];

impl Fleet {
    /// The fleet of `count` devices for `seed`. Every device follows the same rules, drawn
    /// from (seed, its index): the first [`DEMO_DEVICES`] are the demo fleet whatever the
    /// count, two of which (`dev-26`, `dev-27`) never reported.
    ///
    /// - home group `i % 3` (Medellín for group 2, else Bogotá); refrigerated when
    ///   `i % 5 == 4`; no SIM number when `i % 6 == 5`;
    /// - moving fixes every 30 s on a phase of `(7 i + s) mod 30` s (so the demo devices
    ///   all report on different seconds), a heartbeat every 3 to 10 minutes when parked;
    /// - intermittent when `i % 4 == 3` (off the air 3 to 3.7 days in every 6, staggered
    ///   over six slots by `i / 4`), otherwise out of coverage for 1 to 8 hours now and then;
    /// - past the demo fleet, about 2 in 27 devices never reported.
    pub(crate) fn generate(seed: u64, count: usize) -> Fleet {
        let count = count.min(MAX_DEVICES);
        let mut plates = HashSet::with_capacity(count);
        let phase_base = (hash(&[seed, 0x7068]) % 30) as i64;
        let fleet_offset = (hash(&[seed, 0x6f66]) % (6 * 86_400)) as i64;
        let vehicles = (0..count)
            .map(|i| {
                let key = hash(&[seed, i as u64]);
                let mut rng = Rng::new(key);
                let group = i % 3;
                let refrigerated = i % 5 == 4;
                let city: &'static City = if group == 2 { &MEDELLIN } else { &BOGOTA };
                let silent = if i < DEMO_DEVICES {
                    i >= DEMO_DEVICES - SILENT_DEVICES
                } else {
                    unit(hash(&[key, 0x6e72])) < SILENT_DEVICES as f64 / DEMO_DEVICES as f64
                };
                let device = make_device(&mut rng, i, city, refrigerated, silent, &mut plates);
                let tracker = (!silent).then(|| {
                    let outages = if i % 4 == 3 {
                        Outages::intermittent(key, (i / 4) as i64, fleet_offset)
                    } else {
                        Outages::occasional(key)
                    };
                    let phase = (7 * i as i64 + phase_base).rem_euclid(30);
                    Tracker {
                        rng,
                        key,
                        city,
                        refrigerated,
                        reporting: Reporting::new(key, phase, outages),
                        sim: OnceLock::new(),
                    }
                });
                Vehicle {
                    device,
                    group,
                    refrigerated,
                    tracker,
                }
            })
            .collect();
        Fleet { vehicles }
    }

    /// Every vehicle, in id order.
    pub(crate) fn vehicles(&self) -> &[Vehicle] {
        &self.vehicles
    }

    /// The vehicle with this device id.
    pub(crate) fn get(&self, id: &str) -> Option<&Vehicle> {
        // Ids are `dev-NN` for index NN - 1: a look-up, not a scan of thousands.
        let n: usize = id.strip_prefix("dev-")?.parse().ok()?;
        let vehicle = self.vehicles.get(n.checked_sub(1)?)?;
        (vehicle.id() == id).then_some(vehicle)
    }
}

/// How a device is named, as account owners name theirs: the plate in the name (with or
/// without the model), or not at all (then it is in the description, or in the tags only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Naming {
    /// `CAMION NHR-2019 FXS493`.
    KindModelPlate,
    /// `CARRO JKL123`.
    KindPlate,
    /// `FXS493 Hino Dutro`.
    PlateModel,
    /// `REPARTO NORTE 04`: the plate in the description.
    NoPlate,
    /// `MENSAJERO 08`: the plate in the tags only.
    TagsOnly,
}

fn naming(i: usize) -> Naming {
    match i % 8 {
        0 | 4 => Naming::KindModelPlate,
        1 | 5 => Naming::KindPlate,
        2 => Naming::PlateModel,
        3 => Naming::NoPlate,
        6 => Naming::KindPlate,
        _ => Naming::TagsOnly,
    }
}

/// The word account owners use for a kind of vehicle, upper case as they write it.
fn kind_word(kind: &str) -> &'static str {
    match kind {
        "Truck" => "CAMION",
        "Van" => "FURGON",
        "Pickup" => "CAMIONETA",
        "Car" => "CARRO",
        "Motorbike" => "MOTO",
        _ => "CAMION FRIO",
    }
}

fn device_name(
    naming: Naming,
    kind: &str,
    model: &str,
    year: i64,
    plate: &str,
    city: &City,
    i: usize,
) -> String {
    let word = kind_word(kind);
    let short = model
        .split_whitespace()
        .nth(1)
        .unwrap_or(model)
        .to_uppercase();
    let number = i + 1;
    match naming {
        Naming::KindModelPlate => format!("{word} {short}-{year} {plate}"),
        Naming::KindPlate => format!("{word} {plate}"),
        Naming::PlateModel => format!("{plate} {model}"),
        Naming::NoPlate if city.name == MEDELLIN.name => format!("MENSAJERO MED {number:02}"),
        Naming::NoPlate => format!("REPARTO NORTE {number:02}"),
        Naming::TagsOnly if kind == "Motorbike" => format!("Moto mensajería {number}"),
        Naming::TagsOnly => format!("{word} {short} {number:02}"),
    }
}

fn make_device(
    rng: &mut Rng,
    i: usize,
    city: &City,
    refrigerated: bool,
    silent: bool,
    plates: &mut HashSet<String>,
) -> Device {
    let (kind, model) = if refrigerated {
        ("Refrigerated truck", *rng.pick(&REEFERS))
    } else {
        let (kind, models) = if city.name == MEDELLIN.name {
            *rng.pick(&KINDS[1..])
        } else {
            *rng.pick(&KINDS[..4])
        };
        (kind, *rng.pick(models))
    };
    let plate = loop {
        let letters: String = (0..3)
            .map(|_| char::from(b'A' + rng.int(0, 25) as u8))
            .collect();
        let plate = if kind == "Motorbike" {
            format!(
                "{letters}{:02}{}",
                rng.int(0, 99),
                char::from(b'A' + rng.int(0, 25) as u8)
            )
        } else {
            format!("{letters}{:03}", rng.int(0, 999))
        };
        if plates.insert(plate.clone()) {
            break plate;
        }
    };
    let year = rng.int(2015, 2024);
    let min = (i % 6 != 5).then(|| {
        format!(
            "+57 3{:02} {:03} {:04}",
            rng.int(0, 50),
            rng.int(0, 999),
            rng.int(0, 9999)
        )
    });
    let mut tags = BTreeMap::from([
        ("plate".to_owned(), plate.clone()),
        ("type".to_owned(), kind.to_lowercase()),
        ("city".to_owned(), city.name.to_owned()),
    ]);
    if refrigerated {
        tags.insert("refrigerated".into(), "true".into());
    }
    let naming = naming(i);
    let name = device_name(naming, kind, model, year, &plate, city, i);
    let description = if silent {
        Some(format!(
            "{model} {year}, {}: tracker installed, no position yet",
            city.name
        ))
    } else {
        match naming {
            Naming::NoPlate => Some(format!("Placa {plate} - {model} {year}, {}", city.name)),
            Naming::TagsOnly => Some(format!("{model} {year}, {}", city.name)),
            _ if i % 7 == 6 => None,
            _ => Some(format!("{model} {year}, {}", city.name)),
        }
    };
    let expires = Utc
        .with_ymd_and_hms(2026, 12, 31, 5, 0, 0)
        .single()
        .unwrap_or_default()
        + Duration::days(rng.int(0, 730));
    {
        let mut device = Device::default();
        device.id = Some(format!("dev-{:02}", i + 1));
        device.name = Some(name);
        device.description = description;
        device.min = min;
        device.tags = Some(tags.into());
        device.expires = Some(expires);
        device
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fleet_is_deterministic_and_varied() {
        let a = Fleet::generate(42, DEMO_DEVICES);
        let b = Fleet::generate(42, DEMO_DEVICES);
        let c = Fleet::generate(43, DEMO_DEVICES);
        let names = |f: &Fleet| -> Vec<String> {
            f.vehicles()
                .iter()
                .map(|v| v.device.name.clone().unwrap())
                .collect()
        };
        assert_eq!(names(&a), names(&b));
        assert_ne!(names(&a), names(&c));
        assert_eq!(a.vehicles().len(), DEMO_DEVICES);
        let now = Utc.with_ymd_and_hms(2025, 3, 4, 15, 0, 0).unwrap();
        let silent = a
            .vehicles()
            .iter()
            .filter(|v| v.last_location(now).is_none());
        assert_eq!(silent.count(), SILENT_DEVICES);
        assert!(a.vehicles().iter().any(|v| v.device.min.is_none()));
    }

    #[test]
    fn names_look_like_a_real_fleet() {
        let fleet = Fleet::generate(42, DEMO_DEVICES);
        let devices: Vec<&Device> = fleet.vehicles().iter().map(|v| &v.device).collect();
        let plate = |d: &Device| {
            d.tags
                .as_ref()
                .and_then(|t| t.get("plate"))
                .unwrap()
                .to_owned()
        };
        let name = |d: &Device| d.name.clone().unwrap();
        let described =
            |d: &Device, p: &str| d.description.as_deref().is_some_and(|x| x.contains(p));
        assert!(
            devices
                .iter()
                .any(|d| name(d).starts_with("CAMION ") && name(d).contains('-')),
            "{:?}",
            devices.iter().map(|d| name(d)).collect::<Vec<_>>()
        );
        assert!(devices.iter().any(|d| name(d).starts_with("CARRO ")));
        let in_name = devices
            .iter()
            .filter(|d| name(d).contains(&plate(d)))
            .count();
        let in_description_only = devices
            .iter()
            .filter(|d| !name(d).contains(&plate(d)) && described(d, &plate(d)))
            .count();
        let in_tags_only = devices
            .iter()
            .filter(|d| !name(d).contains(&plate(d)) && !described(d, &plate(d)))
            .count();
        assert!(
            in_name >= 15 && in_description_only >= 2 && in_tags_only >= 2,
            "{in_name} {in_description_only} {in_tags_only}"
        );
        let undescribed = devices.iter().filter(|d| d.description.is_none()).count();
        assert!((2..=5).contains(&undescribed), "{undescribed}");
        assert_eq!(devices[0].id(), "dev-01");
    }

    #[test]
    fn a_day_of_alerts_has_every_kind() {
        let fleet = Fleet::generate(42, DEMO_DEVICES);
        let from = Utc.with_ymd_and_hms(2025, 3, 4, 5, 0, 0).unwrap();
        let to = from + Duration::days(1);
        let mut names = HashSet::new();
        for v in fleet.vehicles() {
            for a in v.alerts(from, to, None, usize::MAX) {
                names.extend(a.alerts.unwrap());
            }
        }
        for name in [
            alerts::SPEEDING,
            alerts::IGNITION_ON,
            alerts::IGNITION_OFF,
            alerts::LOW_BATTERY,
            alerts::ZONE_ENTRY,
            alerts::ZONE_EXIT,
        ] {
            assert!(names.contains(name), "no {name} in {names:?}");
        }
    }

    #[test]
    fn last_location_is_the_last_reported_fix() {
        let fleet = Fleet::generate(42, DEMO_DEVICES);
        let t0 = Utc.with_ymd_and_hms(2025, 3, 4, 15, 0, 0).unwrap();
        for step in 0..6 {
            let now = t0 + Duration::seconds(step * 49_999);
            for v in fleet.vehicles() {
                let track = v.locations(now - Duration::days(8), now, usize::MAX);
                assert_eq!(v.last_location(now).as_ref(), track.last(), "{}", v.id());
            }
        }
    }

    #[test]
    fn report_ages_spread_like_a_real_fleet() {
        let fleet = Fleet::generate(42, DEMO_DEVICES);
        let t0 = Utc.with_ymd_and_hms(2025, 3, 4, 15, 0, 0).unwrap();
        let mut long_gaps = 0;
        for step in 0..(30 * 24) {
            let now = t0 + Duration::seconds(step * 3_607);
            let times: Vec<DateTime<Utc>> = fleet
                .vehicles()
                .iter()
                .filter_map(|v| v.last_location(now).map(|l| l.date_time))
                .collect();
            assert_eq!(times.len(), DEMO_DEVICES - SILENT_DEVICES);
            let ages: Vec<i64> = times.iter().map(|t| (now - *t).num_seconds()).collect();
            let silent = ages.iter().filter(|&&a| a > 3_600).count();
            let fresh = ages.iter().filter(|&&a| a <= 15 * 60).count();
            assert!(
                (2..=8).contains(&silent),
                "{silent} silent at {now}: {ages:?}"
            );
            assert!(fresh >= 15, "{fresh} fresh at {now}: {ages:?}");
            let distinct: HashSet<_> = times.iter().collect();
            if distinct.len() < times.len() {
                panic!("equal report times at {now}: {ages:?}");
            }
            long_gaps += ages.iter().filter(|&&a| a > 86_400).count();
        }
        assert!(long_gaps > 0, "some devices are silent for days");
    }

    #[test]
    fn large_fleets_extend_the_demo_fleet_cheaply() {
        let demo = Fleet::generate(42, DEMO_DEVICES);
        let big = Fleet::generate(42, 10_000);
        assert_eq!(big.vehicles().len(), 10_000);
        for (a, b) in demo.vehicles().iter().zip(big.vehicles()) {
            assert_eq!(a.device, b.device);
        }
        // Trackers are built on first use only.
        assert!(
            big.vehicles()
                .iter()
                .all(|v| v.tracker.as_ref().is_none_or(|t| t.sim.get().is_none()))
        );
        let v = big.get("dev-10000").unwrap();
        assert_eq!(v.id(), "dev-10000");
        assert!(big.get("dev-0100").is_none() && big.get("dev-10001").is_none());
        assert!(big.get("dev-0").is_none() && big.get("nope").is_none());
        assert_eq!(big.get("dev-05").unwrap().id(), "dev-05");
        let ids: HashSet<_> = big.vehicles().iter().map(Vehicle::id).collect();
        assert_eq!(ids.len(), 10_000);
        let never = big
            .vehicles()
            .iter()
            .filter(|v| v.tracker.is_none())
            .count();
        assert!((400..1_100).contains(&never), "{never}");
        let again = Fleet::generate(42, 10_000);
        let now = Utc.with_ymd_and_hms(2025, 3, 4, 15, 0, 0).unwrap();
        for i in [30, 999, 9_999] {
            let (a, b) = (&big.vehicles()[i], &again.vehicles()[i]);
            assert_eq!(a.device, b.device);
            assert_eq!(a.last_location(now), b.last_location(now));
        }
    }
}
