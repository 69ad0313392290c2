use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    proxies: Vec<Proxy>,
}

#[derive(PhoenixConfig)]
struct Proxy {
    host: String,
}

fn main() {}
