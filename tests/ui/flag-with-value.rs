use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
#[config(allow_unknown_keys = true)]
struct Settings {
    port: u16,
}

fn main() {}
