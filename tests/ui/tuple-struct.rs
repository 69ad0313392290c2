use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings(u16, String);

fn main() {}
