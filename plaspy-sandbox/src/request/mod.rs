//! Requests read as the real ASP.NET Core server reads them, with the sandbox's own
//! request types (never the SDK's request types nor its lenient date parser, so that the
//! sandbox can catch a client that sends what the server would refuse):
//!
//! - property names in any letter case (`userName`, `UserName`, `username`); unknown
//!   properties ignored; a property sent twice takes its last value;
//! - values converted as System.Text.Json converts them with the web defaults: numbers may
//!   be quoted, nothing else is coerced, an array is never bound to an object;
//! - date-times as System.Text.Json reads them, see [`datetime`].

pub(crate) mod datetime;
pub(crate) mod json;
mod types;

pub(crate) use json::Json;
pub(crate) use types::{
    CommandRequest, GroupRequest, PatchRequest, RangeRequest, TokenRequest, UserRequest,
};
