//! Geofence visits of 100,000 fixes among 1,000 zones (700 circles, 300 polygons) scattered
//! over a 1° × 1° city area, with and without crossings; the events engine over the same
//! fixes; and, for scale, what a scan of every zone at every fix costs without the R*-tree.
//! `cargo bench -p plaspy-bench --bench geofence`

use chrono::{TimeDelta, TimeZone, Utc};
use plaspy_fleet::{EventEngine, EventRules, Fix, VisitOptions, Zones, visits};

fn main() {
    let (zones, fixes) = (zones(1000), fixes(FIXES));
    let found = visits(
        "dev-01",
        fixes.iter().copied(),
        &zones,
        &VisitOptions::default(),
    );
    let crossing = VisitOptions::default().with_crossing(true);
    let with = visits("dev-01", fixes.iter().copied(), &zones, &crossing);
    println!(
        "{} zones, {} fixes: {} visits, {} with crossings",
        zones.len(),
        fixes.len(),
        found.len(),
        with.len()
    );
    divan::main();
}

const FIXES: usize = 100_000;

/// Bogotá-ish: latitude 4.1..5.1, longitude -74.6..-73.6.
const SOUTH: f64 = 4.1;
const WEST: f64 = -74.6;

/// A small deterministic generator (xorshift64*), so every run sees the same data.
struct Rng(u64);

impl Rng {
    /// A number in [0, 1).
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// `count` zones as a GeoJSON text: 7 in 10 circles of 100 m to 1 km, the others hexagons
/// of 300 m to 2 km across.
fn zones_geojson(count: usize) -> String {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let features: Vec<String> = (0..count)
        .map(|i| {
            let (lat, lon) = (SOUTH + rng.next(), WEST + rng.next());
            if i % 10 < 7 {
                let radius = 100.0 + 900.0 * rng.next();
                format!(
                    r#"{{"type":"Feature","properties":{{"name":"zone {i}","radius":{radius}}},"geometry":{{"type":"Point","coordinates":[{lon},{lat}]}}}}"#
                )
            } else {
                let r = 0.00135 + 0.00765 * rng.next(); // centre to corner, degrees
                let ring: Vec<String> = (0..=6)
                    .map(|k| {
                        let a = f64::from(k % 6) * std::f64::consts::FRAC_PI_3;
                        format!("[{},{}]", lon + r * a.cos(), lat + r * a.sin())
                    })
                    .collect();
                format!(
                    r#"{{"type":"Feature","properties":{{"name":"zone {i}"}},"geometry":{{"type":"Polygon","coordinates":[[{}]]}}}}"#,
                    ring.join(",")
                )
            }
        })
        .collect();
    format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        features.join(",")
    )
}

fn zones(count: usize) -> Zones {
    Zones::from_geojson("bench.geojson", &zones_geojson(count)).unwrap()
}

/// A vehicle's day and more: a fix every 10 s, driving at up to 60 km/h (up to ~170 m a
/// fix), turning now and then, kept within the area.
fn fixes(count: usize) -> Vec<Fix> {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let t0 = Utc.with_ymd_and_hms(2024, 6, 1, 0, 0, 0).unwrap();
    let (mut lat, mut lon, mut heading) = (SOUTH + 0.5, WEST + 0.5, 0.0f64);
    (0..count)
        .map(|i| {
            if rng.next() < 0.05 {
                heading = rng.next() * std::f64::consts::TAU;
            }
            let speed = 60.0 * rng.next();
            let step = speed / 3.6 * 10.0 / 111_195.0; // degrees in 10 s
            lat += step * heading.cos();
            lon += step * heading.sin();
            if !(SOUTH..SOUTH + 1.0).contains(&lat) || !(WEST..WEST + 1.0).contains(&lon) {
                heading += std::f64::consts::PI;
                lat = lat.clamp(SOUTH, SOUTH + 1.0);
                lon = lon.clamp(WEST, WEST + 1.0);
            }
            Fix::new(
                t0 + TimeDelta::seconds(10 * i as i64),
                lat,
                lon,
                Some(speed),
            )
        })
        .collect()
}

/// Visits of 100,000 fixes among 10, 100 and 1,000 zones.
#[divan::bench(args = [10, 100, 1000], sample_count = 10, sample_size = 1)]
fn visits_100k_fixes(bencher: divan::Bencher, zone_count: usize) {
    let (zones, fixes) = (zones(zone_count), fixes(FIXES));
    bencher.bench(|| {
        visits(
            "dev-01",
            fixes.iter().copied(),
            &zones,
            &VisitOptions::default(),
        )
    });
}

/// The same with crossings (a path query per pair of fixes).
#[divan::bench(args = [1000], sample_count = 10, sample_size = 1)]
fn visits_100k_fixes_crossing(bencher: divan::Bencher, zone_count: usize) {
    let (zones, fixes) = (zones(zone_count), fixes(FIXES));
    let options = VisitOptions::default().with_crossing(true);
    bencher.bench(|| visits("dev-01", fixes.iter().copied(), &zones, &options));
}

/// The events engine (zones and overspeed), fix by fix, over the same 100,000 fixes.
#[divan::bench(args = [1000], sample_count = 10, sample_size = 1)]
fn events_100k_fixes(bencher: divan::Bencher, zone_count: usize) {
    let rules = EventRules::default()
        .with_zones(std::sync::Arc::new(zones(zone_count)))
        .with_overspeed_kmh(50.0);
    let fixes = fixes(FIXES);
    bencher.bench(|| {
        let mut engine = EventEngine::new(rules.clone());
        fixes
            .iter()
            .map(|f| engine.fix("dev-01", *f).len())
            .sum::<usize>()
    });
}

/// Reading the 1,000-zone file (parse, check, build the R*-tree).
#[divan::bench(sample_count = 10, sample_size = 1)]
fn parse_1000_zones(bencher: divan::Bencher) {
    let text = zones_geojson(1000);
    bencher.bench(|| Zones::from_geojson("bench.geojson", &text).unwrap().len());
}

/// Without the R*-tree: every zone tested at every fix, over 10,000 fixes (a tenth).
#[divan::bench(args = [1000], sample_count = 3, sample_size = 1)]
fn scan_every_zone_10k_fixes(bencher: divan::Bencher, zone_count: usize) {
    let (zones, fixes) = (zones(zone_count), fixes(FIXES / 10));
    bencher.bench(|| {
        fixes
            .iter()
            .map(|f| {
                zones
                    .iter()
                    .filter(|z| z.contains(f.latitude, f.longitude))
                    .count()
            })
            .sum::<usize>()
    });
}
