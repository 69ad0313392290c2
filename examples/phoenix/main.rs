//! The Phoenix Real Estate collector's configuration command line.
//!
//! `cargo run --example phoenix -- show` prints the effective configuration
//! with the origin of every value (secrets redacted).

mod settings;

use std::process::ExitCode;

use phoenix_config::{ConfigLoader, Environment};
use settings::Settings;

const USAGE: &str = "usage: phoenix <show|check> [--env development|testing|production]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut environment = None;
    let mut command = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--env" => match rest.next().map(|e| e.parse::<Environment>()) {
                Some(Ok(e)) => environment = Some(e),
                Some(Err(e)) => return usage_error(&e.to_string()),
                None => return usage_error("--env needs a value"),
            },
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other if command.is_none() => command = Some(other.to_owned()),
            other => return usage_error(&format!("unexpected argument `{other}`")),
        }
    }
    let mut loader = ConfigLoader::new();
    if let Some(environment) = environment {
        loader = loader.environment(environment);
    }
    match command.as_deref() {
        Some("show") => match loader.load_with_origins::<Settings>() {
            Ok(loaded) => {
                print!("{loaded}");
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("{error}");
                ExitCode::from(1)
            }
        },
        Some("check") => match loader.load::<Settings>() {
            Ok(_) => {
                println!("configuration is valid");
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("{error}");
                ExitCode::from(1)
            }
        },
        Some(other) => usage_error(&format!("unknown command `{other}`")),
        None => usage_error("missing command"),
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}\n{USAGE}");
    ExitCode::from(2)
}
