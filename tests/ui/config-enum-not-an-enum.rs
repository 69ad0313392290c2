use phoenix_config::ConfigEnum;

#[derive(ConfigEnum)]
struct Level {
    name: String,
}

fn main() {}
