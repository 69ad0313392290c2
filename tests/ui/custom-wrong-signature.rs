use phoenix_config::PhoenixConfig;

fn check(_: &u32) -> Result<(), String> {
    Ok(())
}

#[derive(PhoenixConfig)]
struct Settings {
    #[validate(custom = check)]
    name: String,
}

fn main() {}
