use phoenix_config::PhoenixConfig;

#[derive(Debug)]
struct Endpoint(String);

#[derive(PhoenixConfig)]
struct Settings {
    endpoint: Endpoint,
}

fn main() {}
