//! `client.groups()` and `client.users()`: the CRUD endpoints, written once over a
//! [`Collection`].
//!
//! Written once as async code; `must_be_sync` turns it into the blocking flavour.

use std::marker::PhantomData;

use plaspy_types::endpoints::{
    self, Collection, Create, Delete, Get, List, ListCountries, ListTimeZones, Patch, Update,
};
use plaspy_types::{Countries, PatchOperation, Result, TimeZones};

use super::client::Client;
use super::{Transport, maybe};

/// The CRUD endpoints of one collection, from [`Client::groups`] or [`Client::users`].
#[derive(Debug)]
pub struct Resource<'c, T, C> {
    client: &'c Client<T>,
    _collection: PhantomData<fn() -> C>,
}

/// `client.groups()`: list, get, create, update, patch and delete groups.
pub type Groups<'c, T> = Resource<'c, T, endpoints::Groups>;
/// `client.users()`: the same six for users, plus `countries()` and `time_zones()`.
pub type Users<'c, T> = Resource<'c, T, endpoints::Users>;

impl<'c, T, C> Resource<'c, T, C> {
    pub(super) fn new(client: &'c Client<T>) -> Self {
        Resource {
            client,
            _collection: PhantomData,
        }
    }
}

#[maybe(AFIT)]
impl<T: Transport, C: Collection> Resource<'_, T, C>
where
    C::Input: Sync,
{
    /// Every item (`GET /api/{collection}`).
    pub async fn list(&self) -> Result<Vec<C::Item>> {
        self.client.run(&List::<C>::default()).await
    }

    /// One item (`GET /api/{collection}/{id}`).
    pub async fn get(&self, id: &str) -> Result<C::Item> {
        self.client.run(&Get::<C>::new(id)).await
    }

    /// Creates an item (`POST /api/{collection}`). Never repeated automatically once it may
    /// have reached the server.
    pub async fn create(&self, input: &C::Input) -> Result<C::Item> {
        self.client.run(&Create::<C>::new(input)).await
    }

    /// Replaces an item (`PUT /api/{collection}/{id}`).
    pub async fn update(&self, id: &str, input: &C::Input) -> Result<C::Item> {
        self.client.run(&Update::<C>::new(id, input)).await
    }

    /// Applies JSON Patch operations (`PATCH /api/{collection}/{id}`). Never repeated
    /// automatically once it may have reached the server.
    pub async fn patch(&self, id: &str, operations: &[PatchOperation]) -> Result<C::Item> {
        self.client.run(&Patch::<C>::new(id, operations)).await
    }

    /// Deletes an item (`DELETE /api/{collection}/{id}`).
    pub async fn delete(&self, id: &str) -> Result<()> {
        self.client.run(&Delete::<C>::new(id)).await
    }
}

#[maybe(AFIT)]
impl<T: Transport> Resource<'_, T, endpoints::Users> {
    /// Countries users may be in: ISO 3166 alpha-2 code to name (`GET /api/users/countries`).
    pub async fn countries(&self) -> Result<Countries> {
        self.client.run(&ListCountries).await
    }

    /// Time zones users may be in: IANA id to display name (`GET /api/users/timeZones`).
    pub async fn time_zones(&self) -> Result<TimeZones> {
        self.client.run(&ListTimeZones).await
    }
}
