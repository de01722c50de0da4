#![no_main]
//! Fuzzes the error mapping of non-2xx responses and the envelope reader.

use libfuzzer_sys::fuzz_target;
use plaspy_fuzz::*;
#[allow(unused_imports)]
use plaspy_types::endpoints::*;

fuzz_target!(|data: &[u8]| {
    let response = response(data);
    let _ = plaspy_types::envelope::error_from_response(&response).to_string();
    let _ = plaspy_types::envelope::server_message(&response.body);
    let _ = plaspy_types::envelope::read_envelope(&response.body);
});
