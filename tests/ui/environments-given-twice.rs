use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
#[config(environments("development", "staging", "staging"))]
struct Settings {
    #[config(default = 1)]
    port: u16,
}

fn main() {}
