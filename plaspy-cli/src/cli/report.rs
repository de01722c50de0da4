//! `plaspy report trips|stops|summary`.

use clap::{Args, Subcommand};

use super::RangeArgs;

/// The reports.
#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Trips: departure to arrival, distance, duration, max and average speed
    #[command(after_help = TRIPS_AFTER_HELP)]
    Trips(ReportArgs),
    /// Stops: the stretches between trips, with their place and duration
    #[command(after_help = STOPS_AFTER_HELP)]
    Stops(ReportArgs),
    /// One line per device and day: distance, driving time, trips, max speed
    #[command(after_help = SUMMARY_AFTER_HELP)]
    Summary(ReportArgs),
}

const DEFINITIONS: &str = "\
A fix is moving when its speed is above --moving-speed (default 3 km/h). Runs of moving
fixes separated by less than --min-stop (default 5m) are one trip, from the last fix before
it moves (departure) to the first fix after it stops (arrival). Distance is the sum of
great-circle distances between the trip's fixes. Stops are the stretches between trips.
Days are UTC unless --tz names a zone (America/Bogota) or an offset (-05:00). Fixes are sorted, duplicates and
GPS jumps set aside. Ranges over 31 days are fetched in windows; see --max-range.
Output: table, json, ndjson, csv, geojson (trips as LineStrings, stops as Points).";

const TRIPS_AFTER_HELP: &str = concat!(
    "Examples:\n",
    "  plaspy report trips dev-1 --since 7d\n",
    "  plaspy report trips dev-1 dev-2 --from 2024-06-01 --to 2024-06-30 -o csv\n",
    "  plaspy report trips --group grp-1 --since 1d -o geojson > trips.geojson\n\n",
);
const STOPS_AFTER_HELP: &str = concat!(
    "Examples:\n",
    "  plaspy report stops dev-1 --since 2d --min-stop 10m\n",
    "  plaspy report stops dev-1 --since 1d -o geojson > stops.geojson\n\n",
);
const SUMMARY_AFTER_HELP: &str = concat!(
    "Examples:\n",
    "  plaspy report summary dev-1 --since 30d\n",
    "  plaspy report summary --group grp-1 --from 2024-10-01 --to 2024-10-31 --tz -05:00 -o csv\n\n",
);

/// Which devices, which range, which thresholds.
#[derive(Debug, Clone, Args)]
#[command(after_long_help = DEFINITIONS)]
pub struct ReportArgs {
    /// Device ids
    #[arg(value_name = "DEVICE")]
    pub ids: Vec<String>,
    /// Also every device of this group
    #[arg(long, value_name = "GROUP")]
    pub group: Option<String>,
    /// The time range
    #[command(flatten)]
    pub range: RangeArgs,
    /// A fix is moving above this speed (km/h)
    #[arg(long, value_name = "KMH", default_value_t = 3.0)]
    pub moving_speed: f64,
    /// Moving runs separated by less than this are one trip
    #[arg(long, value_name = "DURATION", default_value = "5m")]
    pub min_stop: String,
    /// Time zone of the days (summary): UTC, an IANA name such as America/Bogota, or an
    /// offset such as -05:00
    #[arg(
        long,
        value_name = "ZONE",
        default_value = "UTC",
        allow_hyphen_values = true
    )]
    pub tz: String,
}
