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
//! The server calls the API with the SDK and serves its own JSON (`/api/fleet`,
//! `/api/devices/{id}`): the API key and the token never reach the browser. Every value from
//! the API is written into the page as text, never as markup.
//!
//! ```no_run
//! use plaspy_web::{Dashboard, DashboardConfig};
//!
//! let client = plaspy_blocking::Client::from_env()?;
//! let dashboard = Dashboard::bind(client, DashboardConfig::default())?;
//! println!("{}", dashboard.url());
//! dashboard.run_until_ctrl_c()?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod assets;
mod config;
mod export;
mod routes;
mod server;
mod source;
mod view;

pub use config::{DEFAULT_TILE_ATTRIBUTION, DEFAULT_TILE_URL, DashboardConfig};
pub use server::{Dashboard, DashboardHandle};
pub use view::{Counts, DeviceState, FleetRow, FleetView, Thresholds, fleet_view};
