#![no_main]
//! Fuzzes `GetUser` (and the same single-item decoder of create, update and patch).

use libfuzzer_sys::fuzz_target;
use plaspy_fuzz::*;
#[allow(unused_imports)]
use plaspy_types::endpoints::*;

fuzz_target!(|data: &[u8]| {
    // A password is read but never written back (write-only, a secret).
    decode_and_round_trip_except(&GetUser::new("u"), data, flattened, |user| {
        user.password = None
    });
});
