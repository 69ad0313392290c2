use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
#[config(nested)]
struct Settings {
    port: u16,
}

fn main() {}
