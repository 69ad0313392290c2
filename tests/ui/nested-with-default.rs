use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[config(nested, default = Database { uri: String::new() })]
    database: Database,
}

#[derive(PhoenixConfig)]
struct Database {
    uri: String,
}

fn main() {}
