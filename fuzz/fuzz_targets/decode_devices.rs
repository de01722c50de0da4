#![no_main]
//! Fuzzes `ListDevices` (`GET /api/devices`).

use libfuzzer_sys::fuzz_target;
use plaspy_fuzz::*;
#[allow(unused_imports)]
use plaspy_types::endpoints::*;

fuzz_target!(|data: &[u8]| {
    decode_and_round_trip(&ListDevices, data, named("devices"));
});
