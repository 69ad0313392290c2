use phoenix_config::ConfigEnum;

#[derive(serde::Deserialize, ConfigEnum)]
#[config()]
enum Level {
    Trace,
    Info,
}

fn main() {}
