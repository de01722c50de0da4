//! Who may ask, and the headers of every answer.
//!
//! - **`Host`** ([`host`]): exactly one, well formed (`name[:port]` or `[v6][:port]`, no
//!   user info, not empty), else `400`, as HTTP/1.1 requires (RFC 9112 §3.2). When the
//!   dashboard listens on loopback, a name other than `localhost`, `127.0.0.1` or `[::1]`
//!   gets `421`: a web page cannot reach it through DNS rebinding.
//! - **Cross-site requests** ([`same_origin`], on the JSON API): a request a browser marks
//!   `Sec-Fetch-Site: cross-site` or `same-site` (a page of another origin, such as another
//!   port of this machine), or one whose `Origin` is not the dashboard's own, gets `403`.
//!   Typing the URL (`none`) and the dashboard's own pages (`same-origin`) pass; so do
//!   clients that send neither header (curl, scripts).
//! - **Security headers** ([`security_headers`]): a Content-Security-Policy allowing only
//!   the dashboard's own files (and the tile server's images), `nosniff`, no framing, and
//!   `no-store` unless a route says otherwise.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, Version, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::failure::Failure;

/// How `Host` is judged.
#[derive(Debug, Clone, Copy)]
pub(super) struct HostPolicy {
    /// Only loopback names are accepted.
    pub loopback_only: bool,
}

/// Refuses requests without a single well-formed `Host` (`400`), or naming a host that is
/// not this machine's loopback when the policy says so (`421`).
pub(super) async fn host(
    State(policy): State<HostPolicy>,
    request: Request,
    next: Next,
) -> Response {
    match check_host(
        request.version(),
        request.uri(),
        request.headers(),
        policy.loopback_only,
    ) {
        Ok(()) => next.run(request).await,
        Err((status, message)) => (status, message).into_response(),
    }
}

/// Refuses cross-site requests with `403` (see the [module docs](self)).
pub(super) async fn same_origin(request: Request, next: Next) -> Response {
    match cross_site(request.headers()) {
        None => next.run(request).await,
        Some(why) => Failure::new(
            StatusCode::FORBIDDEN,
            format!("{why}: the dashboard's data are for its own pages"),
        )
        .into_response(),
    }
}

/// Adds the security headers to every answer.
pub(super) async fn security_headers(
    State(csp): State<Arc<HeaderValue>>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, (*csp).clone());
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}

/// The Content-Security-Policy: the dashboard's own files, and images from the tile server.
pub(super) fn content_security_policy(tile_url: &str) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "default-src 'self'; img-src 'self' data: {}; script-src 'self'; style-src 'self'; \
         connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        tile_source(tile_url)
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'; img-src 'self' data: https:"))
}

/// The CSP source that lets the map load tiles from the configured server.
fn tile_source(template: &str) -> String {
    let Some((scheme, rest)) = template.split_once("://") else {
        return String::new();
    };
    let host = rest.split('/').next().unwrap_or_default();
    let host = host
        .strip_prefix("{s}.")
        .map_or(host.to_owned(), |h| format!("*.{h}"));
    let plain = |c: char| c.is_ascii_alphanumeric() || ".-:*[]".contains(c);
    if matches!(scheme, "http" | "https") && !host.is_empty() && host.chars().all(plain) {
        format!("{scheme}://{host}")
    } else if matches!(scheme, "http" | "https") {
        format!("{scheme}:")
    } else {
        String::new()
    }
}

/// Whether the request names its host acceptably; the refusal's status and text if not.
fn check_host(
    version: Version,
    uri: &Uri,
    headers: &HeaderMap,
    loopback_only: bool,
) -> Result<(), (StatusCode, &'static str)> {
    let bad = |why| Err((StatusCode::BAD_REQUEST, why));
    let mut hosts = headers.get_all(header::HOST).iter();
    let (first, second) = (hosts.next(), hosts.next());
    if second.is_some() {
        return bad("a request must have one Host header, not several\n");
    }
    let header_host = match first.map(HeaderValue::to_str) {
        Some(Ok(host)) => Some(host),
        Some(Err(_)) => return bad("the Host header is not a host name\n"),
        None => None,
    };
    // An absolute-form target names the host itself, and wins over `Host` (RFC 9112).
    let named = match (uri.authority(), header_host) {
        (Some(authority), _) => authority.as_str(),
        (None, Some(host)) => host,
        (None, None) if version <= Version::HTTP_10 => return Ok(()),
        (None, None) => return bad("an HTTP/1.1 request must have a Host header\n"),
    };
    let Some(name) = host_name(named) else {
        return bad("the Host header must be a host name and an optional port, nothing else\n");
    };
    if loopback_only && !is_loopback_name(name) {
        return Err((
            StatusCode::MISDIRECTED_REQUEST,
            "this dashboard answers only to localhost, 127.0.0.1 and [::1]\n",
        ));
    }
    Ok(())
}

/// The host name of `name[:port]` or `[v6][:port]`; `None` for anything else (empty, user
/// info, stray characters, a port that is not a port).
fn host_name(authority: &str) -> Option<&str> {
    let (name, rest) = match authority.strip_prefix('[') {
        Some(v6) => {
            let (inside, rest) = v6.split_once(']')?;
            let v6_char = |c: char| c.is_ascii_hexdigit() || c == ':' || c == '.';
            (!inside.is_empty() && inside.chars().all(v6_char)).then_some((inside, rest))?
        }
        None => {
            let (name, rest) = authority.split_at(authority.find(':').unwrap_or(authority.len()));
            let name_char = |c: char| c.is_ascii_alphanumeric() || "-._".contains(c);
            (!name.is_empty() && name.chars().all(name_char)).then_some((name, rest))?
        }
    };
    let port_ok = |port: &str| {
        port.len() <= 5
            && port.bytes().all(|b| b.is_ascii_digit())
            && port
                .parse::<u32>()
                .map_or(true, |p| p <= u32::from(u16::MAX))
    };
    match rest.strip_prefix(':') {
        None => rest.is_empty().then_some(name),
        Some(port) => port_ok(port).then_some(name),
    }
}

/// `localhost`, `127.0.0.1` or `::1`, in any letter case.
fn is_loopback_name(name: &str) -> bool {
    matches!(
        name.to_ascii_lowercase().as_str(),
        "localhost" | "127.0.0.1" | "::1"
    )
}

/// Why a request comes from another site, if it does.
fn cross_site(headers: &HeaderMap) -> Option<&'static str> {
    let site = headers.get_all("sec-fetch-site").iter();
    if site
        .map(HeaderValue::as_bytes)
        .any(|s| !matches!(s, b"same-origin" | b"none"))
    {
        return Some("a request from another site");
    }
    let own = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(|host| format!("http://{host}"));
    let foreign = |origin: &HeaderValue| {
        let origin = origin.to_str().unwrap_or_default();
        own.as_deref()
            .is_none_or(|own| !origin.eq_ignore_ascii_case(own))
    };
    headers
        .get_all(header::ORIGIN)
        .iter()
        .any(foreign)
        .then_some("a request from another origin")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tile_sources() {
        assert_eq!(
            tile_source("https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
            "https://tile.openstreetmap.org"
        );
        assert_eq!(
            tile_source("https://{s}.tile.example.com/{z}/{x}/{y}.png"),
            "https://*.tile.example.com"
        );
        assert_eq!(
            tile_source("http://127.0.0.1:9/{z}/{x}/{y}.png"),
            "http://127.0.0.1:9"
        );
        assert_eq!(tile_source("https://{tenant}.x.com/{z}"), "https:");
        assert_eq!(tile_source(""), "");
        assert_eq!(tile_source("javascript:alert(1)"), "");
    }

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.append(
                header::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        headers
    }

    fn status(version: Version, pairs: &[(&str, &str)]) -> u16 {
        let uri = Uri::from_static("/api/fleet");
        match check_host(version, &uri, &headers(pairs), true) {
            Ok(()) => 200,
            Err((status, _)) => status.as_u16(),
        }
    }

    #[test]
    fn hosts() {
        let host = |h: &str| status(Version::HTTP_11, &[("host", h)]);
        for good in [
            "127.0.0.1:8090",
            "localhost",
            "LOCALHOST:1",
            "[::1]:8090",
            "localhost:",
        ] {
            assert_eq!(host(good), 200, "{good}");
        }
        for foreign in ["evil.example:8090", "127.0.0.1.evil.example", "[::2]"] {
            assert_eq!(host(foreign), 421, "{foreign}");
        }
        for malformed in [
            "",
            "user@127.0.0.1:8090",
            "user:pw@localhost",
            "@localhost",
            "127.0.0.1:80:80",
            "127.0.0.1:99999",
            "127.0.0.1:8o",
            "local host",
            "[::1",
            "[]:80",
            "::1",
            "localhost/x",
        ] {
            assert_eq!(host(malformed), 400, "{malformed:?}");
        }
        let two = [("host", "127.0.0.1:1"), ("host", "127.0.0.1:1")];
        assert_eq!(status(Version::HTTP_11, &two), 400);
        assert_eq!(status(Version::HTTP_11, &[]), 400);
        assert_eq!(status(Version::HTTP_10, &[]), 200);
        // Elsewhere than loopback, any well-formed name passes; a malformed one does not.
        let uri = Uri::from_static("/");
        let h = headers(&[("host", "fleet.example:80")]);
        assert!(check_host(Version::HTTP_11, &uri, &h, false).is_ok());
        let h = headers(&[("host", "a@fleet.example")]);
        assert!(check_host(Version::HTTP_11, &uri, &h, false).is_err());
        // An absolute-form target names the host.
        let uri = Uri::from_static("http://evil.example/api/fleet");
        let h = headers(&[("host", "127.0.0.1")]);
        assert!(check_host(Version::HTTP_11, &uri, &h, true).is_err());
    }

    #[test]
    fn cross_site_requests() {
        let host = ("host", "127.0.0.1:8090");
        assert_eq!(cross_site(&headers(&[host])), None);
        for ok in ["same-origin", "none"] {
            assert_eq!(cross_site(&headers(&[host, ("sec-fetch-site", ok)])), None);
        }
        for bad in ["cross-site", "same-site", "bogus"] {
            assert!(cross_site(&headers(&[host, ("sec-fetch-site", bad)])).is_some());
        }
        let origin = |o| cross_site(&headers(&[host, ("origin", o)]));
        assert_eq!(origin("http://127.0.0.1:8090"), None);
        assert_eq!(origin("HTTP://127.0.0.1:8090"), None);
        for foreign in [
            "http://evil.example",
            "null",
            "http://127.0.0.1:8091",
            "https://127.0.0.1:8090",
            "http://localhost:8090",
        ] {
            assert!(origin(foreign).is_some(), "{foreign}");
        }
        assert!(cross_site(&headers(&[("origin", "http://127.0.0.1")])).is_some());
    }
}
