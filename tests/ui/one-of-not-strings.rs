use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[validate(one_of("json", 2))]
    format: String,
}

fn main() {}
