//! Device ids as one NATS subject token or one MQTT topic level.

/// `device_id` percent-encoded so it is one token/level: letters, digits, `-` and `_`
/// stay, every other byte becomes `%XX` (so `.`, `/`, `*`, `>`, `+`, `#` and spaces can
/// neither split nor wildcard the name, and two ids never map to the same token).
///
/// ```text
/// "dev-01" -> "dev-01",  "a.b/c" -> "a%2Eb%2Fc"
/// ```
#[cfg_attr(not(any(feature = "nats", feature = "mqtt")), allow(dead_code))]
pub(crate) fn token(device_id: &str) -> String {
    let mut out = String::with_capacity(device_id.len());
    for b in device_id.bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    if out.is_empty() {
        out.push_str("%00");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::token;

    #[test]
    fn special_characters_are_encoded() {
        assert_eq!(token("dev-01_x"), "dev-01_x");
        assert_eq!(token("a.b/c"), "a%2Eb%2Fc");
        assert_eq!(token("*>+# "), "%2A%3E%2B%23%20");
        assert_eq!(token("%"), "%25");
        assert_eq!(token(""), "%00");
    }
}
