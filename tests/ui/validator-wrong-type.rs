use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[validate(zipcode)]
    zip: u16,
}

fn main() {}
