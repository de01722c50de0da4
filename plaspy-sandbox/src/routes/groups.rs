//! `/api/groups`: CRUD and JSON Patch.

use axum::Router;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::get;
use chrono::{DateTime, Utc};
use plaspy_types::Group;

use super::patch;
use crate::auth::Ctx;
use crate::reply::{ApiError, ApiResult, JsonBody, Success};
use crate::request::GroupRequest;
use crate::state::{AccountData, Shared};

/// A group's properties, as a JSON Patch path may name them in any case.
const FIELDS: [&str; 6] = [
    "id",
    "name",
    "description",
    "devices",
    "creation",
    "lastModified",
];

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

/// The stored group for a request (400 if it is over the size limit).
fn build(
    ctx: &Ctx,
    id: String,
    request: GroupRequest,
    creation: Option<DateTime<Utc>>,
) -> Result<Group, ApiError> {
    let now = ctx.now();
    let mut group = Group::default();
    group.id = Some(id);
    group.name = request.name;
    group.description = request.description;
    group.devices = request.devices;
    group.creation = creation.or(Some(now));
    group.last_modified = Some(now);
    patch::check_size(&group, ctx.state.max_object_bytes, "group")?;
    Ok(group)
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
        let request = GroupRequest::read(&body.json()?)?;
        let mut data = ctx.account.data();
        patch::check_room(data.groups.len(), ctx.state.max_objects, "groups")?;
        let id = data.next_group_id();
        let group = build(&ctx, id, request, None)?;
        data.groups.push(group.clone());
        Ok(Success::flat(group).created())
    })();
    ctx.reply(result)
}

async fn replace(ctx: Ctx, Path(id): Path<String>, body: JsonBody) -> Response {
    let result = (|| -> ApiResult {
        let request = GroupRequest::read(&body.json()?)?;
        let mut data = ctx.account.data();
        let i = position(&data, &id)?;
        let group = build(&ctx, id, request, data.groups[i].creation)?;
        data.groups[i] = group.clone();
        Ok(Success::flat(group))
    })();
    ctx.reply(result)
}

async fn modify(ctx: Ctx, Path(id): Path<String>, body: JsonBody) -> Response {
    let result = (|| -> ApiResult {
        let operations = patch::parse(&body, ctx.state.max_patch_operations, &FIELDS)?;
        let mut data = ctx.account.data();
        let i = position(&data, &id)?;
        let current = &data.groups[i];
        let doc = patch::apply(current, &operations, ctx.state.max_object_bytes, "group")?;
        let json = patch::read_back(&doc, current.id.as_deref(), "group")?;
        let group = build(&ctx, id, GroupRequest::read(&json)?, current.creation)?;
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
