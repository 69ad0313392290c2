use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[serde(deserialize_with = "parse")]
    listen: String,
}

fn main() {}
