use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[validate(each(zipcode))]
    zip: String,
}

fn main() {}
