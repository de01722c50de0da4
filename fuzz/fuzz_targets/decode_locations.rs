#![no_main]
//! Fuzzes `QueryLocations` (`POST /api/devices/{id}/locations`).

use libfuzzer_sys::fuzz_target;
use plaspy_fuzz::*;
#[allow(unused_imports)]
use plaspy_types::endpoints::*;

fuzz_target!(|data: &[u8]| {
    let query = plaspy_types::LocationsQuery::new(
        chrono::DateTime::UNIX_EPOCH,
        chrono::DateTime::UNIX_EPOCH,
    );
    decode_and_round_trip(
        &QueryLocations {
            id: "d",
            query: &query,
        },
        data,
        named("locations"),
    );
});
