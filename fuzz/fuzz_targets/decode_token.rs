#![no_main]
//! Fuzzes `RequestToken` (`POST /api/Auth/Token`).

use libfuzzer_sys::fuzz_target;
use plaspy_fuzz::*;
#[allow(unused_imports)]
use plaspy_types::endpoints::*;

fuzz_target!(|data: &[u8]| {
    let credentials = plaspy_types::Credentials::new("u", "key");
    decode_only(
        &RequestToken {
            credentials: &credentials,
        },
        data,
    );
});
