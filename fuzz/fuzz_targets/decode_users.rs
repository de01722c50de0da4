#![no_main]
//! Fuzzes `ListUsers` (`GET /api/users`).

use libfuzzer_sys::fuzz_target;
use plaspy_fuzz::*;
#[allow(unused_imports)]
use plaspy_types::endpoints::*;

fuzz_target!(|data: &[u8]| {
    decode_and_round_trip(&ListUsers::default(), data, named("users"));
});
