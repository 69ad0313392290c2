use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[env("DATABASE_URL")]
    primary: String,
    #[env("BACKUP_URL", alias = "DATABASE_URL")]
    backup: String,
}

fn main() {}
