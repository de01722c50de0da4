#![no_main]
//! Fuzzes `LastLocation` (`GET /api/devices/{id}/lastLocation`).

use libfuzzer_sys::fuzz_target;
use plaspy_fuzz::*;
#[allow(unused_imports)]
use plaspy_types::endpoints::*;

fuzz_target!(|data: &[u8]| {
    decode_and_round_trip(&LastLocation { id: "d" }, data, named("lastLocation"));
});
