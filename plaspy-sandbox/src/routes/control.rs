//! The control routes under `/_sandbox` (outside `/api`, no token needed): faults, token
//! expiry, the command log, the rate limit, the clock, and a data reset.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::faults::{FaultConfig, FaultUpdate};
use crate::reply::{ApiError, JsonBody, json_response};
use crate::state::Shared;

pub(super) fn routes() -> Router<Shared> {
    Router::new()
        .route("/_sandbox", get(status))
        .route(
            "/_sandbox/faults",
            get(faults).post(set_faults).delete(clear_faults),
        )
        .route("/_sandbox/expire-tokens", post(expire_tokens))
        .route("/_sandbox/commands", get(commands).delete(clear_commands))
        .route("/_sandbox/commands/{device_id}", get(device_commands))
        .route("/_sandbox/rate-limit", get(rate_limit).post(set_rate_limit))
        .route("/_sandbox/time", get(time).post(set_time))
        .route("/_sandbox/reset", post(reset))
}

fn ok(body: Value) -> Response {
    json_response(StatusCode::OK, &body)
}

fn now_text(state: &Shared) -> String {
    plaspy_types::de::format_datetime(&state.now())
}

async fn status(State(state): State<Shared>) -> Response {
    let accounts: Vec<Value> = state
        .accounts
        .iter()
        .map(|a| {
            let data = a.data();
            let usage = a.usage();
            json!({
                "username": a.username,
                "devices": a.fleet.vehicles().len(),
                "groups": data.groups.len(),
                "users": data.users.len(),
                "apiUsage": usage.total,
                "apiDailyUsage": usage.daily,
            })
        })
        .collect();
    let faults = state.lock_faults().config.clone();
    ok(json!({
        "name": "plaspy-sandbox",
        "version": env!("CARGO_PKG_VERSION"),
        "seed": state.seed,
        "now": now_text(&state),
        "tokenLifetimeSeconds": state.token_lifetime.num_seconds(),
        "rateLimit": state.rate_limit(),
        "maxRangeDays": state.max_range_days,
        "maxRecords": state.max_records,
        "refuseOverCap": state.refuse_over_cap,
        "faults": faults,
        "accounts": accounts,
    }))
}

async fn faults(State(state): State<Shared>) -> Response {
    ok(json!(state.lock_faults().config))
}

async fn set_faults(State(state): State<Shared>, body: JsonBody) -> Response {
    let update: FaultUpdate = match body.parse() {
        Ok(update) => update,
        Err(error) => return error.into_response(),
    };
    let mut faults = state.lock_faults();
    let config = update.apply(&faults.config);
    if let Err(message) = config.validate() {
        return ApiError::bad_request(message).into_response();
    }
    faults.config = config.clone();
    drop(faults);
    let mut answer = json!(config);
    if update.expire_tokens {
        answer["expiredTokens"] = json!(state.lock_tokens().expire_all(state.now()));
    }
    ok(answer)
}

async fn clear_faults(State(state): State<Shared>) -> Response {
    state.lock_faults().config = FaultConfig::none();
    ok(json!(FaultConfig::none()))
}

async fn expire_tokens(State(state): State<Shared>) -> Response {
    let expired = state.lock_tokens().expire_all(state.now());
    ok(json!({ "expiredTokens": expired }))
}

#[derive(Deserialize)]
struct AccountFilter {
    account: Option<String>,
}

async fn commands(State(state): State<Shared>, Query(q): Query<AccountFilter>) -> Response {
    let list = state.lock_commands().list(None, q.account.as_deref());
    ok(json!({ "commands": list }))
}

async fn device_commands(
    State(state): State<Shared>,
    Path(device_id): Path<String>,
    Query(q): Query<AccountFilter>,
) -> Response {
    let list = state
        .lock_commands()
        .list(Some(&device_id), q.account.as_deref());
    ok(json!({ "deviceId": device_id, "commands": list }))
}

async fn clear_commands(State(state): State<Shared>) -> Response {
    let cleared = state.lock_commands().clear();
    ok(json!({ "cleared": cleared }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RateLimit {
    requests_per_minute: Option<u32>,
}

async fn rate_limit(State(state): State<Shared>) -> Response {
    ok(json!({ "requestsPerMinute": state.rate_limit() }))
}

async fn set_rate_limit(State(state): State<Shared>, body: JsonBody) -> Response {
    match body.parse::<RateLimit>() {
        Ok(limit) => {
            state.set_rate_limit(limit.requests_per_minute);
            ok(json!({ "requestsPerMinute": state.rate_limit() }))
        }
        Err(error) => error.into_response(),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Advance {
    advance_seconds: i64,
}

async fn time(State(state): State<Shared>) -> Response {
    ok(json!({ "now": now_text(&state), "offsetSeconds": state.offset() }))
}

async fn set_time(State(state): State<Shared>, body: JsonBody) -> Response {
    match body.parse::<Advance>() {
        Ok(advance) => match state.advance(advance.advance_seconds) {
            Ok(offset) => ok(json!({ "now": now_text(&state), "offsetSeconds": offset })),
            Err(message) => ApiError::bad_request(message).into_response(),
        },
        Err(error) => error.into_response(),
    }
}

async fn reset(State(state): State<Shared>) -> Response {
    state.reset();
    ok(json!({ "reset": true }))
}
