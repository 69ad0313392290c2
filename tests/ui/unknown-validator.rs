use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[validate(non_empty, zipcod)]
    zip: String,
}

fn main() {}
