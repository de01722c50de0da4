//! How a dashboard is set up: address, map tiles, thresholds, refresh and fetch limits.

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

/// The default tile server: OpenStreetMap's standard tiles.
pub const DEFAULT_TILE_URL: &str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
/// The attribution the default tile server requires (HTML, shown by the map).
pub const DEFAULT_TILE_ATTRIBUTION: &str =
    "&copy; <a href=\"https://www.openstreetmap.org/copyright\">OpenStreetMap</a> contributors";

/// Everything a dashboard is started with. `DashboardConfig::default()` listens on
/// `127.0.0.1:8090`, uses OpenStreetMap tiles, calls a device silent after an hour without a
/// report, refreshes the fleet every 15 seconds and remembers a failed fetch for 5 seconds.
#[derive(Debug, Clone)]
pub struct DashboardConfig {
    /// The address to listen on (loopback by default: the dashboard has no login).
    pub bind: IpAddr,
    /// The port; 0 picks a free one.
    pub port: u16,
    /// The tile URL template (`{z}`, `{x}`, `{y}`, optionally `{s}`); empty: no tiles, the
    /// markers and tracks draw on a plain background.
    pub tile_url: String,
    /// The attribution shown for the tiles (HTML, from the operator, never from the API).
    pub tile_attribution: String,
    /// When a device is moving, parked or silent: the fleet domain's one definition
    /// ([`plaspy_fleet::Thresholds`]), shared with the CLI and the reports.
    pub thresholds: plaspy_fleet::Thresholds,
    /// How often the fleet page refreshes itself. Half of it is how long a fleet snapshot,
    /// and a device's day, are shared by every open page before the API is asked again.
    pub refresh: Duration,
    /// How long a failed fetch from the API is remembered and served as such to every open
    /// page, rather than asked again at once (5 seconds by default; zero: not at all).
    pub failure_memory: Duration,
    /// At most this many last-position requests in flight at once (the SDK lowers it
    /// while the server answers 429).
    pub concurrency: usize,
}

impl Default for DashboardConfig {
    fn default() -> Self {
        DashboardConfig {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 8090,
            tile_url: DEFAULT_TILE_URL.to_owned(),
            tile_attribution: DEFAULT_TILE_ATTRIBUTION.to_owned(),
            thresholds: plaspy_fleet::Thresholds::default(),
            refresh: Duration::from_secs(15),
            failure_memory: Duration::from_secs(5),
            concurrency: 8,
        }
    }
}
