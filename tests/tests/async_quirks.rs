//! The sandbox cases of `tests/cases/` against the sandbox's quirks mode, with
//! `plaspy_async::Client` (see `tests/quirks/mod.rs`).

use maybe_async::must_be_async as maybe;
use tokio::test as case;

#[allow(dead_code, unused_imports)]
#[path = "../support/nonblocking.rs"]
mod flavour;

/// Every sandbox these cases start answers in the quirks mode.
const SANDBOX_QUIRKS: bool = true;

#[allow(dead_code, unused_imports)]
#[path = "../support/common.rs"]
mod support;

#[path = "../quirks/mod.rs"]
mod quirks;
