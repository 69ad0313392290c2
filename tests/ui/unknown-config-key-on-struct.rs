use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
#[config(prefx = "APP")]
struct Settings {
    port: u16,
}

fn main() {}
