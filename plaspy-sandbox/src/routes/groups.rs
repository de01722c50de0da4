//! `/api/groups`: CRUD and JSON Patch.

use axum::Router;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::get;
use chrono::{DateTime, Utc};
use plaspy_types::{Group, GroupInput};

use super::patch;
use crate::auth::Ctx;
use crate::reply::{ApiError, ApiResult, JsonBody, Success};
use crate::state::{AccountData, Shared};

/// Fields the server sets; kept out of a group's unknown fields.
const RESERVED: [&str; 3] = ["id", "creation", "lastModified"];

pub(super) fn routes() -> Router<Shared> {
    Router::new()
        .route("/api/groups", get(list).post(create))
        .route(
            "/api/groups/{id}",
            get(one).put(replace).patch(modify).delete(remove),
        )
}

fn position(data: &AccountData, id: &str) -> Result<usize, ApiError> {
    data.groups
        .iter()
        .position(|g| g.id() == id)
        .ok_or_else(|| ApiError::not_found("Group not found"))
}

fn build(
    id: String,
    input: GroupInput,
    creation: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Group {
    let mut extra = input.extra;
    patch::strip_reserved(&mut extra, &RESERVED);
    {
        let mut group = Group::default();
        group.id = Some(id);
        group.name = input.name;
        group.description = input.description;
        group.devices = input.devices;
        group.creation = creation.or(Some(now));
        group.last_modified = Some(now);
        group.extra = extra;
        group
    }
}

async fn list(ctx: Ctx) -> Response {
    let groups = ctx.account.data().groups.clone();
    ctx.reply(Ok(Success::named("groups", groups)))
}

async fn one(ctx: Ctx, Path(id): Path<String>) -> Response {
    let data = ctx.account.data();
    let result = position(&data, &id).map(|i| Success::flat(&data.groups[i]));
    drop(data);
    ctx.reply(result)
}

async fn create(ctx: Ctx, body: JsonBody) -> Response {
    let result = (|| -> ApiResult {
        let input: GroupInput = body.parse()?;
        input.validate()?;
        let now = ctx.now();
        let mut data = ctx.account.data();
        patch::check_room(data.groups.len(), ctx.state.max_objects, "groups")?;
        patch::check_size(&input, ctx.state.max_object_bytes, "group")?;
        let group = build(data.next_group_id(), input, None, now);
        data.groups.push(group.clone());
        Ok(Success::flat(group).created())
    })();
    ctx.reply(result)
}

async fn replace(ctx: Ctx, Path(id): Path<String>, body: JsonBody) -> Response {
    let result = (|| -> ApiResult {
        let input: GroupInput = body.parse()?;
        input.validate()?;
        let now = ctx.now();
        let mut data = ctx.account.data();
        let i = position(&data, &id)?;
        patch::check_size(&input, ctx.state.max_object_bytes, "group")?;
        let group = build(id, input, data.groups[i].creation, now);
        data.groups[i] = group.clone();
        Ok(Success::flat(group))
    })();
    ctx.reply(result)
}

async fn modify(ctx: Ctx, Path(id): Path<String>, body: JsonBody) -> Response {
    let result = (|| -> ApiResult {
        let operations = patch::parse(&body, ctx.state.max_patch_operations)?;
        let now = ctx.now();
        let mut data = ctx.account.data();
        let i = position(&data, &id)?;
        let current = &data.groups[i];
        let doc = patch::apply(current, &operations, ctx.state.max_object_bytes, "group")?;
        let mut group: Group = patch::read_back(doc, "group")?;
        if group.id != current.id {
            return Err(ApiError::bad_request("A group's `id` cannot be changed"));
        }
        group.to_input().validate()?;
        group.creation = current.creation;
        group.last_modified = Some(now);
        patch::strip_reserved(&mut group.extra, &RESERVED);
        data.groups[i] = group.clone();
        Ok(Success::flat(group))
    })();
    ctx.reply(result)
}

async fn remove(ctx: Ctx, Path(id): Path<String>) -> Response {
    let result = (|| -> ApiResult {
        let mut data = ctx.account.data();
        let i = position(&data, &id)?;
        data.groups.remove(i);
        Ok(Success::empty())
    })();
    ctx.reply(result)
}
