use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[validate(one_of())]
    format: String,
}

fn main() {}
