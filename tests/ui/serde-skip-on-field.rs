use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[serde(skip)]
    listen: String,
}

fn main() {}
