//! The native half of the `plaspy` Python package (`plaspy._native`).
//!
//! The Python half (`python/plaspy/`) holds the public classes, the argument checks
//! (aware datetimes, timedeltas), the models and the exceptions; this crate holds the SDK
//! clients. Calls cross as JSON text: Python sends one op as a JSON object
//! (`ops::Op`), Rust runs it on `plaspy-blocking` (GIL released) or `plaspy-async` (an
//! asyncio awaitable over tokio) and answers the API's JSON, which Python wraps in its
//! model classes. Built with maturin (`pip install ./plaspy-python`).

mod blocking;
mod dispatch;
mod error;
mod nonblocking;
mod ops;
mod sandbox;
mod settings;

use pyo3::prelude::*;

/// The `plaspy._native` module.
#[pymodule]
fn _native(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<blocking::NativeClient>()?;
    module.add_class::<blocking::NativeFeed>()?;
    module.add_class::<blocking::NativeHistory>()?;
    module.add_class::<nonblocking::NativeAsyncClient>()?;
    module.add_class::<nonblocking::NativeAsyncFeed>()?;
    module.add_class::<nonblocking::NativeAsyncHistory>()?;
    module.add_class::<sandbox::NativeSandbox>()?;
    module.add("SDK_VERSION", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
