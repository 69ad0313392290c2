use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
#[config(prefix = "APP")]
struct Settings {
    #[env("APP_PORT")]
    admin_port: u16,
    port: u16,
}

fn main() {}
