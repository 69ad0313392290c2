use phoenix_config::PhoenixConfig;

fn parse(_: &str) -> Result<Database, String> {
    Err("no".into())
}

#[derive(PhoenixConfig)]
struct Settings {
    #[config(nested, with = parse)]
    database: Database,
}

#[derive(PhoenixConfig)]
struct Database {
    uri: String,
}

fn main() {}
