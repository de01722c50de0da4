//! The sandbox cases of `tests/cases/` against the sandbox's quirks mode, with
//! `plaspy_blocking::Client` (see `tests/quirks/mod.rs`).

use maybe_async::must_be_sync as maybe;
use std::prelude::v1::test as case;

#[allow(dead_code, unused_imports)]
#[path = "../support/blocking.rs"]
mod flavour;

/// Every sandbox these cases start answers in the quirks mode.
const SANDBOX_QUIRKS: bool = true;

#[allow(dead_code, unused_imports)]
#[path = "../support/common.rs"]
mod support;

#[path = "../quirks/mod.rs"]
mod quirks;
