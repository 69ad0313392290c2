use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[config(default = "ten")]
    max_pool_size: u32,
}

fn main() {}
