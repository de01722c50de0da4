#![no_main]
//! Fuzzes `ListGroups` (`GET /api/groups`).

use libfuzzer_sys::fuzz_target;
use plaspy_fuzz::*;
#[allow(unused_imports)]
use plaspy_types::endpoints::*;

fuzz_target!(|data: &[u8]| {
    decode_and_round_trip(&ListGroups::default(), data, named("groups"));
});
