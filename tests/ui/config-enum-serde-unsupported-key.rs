use phoenix_config::ConfigEnum;

#[derive(serde::Deserialize, ConfigEnum)]
#[serde(variant_identifier)]
enum Level {
    Trace,
    Info,
}

fn main() {}
