use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[config(nested, default = Vec::new())]
    proxies: Vec<Proxy>,
}

#[derive(PhoenixConfig)]
struct Proxy {
    host: String,
}

fn main() {}
