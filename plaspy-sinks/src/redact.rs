//! Masking secrets in text that may come from a driver.

/// What a masked secret reads as.
pub(crate) const MASK: &str = "***";

#[cfg_attr(
    not(any(
        feature = "postgres",
        feature = "nats",
        feature = "mqtt",
        feature = "webhook"
    )),
    allow(dead_code)
)]
/// `text` with every occurrence of each non-empty secret replaced by [`MASK`].
pub(crate) fn scrub(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_owned();
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        if out.contains(secret) {
            out = out.replace(secret, MASK);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_every_secret_and_ignores_empty_ones() {
        assert_eq!(
            scrub("a s3 b s3 t0k", &["s3", "", "t0k"]),
            "a *** b *** ***"
        );
    }
}
