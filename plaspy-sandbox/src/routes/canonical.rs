//! Route matching as ASP.NET Core matches routes: without regard to the case of a route's
//! literal segments, and with or without a trailing slash. The request path is rewritten
//! to the canonical spelling before the router sees it; path parameters (ids) keep the
//! case they were sent in.

use axum::extract::Request;
use axum::http::Uri;
use axum::http::uri::PathAndQuery;

/// Every route, `{}` standing for a parameter; a literal wins over a parameter in the same
/// place (`/api/users/countries` before `/api/users/{}`), as in ASP.NET Core.
const ROUTES: &[&str] = &[
    "/api/Auth/Token",
    "/api/devices",
    "/api/devices/{}",
    "/api/devices/{}/lastLocation",
    "/api/devices/{}/locations",
    "/api/devices/{}/alerts",
    "/api/devices/{}/sendCommand",
    "/api/groups",
    "/api/groups/{}",
    "/api/users",
    "/api/users/countries",
    "/api/users/timeZones",
    "/api/users/{}",
    "/_sandbox",
    "/_sandbox/faults",
    "/_sandbox/expire-tokens",
    "/_sandbox/commands",
    "/_sandbox/commands/{}",
    "/_sandbox/rate-limit",
    "/_sandbox/time",
    "/_sandbox/reset",
];

/// The path as the router knows it: the canonical spelling of the route it matches, or
/// the path without its trailing slash when it matches none.
pub(crate) fn canonical_path(path: &str) -> String {
    let trimmed = match path.strip_suffix('/') {
        Some(rest) if !rest.is_empty() => rest,
        _ => path,
    };
    let segments: Vec<&str> = trimmed.split('/').collect();
    let matches = |route: &&&str| {
        let parts: Vec<&str> = route.split('/').collect();
        parts.len() == segments.len()
            && parts.iter().zip(&segments).all(|(part, segment)| {
                if *part == "{}" {
                    !segment.is_empty()
                } else {
                    part.eq_ignore_ascii_case(segment)
                }
            })
    };
    let literal_first = |route: &&&str| {
        // Among matching routes, the one with literals where the others have parameters.
        route.split('/').filter(|p| *p == "{}").count()
    };
    match ROUTES.iter().filter(matches).min_by_key(literal_first) {
        Some(route) => route
            .split('/')
            .zip(&segments)
            .map(|(part, segment)| if part == "{}" { *segment } else { part })
            .collect::<Vec<_>>()
            .join("/"),
        None => trimmed.to_owned(),
    }
}

/// Rewrites a request's path to its canonical spelling (the query is kept).
pub(crate) fn canonicalise(mut req: Request) -> Request {
    let uri = req.uri();
    let path = canonical_path(uri.path());
    if path != uri.path() {
        let path_and_query = match uri.query() {
            Some(query) => format!("{path}?{query}"),
            None => path,
        };
        let mut parts = uri.clone().into_parts();
        if let Ok(pq) = PathAndQuery::try_from(path_and_query) {
            parts.path_and_query = Some(pq);
            if let Ok(uri) = Uri::from_parts(parts) {
                *req.uri_mut() = uri;
            }
        }
    }
    req
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_match_in_any_case_and_parameters_keep_theirs() {
        for (sent, routed) in [
            ("/api/auth/token", "/api/Auth/Token"),
            ("/API/AUTH/TOKEN/", "/api/Auth/Token"),
            ("/api/Devices/", "/api/devices"),
            (
                "/api/devices/Dev-01/LASTLOCATION",
                "/api/devices/Dev-01/lastLocation",
            ),
            (
                "/api/devices/dev-01/lastlocation/",
                "/api/devices/dev-01/lastLocation",
            ),
            ("/api/Users/Countries", "/api/users/countries"),
            ("/api/users/timezones", "/api/users/timeZones"),
            ("/api/users/USR-1", "/api/users/USR-1"),
            ("/api/devices/sendcommand", "/api/devices/sendcommand"),
            ("/api/nothing/", "/api/nothing"),
            ("/", "/"),
            ("/api/devices//alerts", "/api/devices//alerts"),
        ] {
            assert_eq!(canonical_path(sent), routed, "{sent}");
        }
    }
}
