//! `plaspy dashboard`: serve the local web dashboard in the foreground.

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use clap::Args;

use crate::args::value;
use crate::context::Ctx;
use crate::exit::{CliError, CliResult, Context, ErrorSubject};

/// Text shown after `plaspy dashboard --help`.
pub const AFTER_HELP: &str = "\
Examples:
  plaspy --sandbox dashboard --open           the demo fleet in your browser
  plaspy dashboard --port 0                   any free port; the URL is the first line printed
  plaspy dashboard --tile-url none            no map tiles (offline)

The API key and token stay in this process: the browser only sees the dashboard's own JSON.
It listens on 127.0.0.1 unless --bind says otherwise, and has no login of its own.";

/// `plaspy dashboard ...`
#[derive(Debug, Clone, Args)]
pub struct DashboardArgs {
    /// Port to listen on (0: any free port)
    #[arg(long, default_value_t = 8090)]
    pub port: u16,
    /// Address to listen on; anything but loopback exposes the fleet to the network
    #[arg(long, value_name = "IP", default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub bind: IpAddr,
    /// Open the dashboard in the default browser
    #[arg(long)]
    pub open: bool,
    /// Map tile URL template; "none" draws markers on a plain background
    #[arg(
        long,
        env = "PLASPY_TILE_URL",
        value_name = "URL",
        default_value = plaspy_web::DEFAULT_TILE_URL
    )]
    pub tile_url: String,
    /// Attribution (HTML) shown for the tiles [default: OpenStreetMap's]
    #[arg(long, value_name = "HTML")]
    pub tile_attribution: Option<String>,
    /// A device without a report for this long is silent (30m, 2h, 1d)
    #[arg(long, value_name = "DURATION", default_value = "1h", value_parser = value::positive_duration)]
    pub silent_after: std::time::Duration,
    /// Seconds between refreshes of the fleet page
    #[arg(long, value_name = "SECONDS", default_value_t = 15, value_parser = clap::value_parser!(u64).range(2..=3600))]
    pub refresh: u64,
    /// How many positions to fetch at once per refresh (fewer while the server answers 429)
    #[arg(
        long,
        alias = "workers",
        value_name = "N",
        default_value_t = 8,
        value_parser = clap::value_parser!(u16).range(1..=256)
    )]
    pub concurrency: u16,
}

/// Binds, signs in, prints the URL on the first line of stdout and serves until Ctrl-C.
pub fn run(ctx: &mut Ctx, args: DashboardArgs) -> CliResult {
    let client = async_client(&ctx.client()?)?;
    let tile_url = match args.tile_url.trim() {
        "none" | "" => String::new(),
        url => url.to_owned(),
    };
    // plaspy-web's config grows: fields the CLI does not set keep their defaults.
    #[allow(clippy::needless_update)]
    let config = plaspy_web::DashboardConfig {
        bind: args.bind,
        port: args.port,
        tile_url,
        tile_attribution: args
            .tile_attribution
            .unwrap_or_else(|| plaspy_web::DEFAULT_TILE_ATTRIBUTION.to_owned()),
        thresholds: plaspy_fleet::Thresholds::default().with_silent_after(
            chrono::TimeDelta::from_std(args.silent_after).unwrap_or(chrono::TimeDelta::MAX),
        ),
        refresh: std::time::Duration::from_secs(args.refresh),
        concurrency: usize::from(args.concurrency),
        ..plaspy_web::DashboardConfig::default()
    };
    let dashboard = plaspy_web::Dashboard::bind(client, config).map_err(|e| {
        CliError::failure(format!(
            "listening on {}:{} failed: {e}: try another --port or --bind",
            args.bind, args.port
        ))
    })?;
    // Bad credentials fail here, with their exit code, rather than in the browser.
    dashboard
        .sign_in()
        .context(ErrorSubject::Credentials, "signing in")?;
    let url = dashboard.url().to_owned();
    let mut out = std::io::stdout().lock();
    writeln!(out, "{url}")
        .and_then(|()| out.flush())
        .map_err(|e| CliError::io("writing", &e))?;
    drop(out);
    if let Some(warning) = exposure_warning(dashboard.local_addr()) {
        eprintln!("{warning}");
    }
    ctx.note(&format!("Plaspy dashboard at {url} (Ctrl-C stops it)"));
    if args.open {
        open_browser(ctx, &url);
    }
    dashboard
        .run_until_ctrl_c()
        .map_err(|e| CliError::failure(format!("the dashboard stopped: {e}")))?;
    ctx.note("dashboard stopped");
    Ok(())
}

/// The dashboard's own async client (it serves on tokio), with every setting of the
/// command's client: account, base URL, timeouts, retries, pacing.
fn async_client(client: &plaspy_blocking::Client) -> CliResult<plaspy_async::Client> {
    let config = client.config();
    let mut builder = plaspy_async::Client::builder()
        .credentials(
            config.credentials.username.clone(),
            config.credentials.api_key.clone(),
        )
        .base_url(config.base_url.clone())
        .timeout(config.transport.timeout)
        .connect_timeout(config.transport.connect_timeout)
        .user_agent(config.transport.user_agent.clone())
        .max_response_bytes(config.transport.max_response_bytes)
        .retry_policy(config.retry)
        .token_policy(config.token);
    if let Some(deadline) = config.deadline {
        builder = builder.deadline(deadline);
    }
    if let Some(per_minute) = config.rate_limit {
        builder = builder.rate_limit(per_minute);
    }
    builder.build().map_err(|e| {
        CliError::api(
            ErrorSubject::Account,
            "setting up the dashboard's client",
            &e,
        )
    })
}

/// The warning printed when the dashboard listens beyond loopback (it has no login).
fn exposure_warning(addr: SocketAddr) -> Option<String> {
    (!addr.ip().is_loopback()).then(|| {
        format!(
            "warning: listening on {addr}: anyone who can reach this machine there sees the \
             fleet; the dashboard has no login"
        )
    })
}

/// Opens `url` with the platform's opener; a failure is a note, not an error.
fn open_browser(ctx: &Ctx, url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        std::process::Command::new("explorer")
    } else {
        std::process::Command::new("xdg-open")
    };
    let opened = command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(e) = opened {
        ctx.note(&format!(
            "could not open a browser ({e}): open {url} yourself"
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dashboard_client_has_the_commands_settings() {
        let client = plaspy_blocking::Client::builder()
            .credentials("me", "k3y")
            .base_url("http://127.0.0.1:9")
            .timeout(std::time::Duration::from_secs(7))
            .deadline(std::time::Duration::from_secs(9))
            .max_retries(5)
            .rate_limit(42)
            .user_agent("plaspy-cli/test")
            .build()
            .unwrap();
        let dashboard = async_client(&client).unwrap();
        let (a, b) = (client.config(), dashboard.config());
        assert_eq!(a.credentials, b.credentials);
        assert_eq!(a.base_url, b.base_url);
        assert_eq!(a.transport, b.transport);
        assert_eq!(a.deadline, b.deadline);
        assert_eq!(a.rate_limit, b.rate_limit);
        assert_eq!(a.retry.max_attempts, b.retry.max_attempts);
    }

    #[test]
    fn only_loopback_is_quiet() {
        assert_eq!(exposure_warning("127.0.0.1:8090".parse().unwrap()), None);
        assert_eq!(exposure_warning("[::1]:8090".parse().unwrap()), None);
        let warning = exposure_warning("0.0.0.0:8090".parse().unwrap()).unwrap();
        assert!(warning.starts_with("warning: listening on 0.0.0.0:8090"));
        assert!(exposure_warning("192.168.1.5:80".parse().unwrap()).is_some());
        assert!(exposure_warning("[::]:80".parse().unwrap()).is_some());
    }
}
