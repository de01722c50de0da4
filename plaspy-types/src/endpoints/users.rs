use std::collections::BTreeMap;

use super::Endpoint;
use super::collection::{Collection, Create, Delete, Get, List, Patch, Update};
use crate::envelope::{Reply, decode_named};
use crate::error::Result;
use crate::http::{HttpResponse, Method};
use crate::models::{Countries, TextMap, TimeZones, User, UserInput};

/// The `/api/users` collection.
#[derive(Debug, Clone, Copy)]
pub struct Users;

impl Collection for Users {
    const PATH: &'static str = "/api/users";
    const LIST_FIELD: &'static str = "users";
    const NOUN: &'static str = "user";
    type Item = User;
    type Input = UserInput;
    fn validate(input: &UserInput) -> Result<()> {
        input.validate()
    }
}

/// `GET /api/users`.
pub type ListUsers = List<Users>;
/// `GET /api/users/{id}`.
pub type GetUser<'a> = Get<'a, Users>;
/// `POST /api/users`.
pub type CreateUser<'a> = Create<'a, Users>;
/// `PUT /api/users/{id}`.
pub type UpdateUser<'a> = Update<'a, Users>;
/// `PATCH /api/users/{id}`.
pub type PatchUser<'a> = Patch<'a, Users>;
/// `DELETE /api/users/{id}`.
pub type DeleteUser<'a> = Delete<'a, Users>;

/// A code-to-name map, tolerant of non-string values.
fn text_map(response: &HttpResponse, field: &str) -> Result<Reply<BTreeMap<String, String>>> {
    Ok(
        decode_named::<TextMap>(response, field)?
            .map(|map| map.map(Into::into).unwrap_or_default()),
    )
}

/// `GET /api/users/countries`: ISO 3166 alpha-2 code to country name.
#[derive(Debug, Clone, Copy, Default)]
pub struct ListCountries;

impl Endpoint for ListCountries {
    type Output = Countries;
    fn method(&self) -> Method {
        Method::Get
    }
    fn path(&self) -> Result<String> {
        Ok("/api/users/countries".into())
    }
    fn decode(&self, response: &HttpResponse) -> Result<Reply<Countries>> {
        text_map(response, "countries")
    }
}

/// `GET /api/users/timeZones`: IANA time-zone id to display name.
#[derive(Debug, Clone, Copy, Default)]
pub struct ListTimeZones;

impl Endpoint for ListTimeZones {
    type Output = TimeZones;
    fn method(&self) -> Method {
        Method::Get
    }
    fn path(&self) -> Result<String> {
        Ok("/api/users/timeZones".into())
    }
    fn decode(&self, response: &HttpResponse) -> Result<Reply<TimeZones>> {
        text_map(response, "timeZones")
    }
}
