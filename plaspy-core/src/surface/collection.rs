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
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// let groups = client.groups().list()?;
    /// let users = client.users().list()?;
    /// println!("{} groups, {} users", groups.len(), users.len());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub async fn list(&self) -> Result<Vec<C::Item>> {
        self.client.run(&List::<C>::default()).await
    }

    /// One item (`GET /api/{collection}/{id}`).
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// let group = client.groups().get("grp-1")?;
    /// println!("{}: {:?}", group.name, group.devices);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub async fn get(&self, id: &str) -> Result<C::Item> {
        self.client.run(&Get::<C>::new(id)).await
    }

    /// Creates an item (`POST /api/{collection}`). Never repeated automatically once it may
    /// have reached the server.
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// use plaspy_blocking::GroupInput;
    ///
    /// let input = GroupInput::new("Night shift").description("22:00 to 06:00").device("dev-01");
    /// let group = client.groups().create(&input)?;
    /// assert_eq!(group.name, "Night shift");
    /// println!("created {:?}", group.id);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub async fn create(&self, input: &C::Input) -> Result<C::Item> {
        self.client.run(&Create::<C>::new(input)).await
    }

    /// Replaces an item (`PUT /api/{collection}/{id}`).
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// let group = client.groups().get("grp-1")?;
    /// let input = group.to_input().description("Bogotá, north and centre");
    /// let group = client.groups().update("grp-1", &input)?;
    /// assert_eq!(group.description.as_deref(), Some("Bogotá, north and centre"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub async fn update(&self, id: &str, input: &C::Input) -> Result<C::Item> {
        self.client.run(&Update::<C>::new(id, input)).await
    }

    /// Applies JSON Patch operations (`PATCH /api/{collection}/{id}`). Never repeated
    /// automatically once it may have reached the server.
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// use plaspy_blocking::PatchOperation;
    ///
    /// let ops = [PatchOperation::replace("/name", serde_json::json!("North"))];
    /// let group = client.groups().patch("grp-1", &ops)?;
    /// assert_eq!(group.name, "North");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub async fn patch(&self, id: &str, operations: &[PatchOperation]) -> Result<C::Item> {
        self.client.run(&Patch::<C>::new(id, operations)).await
    }

    /// Deletes an item (`DELETE /api/{collection}/{id}`).
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// client.groups().delete("grp-1")?;
    /// assert!(client.groups().get("grp-1").is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub async fn delete(&self, id: &str) -> Result<()> {
        self.client.run(&Delete::<C>::new(id)).await
    }
}

#[maybe(AFIT)]
impl<T: Transport> Resource<'_, T, endpoints::Users> {
    /// Countries users may be in: ISO 3166 alpha-2 code to name (`GET /api/users/countries`).
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// let countries = client.users().countries()?;
    /// println!("{} countries", countries.len());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub async fn countries(&self) -> Result<Countries> {
        self.client.run(&ListCountries).await
    }

    /// Time zones users may be in: IANA id to display name (`GET /api/users/timeZones`).
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// let zones = client.users().time_zones()?;
    /// println!("{} time zones", zones.len());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub async fn time_zones(&self) -> Result<TimeZones> {
        self.client.run(&ListTimeZones).await
    }
}
