use phoenix_config::PhoenixConfig;

#[derive(PhoenixConfig)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct Settings {
    listen_addr: String,
}

fn main() {}
