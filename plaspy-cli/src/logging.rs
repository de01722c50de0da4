//! `-v`/`-vv`/`-vvv` logging on stderr, with no secret at any verbosity.
//!
//! Two layers of defence:
//! - **Filtering.** Only the plaspy crates may log at `trace`. Other crates (ureq,
//!   ureq_proto, hyper, axum, rustls, ...) stop at `debug`, whatever `-v` or `RUST_LOG`
//!   ask for: their trace output dumps raw request and response bytes (the token request
//!   with the API key, the token response, `Authorization` headers) as hex.
//! - **Redaction.** Every formatted line passes through [`redact`] before it reaches
//!   stderr: the API key (registered with [`register_secret`]), `Bearer ...` values,
//!   JWT-shaped tokens and the values of JSON fields such as `"token"`, `"apiKey"` and
//!   `"password"` become `[redacted]`.

use std::borrow::Cow;
use std::io::{self, Write};
use std::sync::{Mutex, PoisonError};

use tracing_subscriber::Layer;
use tracing_subscriber::filter::{EnvFilter, filter_fn};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

use plaspy_types::{REDACTED, Redactor, Secret};

use crate::style;

/// Secrets known to this run (the API key), kept out of the log by the SDK's one
/// [`Redactor`] (every spelling of them: raw, JSON-escaped, percent-encoded).
static SECRETS: Mutex<Option<Redactor>> = Mutex::new(None);

/// Keeps `secret` out of every log line from now on (values under 4 characters are
/// ignored by the [`Redactor`]: replacing them would shred the log without protecting
/// anything).
pub fn register_secret(secret: &str) {
    let mut secrets = SECRETS.lock().unwrap_or_else(PoisonError::into_inner);
    secrets
        .get_or_insert_with(Redactor::default)
        .add(&Secret::new(secret));
}

/// `-v` turns on the SDK's tracing events (requests, retries; never secrets) on stderr;
/// `RUST_LOG` overrides the levels, but never lets other crates log at `trace`.
pub fn init(verbose: u8) {
    if verbose == 0 {
        return;
    }
    let default = match verbose {
        1 => "warn,plaspy_core=debug,plaspy_blocking=debug,plaspy=debug",
        2 => "info,plaspy_core=trace,plaspy_blocking=trace,plaspy=trace",
        _ => "trace",
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(RedactedStderr)
        .with_ansi(style::stderr_color())
        .with_filter(filter)
        .with_filter(filter_fn(|meta| {
            meta.target().starts_with("plaspy") || *meta.level() <= tracing::Level::DEBUG
        }));
    let _ = tracing_subscriber::registry().with(layer).try_init();
}

/// Makes a [`Redacting`] stderr writer per event.
struct RedactedStderr;

impl<'a> MakeWriter<'a> for RedactedStderr {
    type Writer = Redacting;

    fn make_writer(&'a self) -> Self::Writer {
        Redacting(Vec::new())
    }
}

/// Collects one formatted event and writes it to stderr, redacted, when dropped.
struct Redacting(Vec<u8>);

impl Write for Redacting {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for Redacting {
    fn drop(&mut self) {
        let text = String::from_utf8_lossy(&self.0);
        let secrets = SECRETS.lock().unwrap_or_else(PoisonError::into_inner);
        let redactor = secrets.clone().unwrap_or_default();
        drop(secrets);
        let _ = io::stderr()
            .lock()
            .write_all(redact(&text, &redactor).as_bytes());
    }
}

/// `text` without the secrets `redactor` knows, and without what looks like a secret
/// whatever its value: bearer tokens, JWT-shaped tokens and the values of secret JSON
/// fields (the token the SDK holds is never handed to the CLI, so it is found by shape).
pub fn redact<'a>(text: &'a str, redactor: &Redactor) -> Cow<'a, str> {
    let out = if redactor.is_empty() {
        Cow::Borrowed(text)
    } else {
        match redactor.redact(text) {
            same if same == text => Cow::Borrowed(text),
            changed => Cow::Owned(changed),
        }
    };
    let out = replace_after(out, |t, i| prefix_ci(t, i, "bearer "), is_token_byte);
    let out = replace_after(out, jwt_start, is_jwt_byte);
    replace_after(out, secret_field_value, is_json_string_byte)
}

/// Whether `b` may be part of a bearer token as logged (anything but space and quotes).
fn is_token_byte(b: u8) -> bool {
    !b.is_ascii_whitespace() && !matches!(b, b'"' | b'\'' | b',' | b'}' | b')')
}

/// Whether `b` may be part of a JWT (base64url and dots).
fn is_jwt_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'=')
}

/// Whether `b` may be part of a JSON string's content, up to its closing quote (an escaped
/// quote ends the redaction early: what follows is still hidden up to the next quote).
fn is_json_string_byte(b: u8) -> bool {
    b != b'"'
}

/// The length of `needle` at `i` in `text`, ignoring ASCII case.
fn prefix_ci(text: &str, i: usize, needle: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let end = i + needle.len();
    (end <= bytes.len() && bytes[i..end].eq_ignore_ascii_case(needle.as_bytes()))
        .then_some(needle.len())
}

/// At `i`, a JSON member whose value is secret (`"token": "`): the length up to the value.
fn secret_field_value(text: &str, i: usize) -> Option<usize> {
    const FIELDS: &[&str] = &[
        "\"token\"",
        "\"accesstoken\"",
        "\"refreshtoken\"",
        "\"apikey\"",
        "\"api_key\"",
        "\"password\"",
        "\"authorization\"",
    ];
    let name = FIELDS.iter().find_map(|f| prefix_ci(text, i, f))?;
    let rest = &text.as_bytes()[i + name..];
    let mut n = 0;
    while n < rest.len() && rest[n] == b' ' {
        n += 1;
    }
    if rest.get(n) != Some(&b':') {
        return None;
    }
    n += 1;
    while n < rest.len() && rest[n] == b' ' {
        n += 1;
    }
    (rest.get(n) == Some(&b'"')).then_some(name + n + 1)
}

/// Replaces, wherever `start` finds a marker of length `n`, the bytes after it that
/// `keep` accepts with [`REDACTED`] (the marker itself stays).
fn replace_after<'a>(
    text: Cow<'a, str>,
    start: impl Fn(&str, usize) -> Option<usize>,
    keep: fn(u8) -> bool,
) -> Cow<'a, str> {
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        if let Some(n) = start(&text, i) {
            let value_start = i + n;
            let mut end = value_start;
            while end < bytes.len() && keep(bytes[end]) {
                end += 1;
            }
            if end > value_start {
                let o = out.get_or_insert_with(String::new);
                o.push_str(&text[copied..value_start]);
                o.push_str(REDACTED);
                copied = end;
                i = end;
                continue;
            }
        }
        i += 1;
        while i < bytes.len() && !text.is_char_boundary(i) {
            i += 1;
        }
    }
    match out {
        Some(mut o) => {
            o.push_str(&text[copied..]);
            Cow::Owned(o)
        }
        None => text,
    }
}

/// At `i`, the start of a JWT-shaped token (`eyJ` at the start of a word): nothing to
/// keep before the value, which is the token itself.
fn jwt_start(text: &str, i: usize) -> Option<usize> {
    let at_word_start = i == 0 || !is_jwt_byte(text.as_bytes()[i - 1]);
    (at_word_start && text[i..].starts_with("eyJ")).then_some(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted() {
        let secrets = Redactor::new([&Secret::new("apikey-7Hq2-SECRET")]);
        let cases = [
            (
                r#"body {"userName":"me","apiKey":"apikey-7Hq2-SECRET"}"#,
                r#"body {"userName":"me","apiKey":"[redacted]"}"#,
            ),
            (
                "authorization: Bearer abc.def-ghi",
                "authorization: Bearer [redacted]",
            ),
            (
                "AUTHORIZATION: bearer xyz",
                "AUTHORIZATION: bearer [redacted]",
            ),
            (
                r#"{"success":true,"token": "opaque-123","expires":"2030"}"#,
                r#"{"success":true,"token": "[redacted]","expires":"2030"}"#,
            ),
            ("got eyJhbGciOi.eyJzdWIi.sig-_ ok", "got [redacted] ok"),
            ("key apikey-7Hq2-SECRET in text", "key [redacted] in text"),
            (
                "nothing here: GET /api/devices 200",
                "nothing here: GET /api/devices 200",
            ),
            ("Camión «eyJ» é", "Camión «[redacted]» é"),
        ];
        for (input, expected) in cases {
            assert_eq!(redact(input, &secrets), expected, "{input}");
        }
        assert!(matches!(redact("plain", &secrets), Cow::Borrowed(_)));
    }

    #[test]
    fn short_secrets_are_not_registered() {
        register_secret("ab");
        register_secret("long-enough-key");
        let redactor = SECRETS.lock().unwrap().clone().unwrap();
        assert_eq!(redact("ab long-enough-key", &redactor), "ab [redacted]");
    }
}
