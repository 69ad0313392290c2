use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[validate(required_in("production"))]
    api_key: String,
}

fn main() {}
