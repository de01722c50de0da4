//! A string that never shows itself in `Debug` or `Display`.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A secret (API key, token, password) that redacts itself in `Debug` and `Display`.
///
/// Read the value with [`Secret::expose`]; serialization writes the real value because
/// request bodies must carry it.
///
/// ```
/// use plaspy_types::Secret;
/// let key = Secret::new("s3cr3t");
/// assert_eq!(format!("{key:?}"), "Secret([redacted])");
/// assert_eq!(key.expose(), "s3cr3t");
/// ```
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    ///
    /// ```
    /// let key = plaspy_types::Secret::new("s3cr3t");
    /// assert_eq!(format!("{key:?}"), "Secret([redacted])");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret value itself. Do not log it.
    ///
    /// ```
    /// assert_eq!(plaspy_types::Secret::new("s3cr3t").expose(), "s3cr3t");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the secret is empty.
    ///
    /// ```
    /// assert!(plaspy_types::Secret::new("").is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&String> for Secret {
    fn from(value: &String) -> Self {
        Secret(value.clone())
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Secret(crate::de::text(d)?))
    }
}

/// The username and API key that buy a token.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The account's user name.
    pub username: String,
    /// The account's API key.
    pub api_key: Secret,
}

impl Credentials {
    /// Credentials from a user name and an API key.
    ///
    /// ```
    /// let credentials = plaspy_types::Credentials::new("me", "my-api-key");
    /// assert!(!format!("{credentials:?}").contains("my-api-key"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(username: impl Into<String>, api_key: impl Into<Secret>) -> Self {
        Credentials {
            username: username.into(),
            api_key: api_key.into(),
        }
    }
}

impl Credentials {
    /// Checks the user name and the API key: neither empty nor holding a line break or
    /// another control character (a key read from a file often ends with a newline). The
    /// error names the problem and never shows the key.
    ///
    /// ```
    /// use plaspy_types::Credentials;
    /// assert!(Credentials::new("me", "k3y").validate().is_ok());
    /// let err = Credentials::new("me", "k3y\n").validate().unwrap_err().to_string();
    /// assert!(err.contains("line break"), "{err}");
    /// ```
    pub fn validate(&self) -> crate::Result<()> {
        check_text("user name", &self.username)?;
        check_text("API key", self.api_key.expose())
    }
}

/// Checks one credential or token: not blank, no control characters (which cannot be sent
/// in an HTTP header, and are always a copy-paste accident).
pub(crate) fn check_text(what: &str, value: &str) -> crate::Result<()> {
    use crate::Error;
    if value.trim().is_empty() {
        return Err(Error::invalid_config(format!("the {what} is empty")));
    }
    if value.contains(['\r', '\n']) {
        return Err(Error::invalid_config(format!(
            "the {what} contains a line break (CR or LF); remove it (a value read from a file often ends with one)"
        )));
    }
    if value.chars().any(char::is_control) {
        return Err(Error::invalid_config(format!(
            "the {what} contains a control character; check it was copied correctly"
        )));
    }
    Ok(())
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .field("api_key", &self.api_key)
            .finish()
    }
}

/// What a redacted secret is replaced with.
pub const REDACTED: &str = "[redacted]";

/// Secrets shorter than this are not searched for: replacing every `a` in a message would
/// garble it without protecting anything worth the name.
const MIN_SECRET_CHARS: usize = 4;

/// Scrubs the secrets a client knows (its API key, its tokens) from text a server sent back,
/// so an error page or a message that quotes the request never shows them.
///
/// Besides the secret itself it catches its JSON-escaped and percent-encoded forms, and a
/// secret cut short at the end of an excerpt (`…`).
///
/// ```
/// use plaspy_types::{Redactor, Secret};
/// let key = Secret::new("k3y-abcdef");
/// let redactor = Redactor::new([&key]);
/// assert_eq!(redactor.redact("bad key k3y-abcdef"), "bad key [redacted]");
/// assert_eq!(redactor.redact("<pre>k3y-ab…"), "<pre>[redacted]…");
/// ```
#[derive(Clone, Default)]
pub struct Redactor {
    needles: Vec<String>,
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Redactor")
            .field("secrets", &self.needles.len())
            .finish()
    }
}

impl Redactor {
    /// A redactor for these secrets.
    ///
    /// ```
    /// use plaspy_types::{Redactor, Secret};
    ///
    /// let token = Secret::new("eyJ.abc");
    /// let redactor = Redactor::new([&token]);
    /// assert_eq!(redactor.redact("bad token eyJ.abc"), "bad token [redacted]");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new<'a>(secrets: impl IntoIterator<Item = &'a Secret>) -> Self {
        let mut redactor = Redactor::default();
        for secret in secrets {
            redactor.add(secret);
        }
        redactor
    }

    /// Adds one more secret.
    ///
    /// ```
    /// use plaspy_types::{Redactor, Secret};
    ///
    /// let mut redactor = Redactor::new(None);
    /// redactor.add(&Secret::new("my-api-key"));
    /// assert_eq!(redactor.redact("key=my-api-key"), "key=[redacted]");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add(&mut self, secret: &Secret) {
        let raw = secret.expose();
        if raw.chars().count() < MIN_SECRET_CHARS {
            return;
        }
        let json = serde_json::to_string(raw).unwrap_or_default();
        let json = json.trim_matches('"').to_owned();
        let percent =
            percent_encoding::utf8_percent_encode(raw, percent_encoding::NON_ALPHANUMERIC)
                .to_string();
        for needle in [raw.to_owned(), json, percent] {
            if !needle.is_empty() && !self.needles.contains(&needle) {
                self.needles.push(needle);
            }
        }
        // Longest first, so a secret that contains another is replaced whole.
        self.needles.sort_by_key(|n| std::cmp::Reverse(n.len()));
    }

    /// `text` with every known secret replaced by `[redacted]`.
    ///
    /// ```
    /// use plaspy_types::{Redactor, Secret};
    ///
    /// let key = Secret::new("my-api-key");
    /// assert_eq!(Redactor::new([&key]).redact("echo my-api-key"), "echo [redacted]");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for needle in &self.needles {
            if out.contains(needle.as_str()) {
                out = out.replace(needle.as_str(), REDACTED);
            }
        }
        // An excerpt may have cut a secret short: `...k3y-ab…`.
        if let Some(head) = out.strip_suffix('…') {
            let cut = self.needles.iter().find_map(|needle| {
                (MIN_SECRET_CHARS..needle.len())
                    .rev()
                    .filter(|&n| needle.is_char_boundary(n))
                    .find(|&n| head.ends_with(&needle[..n]))
            });
            if let Some(n) = cut {
                out = format!("{}{REDACTED}…", &head[..head.len() - n]);
            }
        }
        out
    }

    /// Whether there is nothing to redact.
    ///
    /// ```
    /// assert!(plaspy_types::Redactor::new(None).is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.needles.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    #[test]
    fn redactor_scrubs_every_form_of_a_secret() {
        let key = Secret::new("k3y/\"quoted\" é");
        let token = Secret::new("eyJ.abcdefgh.sig");
        let r = Redactor::new([&key, &token]);
        assert_eq!(r.redact("a k3y/\"quoted\" é b"), "a [redacted] b");
        assert_eq!(
            r.redact(r#"{"apiKey":"k3y/\"quoted\" é"}"#),
            r#"{"apiKey":"[redacted]"}"#
        );
        assert_eq!(
            r.redact("?key=k3y%2F%22quoted%22%20%C3%A9"),
            "?key=[redacted]"
        );
        assert_eq!(r.redact("Bearer eyJ.abcd…"), "Bearer [redacted]…");
        assert_eq!(r.redact("nothing here…"), "nothing here…");
        // Too short to search for without garbling every message.
        assert!(Redactor::new([&Secret::new("ab")]).is_empty());
        assert!(!format!("{r:?}").contains("eyJ"));
    }

    #[test]
    fn errors_are_redacted_field_by_field() {
        let token = Secret::new("eyJ.abcdefgh.sig");
        let r = Redactor::new([&token]);
        let errors = [
            Error::Api {
                status: 500,
                message: "eyJ.abcdefgh.sig".into(),
            },
            Error::Http {
                status: 502,
                excerpt: "<pre>eyJ.abcdefgh.sig</pre>".into(),
            },
            Error::Unauthorized {
                message: Some("bad eyJ.abcdefgh.sig".into()),
            },
            Error::BadCredentials {
                message: "eyJ.abcdefgh.sig".into(),
            },
            Error::Decode {
                path: "eyJ.abcdefgh.sig".into(),
                message: "x eyJ.abcdefgh.sig".into(),
            },
            Error::transport("reset eyJ.abcdefgh.sig", false, None),
        ];
        for err in errors {
            let shown = format!("{0} {0:?}", err.redact(&r));
            assert!(!shown.contains("eyJ.abcdefgh"), "{shown}");
            assert!(shown.contains(REDACTED), "{shown}");
        }
    }

    #[test]
    fn credentials_are_checked_without_being_shown() {
        assert!(Credentials::new("me", "key").validate().is_ok());
        for (user, key, named) in [
            ("", "key", "user name is empty"),
            ("me", " ", "API key is empty"),
            ("me", "s3cr3t\n", "API key contains a line break"),
            ("me", "s3cr3t\u{7}", "API key contains a control character"),
            ("m\re", "key", "user name contains a line break"),
        ] {
            let err = Credentials::new(user, key)
                .validate()
                .unwrap_err()
                .to_string();
            assert!(err.contains(named), "{err}");
            assert!(!err.contains("s3cr3t"), "{err}");
        }
    }
}
