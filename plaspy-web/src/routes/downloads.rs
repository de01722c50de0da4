//! The downloads: `/fleet.csv`, and a device day's track as GPX or GeoJSON. They read the
//! same shared fleet and device days as the pages.

use std::sync::Arc;

use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::App;
use crate::day::DayQuery;
use crate::export;
use crate::failure::Failure;

/// The download routes.
pub(super) fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/fleet.csv", get(fleet_csv))
        .route("/devices/{id}/track.gpx", get(track_gpx))
        .route("/devices/{id}/track.geojson", get(track_geojson))
}

/// An attachment named `name` (reduced to `[A-Za-z0-9._-]`).
fn download(content_type: &'static str, name: &str, body: impl Into<axum::body::Body>) -> Response {
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
        body.into(),
    )
        .into_response()
}

async fn fleet_csv(State(app): State<Arc<App>>) -> Result<Response, Failure> {
    let view = app.fleet().await?;
    Ok(download(
        "text/csv; charset=utf-8",
        "fleet.csv",
        export::fleet_csv(&view),
    ))
}

async fn track_gpx(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    query: Result<Query<DayQuery>, QueryRejection>,
) -> Result<Response, Failure> {
    let (day, data) = app.device_day(id, query).await?;
    let body = export::track_gpx(data.device.display_name(), &data.fixes);
    let name = format!("{}-{}.gpx", data.device.id(), day.date);
    Ok(download("application/gpx+xml", &name, body))
}

async fn track_geojson(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    query: Result<Query<DayQuery>, QueryRejection>,
) -> Result<Response, Failure> {
    let (day, data) = app.device_day(id, query).await?;
    let body = export::track_geojson(data.device.id(), data.device.display_name(), &data.fixes);
    let name = format!("{}-{}.geojson", data.device.id(), day.date);
    Ok(download("application/geo+json", &name, body))
}
