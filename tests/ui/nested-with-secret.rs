use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[config(nested)]
    #[secret]
    database: Database,
}

#[derive(PhoenixConfig)]
struct Database {
    uri: String,
}

fn main() {}
