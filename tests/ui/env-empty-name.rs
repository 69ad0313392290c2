use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[env("")]
    uri: String,
}

fn main() {}
