use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[serde(rename = "listen-addr")]
    listen: String,
}

fn main() {}
