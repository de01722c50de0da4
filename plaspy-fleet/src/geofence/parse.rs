//! Reading zones from a GeoJSON text: every rule of the [module docs](super), each refusal
//! naming the file and the feature.

use std::collections::HashMap;

use geo::{Coord, LineString, MultiPolygon, Polygon};
use geojson::{Feature, GeometryValue, Position};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::error::ZonesError;
use super::zones::{Zone, ZoneShape, valid_position};

/// The GeoJSON `type`s that are not a `FeatureCollection` (to say "not a FeatureCollection"
/// rather than "not GeoJSON").
const OTHER_GEOJSON_TYPES: [&str; 8] = [
    "Feature",
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
];

/// The zones of a GeoJSON text, in the file's order, each with a unique name.
pub(crate) fn parse_zones(file: &str, text: &str) -> Result<Vec<Zone>, ZonesError> {
    let value: Value = serde_json::from_str(text)
        .map_err(|e| ZonesError::whole_file(file, format!("not JSON: {e}")))?;
    let features = features_of(&value).map_err(|problem| ZonesError::whole_file(file, problem))?;
    let mut zones = Vec::with_capacity(features.len());
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (index, raw) in features.iter().enumerate() {
        let name = raw_name(raw);
        let zone = parse_feature(raw)
            .map_err(|problem| ZonesError::in_feature(file, index, name, problem))?;
        // A zone has a name, so `name` is the string it was read from.
        if let Some(first) = seen.insert(name.unwrap_or_default(), index) {
            let problem = format!("the name is already used by feature {first}");
            return Err(ZonesError::in_feature(file, index, name, problem));
        }
        zones.push(zone);
    }
    Ok(zones)
}

/// The `features` of a `FeatureCollection`, or why the text is not one.
fn features_of(value: &Value) -> Result<&Vec<Value>, String> {
    let Some(object) = value.as_object() else {
        return Err("not GeoJSON: expected a JSON object with a \"type\"".into());
    };
    match object.get("type").and_then(Value::as_str) {
        Some("FeatureCollection") => {}
        Some(other) if OTHER_GEOJSON_TYPES.contains(&other) => {
            return Err(format!(
                "not a FeatureCollection: the file is a GeoJSON {other}; zones are the features of a FeatureCollection"
            ));
        }
        Some(other) => return Err(format!("not GeoJSON: unknown \"type\" {other:?}")),
        None => return Err("not GeoJSON: no \"type\" member".into()),
    }
    match object.get("features") {
        Some(Value::Array(features)) if features.is_empty() => Err(
            "the FeatureCollection has no features: a zones file needs at least one zone".into(),
        ),
        Some(Value::Array(features)) => Ok(features),
        _ => Err("the FeatureCollection has no \"features\" array".into()),
    }
}

/// The feature's `properties.name`, when it is a string (to name the feature in errors
/// before anything else is checked).
fn raw_name(feature: &Value) -> Option<&str> {
    feature.get("properties")?.get("name")?.as_str()
}

/// One zone from one feature.
fn parse_feature(raw: &Value) -> Result<Zone, String> {
    let feature = Feature::deserialize(raw).map_err(|e| format!("not a GeoJSON Feature: {e}"))?;
    let properties = feature.properties.unwrap_or_default();
    let name = zone_name(&properties)?;
    let Some(geometry) = feature.geometry else {
        return Err(
            "no geometry: a zone is a Polygon, a MultiPolygon or a Point with a radius".into(),
        );
    };
    let shape = match &geometry.value {
        GeometryValue::Point { coordinates } => {
            let (latitude, longitude) = lat_lon(coordinates, "the point")?;
            ZoneShape::Circle {
                latitude,
                longitude,
                radius_m: radius(&properties)?,
            }
        }
        GeometryValue::Polygon { coordinates } => {
            ZoneShape::Area(MultiPolygon(vec![polygon(coordinates, "")?]))
        }
        GeometryValue::MultiPolygon { coordinates } => {
            if coordinates.is_empty() {
                return Err("the MultiPolygon has no polygons".into());
            }
            let polygons = coordinates
                .iter()
                .enumerate()
                .map(|(k, rings)| polygon(rings, &format!(" of polygon {k}")))
                .collect::<Result<_, _>>()?;
            ZoneShape::Area(MultiPolygon(polygons))
        }
        other => {
            return Err(format!(
                "a {} cannot be a zone: use a Polygon, a MultiPolygon, or a Point with a radius",
                other.type_name()
            ));
        }
    };
    // The geometry as the file gave it, for drawing.
    let geometry_json = raw.get("geometry").cloned().unwrap_or(Value::Null);
    Ok(Zone::new(name, shape, properties, geometry_json))
}

/// `properties.name`: a non-empty string.
fn zone_name(properties: &Map<String, Value>) -> Result<String, String> {
    match properties.get("name") {
        None | Some(Value::Null) => {
            Err("no \"name\" property: every zone needs a unique name".into())
        }
        Some(Value::String(name)) if name.trim().is_empty() => {
            Err("the \"name\" property is empty".into())
        }
        Some(Value::String(name)) => Ok(name.clone()),
        Some(_) => Err("the \"name\" property must be a string".into()),
    }
}

/// `properties.radius` of a circle: a positive, finite number of metres.
fn radius(properties: &Map<String, Value>) -> Result<f64, String> {
    match properties.get("radius") {
        None | Some(Value::Null) => {
            Err("a Point zone needs a \"radius\" property, in metres".into())
        }
        Some(Value::Number(n)) => match n.as_f64() {
            Some(r) if r.is_finite() && r > 0.0 => Ok(r),
            _ => Err(format!(
                "\"radius\" must be a positive number of metres, not {n}"
            )),
        },
        Some(other) => Err(format!(
            "\"radius\" must be a positive number of metres, not {other}"
        )),
    }
}

/// A polygon from its rings (outer ring first, then holes). `of` says which polygon of a
/// MultiPolygon, for messages.
fn polygon(rings: &[Vec<Position>], of: &str) -> Result<Polygon<f64>, String> {
    let Some((outer, holes)) = rings.split_first() else {
        return Err(format!("the polygon{of} has no rings"));
    };
    let exterior = ring(outer, &format!("the outer ring{of}"))?;
    let interiors = holes
        .iter()
        .enumerate()
        .map(|(h, r)| ring(r, &format!("hole {h}{of}")))
        .collect::<Result<_, _>>()?;
    Ok(Polygon::new(exterior, interiors))
}

/// A closed ring of at least 4 positions (the last repeating the first).
fn ring(positions: &[Position], what: &str) -> Result<LineString<f64>, String> {
    if positions.len() < 4 {
        return Err(format!(
            "{what} has {} positions; a ring needs at least 4, the last repeating the first",
            positions.len()
        ));
    }
    let coords = positions
        .iter()
        .enumerate()
        .map(|(j, p)| {
            let (y, x) = lat_lon(p, &format!("position {j} of {what}"))?;
            Ok(Coord { x, y })
        })
        .collect::<Result<Vec<_>, String>>()?;
    if coords.first() != coords.last() {
        return Err(format!(
            "{what} is not closed: its last position must repeat its first"
        ));
    }
    Ok(LineString(coords))
}

/// (latitude, longitude) of a GeoJSON position `[longitude, latitude, ...]`, in range.
fn lat_lon(position: &Position, what: &str) -> Result<(f64, f64), String> {
    let &[longitude, latitude, ..] = position.as_slice() else {
        return Err(format!(
            "{what} has {} numbers; a position is [longitude, latitude]",
            position.len()
        ));
    };
    if !valid_position(latitude, longitude) {
        return Err(format!(
            "{what} [{longitude}, {latitude}] is out of range: longitude within ±180, latitude within ±90"
        ));
    }
    Ok((latitude, longitude))
}

#[cfg(test)]
mod tests;
