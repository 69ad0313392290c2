use phoenix_config::ConfigEnum;

/// `ConfigEnum` goes beside serde's `Deserialize`, which reads the names.
#[derive(ConfigEnum)]
enum Level {
    Trace,
    Info,
}

fn main() {}
