use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[validate(range(min = 1, max = "500"))]
    max_pool_size: u32,
}

fn main() {}
