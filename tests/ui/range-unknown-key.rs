use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[validate(range(minimum = 1))]
    max_pool_size: u32,
}

fn main() {}
