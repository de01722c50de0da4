//! The shared cases of `tests/cases/` run against `plaspy_blocking::Client`, plus the
//! blocking-only cases of `tests/cases_blocking/`.
//!
//! `maybe` strips `async` and `.await` from the shared code (maybe-async's
//! `must_be_sync`), and `case` is the standard `#[test]`.

use maybe_async::must_be_sync as maybe;
use std::prelude::v1::test as case;

#[path = "../support/blocking.rs"]
mod flavour;
/// The sandbox answers tidily here; `tests/*_quirks.rs` run the sandbox cases in its
/// quirks mode.
const SANDBOX_QUIRKS: bool = false;

#[path = "../support/common.rs"]
mod support;

#[path = "../cases/mod.rs"]
mod cases;
#[path = "../cases_blocking/mod.rs"]
mod cases_blocking;
