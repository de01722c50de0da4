//! `/api/devices`: the fleet, positions, tracks, alerts and commands.

use axum::Router;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::{get, post};
use chrono::{DateTime, Duration, Utc};

use crate::auth::Ctx;
use crate::commands::CommandRecord;
use crate::fleet::Vehicle;
use crate::reply::{ApiError, ApiResult, JsonBody, Success};
use crate::request::{CommandRequest, RangeRequest};
use crate::state::Shared;

pub(super) fn routes() -> Router<Shared> {
    Router::new()
        .route("/api/devices", get(list))
        .route("/api/devices/{id}", get(one))
        .route("/api/devices/{id}/lastLocation", get(last_location))
        .route("/api/devices/{id}/locations", post(locations))
        .route("/api/devices/{id}/alerts", post(alerts))
        .route("/api/devices/{id}/sendCommand", post(send_command))
}

fn vehicle<'a>(ctx: &'a Ctx, id: &str) -> Result<&'a Vehicle, ApiError> {
    ctx.account
        .fleet
        .get(id)
        .ok_or_else(|| ApiError::not_found("Device not found"))
}

async fn list(ctx: Ctx) -> Response {
    let devices: Vec<_> = ctx
        .account
        .fleet
        .vehicles()
        .iter()
        .map(|v| &v.device)
        .collect();
    ctx.reply(Ok(Success::named("devices", devices)))
}

async fn one(ctx: Ctx, Path(id): Path<String>) -> Response {
    ctx.reply(vehicle(&ctx, &id).map(|v| Success::named("device", &v.device)))
}

async fn last_location(ctx: Ctx, Path(id): Path<String>) -> Response {
    let result = vehicle(&ctx, &id).map(|v| match v.last_location(ctx.now()) {
        Some(location) => Success::named("lastLocation", location),
        // Never reported: the envelope alone, as the real API does.
        None => Success::empty(),
    });
    ctx.reply(result)
}

/// Checks a query range against the range limit and clips its end to now (there is no
/// data from the future).
fn range(
    ctx: &Ctx,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<(DateTime<Utc>, DateTime<Utc>), ApiError> {
    if from > to {
        return Err(ApiError::bad_request("`from` must not be after `to`"));
    }
    let days = ctx.state.max_range_days;
    if to - from > Duration::days(i64::from(days)) {
        return Err(ApiError::bad_request(format!(
            "The date range is too long: the range limit is {days} days per query"
        )));
    }
    Ok((from, to.min(ctx.now())))
}

/// Applies the reply cap to records fetched with a limit of one more than the cap:
/// truncates them, or refuses the query when the sandbox is set to.
fn capped<T>(ctx: &Ctx, mut records: Vec<T>, noun: &str) -> Result<Vec<T>, ApiError> {
    let cap = ctx.state.max_records;
    if records.len() > cap {
        if ctx.state.refuse_over_cap {
            return Err(ApiError::bad_request(format!(
                "The reply is too large: the reply cap is {cap} {noun} per query; ask for a shorter range"
            )));
        }
        records.truncate(cap);
    }
    Ok(records)
}

async fn locations(ctx: Ctx, Path(id): Path<String>, body: JsonBody) -> Response {
    let result = (|| -> ApiResult {
        let vehicle = vehicle(&ctx, &id)?;
        let query = RangeRequest::read(&body.json()?)?;
        let (from, to) = range(&ctx, query.from, query.to)?;
        let limit = ctx.state.max_records.saturating_add(1);
        let fixes = capped(&ctx, vehicle.locations(from, to, limit), "fixes")?;
        Ok(Success::named("locations", fixes))
    })();
    ctx.reply(result)
}

async fn alerts(ctx: Ctx, Path(id): Path<String>, body: JsonBody) -> Response {
    let result = (|| -> ApiResult {
        let vehicle = vehicle(&ctx, &id)?;
        let query = RangeRequest::read(&body.json()?)?;
        let (from, to) = range(&ctx, query.from, query.to)?;
        let filter = query.alert_name.as_deref().filter(|n| !n.trim().is_empty());
        let limit = ctx.state.max_records.saturating_add(1);
        let alerts = capped(&ctx, vehicle.alerts(from, to, filter, limit), "alerts")?;
        Ok(Success::named("alerts", alerts))
    })();
    ctx.reply(result)
}

async fn send_command(ctx: Ctx, Path(id): Path<String>, body: JsonBody) -> Response {
    let result = (|| -> ApiResult {
        let vehicle = vehicle(&ctx, &id)?;
        let command = CommandRequest::read(&body.json()?)?;
        let max = ctx.state.max_object_bytes;
        if command.command.len() > max {
            return Err(ApiError::bad_request(format!(
                "The command is too long: the size limit is {max} bytes"
            )));
        }
        let payload = command.payload()?;
        let sms = command.sms;
        let result = if sms {
            let min = vehicle
                .device
                .min
                .as_deref()
                .filter(|m| !m.trim().is_empty());
            let Some(min) = min else {
                return Err(ApiError::bad_request(
                    "The device has no SIM number (`min`): it cannot receive SMS commands",
                ));
            };
            format!("Command queued for delivery by SMS to {min}")
        } else {
            "Command queued for delivery over GPRS".to_owned()
        };
        ctx.state.lock_commands().push(CommandRecord {
            seq: 0,
            account: ctx.account.username.clone(),
            device_id: vehicle.id().to_owned(),
            command: command.command.clone(),
            format: command.format,
            sms,
            payload_hex: payload.iter().map(|b| format!("{b:02x}")).collect(),
            received: ctx.now(),
            result: result.clone(),
        });
        Ok(Success::named("result", result))
    })();
    ctx.reply(result)
}
