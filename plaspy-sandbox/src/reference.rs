//! The reference lists of `GET /api/users/countries` and `GET /api/users/timeZones`.

use plaspy_types::{Countries, TimeZones};

const COUNTRIES: &[(&str, &str)] = &[
    ("AR", "Argentina"),
    ("BO", "Bolivia"),
    ("BR", "Brazil"),
    ("CA", "Canada"),
    ("CL", "Chile"),
    ("CO", "Colombia"),
    ("CR", "Costa Rica"),
    ("CU", "Cuba"),
    ("DE", "Germany"),
    ("DO", "Dominican Republic"),
    ("EC", "Ecuador"),
    ("ES", "Spain"),
    ("FR", "France"),
    ("GB", "United Kingdom"),
    ("GT", "Guatemala"),
    ("HN", "Honduras"),
    ("IT", "Italy"),
    ("MX", "Mexico"),
    ("NI", "Nicaragua"),
    ("PA", "Panama"),
    ("PE", "Peru"),
    ("PR", "Puerto Rico"),
    ("PT", "Portugal"),
    ("PY", "Paraguay"),
    ("SV", "El Salvador"),
    ("US", "United States"),
    ("UY", "Uruguay"),
    ("VE", "Venezuela"),
];

const TIME_ZONES: &[(&str, &str)] = &[
    ("America/Argentina/Buenos_Aires", "(UTC-03:00) Buenos Aires"),
    ("America/Bogota", "(UTC-05:00) Bogota, Lima, Quito"),
    ("America/Caracas", "(UTC-04:00) Caracas"),
    ("America/Chicago", "(UTC-06:00) Central Time (US & Canada)"),
    ("America/Costa_Rica", "(UTC-06:00) Central America"),
    ("America/Denver", "(UTC-07:00) Mountain Time (US & Canada)"),
    ("America/Guatemala", "(UTC-06:00) Guatemala"),
    ("America/Guayaquil", "(UTC-05:00) Guayaquil"),
    ("America/La_Paz", "(UTC-04:00) La Paz"),
    ("America/Lima", "(UTC-05:00) Lima"),
    (
        "America/Los_Angeles",
        "(UTC-08:00) Pacific Time (US & Canada)",
    ),
    (
        "America/Mexico_City",
        "(UTC-06:00) Guadalajara, Mexico City, Monterrey",
    ),
    ("America/Montevideo", "(UTC-03:00) Montevideo"),
    ("America/New_York", "(UTC-05:00) Eastern Time (US & Canada)"),
    ("America/Panama", "(UTC-05:00) Panama"),
    ("America/Santiago", "(UTC-04:00) Santiago"),
    ("America/Santo_Domingo", "(UTC-04:00) Santo Domingo"),
    ("America/Sao_Paulo", "(UTC-03:00) Brasilia"),
    (
        "Europe/Berlin",
        "(UTC+01:00) Amsterdam, Berlin, Rome, Vienna",
    ),
    ("Europe/Lisbon", "(UTC+00:00) Lisbon"),
    ("Europe/London", "(UTC+00:00) Dublin, Edinburgh, London"),
    ("Europe/Madrid", "(UTC+01:00) Madrid"),
    ("Europe/Paris", "(UTC+01:00) Paris"),
    ("UTC", "(UTC) Coordinated Universal Time"),
];

/// ISO 3166 alpha-2 code to country name.
pub(crate) fn countries() -> Countries {
    COUNTRIES
        .iter()
        .map(|&(code, name)| (code.to_owned(), name.to_owned()))
        .collect()
}

/// IANA time-zone id to display name.
pub(crate) fn time_zones() -> TimeZones {
    TIME_ZONES
        .iter()
        .map(|&(id, name)| (id.to_owned(), name.to_owned()))
        .collect()
}
