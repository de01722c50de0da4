//! The six CRUD endpoints groups and users share, written once over a [`Collection`].

use std::marker::PhantomData;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{Endpoint, json_body, segment};
use crate::envelope::{DecodeLimits, Reply, decode_empty, decode_flattened, decode_list, missing};
use crate::error::{Error, Result};
use crate::http::{HttpResponse, Method};
use crate::models::PatchOperation;

/// A resource collection with list/get/create/update/patch/delete endpoints.
pub trait Collection {
    /// The path of the collection (`/api/groups`).
    const PATH: &'static str;
    /// The field holding the list in the list response (`groups`).
    const LIST_FIELD: &'static str;
    /// The singular noun, for messages (`group`).
    const NOUN: &'static str;
    /// The resource as the server returns it.
    type Item: DeserializeOwned;
    /// The body of create and update.
    type Input: Serialize;
    /// Checks an input before it is sent.
    fn validate(input: &Self::Input) -> Result<()>;
}

fn item_path<C: Collection>(id: &str) -> Result<String> {
    Ok(format!("{}/{}", C::PATH, segment(C::NOUN, id)?))
}

fn single<C: Collection>(response: &HttpResponse) -> Result<Reply<C::Item>> {
    let reply = decode_flattened::<C::Item>(response)?;
    let value = reply.value.ok_or_else(|| missing(C::NOUN))?;
    Ok(Reply {
        value,
        usage: reply.usage,
    })
}

/// `GET {collection}`: every item.
#[derive(Debug)]
pub struct List<C>(PhantomData<fn() -> C>);

impl<C> Default for List<C> {
    fn default() -> Self {
        List(PhantomData)
    }
}

impl<C: Collection> Endpoint for List<C> {
    type Output = Vec<C::Item>;
    fn method(&self) -> Method {
        Method::Get
    }
    fn path(&self) -> Result<String> {
        Ok(C::PATH.into())
    }
    fn decode(&self, response: &HttpResponse) -> Result<Reply<Vec<C::Item>>> {
        self.decode_within(response, &DecodeLimits::default())
    }
    fn decode_within(
        &self,
        response: &HttpResponse,
        limits: &DecodeLimits,
    ) -> Result<Reply<Vec<C::Item>>> {
        decode_list(response, C::LIST_FIELD, limits)
    }
}

/// `GET {collection}/{id}`: one item.
#[derive(Debug)]
pub struct Get<'a, C> {
    /// The item's id.
    pub id: &'a str,
    _c: PhantomData<fn() -> C>,
}

impl<'a, C> Get<'a, C> {
    /// The item with this id.
    ///
    /// ```
    /// use plaspy_types::Endpoint;
    /// use plaspy_types::endpoints::{Get, Groups};
    ///
    /// // What `client.groups().get("grp-1")` runs; `client.execute(&endpoint)` runs it too.
    /// let endpoint = Get::<Groups>::new("grp-1");
    /// assert_eq!(endpoint.request()?.path, "/api/groups/grp-1");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(id: &'a str) -> Self {
        Get {
            id,
            _c: PhantomData,
        }
    }
}

impl<C: Collection> Endpoint for Get<'_, C> {
    type Output = C::Item;
    fn method(&self) -> Method {
        Method::Get
    }
    fn path(&self) -> Result<String> {
        item_path::<C>(self.id)
    }
    fn decode(&self, response: &HttpResponse) -> Result<Reply<C::Item>> {
        single::<C>(response)
    }
}

/// `POST {collection}`: creates an item. Never retried automatically.
#[derive(Debug)]
pub struct Create<'a, C: Collection> {
    /// The new item.
    pub input: &'a C::Input,
}

impl<'a, C: Collection> Create<'a, C> {
    /// Creates `input`.
    ///
    /// ```
    /// use plaspy_types::{Endpoint, GroupInput};
    /// use plaspy_types::endpoints::{Create, Groups};
    ///
    /// let input = GroupInput::new("Night shift");
    /// let request = Create::<Groups>::new(&input).request()?;
    /// assert!(!request.retry_safe); // never repeated once it may have been sent
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(input: &'a C::Input) -> Self {
        Create { input }
    }
}

impl<C: Collection> Endpoint for Create<'_, C> {
    type Output = C::Item;
    fn method(&self) -> Method {
        Method::Post
    }
    fn path(&self) -> Result<String> {
        Ok(C::PATH.into())
    }
    fn body(&self) -> Result<Option<Vec<u8>>> {
        C::validate(self.input)?;
        json_body(self.input)
    }
    fn decode(&self, response: &HttpResponse) -> Result<Reply<C::Item>> {
        single::<C>(response)
    }
}

/// `PUT {collection}/{id}`: replaces an item.
#[derive(Debug)]
pub struct Update<'a, C: Collection> {
    /// The item's id.
    pub id: &'a str,
    /// Its new content.
    pub input: &'a C::Input,
}

impl<'a, C: Collection> Update<'a, C> {
    /// Replaces item `id` with `input`.
    ///
    /// ```
    /// use plaspy_types::{Endpoint, GroupInput};
    /// use plaspy_types::endpoints::{Groups, Update};
    ///
    /// let input = GroupInput::new("North");
    /// let request = Update::<Groups>::new("grp-1", &input).request()?;
    /// assert_eq!(request.path, "/api/groups/grp-1");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(id: &'a str, input: &'a C::Input) -> Self {
        Update { id, input }
    }
}

impl<C: Collection> Endpoint for Update<'_, C> {
    type Output = C::Item;
    fn method(&self) -> Method {
        Method::Put
    }
    fn path(&self) -> Result<String> {
        item_path::<C>(self.id)
    }
    fn body(&self) -> Result<Option<Vec<u8>>> {
        C::validate(self.input)?;
        json_body(self.input)
    }
    fn decode(&self, response: &HttpResponse) -> Result<Reply<C::Item>> {
        single::<C>(response)
    }
}

/// `PATCH {collection}/{id}`: applies JSON Patch operations. Never retried automatically.
#[derive(Debug)]
pub struct Patch<'a, C> {
    /// The item's id.
    pub id: &'a str,
    /// The operations, applied in order.
    pub operations: &'a [PatchOperation],
    _c: PhantomData<fn() -> C>,
}

impl<'a, C> Patch<'a, C> {
    /// Patches item `id`.
    ///
    /// ```
    /// use plaspy_types::{Endpoint, PatchOperation};
    /// use plaspy_types::endpoints::{Groups, Patch};
    ///
    /// let ops = [PatchOperation::remove("/description")];
    /// let request = Patch::<Groups>::new("grp-1", &ops).request()?;
    /// assert_eq!(request.path, "/api/groups/grp-1");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(id: &'a str, operations: &'a [PatchOperation]) -> Self {
        Patch {
            id,
            operations,
            _c: PhantomData,
        }
    }
}

impl<C: Collection> Endpoint for Patch<'_, C> {
    type Output = C::Item;
    fn method(&self) -> Method {
        Method::Patch
    }
    fn path(&self) -> Result<String> {
        item_path::<C>(self.id)
    }
    fn body(&self) -> Result<Option<Vec<u8>>> {
        if self.operations.is_empty() {
            return Err(Error::invalid_input("a patch needs at least one operation"));
        }
        self.operations
            .iter()
            .try_for_each(PatchOperation::validate)?;
        json_body(self.operations)
    }
    fn decode(&self, response: &HttpResponse) -> Result<Reply<C::Item>> {
        single::<C>(response)
    }
}

/// `DELETE {collection}/{id}`: deletes an item.
#[derive(Debug)]
pub struct Delete<'a, C> {
    /// The item's id.
    pub id: &'a str,
    _c: PhantomData<fn() -> C>,
}

impl<'a, C> Delete<'a, C> {
    /// Deletes item `id`.
    ///
    /// ```
    /// use plaspy_types::Endpoint;
    /// use plaspy_types::endpoints::{Delete, Users};
    ///
    /// let request = Delete::<Users>::new("usr-9").request()?;
    /// assert_eq!(request.path, "/api/users/usr-9");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(id: &'a str) -> Self {
        Delete {
            id,
            _c: PhantomData,
        }
    }
}

impl<C: Collection> Endpoint for Delete<'_, C> {
    type Output = ();
    fn method(&self) -> Method {
        Method::Delete
    }
    fn path(&self) -> Result<String> {
        item_path::<C>(self.id)
    }
    fn decode(&self, response: &HttpResponse) -> Result<Reply<()>> {
        decode_empty(response)
    }
}
