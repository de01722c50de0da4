use std::collections::BTreeMap;

/// Countries: ISO 3166 alpha-2 code to name (`"CO"` → `"Colombia"`).
pub type Countries = BTreeMap<String, String>;

/// Time zones: IANA id to display name (`"America/Bogota"` → `"(UTC-05:00) Bogota"`).
pub type TimeZones = BTreeMap<String, String>;
