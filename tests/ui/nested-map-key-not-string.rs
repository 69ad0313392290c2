use std::collections::HashMap;

use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[config(nested)]
    regions: HashMap<u32, Region>,
}

#[derive(PhoenixConfig)]
struct Region {
    bucket: String,
}

fn main() {}
