use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[validate(range(min = 0.5))]
    max_pool_size: u32,
}

fn main() {}
