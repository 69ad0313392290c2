use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[config(nested, default)]
    proxies: Vec<Proxy>,
}

#[derive(Debug)]
struct Proxy {
    host: String,
}

fn main() {}
