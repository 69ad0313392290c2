use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[config(rename = "")]
    empty: String,
    #[config(rename = "server.port")]
    port: u16,
}

fn main() {}
