//! GPX 1.1 for a device's track.
//!
//! Hand-written: the document is a fixed shape of four elements with numbers, times and
//! one escaped name; the `gpx` crate would bring `geo-types` and an XML stack for that,
//! and the e2e tests parse the output with a real XML parser (roxmltree).

use std::fmt::Write as _;

use plaspy_blocking::Location;
use plaspy_types::de::format_datetime;

/// A GPX 1.1 document with one track named after the device: one `trkpt` per fix, with
/// its time (no elevation: the API has none).
pub fn track(device_id: &str, fixes: &[Location]) -> String {
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(
        "<gpx version=\"1.1\" creator=\"plaspy\" xmlns=\"http://www.topografix.com/GPX/1/1\">\n",
    );
    let _ = writeln!(
        out,
        "  <trk>\n    <name>{}</name>\n    <trkseg>",
        escape(device_id)
    );
    for fix in fixes {
        let _ = writeln!(
            out,
            "      <trkpt lat=\"{}\" lon=\"{}\"><time>{}</time></trkpt>",
            fix.latitude,
            fix.longitude,
            format_datetime(&fix.date_time)
        );
    }
    out.push_str("    </trkseg>\n  </trk>\n</gpx>\n");
    out
}

/// Escapes text for XML content and attributes; drops characters XML 1.0 cannot hold.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(escape("a<b>&\"c'\u{1}"), "a&lt;b&gt;&amp;&quot;c&apos;");
    }

    #[test]
    fn points_in_order() {
        let t: chrono::DateTime<chrono::Utc> = "2024-06-01T08:00:00Z".parse().unwrap();
        let gpx = track("truck <7>", &[Location::new(t, 4.5, -74.25)]);
        assert!(gpx.contains("<name>truck &lt;7&gt;</name>"));
        assert!(gpx.contains(
            "<trkpt lat=\"4.5\" lon=\"-74.25\"><time>2024-06-01T08:00:00Z</time></trkpt>"
        ));
        assert!(!gpx.contains("<ele>"));
    }
}
