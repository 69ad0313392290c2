use phoenix_config::ConfigEnum;

#[derive(serde::Deserialize, ConfigEnum)]
#[serde(from = "String")]
enum Level {
    Trace,
    Info,
}

impl From<String> for Level {
    fn from(text: String) -> Self {
        if text == "trace" { Level::Trace } else { Level::Info }
    }
}

fn main() {}
