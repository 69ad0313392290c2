use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[validate(each())]
    zips: Vec<String>,
}

fn main() {}
