//! Which devices a command or a call covers: some ids, a group's devices, or every device.

use std::collections::HashSet;

use plaspy_types::{Device, Error};

/// Which devices a fleet call, a feed, a report or a watch covers.
///
/// ```
/// use plaspy_fleet::DeviceSelection;
///
/// assert_eq!(DeviceSelection::from_args(vec![], None).unwrap(), DeviceSelection::All);
/// assert_eq!(
///     DeviceSelection::from_args(vec!["dev-01".into()], None).unwrap(),
///     DeviceSelection::Ids(vec!["dev-01".into()]),
/// );
/// assert_eq!(
///     DeviceSelection::from_args(vec![], Some("grp-1".into())).unwrap(),
///     DeviceSelection::Group("grp-1".into()),
/// );
/// assert!(DeviceSelection::from_args(vec!["dev-01".into()], Some("grp-1".into())).is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum DeviceSelection {
    /// Every device of the account.
    #[default]
    All,
    /// These devices, in this order (each once).
    Ids(Vec<String>),
    /// The devices of this group (by group id).
    Group(String),
}

impl DeviceSelection {
    /// The selection that command-line style arguments describe: ids, or a group, or —
    /// with neither — every device. Both at once is refused.
    pub fn from_args(ids: Vec<String>, group: Option<String>) -> Result<Self, Error> {
        match (ids.is_empty(), group) {
            (true, None) => Ok(DeviceSelection::All),
            (false, None) => Ok(DeviceSelection::Ids(dedup(ids))),
            (true, Some(group)) => Ok(DeviceSelection::Group(group)),
            (false, Some(_)) => Err(Error::invalid_input("give device ids or a group, not both")),
        }
    }

    /// Keeps, from the account's devices, those selected, in the account's order for
    /// [`All`](Self::All) and [`Group`](Self::Group) and in the order asked for
    /// [`Ids`](Self::Ids). `group_devices` is the group's member list (only read for
    /// [`Group`](Self::Group)). An id asked for that the account does not list is kept as
    /// a bare device, so that asking for it reports its own error (`NotFound`).
    pub fn pick(&self, devices: Vec<Device>, group_devices: &[String]) -> Vec<Device> {
        match self {
            DeviceSelection::All => devices,
            DeviceSelection::Group(_) => {
                let members: HashSet<&str> = group_devices.iter().map(String::as_str).collect();
                devices
                    .into_iter()
                    .filter(|d| members.contains(d.id()))
                    .collect()
            }
            DeviceSelection::Ids(ids) => {
                let mut by_id: std::collections::HashMap<String, Device> = devices
                    .into_iter()
                    .map(|d| (d.id().to_owned(), d))
                    .collect();
                ids.iter()
                    .map(|id| {
                        by_id.remove(id).unwrap_or_else(|| {
                            let mut d = Device::default();
                            d.id = Some(id.clone());
                            d
                        })
                    })
                    .collect()
            }
        }
    }
}

/// Each id once, first occurrence kept.
fn dedup(ids: Vec<String>) -> Vec<String> {
    let mut seen = HashSet::new();
    ids.into_iter()
        .filter(|id| seen.insert(id.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dev(id: &str) -> Device {
        let mut d = Device::default();
        d.id = Some(id.into());
        d
    }

    fn ids(devices: &[Device]) -> Vec<&str> {
        devices.iter().map(Device::id).collect()
    }

    #[test]
    fn picks() {
        let all = vec![dev("a"), dev("b"), dev("c")];
        assert_eq!(
            ids(&DeviceSelection::All.pick(all.clone(), &[])),
            ["a", "b", "c"]
        );
        let group = DeviceSelection::Group("g".into());
        assert_eq!(
            ids(&group.pick(all.clone(), &["c".into(), "a".into()])),
            ["a", "c"]
        );
        let some =
            DeviceSelection::from_args(vec!["c".into(), "x".into(), "c".into()], None).unwrap();
        assert_eq!(ids(&some.pick(all, &[])), ["c", "x"]);
    }

    #[test]
    fn both_is_refused_with_a_clear_message() {
        let err = DeviceSelection::from_args(vec!["a".into()], Some("g".into())).unwrap_err();
        assert!(err.to_string().contains("not both"), "{err}");
    }
}
