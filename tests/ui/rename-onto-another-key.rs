use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    host: String,
    #[config(rename = "host")]
    address: String,
}

fn main() {}
