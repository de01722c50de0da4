//! `plaspy.Sandbox`'s native half: the embedded plaspy-sandbox on a loopback port.

use std::sync::{Mutex, PoisonError};

use plaspy_sandbox::{FaultConfig, SandboxConfig, SandboxHandle};
use pyo3::exceptions::PyOSError;
use pyo3::prelude::*;

/// A running sandbox (`plaspy._native.NativeSandbox`).
#[pyclass(module = "plaspy._native", frozen)]
pub struct NativeSandbox {
    handle: Mutex<Option<SandboxHandle>>,
    url: String,
}

#[pymethods]
impl NativeSandbox {
    /// Starts a sandbox: `devices` in the fleet (27: the demo fleet), the data `seed`,
    /// `latency_ms` added to every answer, at most `rate_limit` requests per minute.
    #[new]
    #[pyo3(signature = (devices=None, seed=None, latency_ms=None, rate_limit=None))]
    fn new(
        py: Python<'_>,
        devices: Option<usize>,
        seed: Option<u64>,
        latency_ms: Option<u64>,
        rate_limit: Option<u32>,
    ) -> PyResult<Self> {
        let defaults = SandboxConfig::default();
        let config = SandboxConfig {
            devices: devices.unwrap_or(defaults.devices),
            seed: seed.unwrap_or(defaults.seed),
            rate_limit,
            faults: FaultConfig {
                latency_ms: latency_ms.unwrap_or(0),
                ..FaultConfig::none()
            },
            ..defaults
        };
        let handle = py
            .detach(|| {
                config
                    .validate()
                    .and_then(|()| plaspy_sandbox::start(config))
            })
            .map_err(|err| PyOSError::new_err(format!("could not start the sandbox: {err}")))?;
        let url = handle.base_url().to_owned();
        Ok(NativeSandbox {
            handle: Mutex::new(Some(handle)),
            url,
        })
    }

    /// The base URL (`http://127.0.0.1:PORT`).
    #[getter]
    fn url(&self) -> String {
        self.url.clone()
    }

    /// The demo account's user name.
    #[getter]
    fn username(&self) -> &'static str {
        plaspy_sandbox::DEMO_USERNAME
    }

    /// The demo account's API key.
    #[getter]
    fn api_key(&self) -> &'static str {
        plaspy_sandbox::DEMO_API_KEY
    }

    /// Whether it is still serving.
    #[getter]
    fn running(&self) -> bool {
        self.handle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some()
    }

    /// Stops serving (idempotent).
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        let handle = self
            .handle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        match handle {
            Some(handle) => py
                .detach(|| handle.shutdown())
                .map_err(|err| PyOSError::new_err(format!("could not stop the sandbox: {err}"))),
            None => Ok(()),
        }
    }
}
