//! The Phoenix Real Estate collector's configuration command line.
//!
//! ```sh
//! cargo run --example phoenix -- show                  # effective config with origins (secrets redacted)
//! cargo run --example phoenix -- check --all           # validate every environment
//! cargo run --example phoenix -- env --format text     # every variable the collector reads
//! cargo run --example phoenix -- credentials           # which credentials the environment holds
//! cargo run --example phoenix -- help
//! ```

mod settings;

use std::process::ExitCode;

use phoenix_config::SecretManager;

fn main() -> ExitCode {
    if std::env::args().nth(1).as_deref() == Some("credentials") {
        return credentials(&SecretManager::from_env());
    }
    phoenix_config::cli::run::<settings::Settings>("phoenix")
}

/// The collector's credentials as the `SecretManager` finds them in the
/// process environment (`PHOENIX_SECRET_…`, `SECRET_…`, plain names, `_FILE`):
/// what is there, never the values.
fn credentials(secrets: &SecretManager) -> ExitCode {
    match secrets.database_credentials() {
        Ok(db) => println!("database: {db:?}"),
        Err(error) => println!("database: {error}"),
    }
    match secrets.proxy_credentials() {
        Ok(proxy) => println!("proxy: {proxy:?}"),
        Err(error) => println!("proxy: {error}"),
    }
    let keys: Vec<&str> = secrets.api_keys().into_keys().collect();
    println!("api keys: {}", if keys.is_empty() { "none".to_owned() } else { keys.join(", ") });
    // What production cannot start without, every missing one at once.
    match secrets.require(&["MONGODB_URI", "MARICOPA_API_KEY"]) {
        Ok(()) => {
            println!("required secrets: present");
            ExitCode::SUCCESS
        }
        Err(error) => {
            println!("{error}");
            ExitCode::from(1)
        }
    }
}
