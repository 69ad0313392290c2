use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
struct Settings {
    #[validate(each(required_in("production")))]
    keys: Vec<Option<String>>,
}

fn main() {}
