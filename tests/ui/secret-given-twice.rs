use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[secret]
    #[secret]
    password: String,
}

fn main() {}
