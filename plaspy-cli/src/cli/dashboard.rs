//! `plaspy dashboard`.

use std::net::{IpAddr, Ipv4Addr};

use clap::Args;

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
    #[arg(long, value_name = "DURATION", default_value = "1h", value_parser = parse_positive_duration)]
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

fn parse_positive_duration(text: &str) -> Result<std::time::Duration, String> {
    let duration = crate::time::parse_duration(text)?;
    duration
        .to_std()
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| format!("`{text}` must be longer than zero"))
}
