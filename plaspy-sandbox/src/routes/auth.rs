//! `POST /api/Auth/Token`.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use plaspy_types::{Secret, TokenResponse};

use crate::reply::{ApiError, JsonBody, Success};
use crate::request::TokenRequest;
use crate::state::Shared;

/// The message of a refused user name or API key.
const REFUSED: &str = "Invalid API key or username.";

pub(super) fn routes() -> Router<Shared> {
    Router::new().route("/api/Auth/Token", post(token))
}

async fn token(State(state): State<Shared>, body: JsonBody) -> Response {
    let request = match body.json().and_then(|json| TokenRequest::read(&json)) {
        Ok(request) => request,
        Err(error) => return error.into_response(),
    };
    let account = state
        .account(&request.user_name)
        .filter(|a| a.key_matches(&request.api_key));
    let Some(account) = account else {
        return ApiError::new(StatusCode::UNAUTHORIZED, REFUSED).into_response();
    };
    let usage = match state.count_request(account) {
        Ok(usage) => usage,
        Err(error) => return error.into_response(),
    };
    let (token, expires) =
        state
            .lock_tokens()
            .issue(&account.username, state.now(), state.token_lifetime);
    let payload = TokenResponse {
        token: Secret::new(token),
        expires: Some(expires),
        extra: Default::default(),
    };
    Success::flat(payload).into_response(Some(usage), state.quirks_seed())
}
