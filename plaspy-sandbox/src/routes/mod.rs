//! The HTTP routes: the 21 API endpoints under `/api` and the control routes under
//! `/_sandbox`.

mod auth;
mod canonical;
mod control;
mod devices;
mod groups;
mod patch;
mod users;

use std::time::SystemTime;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt as _;

use crate::faults;
use crate::reply::ApiError;
use crate::state::Shared;

/// The whole application.
pub(crate) fn router(state: Shared) -> Router {
    let api = Router::new()
        .merge(auth::routes())
        .merge(devices::routes())
        .merge(groups::routes())
        .merge(users::routes())
        .layer(middleware::from_fn_with_state(
            state.clone(),
            faults::inject,
        ));
    let app = Router::new()
        .merge(api)
        .merge(control::routes())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(state.clone(), date_header))
        .with_state(state);
    // Paths are matched as ASP.NET Core matches them: rewritten before routing.
    Router::new().fallback_service(app.map_request(canonical::canonicalise))
}

async fn not_found() -> Response {
    ApiError::not_found("No such endpoint").into_response()
}

async fn method_not_allowed() -> Response {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "This endpoint does not support that method",
    )
    .into_response()
}

/// Sets the `Date` header from the sandbox's clock, so clients measuring token lifetimes
/// in server time agree with it (also with a manual clock).
async fn date_header(State(state): State<Shared>, req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let date = httpdate::fmt_http_date(SystemTime::from(state.now()));
    if let Ok(value) = HeaderValue::from_str(&date) {
        response.headers_mut().insert(header::DATE, value);
    }
    response
}
