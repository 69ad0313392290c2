use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
#[config(environments("development", "production" = ["prod"]))]
struct Settings {
    #[config(nested)]
    billing: Billing,
}

#[derive(PhoenixConfig)]
struct Billing {
    #[validate(required_in("staging"))]
    api_key: Option<String>,
}

fn main() {}
