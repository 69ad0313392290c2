use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[config(nested)]
    database: Database,
}

#[derive(Debug)]
struct Database {
    uri: String,
}

fn main() {}
