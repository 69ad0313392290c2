use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[validate(length(min = -1))]
    name: String,
}

fn main() {}
