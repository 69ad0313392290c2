use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[env(MONGODB_URI)]
    uri: String,
}

fn main() {}
