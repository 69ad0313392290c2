use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
#[config(prefix = "APP")]
struct Settings {
    #[config(nested, default)]
    proxies: Vec<Proxy>,
}

#[derive(PhoenixConfig)]
struct Proxy {
    #[env("PROXY_HOST")]
    host: String,
}

fn main() {}
