#![no_main]
//! Fuzzes `ListCountries` and `ListTimeZones`.

use libfuzzer_sys::fuzz_target;
use plaspy_fuzz::*;
#[allow(unused_imports)]
use plaspy_types::endpoints::*;

fuzz_target!(|data: &[u8]| {
    decode_and_round_trip(&ListCountries, data, named("countries"));
    decode_and_round_trip(&ListTimeZones, data, named("timeZones"));
});
