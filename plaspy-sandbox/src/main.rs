//! `plaspy-sandbox`: runs the local Plaspy API sandbox until Ctrl-C.
//!
//! The first line on stdout is the base URL (`http://127.0.0.1:41234`), so scripts can
//! start it with `--port 0` and read where it listens.

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use plaspy_sandbox::{Account, FaultConfig, SandboxConfig, SandboxControl};

/// A local Plaspy API server with a simulated demo fleet.
#[derive(Debug, Parser)]
#[command(name = "plaspy-sandbox", version, about)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// Port to listen on; 0 picks a free one (the URL is printed on stdout).
    #[arg(long, short, default_value_t = 8080)]
    port: u16,
    /// Seed of the simulated data (same seed, same fleet, groups and users).
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Token lifetime in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 3600)]
    token_lifetime: u64,
    /// Requests per minute per account before 429 (default: no limit).
    #[arg(long, value_name = "RPM")]
    rate_limit: Option<u32>,
    /// An account USER:KEY; repeatable. Without any, the demo account demo:demo-key.
    #[arg(long = "account", value_name = "USER:KEY")]
    accounts: Vec<Account>,
    /// Devices per account: the 27 demo devices first, then more under the same rules
    /// (deterministic for the seed; at most 100000).
    #[arg(long, value_name = "N", default_value_t = 27)]
    devices: usize,
    /// Range limit: the longest date range of one locations or alerts query, in days.
    #[arg(long, value_name = "DAYS", default_value_t = 31)]
    max_range_days: u32,
    /// Reply cap: the most fixes (or alerts) one query returns.
    #[arg(long, value_name = "N", default_value_t = 100_000)]
    max_records: usize,
    /// Refuse (400) a query over the reply cap instead of truncating its reply.
    #[arg(long)]
    refuse_over_cap: bool,
    /// Connections served at once; more are answered 503 and closed.
    #[arg(long, value_name = "N", default_value_t = 512)]
    max_connections: usize,
    /// Seconds to wait for a request's headers (idle keep-alive included) and between two
    /// pieces of its body before closing the connection.
    #[arg(long, value_name = "SECS", default_value_t = 30)]
    read_timeout: u64,
    /// Groups, and users, one account may store.
    #[arg(long, value_name = "N", default_value_t = 1_000)]
    max_objects: usize,
    /// Largest group or user stored (JSON bytes, also after a JSON Patch), and longest
    /// command text.
    #[arg(long, value_name = "BYTES", default_value_t = 64 * 1024)]
    max_object_bytes: usize,
    /// Operations one JSON Patch may hold.
    #[arg(long, value_name = "N", default_value_t = 100)]
    max_patch_operations: usize,
    /// Quirks mode: answer in every shape the API contract lists (date-times without offset
    /// or with 7 fractional digits, numeric ids, nulls for absent fields, integers as 12.0,
    /// unknown extra fields, empty lists as null), deterministically from the seed; the
    /// data are the same as without it.
    #[arg(long)]
    quirks: bool,
    /// Fault: milliseconds added to every /api answer.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    latency_ms: u64,
    /// Fault: fraction (0-1) of /api requests answered 500 or 503.
    #[arg(long, value_name = "RATE", default_value_t = 0.0)]
    error_rate: f64,
    /// Fault: fraction (0-1) of /api answers with their body cut in half.
    #[arg(long, value_name = "RATE", default_value_t = 0.0)]
    truncate_rate: f64,
    /// Fault: fraction (0-1) of /api requests answered by an HTML 502 page.
    #[arg(long = "html502-rate", value_name = "RATE", default_value_t = 0.0)]
    html_502_rate: f64,
}

impl Args {
    fn config(self) -> SandboxConfig {
        let accounts = if self.accounts.is_empty() {
            vec![Account::demo()]
        } else {
            self.accounts
        };
        SandboxConfig {
            bind: self.bind,
            port: self.port,
            seed: self.seed,
            token_lifetime: Duration::from_secs(self.token_lifetime),
            rate_limit: self.rate_limit,
            accounts,
            faults: FaultConfig {
                latency_ms: self.latency_ms,
                error_rate: self.error_rate,
                truncate_rate: self.truncate_rate,
                html_502_rate: self.html_502_rate,
                ..FaultConfig::none()
            },
            devices: self.devices,
            max_range_days: self.max_range_days,
            max_records: self.max_records,
            refuse_over_cap: self.refuse_over_cap,
            max_connections: self.max_connections,
            read_timeout: Duration::from_secs(self.read_timeout),
            max_objects: self.max_objects,
            max_object_bytes: self.max_object_bytes,
            max_patch_operations: self.max_patch_operations,
            quirks: self.quirks,
            ..SandboxConfig::default()
        }
    }
}

fn main() -> ExitCode {
    let config = Args::parse().config();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => return fail(&format!("cannot start the runtime: {e}")),
    };
    match runtime.block_on(run(config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e.to_string()),
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("plaspy-sandbox: {message}");
    ExitCode::FAILURE
}

async fn run(config: SandboxConfig) -> std::io::Result<()> {
    let addr = SocketAddr::new(config.bind, config.port);
    let users: Vec<String> = config.accounts.iter().map(|a| a.username.clone()).collect();
    let control = SandboxControl::new(config)?;
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    let host = if local.ip().is_unspecified() {
        SocketAddr::new(IpAddr::from([127, 0, 0, 1]), local.port())
    } else {
        local
    };
    let mut stdout = std::io::stdout();
    writeln!(stdout, "http://{host}")?;
    stdout.flush()?;
    eprintln!(
        "plaspy-sandbox listening on http://{local} (accounts: {}); control routes under /_sandbox; Ctrl-C stops it",
        users.join(", ")
    );
    control.serve(listener, shutdown_signal()).await?;
    eprintln!("plaspy-sandbox stopped");
    Ok(())
}

/// Completes on Ctrl-C (and SIGTERM on Unix).
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}
