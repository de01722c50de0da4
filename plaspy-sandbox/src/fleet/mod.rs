//! The simulated demo fleet: devices, where they are at any instant, what they reported in
//! any date range and the alerts that fired. Everything is a pure function of
//! (seed, device, time): two sandboxes with the same seed report the same data.

mod alerts;
pub(crate) mod city;
mod geo;
mod route;
mod schedule;
mod track;

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Duration, TimeZone, Utc};
use plaspy_types::{AlertEvent, Device, Location};

use self::city::{BOGOTA, City, MEDELLIN};
use self::track::{PARKED_EVERY, Sim};
use crate::prng::{Rng, hash};

/// How many devices the demo fleet has.
pub(crate) const DEVICE_COUNT: usize = 27;
/// How many of them (the last ones) have not reported a position yet.
pub(crate) const SILENT_DEVICES: usize = 2;
/// The most fixes one query returns.
pub(crate) const MAX_FIXES: usize = 100_000;

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
    sim: Option<Sim>,
}

impl Vehicle {
    /// The device id.
    pub(crate) fn id(&self) -> &str {
        self.device.id()
    }

    /// The position at `now`, as a heartbeat at that second; `None` if it never reported.
    pub(crate) fn last_location(&self, now: DateTime<Utc>) -> Option<Location> {
        let sim = self.sim.as_ref()?;
        Some(sim.location(&sim.fix_at(now.timestamp()), &[]))
    }

    /// The fixes in `[from, to]`, each carrying the names of the alerts that fired at it.
    pub(crate) fn locations(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Location> {
        let Some(sim) = &self.sim else {
            return Vec::new();
        };
        self.annotated(sim, from, to)
            .map(|(fix, events)| sim.location(&fix, &events))
            .collect()
    }

    /// The alerts in `[from, to]`, only those named `filter` when given.
    pub(crate) fn alerts(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        filter: Option<&str>,
    ) -> Vec<AlertEvent> {
        let Some(sim) = &self.sim else {
            return Vec::new();
        };
        self.annotated(sim, from, to)
            .flat_map(|(fix, events)| {
                events
                    .into_iter()
                    .filter(|e| filter.is_none_or(|f| alerts::matches_filter(e.name, f)))
                    .map(move |e| e.to_alert(sim, &fix))
            })
            .collect()
    }

    /// The fixes in range with their alerts; the fixes just before `from` are read too, so
    /// that an alert at the range's first fix is seen.
    fn annotated<'a>(
        &self,
        sim: &'a Sim,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> impl Iterator<Item = (track::Fix, Vec<alerts::Event>)> + 'a {
        // The range is rounded out to whole seconds, as fixes fall on whole seconds.
        let from = from.timestamp() + i64::from(from.timestamp_subsec_nanos() > 0);
        let to = to.timestamp();
        let fixes = sim.fixes(from - PARKED_EVERY - 1, to, MAX_FIXES + 64);
        let mut prev: Option<track::Fix> = None;
        fixes
            .into_iter()
            .filter_map(move |fix| {
                let events = alerts::detect(sim, prev.as_ref(), &fix);
                prev = Some(fix);
                (fix.t >= from).then_some((fix, events))
            })
            .take(MAX_FIXES)
    }
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
    /// The fleet for `seed`.
    pub(crate) fn generate(seed: u64) -> Fleet {
        let mut plates = HashSet::new();
        let vehicles = (0..DEVICE_COUNT)
            .map(|i| {
                let key = hash(&[seed, i as u64]);
                let mut rng = Rng::new(key);
                let group = i % 3;
                let refrigerated = i % 5 == 4;
                let city: &'static City = if group == 2 { &MEDELLIN } else { &BOGOTA };
                let silent = i >= DEVICE_COUNT - SILENT_DEVICES;
                let device = make_device(&mut rng, i, city, refrigerated, silent, &mut plates);
                let sim = (!silent).then(|| Sim::generate(&mut rng, key, city, refrigerated));
                Vehicle {
                    device,
                    group,
                    refrigerated,
                    sim,
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
        self.vehicles.iter().find(|v| v.id() == id)
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
    let description = if silent {
        format!(
            "{model} {year}, {}: tracker installed, no position yet",
            city.name
        )
    } else {
        format!("{model} {year}, {}", city.name)
    };
    let expires = Utc
        .with_ymd_and_hms(2026, 12, 31, 5, 0, 0)
        .single()
        .unwrap_or_default()
        + Duration::days(rng.int(0, 730));
    Device {
        id: Some(format!("dev-{:02}", i + 1)),
        name: Some(format!("{kind} {plate}")),
        description: Some(description),
        min,
        tags: Some(tags),
        expires: Some(expires),
        extra: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fleet_is_deterministic_and_varied() {
        let a = Fleet::generate(42);
        let b = Fleet::generate(42);
        let c = Fleet::generate(43);
        let names = |f: &Fleet| -> Vec<String> {
            f.vehicles()
                .iter()
                .map(|v| v.device.name.clone().unwrap())
                .collect()
        };
        assert_eq!(names(&a), names(&b));
        assert_ne!(names(&a), names(&c));
        assert_eq!(a.vehicles().len(), DEVICE_COUNT);
        let now = Utc.with_ymd_and_hms(2025, 3, 4, 15, 0, 0).unwrap();
        let silent = a
            .vehicles()
            .iter()
            .filter(|v| v.last_location(now).is_none());
        assert_eq!(silent.count(), SILENT_DEVICES);
        assert!(a.vehicles().iter().any(|v| v.device.min.is_none()));
    }

    #[test]
    fn a_day_of_alerts_has_every_kind() {
        let fleet = Fleet::generate(42);
        let from = Utc.with_ymd_and_hms(2025, 3, 4, 5, 0, 0).unwrap();
        let to = from + Duration::days(1);
        let mut names = HashSet::new();
        for v in fleet.vehicles() {
            for a in v.alerts(from, to, None) {
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
}
