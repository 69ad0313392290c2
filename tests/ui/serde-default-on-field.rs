use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[serde(default)]
    listen: String,
}

fn main() {}
