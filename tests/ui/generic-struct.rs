use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings<T> {
    value: T,
}

#[derive(PhoenixConfig)]
struct Borrowed<'a> {
    name: &'a str,
}

fn main() {}
