use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
#[config(prefix = "APP")]
struct Settings {
    port: u16,
    #[env("APP_PORT")]
    admin_port: u16,
}

fn main() {}
