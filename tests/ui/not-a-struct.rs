use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
enum Settings {
    Development,
    Production,
}

fn main() {}
