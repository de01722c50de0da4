//! Binding, serving until a shutdown signal, and serving in the background.

use std::future::Future;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::thread::JoinHandle;
use std::time::Duration;

use axum::Router;
use plaspy_async::{AccessToken, Client, Error};
use tokio::net::TcpListener;
use tokio::runtime::Runtime;
use tokio::sync::oneshot;

use crate::config::DashboardConfig;
use crate::routes;

/// How long stopping waits for requests to the API still running.
const STOP_GRACE: Duration = Duration::from_secs(2);

/// A dashboard bound to its address, ready to serve.
pub struct Dashboard {
    runtime: Runtime,
    listener: TcpListener,
    app: Router,
    client: Client,
    addr: SocketAddr,
    url: String,
}

impl Dashboard {
    /// Binds `config.bind:config.port` and prepares the routes; serves nothing until
    /// [`run_until`](Self::run_until), [`run_until_ctrl_c`](Self::run_until_ctrl_c) or
    /// [`spawn`](Self::spawn). Requests reach the API through `client`, on the dashboard's
    /// own tokio runtime.
    pub fn bind(client: Client, config: DashboardConfig) -> io::Result<Dashboard> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("plaspy-web")
            .enable_all()
            .build()?;
        let listener = runtime.block_on(TcpListener::bind((config.bind, config.port)))?;
        let addr = listener.local_addr()?;
        let url = format!("http://{}/", browsable(addr));
        let app = routes::router(client.clone(), config, addr.ip().is_loopback());
        Ok(Dashboard {
            runtime,
            listener,
            app,
            client,
            addr,
            url,
        })
    }

    /// Signs in to the API now (on the dashboard's runtime), so that bad credentials show
    /// before anyone opens a page; the token is then shared with the pages' requests.
    pub fn sign_in(&self) -> Result<AccessToken, Error> {
        self.runtime.block_on(self.client.token())
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The URL to open in a browser on this machine, e.g. `http://127.0.0.1:8090/`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Serves until `shutdown` completes, then stops accepting, lets the requests in
    /// flight finish and returns.
    pub fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) -> io::Result<()> {
        let Dashboard {
            runtime,
            listener,
            app,
            ..
        } = self;
        let served = runtime.block_on(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(shutdown)
                .await
        });
        runtime.shutdown_timeout(STOP_GRACE);
        served
    }

    /// Serves until Ctrl-C (SIGINT).
    pub fn run_until_ctrl_c(self) -> io::Result<()> {
        self.run_until(async {
            let _ = tokio::signal::ctrl_c().await;
        })
    }

    /// Serves on a background thread until the handle is dropped or stopped.
    pub fn spawn(self) -> DashboardHandle {
        let (stop, stopped) = oneshot::channel::<()>();
        let (addr, url) = (self.addr, self.url.clone());
        let thread = std::thread::Builder::new()
            .name("plaspy-web".into())
            .spawn(move || {
                self.run_until(async {
                    let _ = stopped.await;
                })
            })
            .expect("spawning the dashboard thread");
        DashboardHandle {
            addr,
            url,
            stop: Some(stop),
            thread: Some(thread),
        }
    }
}

/// A dashboard serving in the background; dropping it stops it.
pub struct DashboardHandle {
    addr: SocketAddr,
    url: String,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<io::Result<()>>>,
}

impl DashboardHandle {
    /// The address it listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The URL to open in a browser on this machine.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Stops it and waits until it has stopped.
    pub fn stop(mut self) -> io::Result<()> {
        self.halt()
    }

    fn halt(&mut self) -> io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.thread.take().map(JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(io::Error::other("the dashboard thread panicked")),
            None => Ok(()),
        }
    }
}

impl Drop for DashboardHandle {
    fn drop(&mut self) {
        let _ = self.halt();
    }
}

/// The address as a browser on this machine reaches it: the wildcard addresses become
/// loopback, IPv6 goes in brackets.
fn browsable(addr: SocketAddr) -> String {
    match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => format!("{}:{}", Ipv4Addr::LOCALHOST, addr.port()),
        IpAddr::V6(ip) if ip.is_unspecified() => {
            format!("[{}]:{}", Ipv6Addr::LOCALHOST, addr.port())
        }
        _ => addr.to_string(),
    }
}
