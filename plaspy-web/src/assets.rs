//! The pages, styles, scripts and the vendored Leaflet, embedded in the binary.

/// One embedded file: its path under `/assets/`, content type and bytes.
pub(crate) struct Asset {
    pub path: &'static str,
    pub content_type: &'static str,
    pub bytes: &'static [u8],
}

macro_rules! asset {
    ($path:literal, $type:literal) => {
        Asset {
            path: $path,
            content_type: $type,
            bytes: include_bytes!(concat!("../assets/", $path)),
        }
    };
}

/// The fleet page.
pub(crate) const FLEET_PAGE: &[u8] = include_bytes!("../assets/fleet.html");
/// The device page.
pub(crate) const DEVICE_PAGE: &[u8] = include_bytes!("../assets/device.html");

/// Every file served under `/assets/`.
pub(crate) const ASSETS: &[Asset] = &[
    asset!("app.css", "text/css; charset=utf-8"),
    asset!("common.js", "text/javascript; charset=utf-8"),
    asset!("fleet.js", "text/javascript; charset=utf-8"),
    asset!("device.js", "text/javascript; charset=utf-8"),
    asset!("leaflet/leaflet.js", "text/javascript; charset=utf-8"),
    asset!("leaflet/leaflet.css", "text/css; charset=utf-8"),
    asset!("leaflet/LICENSE", "text/plain; charset=utf-8"),
    asset!("leaflet/images/layers.png", "image/png"),
    asset!("leaflet/images/layers-2x.png", "image/png"),
    asset!("leaflet/images/marker-icon.png", "image/png"),
    asset!("leaflet/images/marker-icon-2x.png", "image/png"),
    asset!("leaflet/images/marker-shadow.png", "image/png"),
];

/// The embedded file at `path` (relative to `/assets/`).
pub(crate) fn find(path: &str) -> Option<&'static Asset> {
    ASSETS.iter().find(|a| a.path == path)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The page scripts build the DOM with `textContent` and attributes only: no API value
    /// can become markup (the browser test checks the same with hostile names).
    #[test]
    fn the_scripts_never_parse_html() {
        for name in ["common.js", "fleet.js", "device.js"] {
            let script = std::str::from_utf8(find(name).unwrap().bytes).unwrap();
            for sink in [
                "innerHTML",
                "outerHTML",
                "insertAdjacentHTML",
                "document.write",
                "eval(",
                "new Function",
                "setHTML",
            ] {
                assert!(!script.contains(sink), "{name} uses {sink}");
            }
        }
    }

    #[test]
    fn every_page_reference_is_embedded() {
        for page in [FLEET_PAGE, DEVICE_PAGE] {
            let page = std::str::from_utf8(page).unwrap();
            for reference in page.split('"').filter(|p| p.starts_with("/assets/")) {
                assert!(
                    find(&reference["/assets/".len()..]).is_some(),
                    "{reference}"
                );
            }
        }
    }
}
