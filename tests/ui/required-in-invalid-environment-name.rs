use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[validate(required_in("stag ing"))]
    api_key: Option<String>,
}

fn main() {}
