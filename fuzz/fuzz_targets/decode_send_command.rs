#![no_main]
//! Fuzzes `SendCommand` (`POST /api/devices/{id}/sendCommand`).

use libfuzzer_sys::fuzz_target;
use plaspy_fuzz::*;
#[allow(unused_imports)]
use plaspy_types::endpoints::*;

fuzz_target!(|data: &[u8]| {
    let command = plaspy_types::Command::text("x");
    decode_only(
        &SendCommand {
            id: "d",
            command: &command,
        },
        data,
    );
});
