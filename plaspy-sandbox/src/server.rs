//! Running a sandbox: in-process on its own runtime thread ([`start`]), or inside an
//! existing tokio runtime ([`serve`]).

use std::future::Future;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener};
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::sync::watch;

use crate::config::SandboxConfig;
use crate::control::SandboxControl;

/// How long a stopping sandbox waits for open requests before it drops them.
const GRACE: Duration = Duration::from_secs(5);

/// Starts a sandbox on a background thread with its own tokio runtime, and returns once it
/// is listening. Works from synchronous code and from inside another runtime alike.
///
/// The sandbox stops when the handle is dropped or [`SandboxHandle::shutdown`] is called.
///
/// ```
/// let sandbox = plaspy_sandbox::start(plaspy_sandbox::SandboxConfig::default()).unwrap();
/// assert!(sandbox.base_url().starts_with("http://127.0.0.1:"));
/// sandbox.shutdown().unwrap();
/// ```
pub fn start(config: SandboxConfig) -> io::Result<SandboxHandle> {
    let addr = SocketAddr::new(config.bind, config.port);
    let control = SandboxControl::new(config)?;
    let listener = TcpListener::bind(addr)?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("plaspy-sandbox")
        .enable_all()
        .build()?;
    let (stop, stopped) = watch::channel(false);
    let server = control.clone();
    let thread = std::thread::Builder::new()
        .name("plaspy-sandbox".into())
        .spawn(move || {
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener)?;
                let serving = server.serve(listener, wait_for_stop(stopped.clone()));
                tokio::pin!(serving);
                tokio::select! {
                    result = &mut serving => result,
                    () = wait_for_stop(stopped) => {
                        tokio::time::timeout(GRACE, serving).await.unwrap_or(Ok(()))
                    }
                }
            })
        })?;
    Ok(SandboxHandle {
        base_url: base_url(addr),
        addr,
        control,
        stop: Some(stop),
        thread: Some(thread),
    })
}

/// Serves a sandbox built from `config` on `listener` (inside the caller's tokio runtime)
/// until `shutdown` completes. The `bind` and `port` of `config` are not used.
///
/// Use [`SandboxControl::new`] and [`SandboxControl::serve`] to keep a handle on its state.
///
/// ```no_run
/// # async fn run() -> std::io::Result<()> {
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
/// plaspy_sandbox::serve(plaspy_sandbox::SandboxConfig::default(), listener, std::future::pending()).await?;
/// # Ok(())
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub async fn serve(
    config: SandboxConfig,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    SandboxControl::new(config)?.serve(listener, shutdown).await
}

async fn wait_for_stop(mut stopped: watch::Receiver<bool>) {
    // An error means the handle is gone: stop as well.
    let _ = stopped.wait_for(|&stop| stop).await;
}

/// The URL clients should use for a listening address (loopback for a wildcard bind).
pub(crate) fn base_url(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}", SocketAddr::new(ip, addr.port()))
}

/// A running sandbox. Dropping it stops the sandbox.
#[derive(Debug)]
pub struct SandboxHandle {
    base_url: String,
    addr: SocketAddr,
    control: SandboxControl,
    stop: Option<watch::Sender<bool>>,
    thread: Option<JoinHandle<io::Result<()>>>,
}

impl SandboxHandle {
    /// The base URL, e.g. `http://127.0.0.1:41234` (no trailing slash).
    ///
    /// ```
    /// let sandbox = plaspy_sandbox::start(plaspy_sandbox::SandboxConfig::default())?;
    /// let client_url = sandbox.base_url(); // give it to your client
    /// assert!(!client_url.ends_with('/'));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The address it listens on.
    ///
    /// ```
    /// let sandbox = plaspy_sandbox::start(plaspy_sandbox::SandboxConfig::default())?;
    /// assert!(sandbox.addr().ip().is_loopback());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Its state, to set faults, read the command log, move the clock, ...
    ///
    /// ```
    /// let sandbox = plaspy_sandbox::start(plaspy_sandbox::SandboxConfig::default())?;
    /// sandbox.control().advance_clock(3_600);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn control(&self) -> &SandboxControl {
        &self.control
    }

    /// Stops the sandbox and waits for its thread; returns the server's error, if any.
    ///
    /// ```
    /// let sandbox = plaspy_sandbox::start(plaspy_sandbox::SandboxConfig::default())?;
    /// sandbox.shutdown()?; // or just drop it
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn shutdown(mut self) -> io::Result<()> {
        self.stop_and_join()
    }

    fn stop_and_join(&mut self) -> io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(true);
        }
        match self.thread.take() {
            Some(thread) => thread
                .join()
                .unwrap_or_else(|_| Err(io::Error::other("the sandbox thread panicked"))),
            None => Ok(()),
        }
    }
}

impl Drop for SandboxHandle {
    fn drop(&mut self) {
        let _ = self.stop_and_join();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcard_binds_get_a_loopback_url() {
        let any: SocketAddr = "0.0.0.0:8080".parse().unwrap();
        assert_eq!(base_url(any), "http://127.0.0.1:8080");
        let v6: SocketAddr = "[::]:1".parse().unwrap();
        assert_eq!(base_url(v6), "http://[::1]:1");
    }
}
