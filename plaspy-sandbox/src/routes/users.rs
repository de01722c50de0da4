//! `/api/users`: CRUD and JSON Patch, plus the countries and time-zones lists.

use axum::Router;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::get;
use chrono::{DateTime, Utc};
use plaspy_types::{User, UserInput};
use serde_json::Value;

use super::patch;
use crate::auth::Ctx;
use crate::reference;
use crate::reply::{ApiError, ApiResult, JsonBody, Success};
use crate::state::{AccountData, Shared};

/// Fields the server sets; kept out of a user's unknown fields.
const RESERVED: [&str; 4] = ["id", "creation", "modification", "lastLogin"];

pub(super) fn routes() -> Router<Shared> {
    Router::new()
        .route("/api/users", get(list).post(create))
        .route("/api/users/countries", get(countries))
        .route("/api/users/timeZones", get(time_zones))
        .route(
            "/api/users/{id}",
            get(one).put(replace).patch(modify).delete(remove),
        )
}

/// A user as answered: `password` is always `null`.
fn shown(user: &User) -> Value {
    let mut value = serde_json::to_value(user).unwrap_or_default();
    if let Some(map) = value.as_object_mut() {
        map.insert("password".into(), Value::Null);
    }
    value
}

fn position(data: &AccountData, id: &str) -> Result<usize, ApiError> {
    data.users
        .iter()
        .position(|u| u.id() == id)
        .ok_or_else(|| ApiError::not_found("User not found"))
}

/// 409 if another user than `id` has this e-mail address.
fn check_email(data: &AccountData, email: &str, id: &str) -> Result<(), ApiError> {
    let taken = data
        .users
        .iter()
        .any(|u| u.id() != id && u.email.trim().eq_ignore_ascii_case(email.trim()));
    if taken {
        return Err(ApiError::conflict(format!(
            "A user with the e-mail address {email} already exists"
        )));
    }
    Ok(())
}

/// 400 if a user (its password included, stored apart) is over the object size limit.
fn check_user_size(ctx: &Ctx, input: &UserInput) -> Result<(), ApiError> {
    let max = ctx.state.max_object_bytes;
    patch::check_size(input, max, "user")?;
    let password = input.password.as_ref().map_or(0, |p| p.expose().len());
    if password > max {
        return Err(ApiError::bad_request(format!(
            "The password is too long: the size limit is {max} bytes"
        )));
    }
    Ok(())
}

/// A stored user from an input; the password is kept apart.
struct Built {
    user: User,
    password: Option<String>,
}

fn build(id: String, input: UserInput, kept: Option<&User>, now: DateTime<Utc>) -> Built {
    let mut extra = input.extra;
    patch::strip_reserved(&mut extra, &RESERVED);
    let user = {
        let mut user = User::default();
        user.id = Some(id);
        user.name = input.name;
        user.email = input.email;
        user.country = input.country;
        user.time_zone = input.time_zone;
        user.description = input.description;
        user.message = input.message;
        user.disabled = input.disabled;
        user.disabled_message = input.disabled_message;
        user.tags = input.tags;
        user.privileges = input.privileges;
        user.group = input.group;
        user.device_id = input.device_id;
        user.admin_devices = input.admin_devices;
        user.from = input.from;
        user.expires = input.expires;
        user.password = None;
        user.creation = kept.and_then(|u| u.creation).or(Some(now));
        user.modification = Some(now);
        user.last_login = kept.and_then(|u| u.last_login);
        user.extra = extra;
        user
    };
    Built {
        user,
        password: input.password.map(|p| p.expose().to_owned()),
    }
}

fn store(data: &mut AccountData, index: Option<usize>, built: Built) -> User {
    let Built { user, password } = built;
    if let Some(password) = password {
        data.passwords.insert(user.id().to_owned(), password);
    }
    match index {
        Some(i) => data.users[i] = user.clone(),
        None => data.users.push(user.clone()),
    }
    user
}

async fn list(ctx: Ctx) -> Response {
    let users: Vec<Value> = ctx.account.data().users.iter().map(shown).collect();
    ctx.reply(Ok(Success::named("users", users)))
}

async fn one(ctx: Ctx, Path(id): Path<String>) -> Response {
    let data = ctx.account.data();
    let result = position(&data, &id).map(|i| Success::flat(shown(&data.users[i])));
    drop(data);
    ctx.reply(result)
}

async fn create(ctx: Ctx, body: JsonBody) -> Response {
    let result = (|| -> ApiResult {
        let input: UserInput = body.parse()?;
        input.validate()?;
        let now = ctx.now();
        let mut data = ctx.account.data();
        patch::check_room(data.users.len(), ctx.state.max_objects, "users")?;
        check_user_size(&ctx, &input)?;
        check_email(&data, &input.email, "")?;
        let id = data.next_user_id();
        let user = store(&mut data, None, build(id, input, None, now));
        Ok(Success::flat(shown(&user)).created())
    })();
    ctx.reply(result)
}

async fn replace(ctx: Ctx, Path(id): Path<String>, body: JsonBody) -> Response {
    let result = (|| -> ApiResult {
        let input: UserInput = body.parse()?;
        input.validate()?;
        let now = ctx.now();
        let mut data = ctx.account.data();
        let i = position(&data, &id)?;
        check_user_size(&ctx, &input)?;
        check_email(&data, &input.email, &id)?;
        let built = build(id, input, Some(&data.users[i]), now);
        let user = store(&mut data, Some(i), built);
        Ok(Success::flat(shown(&user)))
    })();
    ctx.reply(result)
}

async fn modify(ctx: Ctx, Path(id): Path<String>, body: JsonBody) -> Response {
    let result = (|| -> ApiResult {
        let operations = patch::parse(&body, ctx.state.max_patch_operations)?;
        let now = ctx.now();
        let mut data = ctx.account.data();
        let i = position(&data, &id)?;
        let current = data.users[i].clone();
        let doc = patch::apply(&current, &operations, ctx.state.max_object_bytes, "user")?;
        let mut patched: User = patch::read_back(doc, "user")?;
        if patched.id != current.id {
            return Err(ApiError::bad_request("A user's `id` cannot be changed"));
        }
        let password = patched.password.take();
        let mut input = patched.to_input();
        input.password = password;
        input.validate()?;
        check_user_size(&ctx, &input)?;
        check_email(&data, &input.email, &id)?;
        let built = build(id, input, Some(&current), now);
        let user = store(&mut data, Some(i), built);
        Ok(Success::flat(shown(&user)))
    })();
    ctx.reply(result)
}

async fn remove(ctx: Ctx, Path(id): Path<String>) -> Response {
    let result = (|| -> ApiResult {
        let mut data = ctx.account.data();
        let i = position(&data, &id)?;
        data.users.remove(i);
        data.passwords.remove(&id);
        Ok(Success::empty())
    })();
    ctx.reply(result)
}

async fn countries(ctx: Ctx) -> Response {
    ctx.reply(Ok(Success::named("countries", reference::countries())))
}

async fn time_zones(ctx: Ctx) -> Response {
    ctx.reply(Ok(Success::named("timeZones", reference::time_zones())))
}
