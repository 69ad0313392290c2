use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
#[config(prefix = "APP", prefx = "X")]
struct Settings {
    #[env("")]
    #[validate(zipcod, range(min = "a"))]
    zip: String,
    #[config(defualt = 10)]
    #[validate(range(min = 1))]
    max_pool_size: u32,
    #[config(nested)]
    #[env("DATABASE")]
    database: Database,
    #[validate(required_in("production"))]
    api_key: String,
}

#[derive(PhoenixConfig)]
struct Database {
    uri: String,
}

fn main() {
    // The stub impls keep the rest of the crate free of follow-on errors.
    let _ = Settings::load();
    let _ = format!("{:?}", Database::describe());
}
