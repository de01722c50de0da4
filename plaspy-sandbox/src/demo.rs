//! The groups and users an account starts with, derived from the seed.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, TimeZone, Utc};
use plaspy_types::{Group, User};

use crate::fleet::{Fleet, GROUP_NAMES, REFRIGERATED_GROUP};
use crate::prng::Rng;

/// (display name, e-mail local part) pairs the demo users are drawn from.
const PEOPLE: &[(&str, &str)] = &[
    ("Ana Ruiz", "ana.ruiz"),
    ("Carlos Gómez", "carlos.gomez"),
    ("Luisa Fernández", "luisa.fernandez"),
    ("Jorge Patiño", "jorge.patino"),
    ("María José Castaño", "mariajose.castano"),
    ("Andrés Muñoz", "andres.munoz"),
    ("Valentina Ríos", "valentina.rios"),
    ("Santiago Pérez", "santiago.perez"),
    ("Camila Ospina", "camila.ospina"),
    ("Julián Restrepo", "julian.restrepo"),
];

fn base_time(rng: &mut Rng) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2023, 3, 1, 14, 0, 0)
        .single()
        .unwrap_or_default()
        + Duration::minutes(rng.int(0, 60 * 24 * 200))
}

/// The demo groups: one per home group of the fleet, plus the refrigerated vehicles.
pub(crate) fn groups(seed: u64, fleet: &Fleet) -> Vec<Group> {
    let mut rng = Rng::new(seed ^ 0x6772_6F75_7073);
    GROUP_NAMES
        .iter()
        .enumerate()
        .map(|(i, &(name, description))| {
            let devices = fleet
                .vehicles()
                .iter()
                .filter(|v| {
                    if i == REFRIGERATED_GROUP {
                        v.refrigerated
                    } else {
                        v.group == i
                    }
                })
                .map(|v| v.id().to_owned())
                .collect();
            let creation = base_time(&mut rng);
            {
                let mut group = Group::default();
                group.id = Some(format!("grp-{}", i + 1));
                group.name = name.to_owned();
                group.description = Some(description.to_owned());
                group.devices = Some(devices);
                group.creation = Some(creation);
                group.last_modified =
                    Some(creation + Duration::minutes(rng.int(60, 60 * 24 * 300)));
                group
            }
        })
        .collect()
}

/// The demo users: an administrator, a dispatcher, a viewer and a disabled driver.
pub(crate) fn users(seed: u64) -> Vec<User> {
    let mut rng = Rng::new(seed ^ 0x0075_7365_7273);
    let mut people: Vec<(&str, &str)> = PEOPLE.to_vec();
    let roles: [(&str, &[&str], Option<&str>); 4] = [
        ("Fleet administrator", &["admin"], None),
        (
            "Dispatcher, Bogotá north",
            &["devices.read", "alerts.read", "commands.send"],
            Some("grp-1"),
        ),
        ("Viewer, Medellín", &["devices.read"], Some("grp-3")),
        ("Driver", &["devices.read"], Some("grp-2")),
    ];
    roles
        .iter()
        .enumerate()
        .map(|(i, &(description, privileges, group))| {
            let (name, local) = people.remove(rng.int(0, people.len() as i64 - 1) as usize);
            let creation = base_time(&mut rng);
            let driver = i == 3;
            {
                let mut user = User::default();
                user.id = Some(format!("usr-{}", i + 1));
                user.name = name.to_owned();
                user.email = format!("{local}@example.com");
                user.country = "CO".into();
                user.time_zone = "America/Bogota".into();
                user.description = Some(description.to_owned());
                user.message = (i == 1).then(|| "Remember to check the cold chain alerts".into());
                user.disabled = Some(driver);
                user.disabled_message = driver.then(|| "On leave until further notice".into());
                user.tags = Some(
                    BTreeMap::from([(
                        "employeeId".to_owned(),
                        format!("E{:04}", rng.int(100, 9999)),
                    )])
                    .into(),
                );
                user.privileges = Some(privileges.iter().map(|p| (*p).to_owned()).collect());
                user.group = group.map(str::to_owned);
                user.device_id = driver.then(|| "dev-05".into());
                user.admin_devices = Some(if i == 0 { 100 } else { 0 });
                user.from = Some(creation);
                user.expires = driver.then(|| creation + Duration::days(730));
                user.password = None;
                user.creation = Some(creation);
                user.modification = Some(creation + Duration::days(rng.int(1, 120)));
                user.last_login = Some(creation + Duration::days(rng.int(120, 400)));
                user
            }
        })
        .collect()
}
