//! [`TextMap`]: a small map of texts held in one allocation.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Index;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

/// A small map of texts, name to value, sorted by name: the `attributes` of a
/// [`Location`](super::Location).
///
/// Trackers report a handful of attributes with every fix, and a day's history holds
/// hundreds of thousands of fixes: a `BTreeMap` would allocate a 540-byte node for each of
/// them, where this holds its entries in one exact-size allocation. Lookups are a binary
/// search.
///
/// ```
/// use plaspy_types::TextMap;
///
/// let mut attributes: TextMap = [("ignition", "on"), ("hdop", "0.9")].into_iter().collect();
/// assert_eq!(attributes.get("ignition"), Some("on"));
/// assert_eq!(attributes["hdop"], "0.9");
/// attributes.insert("sat", "11");
/// let names: Vec<&str> = attributes.keys().collect();
/// assert_eq!(names, ["hdop", "ignition", "sat"]);
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TextMap {
    /// Sorted by name, names unique.
    entries: Vec<(String, String)>,
}

impl TextMap {
    /// An empty map.
    pub fn new() -> Self {
        TextMap::default()
    }

    /// How many entries there are.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn find(&self, name: &str) -> Result<usize, usize> {
        self.entries.binary_search_by(|(k, _)| k.as_str().cmp(name))
    }

    /// The value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.find(name).ok().map(|i| self.entries[i].1.as_str())
    }

    /// Whether `name` is in the map.
    pub fn contains_key(&self, name: &str) -> bool {
        self.find(name).is_ok()
    }

    /// Sets `name` to `value`, returning the value it replaces.
    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<String>) -> Option<String> {
        let (name, value) = (name.into(), value.into());
        match self.find(&name) {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            Err(i) => {
                self.entries.insert(i, (name, value));
                None
            }
        }
    }

    /// Removes `name`, returning its value.
    pub fn remove(&mut self, name: &str) -> Option<String> {
        self.find(name).ok().map(|i| self.entries.remove(i).1)
    }

    /// The entries, sorted by name.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &str)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The names, sorted.
    pub fn keys(&self) -> impl ExactSizeIterator<Item = &str> {
        self.entries.iter().map(|(k, _)| k.as_str())
    }

    /// The values, in the order of their names.
    pub fn values(&self) -> impl ExactSizeIterator<Item = &str> {
        self.entries.iter().map(|(_, v)| v.as_str())
    }

    /// Builds the map from entries in any order; of a name given twice the last value wins.
    fn from_entries(mut entries: Vec<(String, String)>) -> Self {
        // A stable sort keeps a repeated name's values in their order; the last is kept.
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out: Vec<(String, String)> = Vec::with_capacity(entries.len());
        for (k, v) in entries {
            match out.last_mut() {
                Some(last) if last.0 == k => last.1 = v,
                _ => out.push((k, v)),
            }
        }
        out.shrink_to_fit();
        TextMap { entries: out }
    }
}

impl fmt::Debug for TextMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl Index<&str> for TextMap {
    type Output = String;
    /// The value of `name`; panics when there is none, like `BTreeMap`'s index.
    fn index(&self, name: &str) -> &String {
        match self.find(name) {
            Ok(i) => &self.entries[i].1,
            Err(_) => panic!("no entry named {name:?} in the map"),
        }
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for TextMap {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        TextMap::from_entries(
            iter.into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }
}

impl From<BTreeMap<String, String>> for TextMap {
    fn from(map: BTreeMap<String, String>) -> Self {
        TextMap {
            entries: map.into_iter().collect(),
        }
    }
}

impl From<TextMap> for BTreeMap<String, String> {
    fn from(map: TextMap) -> Self {
        map.entries.into_iter().collect()
    }
}

impl IntoIterator for TextMap {
    type Item = (String, String);
    type IntoIter = std::vec::IntoIter<(String, String)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<'a> IntoIterator for &'a TextMap {
    type Item = (&'a str, &'a str);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, String)>,
        fn(&'a (String, String)) -> (&'a str, &'a str),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

impl Serialize for TextMap {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.len()))?;
        for (k, v) in self {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// Tolerant of what servers send: a number or bool value is kept as its text, `null` as `""`.
impl<'de> Deserialize<'de> for TextMap {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct MapVisitor;
        impl<'de> Visitor<'de> for MapVisitor {
            type Value = TextMap;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of strings")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TextMap, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
                crate::envelope::charge(std::mem::size_of::<TextMap>())?;
                while let Some(k) = map.next_key::<String>()? {
                    crate::envelope::charge(std::mem::size_of::<String>() + k.len())?;
                    let v = map.next_value::<crate::de::TextItem>()?;
                    entries.push((k, v.0));
                }
                Ok(TextMap::from_entries(entries))
            }
        }
        d.deserialize_map(MapVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_tolerantly_sorted_and_last_value_wins() {
        let map: TextMap =
            serde_json::from_str(r#"{"sat": 9, "ignition": true, "note": null, "sat": "11"}"#)
                .unwrap();
        assert_eq!(map.keys().collect::<Vec<_>>(), ["ignition", "note", "sat"]);
        assert_eq!(map.get("sat"), Some("11"));
        assert_eq!(map["ignition"], "true");
        assert_eq!(map.get("note"), Some(""));
        assert_eq!(map.get("absent"), None);
        assert_eq!(
            serde_json::to_string(&map).unwrap(),
            r#"{"ignition":"true","note":"","sat":"11"}"#
        );
        assert_eq!(
            format!("{map:?}"),
            r#"{"ignition": "true", "note": "", "sat": "11"}"#
        );
        assert!(serde_json::from_str::<TextMap>(r#"{"a": [1]}"#).is_err());
    }

    #[test]
    fn edits_keep_the_order() {
        let mut map = TextMap::new();
        assert_eq!(map.insert("b", "2"), None);
        assert_eq!(map.insert("a", "1"), None);
        assert_eq!(map.insert("b", "3"), Some("2".into()));
        assert_eq!(map.iter().collect::<Vec<_>>(), [("a", "1"), ("b", "3")]);
        assert_eq!(map.remove("a"), Some("1".into()));
        assert_eq!(map.remove("a"), None);
        assert_eq!(map.len(), 1);
        let tree: BTreeMap<String, String> = map.clone().into();
        assert_eq!(TextMap::from(tree), map);
    }
}
