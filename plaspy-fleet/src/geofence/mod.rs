//! Geofences: zones read from GeoJSON, the visits a device's fixes make to them, and the
//! zones a device is in now. Free of I/O: the caller reads the zones file and passes its
//! text with its name (for messages).
//!
//! # Zones
//!
//! A zones file is a GeoJSON `FeatureCollection`. Each feature is one zone, named by its
//! `properties.name` (a non-empty string, unique in the file):
//!
//! - a `Polygon` or `MultiPolygon`: a point is inside when it is inside one of the polygons
//!   and not inside one of its holes. **The boundary counts as inside**, the boundary of a
//!   hole included: a fix exactly on an edge is in the zone. Edges are straight lines in
//!   longitude / latitude (as GeoJSON and most GIS draw them). Rings must have at least 4
//!   positions, the last repeating the first. Validity beyond that (self-intersections, holes
//!   outside their polygon) is not checked. A polygon crossing the ±180° meridian must be
//!   split in two, as RFC 7946 asks.
//! - a `Point` with `properties.radius` in metres (a positive number): a circle. A point is
//!   inside when its great-circle (haversine, mean Earth radius 6,371,008.8 m) distance to the
//!   centre is at most the radius.
//!
//! Other properties are kept ([`Zone::properties`]). Anything else — not JSON, not GeoJSON,
//! not a `FeatureCollection`, no features, another geometry type, a missing, empty or
//! duplicate name, a missing, non-positive or non-finite radius, a short or unclosed ring,
//! a coordinate out of range — is refused with a [`ZonesError`] naming the file and the
//! feature (its index from 0, and its name when it has one).
//!
//! # Visits
//!
//! [`visits`] takes one device's fixes in time order. A visit to a zone starts at the first
//! fix inside it after a fix outside it (`enter`) and ends at the first fix outside it after
//! that (`exit`); `durationSeconds` is exit minus enter. When the first fix is already
//! inside, the visit starts there and is flagged `startsInside`; when the last fix is still
//! inside, `exit` and `durationSeconds` are `null`. A device can be in several zones at
//! once; each zone has its own visits.
//!
//! A fix earlier than the fix before it is out of order and skipped; a fix without a valid
//! position (not finite, out of range) tells nothing about zones and is skipped too. The
//! events engine ([`crate::EventEngine`]) applies the same rules with the same code, so its
//! `geofenceEnter` and `geofenceExit` events over a span are exactly the enters and exits of
//! the visits over the same fixes.
//!
//! **Crossings** ([`VisitOptions::crossing`]): two consecutive fixes both outside a zone, the
//! path between which cuts the zone, make a pass-through visit flagged `crossing`. Its
//! `enter` is the time of the fix before and its `exit` the time of the fix after: the
//! device was in the zone at some time between those two instants, and no time is invented
//! by interpolation. The path between two fixes is the great-circle arc for a circle, and a
//! straight line in longitude / latitude for a polygon (like its edges), split at the ±180°
//! meridian when it crosses it. Crossings are a report feature: the events engine only sees
//! fixes.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use plaspy_fleet::{Fix, VisitOptions, Zones, visits};
//!
//! let zones = Zones::from_geojson("zones.geojson", r#"{
//!   "type": "FeatureCollection",
//!   "features": [{
//!     "type": "Feature",
//!     "properties": { "name": "depot", "radius": 200 },
//!     "geometry": { "type": "Point", "coordinates": [-74.0, 4.6] }
//!   }]
//! }"#)?;
//! let t0 = Utc.with_ymd_and_hms(2024, 6, 1, 8, 0, 0).unwrap();
//! let at = |min: i64, lat: f64| Fix::new(t0 + chrono::Duration::minutes(min), lat, -74.0, None);
//! let fixes = [at(0, 4.59), at(10, 4.6), at(20, 4.6), at(30, 4.59)];
//! let found = visits("dev-01", fixes, &zones, &VisitOptions::default());
//! assert_eq!(found.len(), 1);
//! assert_eq!(found[0].geofence, "depot");
//! assert_eq!(found[0].enter, at(10, 0.0).time);
//! assert_eq!(found[0].duration_seconds, Some(20 * 60));
//! # Ok::<(), plaspy_fleet::ZonesError>(())
//! ```

mod bounds;
mod error;
mod parse;
pub(crate) mod track;
mod visits;
mod zones;

pub use error::ZonesError;
pub use visits::{Visit, VisitOptions, current_zones, visits};
pub use zones::{Zone, ZoneShape, Zones};
