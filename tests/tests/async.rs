//! The shared cases of `tests/cases/` run against `plaspy_async::Client`, plus the
//! async-only cases of `tests/cases_async/`.
//!
//! `maybe` keeps the shared code async (maybe-async's `must_be_async`), and `case` is
//! `#[tokio::test]`.

use maybe_async::must_be_async as maybe;
use tokio::test as case;

#[path = "../support/nonblocking.rs"]
mod flavour;
/// The sandbox answers tidily here; `tests/*_quirks.rs` run the sandbox cases in its
/// quirks mode.
const SANDBOX_QUIRKS: bool = false;

#[path = "../support/common.rs"]
mod support;

#[path = "../cases/mod.rs"]
mod cases;
#[path = "../cases_async/mod.rs"]
mod cases_async;
