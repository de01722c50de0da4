//! A local web dashboard for a [Plaspy](https://plaspy.com) GPS fleet, built on the SDK.
//!
//! [`Dashboard`] serves, from one binary and with no other service:
//!
//! - `/`: the fleet on a map (Leaflet, vendored and served by the binary) with a marker per
//!   device coloured by state (moving, parked, silent), a searchable, sortable table of every
//!   device, counts on top, and a refresh every few seconds without a page reload;
//! - `/devices/{id}`: a device's details, its track of a day on the map, the day's trips and
//!   stops, and GPX / GeoJSON downloads of the track;
//! - `/fleet.csv`: the table as CSV.
//!
//! The server calls the API with the async SDK (`plaspy-async`) and serves its own JSON
//! (`/api/fleet`, `/api/devices/{id}`): the API key and the token never reach the browser.
//! Every value from the API is written into the page as text, never as markup. Device states
//! are the fleet domain's ([`plaspy_fleet::Thresholds`]), as in `plaspy fleet` and `watch`.
//!
//! Open pages share what they show: the fleet, and each device's day, are fetched once per
//! half refresh interval however many pages are open, and a failed fetch is remembered for
//! [`DashboardConfig::failure_memory`]. Only same-origin pages may read the JSON, and only
//! requests naming the dashboard's host are answered (see the routes' guards).
//!
//! ```no_run
//! use plaspy_web::{Dashboard, DashboardConfig};
//!
//! let client = plaspy_async::Client::from_env()?;
//! let dashboard = Dashboard::bind(client, DashboardConfig::default())?;
//! println!("{}", dashboard.url());
//! dashboard.run_until_ctrl_c()?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod assets;
mod cache;
mod config;
mod day;
mod device_view;
mod export;
mod failure;
mod routes;
mod server;
mod source;
mod view;

pub use config::{DEFAULT_TILE_ATTRIBUTION, DEFAULT_TILE_URL, DashboardConfig};
pub use server::{Dashboard, DashboardHandle};
pub use view::{Counts, DeviceState, FleetRow, FleetView, Thresholds, fleet_row, fleet_view};
