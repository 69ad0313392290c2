use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[secret(true)]
    password: String,
}

fn main() {}
