//! Zones and the set of them: what is inside a zone, and an R*-tree to find the zones at a
//! position (or on a path) among many.

use std::collections::HashMap;

use geo::{
    Closest, Coord, Distance, Haversine, HaversineClosestPoint, Intersects, Line, MultiPolygon,
    Point,
};
use rstar::RTree;
use rstar::primitives::{GeomWithData, Rectangle};
use serde_json::{Map, Value};

use super::bounds::{EARTH_RADIUS_M, Envelope, cap_envelope, path_envelope};
use super::error::ZonesError;
use super::parse::parse_zones;

/// The shape of a zone.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ZoneShape {
    /// Every point within `radius_m` metres (great-circle distance) of the centre.
    Circle {
        /// Latitude of the centre (decimal degrees).
        latitude: f64,
        /// Longitude of the centre (decimal degrees).
        longitude: f64,
        /// Radius in metres (positive, finite).
        radius_m: f64,
    },
    /// One or more polygons with their holes, in longitude (x) / latitude (y) degrees. A
    /// `Polygon` of the file is a `MultiPolygon` of one.
    Area(MultiPolygon<f64>),
}

/// One zone: a name, a shape, and the feature's properties.
///
/// ```
/// use plaspy_fleet::{ZoneShape, Zones};
///
/// let zones = Zones::from_geojson("z.geojson", r#"{"type":"FeatureCollection","features":[
///   {"type":"Feature","properties":{"name":"yard","owner":"ops"},"geometry":{"type":"Polygon",
///    "coordinates":[[[-74.0,4.6],[-73.9,4.6],[-73.9,4.7],[-74.0,4.7],[-74.0,4.6]]]}}]}"#)?;
/// let yard = zones.get("yard").unwrap();
/// assert!(yard.contains(4.65, -73.95));
/// assert!(yard.contains(4.6, -73.95)); // on the boundary: inside
/// assert!(!yard.contains(4.75, -73.95));
/// assert!(matches!(yard.shape(), ZoneShape::Area(_)));
/// assert_eq!(yard.properties()["owner"], "ops");
/// # Ok::<(), plaspy_fleet::ZonesError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Zone {
    name: String,
    shape: ZoneShape,
    properties: Map<String, Value>,
    geometry: Value,
}

impl Zone {
    /// A zone (the parser has checked the shape and the name).
    pub(crate) fn new(
        name: String,
        shape: ZoneShape,
        properties: Map<String, Value>,
        geometry: Value,
    ) -> Self {
        Zone {
            name,
            shape,
            properties,
            geometry,
        }
    }

    /// The zone's name (`properties.name`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The zone's shape.
    pub fn shape(&self) -> &ZoneShape {
        &self.shape
    }

    /// The feature's properties as the file gave them (`name` and `radius` included).
    pub fn properties(&self) -> &Map<String, Value> {
        &self.properties
    }

    /// The zone as a GeoJSON `Feature` (its geometry and properties as the file gave them),
    /// for drawing it on a map.
    ///
    /// ```
    /// # let zones = plaspy_fleet::Zones::from_geojson("z", r#"{"type":"FeatureCollection",
    /// #   "features":[{"type":"Feature","properties":{"name":"a","radius":10},
    /// #   "geometry":{"type":"Point","coordinates":[1,2]}}]}"#)?;
    /// let feature = zones.get("a").unwrap().to_feature();
    /// assert_eq!(feature["geometry"]["coordinates"], serde_json::json!([1, 2]));
    /// assert_eq!(feature["properties"]["radius"], 10);
    /// # Ok::<(), plaspy_fleet::ZonesError>(())
    /// ```
    pub fn to_feature(&self) -> Value {
        serde_json::json!({
            "type": "Feature",
            "properties": self.properties,
            "geometry": self.geometry,
        })
    }

    /// Whether a position is in the zone (see the [module docs](crate::geofence): inside a
    /// circle is within its radius, great-circle; a polygon's boundary is inside). A
    /// position that is not a real coordinate is in no zone.
    pub fn contains(&self, latitude: f64, longitude: f64) -> bool {
        if !valid_position(latitude, longitude) {
            return false;
        }
        match &self.shape {
            ZoneShape::Circle {
                latitude: lat,
                longitude: lon,
                radius_m,
            } => {
                let d = Haversine.distance(Point::new(*lon, *lat), Point::new(longitude, latitude));
                d <= *radius_m
            }
            ZoneShape::Area(polygons) => polygons.intersects(&Coord {
                x: longitude,
                y: latitude,
            }),
        }
    }

    /// Whether the path from one (latitude, longitude) position to another meets the zone:
    /// the great-circle arc for a circle, the straight line in longitude / latitude for a
    /// polygon (split at the ±180° meridian).
    pub(crate) fn meets_path(&self, from: (f64, f64), to: (f64, f64)) -> bool {
        match &self.shape {
            ZoneShape::Circle {
                latitude,
                longitude,
                radius_m,
            } => {
                let centre = Point::new(*longitude, *latitude);
                let arc = Line::new(Point::new(from.1, from.0), Point::new(to.1, to.0));
                match arc.haversine_closest_point(&centre) {
                    Closest::Intersection(_) => true,
                    Closest::SinglePoint(p) => Haversine.distance(p, centre) <= *radius_m,
                    Closest::Indeterminate => false,
                }
            }
            ZoneShape::Area(polygons) => {
                straight_path(from, to).any(|line| polygons.intersects(&line))
            }
        }
    }

    /// The box the R*-tree files the zone under.
    fn envelope(&self) -> Envelope {
        match &self.shape {
            ZoneShape::Circle {
                latitude,
                longitude,
                radius_m,
            } => cap_envelope(*latitude, *longitude, radius_m / EARTH_RADIUS_M),
            ZoneShape::Area(polygons) => {
                use geo::BoundingRect;
                // The parser refuses an area without a ring, so there is a box.
                let rect = polygons
                    .bounding_rect()
                    .unwrap_or(geo::Rect::new(Coord::zero(), Coord::zero()));
                Envelope::from_corners([rect.min().x, rect.min().y], [rect.max().x, rect.max().y])
            }
        }
    }
}

/// The straight line in longitude / latitude between two (latitude, longitude) positions,
/// as one segment, or two when it goes the short way across the ±180° meridian.
fn straight_path(from: (f64, f64), to: (f64, f64)) -> impl Iterator<Item = Line<f64>> {
    let a = Coord {
        x: from.1,
        y: from.0,
    };
    let b = Coord { x: to.1, y: to.0 };
    let (first, second) = if (b.x - a.x).abs() <= 180.0 {
        (Line::new(a, b), None)
    } else {
        // Unwrap b's longitude next to a's, and cut where the line meets ±180°.
        let edge = if a.x > 0.0 { 180.0 } else { -180.0 };
        let bx = b.x + 2.0 * edge;
        let t = (edge - a.x) / (bx - a.x);
        let y = a.y + t * (b.y - a.y);
        (
            Line::new(a, Coord { x: edge, y }),
            Some(Line::new(Coord { x: -edge, y }, b)),
        )
    };
    std::iter::once(first).chain(second)
}

/// Whether a position is a real coordinate: finite, latitude within ±90, longitude within
/// ±180.
pub(crate) fn valid_position(latitude: f64, longitude: f64) -> bool {
    latitude.is_finite()
        && longitude.is_finite()
        && latitude.abs() <= 90.0
        && longitude.abs() <= 180.0
}

/// A zone's box in the R*-tree, with the zone's index.
type Entry = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// The zones of a file, in the file's order, with an R*-tree over their boxes so that
/// finding the zones at a position stays fast with thousands of zones.
///
/// ```
/// use plaspy_fleet::Zones;
///
/// let zones = Zones::from_geojson("zones.geojson", r#"{"type":"FeatureCollection","features":[
///   {"type":"Feature","properties":{"name":"depot","radius":300},
///    "geometry":{"type":"Point","coordinates":[-74.05,4.65]}},
///   {"type":"Feature","properties":{"name":"city"},"geometry":{"type":"Polygon",
///    "coordinates":[[[-74.2,4.5],[-73.9,4.5],[-73.9,4.8],[-74.2,4.8],[-74.2,4.5]]]}}]}"#)?;
/// assert_eq!(zones.len(), 2);
/// let here: Vec<&str> = zones.containing(4.651, -74.05).iter().map(|z| z.name()).collect();
/// assert_eq!(here, ["depot", "city"]);
/// assert!(zones.containing(0.0, 0.0).is_empty());
/// # Ok::<(), plaspy_fleet::ZonesError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Zones {
    zones: Vec<Zone>,
    by_name: HashMap<String, usize>,
    index: RTree<Entry>,
}

impl Zones {
    /// The zones of a GeoJSON text. `file` names it in errors (a path, `-`, a URL...); it is
    /// not opened.
    pub fn from_geojson(file: &str, text: &str) -> Result<Zones, ZonesError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        Ok(Zones::new(parse_zones(file, text)?))
    }

    /// The zones of a GeoJSON file's bytes (UTF-8). `file` names it in errors.
    ///
    /// ```
    /// let err = plaspy_fleet::Zones::from_geojson_bytes("z.geojson", b"\xff\xfe").unwrap_err();
    /// assert!(err.to_string().contains("not UTF-8"), "{err}");
    /// ```
    pub fn from_geojson_bytes(file: &str, bytes: &[u8]) -> Result<Zones, ZonesError> {
        let text = std::str::from_utf8(bytes)
            .map_err(|e| ZonesError::whole_file(file, format!("not JSON: not UTF-8 text ({e})")))?;
        Zones::from_geojson(file, text)
    }

    /// Zones with unique names (the parser has checked them).
    fn new(zones: Vec<Zone>) -> Zones {
        let by_name = zones
            .iter()
            .enumerate()
            .map(|(i, z)| (z.name.clone(), i))
            .collect();
        let entries = zones
            .iter()
            .enumerate()
            .map(|(i, z)| GeomWithData::new(Rectangle::from_aabb(z.envelope()), i))
            .collect();
        Zones {
            zones,
            by_name,
            index: RTree::bulk_load(entries),
        }
    }

    /// How many zones there are.
    pub fn len(&self) -> usize {
        self.zones.len()
    }

    /// Whether there is no zone (a file is never empty; this is for completeness).
    pub fn is_empty(&self) -> bool {
        self.zones.is_empty()
    }

    /// The zones, in the file's order.
    pub fn iter(&self) -> std::slice::Iter<'_, Zone> {
        self.zones.iter()
    }

    /// The zone of this name.
    pub fn get(&self, name: &str) -> Option<&Zone> {
        self.index_of(name).map(|i| &self.zones[i])
    }

    /// The zones a position is in, in the file's order (none for a position that is not a
    /// real coordinate).
    pub fn containing(&self, latitude: f64, longitude: f64) -> Vec<&Zone> {
        let mut found = Vec::new();
        self.indices_at(latitude, longitude, &mut found);
        found.into_iter().map(|i| &self.zones[i]).collect()
    }

    /// The zone of index `i` (file order).
    pub(crate) fn at(&self, i: usize) -> &Zone {
        &self.zones[i]
    }

    /// The index of the zone of this name.
    pub(crate) fn index_of(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }

    /// Into `out` (cleared first), the indices of the zones a position is in, ascending.
    pub(crate) fn indices_at(&self, latitude: f64, longitude: f64, out: &mut Vec<usize>) {
        out.clear();
        if !valid_position(latitude, longitude) {
            return;
        }
        out.extend(
            self.index
                .locate_all_at_point(&[longitude, latitude])
                .map(|entry| entry.data)
                .filter(|&i| self.zones[i].contains(latitude, longitude)),
        );
        out.sort_unstable();
    }

    /// Into `out` (cleared first), the indices of the zones the path between two valid
    /// (latitude, longitude) positions meets, ascending.
    pub(crate) fn indices_on_path(&self, from: (f64, f64), to: (f64, f64), out: &mut Vec<usize>) {
        out.clear();
        out.extend(
            self.index
                .locate_in_envelope_intersecting(&path_envelope(from, to))
                .map(|entry| entry.data)
                .filter(|&i| self.zones[i].meets_path(from, to)),
        );
        out.sort_unstable();
    }
}

impl<'a> IntoIterator for &'a Zones {
    type Item = &'a Zone;
    type IntoIter = std::slice::Iter<'a, Zone>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zones(features: &str) -> Zones {
        let text = format!(r#"{{"type":"FeatureCollection","features":[{features}]}}"#);
        Zones::from_geojson("test.geojson", &text).unwrap()
    }

    fn circle(name: &str, lat: f64, lon: f64, radius: f64) -> String {
        format!(
            r#"{{"type":"Feature","properties":{{"name":"{name}","radius":{radius}}},
                "geometry":{{"type":"Point","coordinates":[{lon},{lat}]}}}}"#
        )
    }

    /// A square with a square hole: outer [0,4]², hole [1,2]², in lon/lat.
    const SQUARE_WITH_HOLE: &str = r#"{"type":"Feature","properties":{"name":"ring"},
        "geometry":{"type":"Polygon","coordinates":[
          [[0,0],[4,0],[4,4],[0,4],[0,0]],
          [[1,1],[2,1],[2,2],[1,2],[1,1]]]}}"#;

    #[test]
    fn inside_a_circle_is_within_the_radius_great_circle() {
        let z = zones(&circle("c", 4.6, -74.0, 1000.0));
        let c = z.get("c").unwrap();
        // 0.00899° of latitude is 999.7 m; 0.00900° is 1000.8 m.
        assert!(c.contains(4.6 + 0.00899, -74.0));
        assert!(!c.contains(4.6 + 0.00900, -74.0));
        assert!(c.contains(4.6, -74.0));
        // East-west at 60°N, a degree of longitude is half as long.
        let z = zones(&circle("n", 60.0, 10.0, 1000.0));
        let n = z.get("n").unwrap();
        assert!(n.contains(60.0, 10.0 + 0.0179));
        assert!(!n.contains(60.0, 10.0 + 0.0181));
        assert_eq!(
            z.containing(60.0, 10.0179).len(),
            1,
            "the R*-tree box is wide enough"
        );
    }

    #[test]
    fn a_polygon_respects_holes_and_its_boundary_is_inside() {
        let z = zones(SQUARE_WITH_HOLE);
        let ring = z.get("ring").unwrap();
        assert!(ring.contains(0.5, 0.5));
        assert!(!ring.contains(1.5, 1.5), "in the hole");
        assert!(ring.contains(0.0, 2.0), "on the outer boundary");
        assert!(ring.contains(4.0, 4.0), "on a corner");
        assert!(ring.contains(1.0, 1.5), "on the hole's boundary");
        assert!(!ring.contains(5.0, 2.0));
        assert!(!ring.contains(f64::NAN, 2.0));
        assert!(!ring.contains(2.0, 200.0));
    }

    #[test]
    fn a_multipolygon_is_inside_any_of_its_parts() {
        let z = zones(
            r#"{"type":"Feature","properties":{"name":"two"},"geometry":{"type":"MultiPolygon",
            "coordinates":[[[[0,0],[1,0],[1,1],[0,1],[0,0]]],[[[10,10],[11,10],[11,11],[10,11],[10,10]]]]}}"#,
        );
        assert_eq!(z.containing(0.5, 0.5).len(), 1);
        assert_eq!(z.containing(10.5, 10.5).len(), 1);
        assert!(z.containing(5.0, 5.0).is_empty());
    }

    #[test]
    fn overlapping_zones_come_in_file_order() {
        let z = zones(&format!(
            "{},{},{}",
            circle("b", 0.0, 0.0, 5000.0),
            circle("a", 0.0, 0.0, 500.0),
            circle("far", 10.0, 10.0, 500.0)
        ));
        let names: Vec<_> = z.containing(0.0, 0.0).iter().map(|z| z.name()).collect();
        assert_eq!(names, ["b", "a"]);
        let names: Vec<_> = z.iter().map(Zone::name).collect();
        assert_eq!(names, ["b", "a", "far"]);
        assert!(z.get("nope").is_none());
    }

    #[test]
    fn paths_meet_circles_on_the_great_circle() {
        let z = zones(&circle("c", 0.0, 0.0, 1000.0));
        let c = z.get("c").unwrap();
        // A path passing 900 m north of the centre meets it; 1,100 m north does not.
        let dlat = |m: f64| (m / EARTH_RADIUS_M).to_degrees();
        assert!(c.meets_path((dlat(900.0), -0.1), (dlat(900.0), 0.1)));
        assert!(!c.meets_path((dlat(1100.0), -0.1), (dlat(1100.0), 0.1)));
        // A path that stops short of it does not.
        assert!(!c.meets_path((0.0, -0.1), (0.0, -0.05)));
        let mut out = vec![];
        z.indices_on_path((dlat(900.0), -0.1), (dlat(900.0), 0.1), &mut out);
        assert_eq!(out, [0]);
    }

    #[test]
    fn paths_meet_polygons_as_straight_lines() {
        let z = zones(SQUARE_WITH_HOLE);
        let ring = z.get("ring").unwrap();
        assert!(ring.meets_path((2.0, -1.0), (2.0, 5.0)));
        assert!(!ring.meets_path((5.0, -1.0), (5.0, 5.0)));
        // Within the hole from side to side: never in the zone.
        assert!(!ring.meets_path((1.5, 1.2), (1.5, 1.8)));
    }

    #[test]
    fn a_path_across_the_antimeridian_goes_the_short_way() {
        let z = zones(
            r#"{"type":"Feature","properties":{"name":"mid"},"geometry":{"type":"Polygon",
            "coordinates":[[[-1,-1],[1,-1],[1,1],[-1,1],[-1,-1]]]}},
            {"type":"Feature","properties":{"name":"fiji"},"geometry":{"type":"Polygon",
            "coordinates":[[[179,-1],[180,-1],[180,1],[179,1],[179,-1]]]}}"#,
        );
        let mut out = vec![];
        z.indices_on_path((0.0, 179.5), (0.0, -179.5), &mut out);
        assert_eq!(
            out,
            [1],
            "meets fiji, not the zone at 0° on the long way round"
        );
        let lines: Vec<_> = straight_path((0.0, 179.5), (0.5, -179.5)).collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].end.x, 180.0);
        assert!((lines[0].end.y - 0.25).abs() < 1e-12);
        assert_eq!(lines[1].start.x, -180.0);
    }
}
