use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[validate(zipcode)]
    zips: Vec<String>,
}

fn main() {}
