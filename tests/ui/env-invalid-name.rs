use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[env("DB_URI", alias = "1PASSWORD_URI")]
    uri: String,
}

fn main() {}
