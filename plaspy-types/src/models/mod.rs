//! Request and response models, one module per API resource.
//!
//! Every model keeps the fields it does not know in `extra` and writes them back when
//! serialized, so data from a newer server survives a read-modify-write.

mod alert;
mod command;
mod device;
mod extra;
mod group;
mod location;
mod patch;
mod query;
mod reference;
pub(crate) mod split;
mod text_map;
mod token;
mod user;

pub use alert::AlertEvent;
pub use command::{Command, CommandFormat};
pub use device::Device;
pub use extra::Extra;
pub use group::{Group, GroupInput};
pub use location::Location;
pub use patch::PatchOperation;
pub use query::{AlertsQuery, LocationsQuery};
pub use reference::{Countries, TimeZones};
pub use text_map::TextMap;
pub use token::{TokenRequest, TokenResponse};
pub use user::{User, UserInput};
