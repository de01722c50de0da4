//! One definition per endpoint: method, path, body, retry safety and response decoding.
//!
//! A transport executes any [`Endpoint`] the same way: [`Endpoint::request`] gives the bytes
//! to send, [`Endpoint::decode`] turns what came back into the typed output. Paths live
//! here and nowhere else.

mod auth;
mod collection;
mod devices;
mod groups;
mod users;

pub use auth::RequestToken;
pub use collection::{Collection, Create, Delete, Get, List, Patch, Update};
pub use devices::{
    GetDevice, LastLocation, ListDevices, QueryAlerts, QueryAlertsChecked, QueryLocations,
    QueryLocationsChecked, SendCommand,
};
pub use groups::{CreateGroup, DeleteGroup, GetGroup, Groups, ListGroups, PatchGroup, UpdateGroup};
pub use users::{
    CreateUser, DeleteUser, GetUser, ListCountries, ListTimeZones, ListUsers, PatchUser,
    UpdateUser, Users,
};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

use crate::envelope::{DecodeLimits, Reply};
use crate::error::{Error, Result};
use crate::http::{HttpRequest, HttpResponse, Method};

/// One API endpoint: everything a transport needs to call it.
pub trait Endpoint {
    /// What a successful call returns.
    type Output;

    /// The HTTP method.
    fn method(&self) -> Method;

    /// The path below the base URL, ids percent-encoded. Fails on an empty id.
    fn path(&self) -> Result<String>;

    /// The JSON body, if the endpoint takes one. Validates the input first.
    fn body(&self) -> Result<Option<Vec<u8>>> {
        Ok(None)
    }

    /// Whether sending the request twice is harmless, so a transport may repeat it after a
    /// failure. True for GET, PUT and DELETE; the date-range POST queries override it.
    fn retry_safe(&self) -> bool {
        matches!(self.method(), Method::Get | Method::Put | Method::Delete)
    }

    /// Whether the endpoint needs a bearer token (all but the token endpoint).
    fn authenticated(&self) -> bool {
        true
    }

    /// Decodes a response (any status) into the output or the error it stands for.
    fn decode(&self, response: &HttpResponse) -> Result<Reply<Self::Output>>;

    /// [`decode`](Self::decode) within `limits`: the most records a reply may hold (the
    /// endpoints returning lists override this to apply it) and the memory its lists and
    /// maps may take.
    fn decode_within(
        &self,
        response: &HttpResponse,
        limits: &DecodeLimits,
    ) -> Result<Reply<Self::Output>> {
        crate::envelope::budget::within(limits.budget(response.body.len()), || {
            self.decode(response)
        })
    }

    /// The request to send.
    fn request(&self) -> Result<HttpRequest> {
        Ok(HttpRequest {
            method: self.method(),
            path: self.path()?,
            body: self.body()?,
            retry_safe: self.retry_safe(),
            authenticated: self.authenticated(),
        })
    }
}

/// Characters left as they are in a path segment: RFC 3986 unreserved.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// The longest id accepted, in bytes. Real ids are short; a longer one is a mistake (a
/// pasted file, a wrong variable) that would only make the server or a proxy fail.
pub const MAX_ID_BYTES: usize = 1024;

/// Percent-encodes an id for use as one path segment. Empty ids, `.`, `..` and ids longer
/// than [`MAX_ID_BYTES`] are refused.
pub(crate) fn segment(kind: &str, id: &str) -> Result<String> {
    if id.trim().is_empty() {
        return Err(Error::invalid_input(format!("the {kind} id is empty")));
    }
    if id.len() > MAX_ID_BYTES {
        return Err(Error::invalid_input(format!(
            "the {kind} id is {} bytes long, more than the {MAX_ID_BYTES} an id can have",
            id.len()
        )));
    }
    if id == "." || id == ".." {
        return Err(Error::invalid_input(format!(
            "`{id}` is not a valid {kind} id"
        )));
    }
    // Through `Cow`, not `Display`: an id with nothing to escape is copied, not formatted.
    Ok(std::borrow::Cow::from(utf8_percent_encode(id, SEGMENT)).into_owned())
}

/// Serializes a request body to JSON bytes.
pub(crate) fn json_body<T: Serialize + ?Sized>(value: &T) -> Result<Option<Vec<u8>>> {
    serde_json::to_vec(value).map(Some).map_err(|e| {
        Error::invalid_input(format!("the request body cannot be written as JSON: {e}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_encoded() {
        assert_eq!(segment("device", "abc-1_2.3~").unwrap(), "abc-1_2.3~");
        assert_eq!(
            segment("device", "a/b c?d#é").unwrap(),
            "a%2Fb%20c%3Fd%23%C3%A9"
        );
        assert!(segment("device", "").is_err());
        assert!(segment("device", "..").is_err());
        assert!(segment("device", &"x".repeat(MAX_ID_BYTES)).is_ok());
        let long = segment("device", &"x".repeat(100 * 1024)).unwrap_err();
        assert!(matches!(long, Error::InvalidInput { .. }), "{long:?}");
        assert!(long.to_string().contains("102400 bytes long"), "{long}");
    }
}
