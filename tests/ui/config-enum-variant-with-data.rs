use phoenix_config::ConfigEnum;

#[derive(serde::Deserialize, ConfigEnum)]
enum Level {
    /// Everything.
    Trace,
    /// Only what matches.
    Filtered(String),
}

fn main() {}
