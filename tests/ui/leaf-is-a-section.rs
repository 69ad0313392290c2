use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    database: Database,
}

#[derive(PhoenixConfig)]
struct Database {
    uri: String,
}

fn main() {}
