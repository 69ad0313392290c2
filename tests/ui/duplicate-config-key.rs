use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[config(default = 10)]
    #[config(default = 20)]
    max_pool_size: u32,
}

fn main() {}
