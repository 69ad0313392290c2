use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[validate(range(min = 500, max = 1))]
    max_pool_size: u32,
}

fn main() {}
