//! Why a zones file was refused.

use std::fmt;

/// A zones file that was refused: which file, which feature (index from 0, and name when it
/// has one), and what is wrong with it.
///
/// ```
/// use plaspy_fleet::Zones;
///
/// let err = Zones::from_geojson("depots.geojson", r#"{"type":"FeatureCollection","features":[
///   {"type":"Feature","properties":{"name":"north","radius":-5},
///    "geometry":{"type":"Point","coordinates":[-74.0,4.6]}}]}"#).unwrap_err();
/// assert_eq!(err.file(), "depots.geojson");
/// assert_eq!(err.feature(), Some(0));
/// assert_eq!(err.feature_name(), Some("north"));
/// assert_eq!(
///     err.to_string(),
///     r#"zones file "depots.geojson": feature 0 ("north"): "radius" must be a positive number of metres, not -5"#,
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZonesError {
    file: String,
    feature: Option<usize>,
    name: Option<String>,
    problem: String,
}

impl ZonesError {
    /// A problem with the file as a whole.
    pub(crate) fn whole_file(file: &str, problem: impl Into<String>) -> Self {
        ZonesError {
            file: file.to_owned(),
            feature: None,
            name: None,
            problem: problem.into(),
        }
    }

    /// A problem with one feature.
    pub(crate) fn in_feature(
        file: &str,
        index: usize,
        name: Option<&str>,
        problem: impl Into<String>,
    ) -> Self {
        ZonesError {
            file: file.to_owned(),
            feature: Some(index),
            name: name.map(str::to_owned),
            problem: problem.into(),
        }
    }

    /// The file's name, as the caller gave it.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The index (from 0) of the feature at fault, when the fault is in one feature.
    pub fn feature(&self) -> Option<usize> {
        self.feature
    }

    /// The name of the feature at fault, when it has one.
    pub fn feature_name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// What is wrong, without the file and feature.
    pub fn problem(&self) -> &str {
        &self.problem
    }
}

impl fmt::Display for ZonesError {
    /// `zones file "F": feature N ("NAME"): PROBLEM`. The file and the name are quoted with
    /// Rust's escaping, so a control character in them cannot reach a terminal raw.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "zones file {:?}: ", self.file)?;
        match (self.feature, &self.name) {
            (Some(i), Some(name)) => write!(f, "feature {i} ({name:?}): ")?,
            (Some(i), None) => write!(f, "feature {i}: ")?,
            (None, _) => {}
        }
        f.write_str(&self.problem)
    }
}

impl std::error::Error for ZonesError {}

/// A refused zones file is bad input: [`plaspy_types::Error::InvalidInput`] with the whole
/// message (the CLI exits 2 on it).
impl From<ZonesError> for plaspy_types::Error {
    fn from(err: ZonesError) -> Self {
        plaspy_types::Error::invalid_input(err.to_string())
    }
}
