//! The pages and the files they load, all embedded in the binary.

use std::sync::Arc;

use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::App;
use crate::assets;

/// `/`, `/devices/{id}` and `/assets/...`.
pub(super) fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/", get(fleet_page))
        .route("/devices/{id}", get(device_page))
        .route("/assets/{*path}", get(asset))
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

/// Anything else.
pub(super) async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found\n").into_response()
}
