use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
#[config(prefix = "my-app")]
struct Settings {
    port: u16,
}

fn main() {}
