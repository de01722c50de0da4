#![no_main]
//! Fuzzes `ListUsers` (`GET /api/users`).

use libfuzzer_sys::fuzz_target;
use plaspy_fuzz::*;
#[allow(unused_imports)]
use plaspy_types::endpoints::*;

fuzz_target!(|data: &[u8]| {
    // A password is read but never written back (write-only, a secret).
    decode_and_round_trip_except(&ListUsers::default(), data, named("users"), |users| {
        users.iter_mut().for_each(|user| user.password = None)
    });
});
