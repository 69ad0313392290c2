use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[config(defualt = 10)]
    max_pool_size: u32,
}

fn main() {}
