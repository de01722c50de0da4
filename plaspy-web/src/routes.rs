//! The HTTP routes: pages, embedded assets, the JSON the pages read, and the downloads.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use plaspy_blocking::{Client, Error, Location};
use plaspy_fleet::ReportOptions;
use serde::{Deserialize, Serialize};
use serde_json::json;
use tokio::sync::Mutex;

use crate::assets;
use crate::config::DashboardConfig;
use crate::export;
use crate::source;
use crate::view::{self, FleetView};

/// At most this many points of a track go to the map; the downloads have them all.
const MAP_POINTS: usize = 5000;

/// What every handler shares.
struct App {
    client: Client,
    config: DashboardConfig,
    /// The last fleet snapshot and when it was taken, shared by every open page.
    snapshot: Mutex<Option<(Instant, Arc<FleetView>)>>,
    /// The `Content-Security-Policy` of every response.
    csp: HeaderValue,
    /// Refuse requests whose `Host` is not a loopback name (against DNS rebinding).
    loopback_only: bool,
}

/// The dashboard's routes. With `loopback_only`, requests naming another host in `Host`
/// are refused, so that a web page cannot reach the dashboard through DNS rebinding.
pub(crate) fn router(client: Client, config: DashboardConfig, loopback_only: bool) -> Router {
    let csp = HeaderValue::from_str(&format!(
        "default-src 'self'; img-src 'self' data: {}; script-src 'self'; style-src 'self'; \
         connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        tile_source(&config.tile_url)
    ))
    .unwrap_or_else(|_| {
        HeaderValue::from_static("default-src 'self'; img-src 'self' data: https:")
    });
    let app = Arc::new(App {
        client,
        config,
        snapshot: Mutex::new(None),
        csp,
        loopback_only,
    });
    Router::new()
        .route("/", get(fleet_page))
        .route("/devices/{id}", get(device_page))
        .route("/devices/{id}/track.gpx", get(track_gpx))
        .route("/devices/{id}/track.geojson", get(track_geojson))
        .route("/fleet.csv", get(fleet_csv))
        .route("/api/config", get(config_json))
        .route("/api/fleet", get(fleet_json))
        .route("/api/devices/{id}", get(device_json))
        .route("/assets/{*path}", get(asset))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(app.clone(), guard))
        .with_state(app)
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

/// Refuses foreign `Host` names (when loopback only) and adds the security headers.
async fn guard(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    if app.loopback_only && !loopback_host(request.headers()) {
        return (
            StatusCode::MISDIRECTED_REQUEST,
            "this dashboard answers only to localhost, 127.0.0.1 and [::1]\n",
        )
            .into_response();
    }
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, app.csp.clone());
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

/// Whether `Host` names this machine's loopback (or is absent, as from non-browser clients).
fn loopback_host(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST) else {
        return true;
    };
    let Ok(host) = host.to_str() else {
        return false;
    };
    let name = if host.starts_with('[') {
        host.split_once(']')
            .map_or(host, |(h, _)| h)
            .trim_start_matches('[')
    } else {
        host.split(':').next().unwrap_or_default()
    };
    matches!(
        name.to_ascii_lowercase().as_str(),
        "localhost" | "127.0.0.1" | "::1"
    )
}

fn html(bytes: &'static [u8]) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        bytes,
    )
        .into_response()
}

async fn fleet_page() -> Response {
    html(assets::FLEET_PAGE)
}

async fn device_page() -> Response {
    html(assets::DEVICE_PAGE)
}

async fn asset(Path(path): Path<String>) -> Response {
    match assets::find(&path) {
        Some(asset) => (
            [
                (header::CONTENT_TYPE, asset.content_type),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            asset.bytes,
        )
            .into_response(),
        None => not_found().await,
    }
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found\n").into_response()
}

/// What the pages need to know about the server's settings (no secrets).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PageConfig<'a> {
    tile_url: &'a str,
    tile_attribution: &'a str,
    refresh_seconds: u64,
    silent_after_seconds: u64,
}

async fn config_json(State(app): State<Arc<App>>) -> Response {
    Json(PageConfig {
        tile_url: &app.config.tile_url,
        tile_attribution: &app.config.tile_attribution,
        refresh_seconds: app.config.refresh.as_secs().max(1),
        silent_after_seconds: app.config.thresholds.silent_after.num_seconds().max(0) as u64,
    })
    .into_response()
}

/// An error as the pages read it: a status and `{"error": "..."}`.
struct Failure(StatusCode, String);

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        (self.0, Json(json!({ "error": self.1 }))).into_response()
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        let status = match &e {
            Error::NotFound { .. } => StatusCode::NOT_FOUND,
            Error::InvalidInput { .. } => StatusCode::BAD_REQUEST,
            _ => StatusCode::BAD_GATEWAY,
        };
        Failure(status, e.to_string())
    }
}

/// Runs SDK calls on a blocking thread.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, Error> + Send + 'static,
) -> Result<T, Failure> {
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => result.map_err(Failure::from),
        Err(_) => Err(Failure(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the request to the API stopped unexpectedly".into(),
        )),
    }
}

/// The fleet now, reusing a snapshot younger than half the refresh interval: any number of
/// open pages cost the API one round of requests per interval.
async fn snapshot(app: &Arc<App>) -> Result<Arc<FleetView>, Failure> {
    let mut cached = app.snapshot.lock().await;
    if let Some((taken, view)) = cached.as_ref()
        && taken.elapsed() < app.config.refresh / 2
    {
        return Ok(view.clone());
    }
    let (client, concurrency) = (app.client.clone(), app.config.concurrency);
    let entries = blocking(move || source::fleet(&client, concurrency)).await?;
    let limits = app.config.thresholds;
    let view = Arc::new(view::fleet_view(entries, Utc::now(), &limits));
    *cached = Some((Instant::now(), view.clone()));
    Ok(view)
}

async fn fleet_json(State(app): State<Arc<App>>) -> Result<Response, Failure> {
    let view = snapshot(&app).await?;
    Ok(Json(&*view).into_response())
}

async fn fleet_csv(State(app): State<Arc<App>>) -> Result<Response, Failure> {
    let view = snapshot(&app).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"fleet.csv\"",
            ),
        ],
        export::fleet_csv(&view),
    )
        .into_response())
}

/// `?date=YYYY-MM-DD&offset=MINUTES`: a day in the browser's time zone (minutes east of UTC).
#[derive(Debug, Default, Deserialize)]
struct DayQuery {
    date: Option<String>,
    offset: Option<i32>,
}

/// A day as an instant range `[from, to]`, with the date it names.
struct Day {
    date: NaiveDate,
    offset_minutes: i32,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
}

impl DayQuery {
    fn day(&self, now: DateTime<Utc>) -> Result<Day, Failure> {
        let bad = |m: String| Failure(StatusCode::BAD_REQUEST, m);
        let offset_minutes = self.offset.unwrap_or(0);
        if !(-14 * 60..=14 * 60).contains(&offset_minutes) {
            return Err(bad(format!(
                "offset={offset_minutes} is not a UTC offset: use minutes between -840 and 840"
            )));
        }
        let offset = TimeDelta::minutes(offset_minutes.into());
        let date = match self
            .date
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map_err(|_| bad(format!("date={text} is not a date: use YYYY-MM-DD")))?,
            None => (now + offset).date_naive(),
        };
        let midnight = date
            .and_hms_opt(0, 0, 0)
            .map(|t| t.and_utc() - offset)
            .ok_or_else(|| bad("that date is out of range".into()))?;
        Ok(Day {
            date,
            offset_minutes,
            from: midnight,
            to: midnight + TimeDelta::days(1) - TimeDelta::milliseconds(1),
        })
    }
}

/// One point of the track as the map draws it.
#[derive(Serialize)]
struct TrackPoint {
    t: DateTime<Utc>,
    lat: f64,
    lon: f64,
    speed: Option<f64>,
}

async fn fetch_day(
    app: &Arc<App>,
    id: String,
    query: &DayQuery,
) -> Result<(Day, source::DeviceDay), Failure> {
    let day = query.day(Utc::now())?;
    let (client, from, to) = (app.client.clone(), day.from, day.to);
    let data = blocking(move || source::device_day(&client, &id, from, to)).await?;
    Ok((day, data))
}

async fn device_json(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    Query(query): Query<DayQuery>,
) -> Result<Response, Failure> {
    let (day, data) = fetch_day(&app, id, &query).await?;
    let limits = app.config.thresholds;
    let now = Utc::now();
    let mut view = view::fleet_view(vec![(data.device.clone(), Ok(data.last))], now, &limits);
    let row = view.devices.pop();
    let device = &data.device;
    let options = ReportOptions {
        thresholds: app.config.thresholds,
        ..ReportOptions::default()
    };
    let analysis = plaspy_fleet::analyze(device.id(), &data.fixes, &options);
    let body = json!({
        "device": {
            "id": device.id(),
            "name": device.display_name(),
            "description": device.description,
            "plate": view::plate(device),
            "min": device.min,
            "tags": device.tags,
            "expires": device.expires,
        },
        "last": row,
        "date": day.date.to_string(),
        "offsetMinutes": day.offset_minutes,
        "from": day.from,
        "to": day.to,
        "trackPoints": data.fixes.len(),
        "track": map_points(&data.fixes),
        "trips": analysis.trips,
        "stops": analysis.stops,
        "cleaning": analysis.cleaning,
    });
    Ok(Json(body).into_response())
}

/// The fixes for the map: all of them up to [`MAP_POINTS`], else an even sample that keeps
/// the first and the last.
fn map_points(fixes: &[Location]) -> Vec<TrackPoint> {
    let point = |f: &Location| TrackPoint {
        t: f.date_time,
        lat: f.latitude,
        lon: f.longitude,
        speed: f.speed,
    };
    let usable: Vec<&Location> = fixes
        .iter()
        .filter(|f| f.latitude.is_finite() && f.longitude.is_finite())
        .collect();
    if usable.len() <= MAP_POINTS {
        return usable.into_iter().map(point).collect();
    }
    let last = usable.len() - 1;
    (0..MAP_POINTS)
        .map(|i| point(usable[i * last / (MAP_POINTS - 1)]))
        .collect()
}

fn download(content_type: &'static str, name: String, body: String) -> Response {
    let name: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response()
}

async fn track_gpx(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    Query(query): Query<DayQuery>,
) -> Result<Response, Failure> {
    let (day, data) = fetch_day(&app, id, &query).await?;
    let body = export::track_gpx(data.device.display_name(), &data.fixes);
    let name = format!("{}-{}.gpx", data.device.id(), day.date);
    Ok(download("application/gpx+xml", name, body))
}

async fn track_geojson(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    Query(query): Query<DayQuery>,
) -> Result<Response, Failure> {
    let (day, data) = fetch_day(&app, id, &query).await?;
    let body = export::track_geojson(data.device.id(), data.device.display_name(), &data.fixes);
    let name = format!("{}-{}.geojson", data.device.id(), day.date);
    Ok(download("application/geo+json", name, body))
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

    #[test]
    fn hosts() {
        let host = |h: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::HOST, HeaderValue::from_str(h).unwrap());
            loopback_host(&headers)
        };
        assert!(host("127.0.0.1:8090"));
        assert!(host("localhost"));
        assert!(host("LOCALHOST:1"));
        assert!(host("[::1]:8090"));
        assert!(!host("evil.example:8090"));
        assert!(!host("127.0.0.1.evil.example"));
        assert!(loopback_host(&HeaderMap::new()));
    }

    #[test]
    fn days() {
        let now: DateTime<Utc> = "2030-01-02T03:00:00Z".parse().unwrap();
        let q = |date: Option<&str>, offset: Option<i32>| DayQuery {
            date: date.map(Into::into),
            offset,
        };
        let day = q(None, None).day(now).ok().unwrap();
        assert_eq!(day.date.to_string(), "2030-01-02");
        assert_eq!(day.from.to_rfc3339(), "2030-01-02T00:00:00+00:00");
        // Bogotá (UTC-5): 03:00 UTC is still the 1st there.
        let day = q(None, Some(-300)).day(now).ok().unwrap();
        assert_eq!(day.date.to_string(), "2030-01-01");
        assert_eq!(day.from.to_rfc3339(), "2030-01-01T05:00:00+00:00");
        assert_eq!(day.to.to_rfc3339(), "2030-01-02T04:59:59.999+00:00");
        assert!(q(Some("2030-13-01"), None).day(now).is_err());
        assert!(q(None, Some(100_000)).day(now).is_err());
    }

    #[test]
    fn map_points_are_bounded() {
        let start: DateTime<Utc> = "2030-01-01T00:00:00Z".parse().unwrap();
        let fixes: Vec<Location> = (0..12_345)
            .map(|i| Location::new(start + TimeDelta::seconds(i), 1.0, i as f64 / 1e4))
            .collect();
        let points = map_points(&fixes);
        assert_eq!(points.len(), MAP_POINTS);
        assert_eq!(points[0].t, fixes[0].date_time);
        assert_eq!(points[MAP_POINTS - 1].t, fixes[12_344].date_time);
        assert_eq!(map_points(&fixes[..10]).len(), 10);
    }
}
