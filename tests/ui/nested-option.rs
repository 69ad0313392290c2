use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[config(nested)]
    database: Option<Database>,
}

#[derive(PhoenixConfig)]
struct Database {
    uri: String,
}

fn main() {}
