//! Fetching history over any range, as pure decisions: how to cut a range into windows the
//! API accepts ([`HistoryLimits`], [`plan`]), when to cut a window again ([`HistoryLimits::judge`])
//! and how to merge the windows' replies without boundary duplicates ([`BoundaryMerge`]).
//!
//! The API takes at most 31 days per query and caps a reply's size; both bounds of a query
//! are inclusive. Neither limit is published, so both are configurable here.
//!
//! ```
//! use chrono::{Duration, TimeZone, Utc};
//! use plaspy_types::history::{HistoryLimits, plan};
//!
//! let from = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
//! let limits = HistoryLimits::default();
//! assert_eq!(limits.request_count(from, from + Duration::days(75)).unwrap(), 3);
//! let windows: Vec<_> = plan(from, from + Duration::days(75), &limits).unwrap().collect();
//! assert_eq!(windows[0].to, windows[1].from, "windows share their boundary instant");
//! // A typo in a year is refused before any request is made.
//! assert!(limits.request_count(from, from + Duration::days(3650)).is_err());
//! ```

mod cap;
mod merge;
mod plan;
mod query;

pub use cap::{ReplyCap, Verdict, clip, found_more, unreached};
pub use merge::{BoundaryMerge, Timed};
pub use plan::{HistoryLimits, Outcome, Window, Windows, is_range_refusal, plan};
pub use query::HistoryQuery;
