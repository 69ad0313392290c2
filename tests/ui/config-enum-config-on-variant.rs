use phoenix_config::ConfigEnum;

#[derive(serde::Deserialize, ConfigEnum)]
enum Level {
    #[config(rename = "t")]
    Trace,
    Info,
}

fn main() {}
