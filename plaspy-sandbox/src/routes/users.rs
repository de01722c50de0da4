//! `/api/users`: CRUD and JSON Patch, plus the countries and time-zones lists.

use axum::Router;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::get;
use plaspy_types::User;
use serde_json::Value;

use super::patch;
use crate::auth::Ctx;
use crate::reference;
use crate::reply::{ApiError, ApiResult, JsonBody, Success};
use crate::request::UserRequest;
use crate::state::{AccountData, Shared};

/// A user's properties, as a JSON Patch path may name them in any case.
const FIELDS: [&str; 20] = [
    "id",
    "name",
    "email",
    "country",
    "timeZone",
    "description",
    "message",
    "disabled",
    "disabledMessage",
    "tags",
    "privileges",
    "group",
    "deviceId",
    "adminDevices",
    "from",
    "expires",
    "password",
    "creation",
    "modification",
    "lastLogin",
];

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

/// A stored user from a request; the password is kept apart.
struct Built {
    user: User,
    password: Option<String>,
}

/// The stored user for a request (400 if it, or its password, is over the size limit).
fn build(
    ctx: &Ctx,
    id: String,
    request: UserRequest,
    kept: Option<&User>,
) -> Result<Built, ApiError> {
    let now = ctx.now();
    let max = ctx.state.max_object_bytes;
    let mut user = User::default();
    user.id = Some(id);
    user.name = request.name;
    user.email = request.email;
    user.country = request.country;
    user.time_zone = request.time_zone;
    user.description = request.description;
    user.message = request.message;
    user.disabled = request.disabled;
    user.disabled_message = request.disabled_message;
    user.tags = request.tags.map(Into::into);
    user.privileges = request.privileges;
    user.group = request.group;
    user.device_id = request.device_id;
    user.admin_devices = request.admin_devices;
    user.from = request.from;
    user.expires = request.expires;
    user.password = None;
    user.creation = kept.and_then(|u| u.creation).or(Some(now));
    user.modification = Some(now);
    user.last_login = kept.and_then(|u| u.last_login);
    patch::check_size(&user, max, "user")?;
    if request.password.as_ref().is_some_and(|p| p.len() > max) {
        return Err(ApiError::bad_request(format!(
            "The password is too long: the size limit is {max} bytes"
        )));
    }
    Ok(Built {
        user,
        password: request.password,
    })
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
        let request = UserRequest::read(&body.json()?)?;
        let mut data = ctx.account.data();
        patch::check_room(data.users.len(), ctx.state.max_objects, "users")?;
        check_email(&data, &request.email, "")?;
        let id = data.next_user_id();
        let built = build(&ctx, id, request, None)?;
        let user = store(&mut data, None, built);
        Ok(Success::flat(shown(&user)).created())
    })();
    ctx.reply(result)
}

async fn replace(ctx: Ctx, Path(id): Path<String>, body: JsonBody) -> Response {
    let result = (|| -> ApiResult {
        let request = UserRequest::read(&body.json()?)?;
        let mut data = ctx.account.data();
        let i = position(&data, &id)?;
        check_email(&data, &request.email, &id)?;
        let built = build(&ctx, id, request, Some(&data.users[i]))?;
        let user = store(&mut data, Some(i), built);
        Ok(Success::flat(shown(&user)))
    })();
    ctx.reply(result)
}

async fn modify(ctx: Ctx, Path(id): Path<String>, body: JsonBody) -> Response {
    let result = (|| -> ApiResult {
        let operations = patch::parse(&body, ctx.state.max_patch_operations, &FIELDS)?;
        let mut data = ctx.account.data();
        let i = position(&data, &id)?;
        let current = data.users[i].clone();
        // The stored password is not part of the document: a patch may set it, and a
        // `test` cannot read it.
        let doc = patch::apply(&current, &operations, ctx.state.max_object_bytes, "user")?;
        let json = patch::read_back(&doc, current.id.as_deref(), "user")?;
        let request = UserRequest::read(&json)?;
        check_email(&data, &request.email, &id)?;
        let built = build(&ctx, id, request, Some(&current))?;
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
