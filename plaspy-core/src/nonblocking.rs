//! The async flavour of the client surface.
//!
//! The items here come from `src/surface/`, compiled with `must_be_async`; only the
//! [`Transport`] trait and the refresh lock are specific to this flavour.

use std::future::Future;
use std::time::Duration;

use maybe_async::must_be_async as maybe;
use plaspy_types::{HttpResponse, Result};

use crate::{Outgoing, TransportConfig};

/// Sends requests and reads responses asynchronously.
pub trait Transport: Send + Sync + Sized + 'static {
    /// Builds the transport.
    fn new(config: &TransportConfig) -> Result<Self>;
    /// Sends one request and reads the whole response, whatever its status.
    fn send(&self, request: &Outgoing<'_>) -> impl Future<Output = Result<HttpResponse>> + Send;
    /// Waits before a retry.
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send;
}

/// Serializes token refreshes so concurrent callers share one.
#[derive(Debug, Default)]
struct RefreshLock(tokio::sync::Mutex<()>);

impl RefreshLock {
    async fn acquire(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.0.lock().await
    }
}

crate::surface_modules!();
