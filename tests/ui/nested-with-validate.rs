use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[config(nested)]
    #[validate(non_empty)]
    database: Database,
}

#[derive(PhoenixConfig)]
struct Database {
    uri: String,
}

fn main() {}
