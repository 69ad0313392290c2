use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[config(prefix = "APP")]
    port: u16,
}

fn main() {}
