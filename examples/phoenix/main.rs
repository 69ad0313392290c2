//! The Phoenix Real Estate collector's configuration command line.
//!
//! ```sh
//! cargo run --example phoenix -- show                  # effective config with origins (secrets redacted)
//! cargo run --example phoenix -- check --all           # validate every environment
//! cargo run --example phoenix -- env --format text     # every variable the collector reads
//! cargo run --example phoenix -- help
//! ```

mod settings;

fn main() -> std::process::ExitCode {
    phoenix_config::cli::run::<settings::Settings>("phoenix")
}
