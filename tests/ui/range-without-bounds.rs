use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[validate(range)]
    max_pool_size: u32,
}

fn main() {}
