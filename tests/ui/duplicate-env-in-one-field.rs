use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[env("DATABASE_URL", alias = "DB_URL", alias = "DATABASE_URL")]
    url: String,
}

fn main() {}
