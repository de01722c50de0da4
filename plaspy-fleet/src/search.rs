//! Finding vehicles by what operators type: part of a name, a description or a plate,
//! in any letter case and with or without accents.

use plaspy_types::Device;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Matches devices whose name, description or a tag value (the plate is a tag) contains a
/// text, ignoring letter case and accents (`camión` matches `CAMION`, `fxs493` matches
/// `FXS493`).
///
/// ```
/// use plaspy_fleet::DeviceMatcher;
/// use plaspy_types::Device;
///
/// let device: Device = serde_json::from_str(
///     r#"{"id": "dev-07", "name": "CAMIÓN NHR-2019", "tags": {"plate": "FXS493"}}"#,
/// )?;
/// assert!(DeviceMatcher::new("fxs493").matches(&device));
/// assert!(DeviceMatcher::new("camion nhr").matches(&device));
/// assert!(!DeviceMatcher::new("JKL123").matches(&device));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceMatcher {
    needle: String,
}

impl DeviceMatcher {
    /// A matcher for `text` (an empty text matches every device).
    pub fn new(text: &str) -> Self {
        DeviceMatcher {
            needle: fold(text.trim()),
        }
    }

    /// Whether the device's name, description or one of its tag values contains the text.
    pub fn matches(&self, device: &Device) -> bool {
        if self.needle.is_empty() {
            return true;
        }
        let name = device.name.as_deref().into_iter();
        let description = device.description.as_deref().into_iter();
        let tags = device.tags.iter().flat_map(|t| t.iter().map(|(_, v)| v));
        name.chain(description)
            .chain(tags)
            .any(|text| fold(text).contains(&self.needle))
    }
}

/// The text in lower case, accents removed (canonical decomposition, combining marks
/// dropped): what [`DeviceMatcher`] compares.
///
/// ```
/// assert_eq!(plaspy_fleet::fold("Camión BOGOTÁ Ñandú"), "camion bogota nandu");
/// ```
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn device(json: &str) -> Device {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn name_description_and_tags() {
        let d = device(
            r#"{"id":"d","name":"CARRO","description":"Volqueta de Peñalosa","tags":{"placa":"JKL123"}}"#,
        );
        assert!(DeviceMatcher::new("carro").matches(&d));
        assert!(DeviceMatcher::new("PENALOSA").matches(&d));
        assert!(DeviceMatcher::new("jkl1").matches(&d));
        assert!(!DeviceMatcher::new("xyz").matches(&d));
        assert!(DeviceMatcher::new("").matches(&d));
    }

    #[test]
    fn a_device_with_nothing_matches_only_the_empty_text() {
        let d = device(r#"{"id":"dev-01"}"#);
        assert!(DeviceMatcher::new(" ").matches(&d));
        assert!(!DeviceMatcher::new("dev").matches(&d));
    }

    #[test]
    fn folding_handles_composed_and_decomposed_accents() {
        assert_eq!(fold("e\u{301}"), fold("é"));
        assert_eq!(fold("ÉÈÊË"), "eeee");
    }
}
