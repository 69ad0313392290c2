use std::collections::HashMap;

use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
#[config(prefix = "APP")]
struct Settings {
    #[config(nested, default)]
    regions: HashMap<String, Region>,
}

#[derive(PhoenixConfig)]
struct Region {
    #[config(nested)]
    storage: Storage,
}

// Fine where `Storage` is a single section; not inside map entries.
#[derive(PhoenixConfig)]
struct Storage {
    #[env("BUCKET")]
    bucket: String,
}

fn main() {}
