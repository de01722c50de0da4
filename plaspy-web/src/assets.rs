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
