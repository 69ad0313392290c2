use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[config(default = 1.5)]
    max_pool_size: u32,
}

fn main() {}
