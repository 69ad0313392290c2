use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[validate(zipcode(strict))]
    zip: String,
}

fn main() {}
