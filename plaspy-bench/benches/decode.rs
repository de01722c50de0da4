//! Decoding a 100,000-fix locations body: the SDK's typed decode against
//! `serde_json::Value`. `cargo bench -p plaspy-bench --bench decode`

use chrono::{TimeZone, Utc};
use plaspy_types::endpoints::QueryLocations;
use plaspy_types::{Endpoint, HttpResponse, LocationsQuery};

fn main() {
    divan::main();
}

/// A `POST /api/devices/{id}/locations` body with `n` fixes.
fn body(n: usize) -> Vec<u8> {
    let start = Utc.with_ymd_and_hms(2024, 6, 1, 0, 0, 0).unwrap();
    let fixes: Vec<_> = (0..n)
        .map(|i| {
            serde_json::json!({
                "dateTime": (start + chrono::Duration::seconds(i as i64 * 30)).to_rfc3339(),
                "latitude": 4.6 + i as f64 * 1e-5,
                "longitude": -74.08 - i as f64 * 1e-5,
                "speed": (i % 90) as f64,
                "course": (i % 360) as i64,
                "battery": 87,
                "milleage": 12345.6 + i as f64 * 0.01,
                "inputs": [true, false],
                "alerts": []
            })
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({"success": true, "locations": fixes})).unwrap()
}

#[divan::bench(sample_count = 20)]
fn sdk_typed_decode(bencher: divan::Bencher) {
    let response = HttpResponse::new(200, body(100_000));
    let query = LocationsQuery::new(
        Utc.with_ymd_and_hms(2024, 6, 1, 0, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(2024, 7, 1, 0, 0, 0).unwrap(),
    );
    let endpoint = QueryLocations {
        id: "dev-1",
        query: &query,
    };
    bencher.bench(|| {
        endpoint
            .decode(divan::black_box(&response))
            .unwrap()
            .value
            .len()
    });
}

#[divan::bench(sample_count = 20)]
fn serde_json_value(bencher: divan::Bencher) {
    let body = body(100_000);
    bencher.bench(|| {
        let value: serde_json::Value = serde_json::from_slice(divan::black_box(&body)).unwrap();
        value["locations"].as_array().map_or(0, Vec::len)
    });
}
