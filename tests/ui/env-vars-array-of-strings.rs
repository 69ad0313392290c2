use phoenix_config::ConfigLoader;

fn main() {
    let port = String::from("80");
    let _ = ConfigLoader::new().env_vars([("APP_PORT", port)]);
}
