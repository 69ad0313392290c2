use phoenix_config::PhoenixConfig;

fn check(_: &u16) -> Result<(), String> {
    Ok(())
}

#[derive(PhoenixConfig)]
struct Settings {
    #[config(validate = check)]
    port: u16,
}

fn main() {}
