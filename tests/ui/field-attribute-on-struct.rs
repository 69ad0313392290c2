use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
#[env("SETTINGS")]
struct Settings {
    port: u16,
}

fn main() {}
