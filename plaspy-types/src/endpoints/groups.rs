use super::collection::{Collection, Create, Delete, Get, List, Patch, Update};
use crate::error::Result;
use crate::models::{Group, GroupInput};

/// The `/api/groups` collection.
#[derive(Debug, Clone, Copy)]
pub struct Groups;

impl Collection for Groups {
    const PATH: &'static str = "/api/groups";
    const LIST_FIELD: &'static str = "groups";
    const NOUN: &'static str = "group";
    type Item = Group;
    type Input = GroupInput;
    fn validate(input: &GroupInput) -> Result<()> {
        input.validate()
    }
}

/// `GET /api/groups`.
pub type ListGroups = List<Groups>;
/// `GET /api/groups/{id}`.
pub type GetGroup<'a> = Get<'a, Groups>;
/// `POST /api/groups`.
pub type CreateGroup<'a> = Create<'a, Groups>;
/// `PUT /api/groups/{id}`.
pub type UpdateGroup<'a> = Update<'a, Groups>;
/// `PATCH /api/groups/{id}`.
pub type PatchGroup<'a> = Patch<'a, Groups>;
/// `DELETE /api/groups/{id}`.
pub type DeleteGroup<'a> = Delete<'a, Groups>;
