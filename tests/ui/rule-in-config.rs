use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[config(required_in("production"))]
    api_key: Option<String>,
}

fn main() {}
