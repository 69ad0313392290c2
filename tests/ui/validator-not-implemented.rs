use phoenix_config::PhoenixConfig;

#[derive(Debug, phoenix_config::serde::Deserialize)]
#[serde(crate = "phoenix_config::serde")]
struct Zip(String);

#[derive(PhoenixConfig)]
struct Settings {
    #[validate(non_empty, zipcode)]
    zip: Zip,
}

fn main() {}
