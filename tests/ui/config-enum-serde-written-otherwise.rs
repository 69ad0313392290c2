use phoenix_config::ConfigEnum;

#[derive(serde::Deserialize, ConfigEnum)]
#[serde(tag = "kind")]
enum Level {
    Trace,
    Info,
}

fn main() {}
