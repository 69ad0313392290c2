use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[validate(required_in("staging"))]
    api_key: Option<String>,
}

fn main() {}
