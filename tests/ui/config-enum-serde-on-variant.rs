use phoenix_config::ConfigEnum;

#[derive(serde::Deserialize, ConfigEnum)]
enum Level {
    Trace,
    #[serde(untagged)]
    Other,
}

fn main() {}
