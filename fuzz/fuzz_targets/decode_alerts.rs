#![no_main]
//! Fuzzes `QueryAlerts` (`POST /api/devices/{id}/alerts`).

use libfuzzer_sys::fuzz_target;
use plaspy_fuzz::*;
#[allow(unused_imports)]
use plaspy_types::endpoints::*;

fuzz_target!(|data: &[u8]| {
    let query =
        plaspy_types::AlertsQuery::new(chrono::DateTime::UNIX_EPOCH, chrono::DateTime::UNIX_EPOCH);
    decode_and_round_trip(
        &QueryAlerts {
            id: "d",
            query: &query,
        },
        data,
        named("alerts"),
    );
});
