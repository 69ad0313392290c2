use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[serde(flatten)]
    listen: String,
}

fn main() {}
