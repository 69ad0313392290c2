use phoenix_config::ConfigEnum;

#[derive(serde::Deserialize, ConfigEnum)]
#[config(rename_all = "lowercase")]
enum Level {
    Trace,
    Info,
}

fn main() {}
