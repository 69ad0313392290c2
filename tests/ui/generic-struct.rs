use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings<T> {
    value: T,
}

fn main() {}
