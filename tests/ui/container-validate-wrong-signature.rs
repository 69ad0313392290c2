use phoenix_config::PhoenixConfig;

fn check(settings: &Settings) -> bool {
    settings.port > 0
}

#[derive(PhoenixConfig)]
#[config(validate = check)]
struct Settings {
    port: u16,
}

fn main() {}
