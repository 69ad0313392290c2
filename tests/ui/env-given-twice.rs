use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[env("MONGODB_URI")]
    #[env("DB_URI")]
    uri: String,
}

fn main() {}
