#![no_main]
//! Fuzzes `GetGroup` (and the same single-item decoder of create, update and patch) and `DeleteGroup`.

use libfuzzer_sys::fuzz_target;
use plaspy_fuzz::*;
#[allow(unused_imports)]
use plaspy_types::endpoints::*;

fuzz_target!(|data: &[u8]| {
    decode_and_round_trip(&GetGroup::new("g"), data, flattened);
    decode_only(&DeleteGroup::new("g"), data);
});
