use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[serde(alias = "addr")]
    listen: String,
}

fn main() {}
