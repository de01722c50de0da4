//! The JSON the pages read: `/api/config`, `/api/fleet`, `/api/devices/{id}`. Each answer
//! is a typed body (or a [`Failure`]'s `{"error": ...}`); none holds a secret.

use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::Utc;
use serde::Serialize;

use super::App;
use crate::day::DayQuery;
use crate::device_view::{DeviceDayView, device_day_view};
use crate::failure::Failure;
use crate::view::FleetView;

/// The JSON routes (behind [`super::guards::same_origin`]).
pub(super) fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/api/config", get(config))
        .route("/api/fleet", get(fleet))
        .route("/api/devices/{id}", get(device))
}

/// What the pages need to know about the server's settings (no secrets).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct PageConfig<'a> {
    tile_url: &'a str,
    tile_attribution: &'a str,
    refresh_seconds: u64,
    silent_after_seconds: u64,
}

async fn config(State(app): State<Arc<App>>) -> Response {
    let config = &app.config;
    Json(PageConfig {
        tile_url: &config.tile_url,
        tile_attribution: &config.tile_attribution,
        refresh_seconds: config.refresh.as_secs().max(1),
        silent_after_seconds: u64::try_from(config.thresholds.silent_after.num_seconds())
            .unwrap_or(0),
    })
    .into_response()
}

/// Every device with its state and last report, and the counts.
async fn fleet(State(app): State<Arc<App>>) -> Result<Response, Failure> {
    let view: Arc<FleetView> = app.fleet().await?;
    Ok(Json(&*view).into_response())
}

/// A device's day: `?date=YYYY-MM-DD&offset=MINUTES` (today in UTC by default).
async fn device(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    query: Result<Query<DayQuery>, QueryRejection>,
) -> Result<Response, Failure> {
    let (day, data) = app.device_day(id, query).await?;
    let view: DeviceDayView<'_> = device_day_view(&data, &day, Utc::now(), &app.config.thresholds);
    Ok(Json(view).into_response())
}
