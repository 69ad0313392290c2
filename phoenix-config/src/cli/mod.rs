//! A ready command line for any settings type: `show`, `check`, `env`,
//! `dotenv-example`, `schema`, `template`, and the secret tools `keygen`,
//! `encrypt`, `decrypt`, `rotate`.
//!
//! An application embeds it with one call:
//!
//! ```no_run
//! # use phoenix_config::PhoenixConfig;
//! # #[derive(PhoenixConfig)] struct Settings { #[config(default = 1)] x: u32 }
//! fn main() -> std::process::ExitCode {
//!     phoenix_config::cli::run::<Settings>("myapp")
//! }
//! ```
//!
//! Exit codes: 0 success, 1 an invalid configuration (or a failed secret
//! operation), 2 a usage error.

mod args;
#[cfg(feature = "etcd")]
mod etcd;
mod show;

use std::io::Write;
use std::process::ExitCode;

use crate::{ConfigLoader, Environment, PhoenixConfig, docs};
use args::{Args, UsageError};

/// The exit code of a successful command.
pub const EXIT_OK: u8 = 0;
/// The exit code when the configuration is invalid or an operation failed.
pub const EXIT_INVALID: u8 = 1;
/// The exit code of a usage error.
pub const EXIT_USAGE: u8 = 2;

/// Runs the command line on the process arguments, with the default loader.
pub fn run<T: PhoenixConfig>(program: &str) -> ExitCode {
    let args = std::env::args().skip(1);
    let code = run_with::<T>(program, args, &ConfigLoader::new(), &mut std::io::stdout(), &mut std::io::stderr());
    ExitCode::from(code)
}

/// Runs the command line on `args` (without the program name), loading with
/// `loader` (its environment is replaced by `--env`), writing to `out` and
/// `err`; returns the exit code. This is what tests call.
pub fn run_with<T: PhoenixConfig>(
    program: &str,
    args: impl IntoIterator<Item = String>,
    loader: &ConfigLoader,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    let mut args = Args::new(args);
    let result = dispatch::<T>(program, &mut args, loader, out, err);
    match result {
        Ok(code) => code,
        Err(UsageError(message)) => {
            let _ = writeln!(err, "error: {message}\nrun `{program} help` for the commands");
            EXIT_USAGE
        }
    }
}

fn help(program: &str, info: &crate::schema::StructInfo) -> String {
    let names = crate::names::Names::new(info.prefix);
    let env_vars = names.environment.join(", then ");
    let key_var = &names.key.0;
    let environments = crate::environment::list(info.environments);
    let files = crate::format::EXTENSIONS.join(", .");
    let etcd = ETCD_HELP;
    format!(
        "{program}: configuration tools

usage: {program} <command> [options]

commands:
  show [--env E] [--format text|yaml|json]
                      the effective configuration, every value with its origin (secrets redacted)
  check [--env E | --all] [--max-key-age DAYS] [--previous-key-days DAYS]
                      load and validate one or every environment; exit 1 with every problem;
                      in production, a secret written unencrypted in a file is a problem;
                      warns about keys older than 90 days, previous keys kept 30 days after a rotation
  env [--format markdown|text]
                      every variable the settings read: names, key, type, default, secret, description
  dotenv-example      a commented .env example with every variable (secrets blank)
  schema [--env E]    the JSON Schema (draft 2020-12) of the YAML files (with E: its required_in keys required)
  template            an annotated YAML file with every key
  keygen [--id ID]    a new encryption key, as {key_var}=<id>:<key> (default id k-YYYYMMDD-xxxx)
  encrypt [VALUE]     encrypt VALUE (or standard input) under {key_var} as enc:v1:…
  decrypt [--reveal] [VALUE]
                      decrypt an enc:v1: value; prints it only with --reveal
  rotate FILE         re-encrypt every enc:v1: value of a YAML or .env file under the current key
  help                this text
{etcd}
environments: {environments}; default: detected from {env_vars}
files read: base and <environment> in the config folder, each as .{files} (one per layer)
exit codes: 0 ok, 1 invalid configuration or failed operation, 2 usage error
"
    )
}

#[cfg(feature = "etcd")]
const ETCD_HELP: &str = etcd::HELP;
#[cfg(not(feature = "etcd"))]
const ETCD_HELP: &str = "";

/// `--etcd-*` options (feature `etcd`): the loader with an etcd source.
#[cfg(feature = "etcd")]
fn with_etcd(loader: &ConfigLoader, args: &mut Args) -> Result<ConfigLoader, UsageError> {
    etcd::with_source(loader, args)
}

#[cfg(not(feature = "etcd"))]
#[allow(clippy::unnecessary_wraps)]
fn with_etcd(loader: &ConfigLoader, _: &mut Args) -> Result<ConfigLoader, UsageError> {
    Ok(loader.clone())
}

/// Every command, for the suggestion of a usage error.
const COMMANDS: &[&str] = &[
    "show",
    "check",
    "env",
    "dotenv-example",
    "schema",
    "template",
    "keygen",
    "encrypt",
    "decrypt",
    "rotate",
    "etcd-put",
    "help",
];

/// `--env NAME`: one of the environments `T` declares (or an alias).
fn environment<T: PhoenixConfig>(args: &mut Args) -> Result<Option<Environment>, UsageError> {
    match args.option("--env")? {
        Some(name) => crate::environment::resolve(T::describe().environments, &name)
            .map(Some)
            // Not the name itself: it may be a secret typed in the wrong place.
            .map_err(|_| {
                let declared = crate::environment::list(T::describe().environments);
                UsageError(format!("unknown --env, expected one of {declared}"))
            }),
        None => Ok(None),
    }
}

fn with_env(loader: &ConfigLoader, environment: Option<Environment>) -> ConfigLoader {
    match environment {
        Some(e) => loader.clone().environment(e),
        None => loader.clone(),
    }
}

fn dispatch<T: PhoenixConfig>(
    program: &str,
    args: &mut Args,
    loader: &ConfigLoader,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8, UsageError> {
    let Some(command) = args.command() else {
        return Err(UsageError("missing command".to_owned()));
    };
    // `help`, and `--help` or `-h` after any command, print the help.
    if args.flag("--help") || args.flag("-h") {
        return Ok(write_all(out, &help(program, T::describe())));
    }
    let code = match command.as_str() {
        "help" | "-h" | "--help" => {
            args.finish()?;
            write_all(out, &help(program, T::describe()))
        }
        "show" => {
            let environment = environment::<T>(args)?;
            let format = args.option("--format")?.unwrap_or_else(|| "text".to_owned());
            let loader = &with_etcd(loader, args)?;
            args.finish()?;
            show::show::<T>(&with_env(loader, environment), &format, out, err)?
        }
        "check" => {
            let all = args.flag("--all");
            let environment = environment::<T>(args)?;
            let loader = &with_etcd(loader, args)?;
            let ages = key_ages(args)?;
            args.finish()?;
            if all && environment.is_some() {
                return Err(UsageError("give --env or --all, not both".to_owned()));
            }
            let declared = T::describe().environments.iter().map(|d| Some(Environment::from_static(d.name)));
            let environments: Vec<Option<Environment>> = if all { declared.collect() } else { vec![environment] };
            let code = show::check::<T>(&loader.clone().strict(true), &environments, out, err);
            warn_about_keys(loader, T::describe(), ages, err);
            code
        }
        "env" => {
            let format = args.option("--format")?.unwrap_or_else(|| "markdown".to_owned());
            args.finish()?;
            match format.as_str() {
                "markdown" | "md" => write_all(out, &docs::env_markdown::<T>()),
                "text" => write_all(out, &docs::env_text::<T>()),
                _ => return Err(UsageError("unknown --format, expected markdown or text".to_owned())),
            }
        }
        "dotenv-example" => {
            args.finish()?;
            write_all(out, &docs::dotenv_example::<T>())
        }
        "schema" => {
            let environment = environment::<T>(args)?;
            args.finish()?;
            let schema = environment.map_or_else(docs::json_schema::<T>, docs::json_schema_for::<T>);
            let text = serde_json::to_string_pretty(&schema).unwrap_or_default();
            write_all(out, &format!("{text}\n"))
        }
        "template" => {
            args.finish()?;
            write_all(out, &docs::yaml_template::<T>())
        }
        "keygen" | "encrypt" | "decrypt" | "rotate" => {
            secret_command(command.as_str(), T::describe(), args, loader, out, err)?
        }
        #[cfg(feature = "etcd")]
        "etcd-put" => etcd::put(args, out, err)?,
        // Not the word itself: it may be a secret typed in the wrong place.
        other => {
            return Err(UsageError(match crate::suggest::closest(other, COMMANDS.iter().copied()) {
                Some(best) => format!("unknown command, did you mean `{best}`?"),
                None => format!("unknown command; the commands are {}", COMMANDS.join(", ")),
            }));
        }
    };
    Ok(code)
}

fn write_all(out: &mut dyn Write, text: &str) -> u8 {
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => EXIT_OK,
        Err(_) => EXIT_INVALID,
    }
}

fn secret_command(
    command: &str,
    info: &crate::schema::StructInfo,
    args: &mut Args,
    loader: &ConfigLoader,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8, UsageError> {
    use crate::secret;

    if command == "keygen" {
        let id = args.option("--id")?.unwrap_or_else(default_key_id);
        args.finish()?;
        return Ok(match secret::keygen(&id) {
            Ok(key) => write_all(out, &format!("{}={}\n", loader.names(info).key.0, key.expose())),
            Err(e) => fail(err, e.message()),
        });
    }
    let reveal = args.flag("--reveal");
    let operand = args.positional();
    args.finish()?;
    if reveal && command != "decrypt" {
        return Err(UsageError("--reveal goes with decrypt".to_owned()));
    }
    let keys = match loader.key_ring(info) {
        Ok(keys) => keys,
        Err(message) => return Ok(fail(err, &message)),
    };
    Ok(match command {
        "encrypt" => {
            let Some(plain) = operand.map(zeroize::Zeroizing::new).or_else(read_stdin) else {
                return Ok(fail(err, "nothing to encrypt: give a value or pipe it on standard input"));
            };
            let plain = plain.strip_suffix('\n').unwrap_or(&plain);
            match secret::encrypt(plain, &keys) {
                Ok(text) => write_all(out, &format!("{text}\n")),
                Err(e) => fail(err, e.message()),
            }
        }
        "decrypt" => {
            let Some(text) = operand.map(zeroize::Zeroizing::new).or_else(read_stdin) else {
                return Ok(fail(err, "nothing to decrypt: give an enc:v1: value or pipe it on standard input"));
            };
            match secret::decrypt(text.trim(), &keys) {
                Ok(value) if reveal => write_all(out, &format!("{}\n", value.expose())),
                Ok(_) => write_all(out, "the value decrypts; add --reveal to print it\n"),
                Err(e) => fail(err, e.message()),
            }
        }
        _ => {
            let Some(file) = operand else { return Err(UsageError("rotate needs a FILE".to_owned())) };
            rotate_file(std::path::Path::new(&file), &keys, out, err)
        }
    })
}

fn default_key_id() -> String {
    crate::secret::dated_key_id(std::time::SystemTime::now())
}

/// `--max-key-age DAYS` and `--previous-key-days DAYS` of `check`.
fn key_ages(args: &mut Args) -> Result<(u32, u32), UsageError> {
    let days = |name: &str, default: u32, args: &mut Args| match args.option(name)? {
        None => Ok(default),
        Some(text) => text.trim().parse().map_err(|_| UsageError(format!("{name} takes a number of days"))),
    };
    let max_age = days("--max-key-age", crate::secret::MAX_KEY_AGE_DAYS, args)?;
    Ok((max_age, days("--previous-key-days", crate::secret::PREVIOUS_KEY_DAYS, args)?))
}

/// Warns (on `err`, without failing) about a current key older than the
/// maximum age and previous keys kept long after a rotation.
fn warn_about_keys(
    loader: &ConfigLoader,
    info: &crate::schema::StructInfo,
    (max_age, grace): (u32, u32),
    err: &mut dyn Write,
) {
    let Ok(keys) = loader.key_ring(info) else { return };
    for warning in crate::secret::key_warnings(&keys, crate::secret::today(), max_age, grace) {
        let _ = writeln!(err, "warning: {warning}");
    }
}

fn read_stdin() -> Option<zeroize::Zeroizing<String>> {
    use std::io::Read;
    let mut text = zeroize::Zeroizing::new(String::new());
    std::io::stdin().read_to_string(&mut text).ok()?;
    (!text.is_empty()).then_some(text)
}

fn fail(err: &mut dyn Write, message: &str) -> u8 {
    let _ = writeln!(err, "error: {message}");
    EXIT_INVALID
}

fn rotate_file(path: &std::path::Path, keys: &crate::secret::KeyRing, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => zeroize::Zeroizing::new(text),
        Err(e) => return fail(err, &format!("cannot read {}: {e}", path.display())),
    };
    let rotation = match crate::secret::rotate(&text, keys) {
        Ok(rotation) => rotation,
        Err(e) => return fail(err, &format!("{}: {}", path.display(), e.message())),
    };
    if rotation.rewritten > 0
        && let Err(e) = replace_file(path, rotation.text.as_bytes())
    {
        return fail(err, &format!("cannot write {}: {e}", path.display()));
    }
    write_all(
        out,
        &format!(
            "{}: {} value(s) re-encrypted, {} already under the current key\n",
            path.display(),
            rotation.rewritten,
            rotation.kept
        ),
    )
}

/// Replaces a file's contents whole: a temporary file beside it, created
/// readable by its owner only, given the file's permissions and owner,
/// flushed to disk, then renamed over it (never a half-written file, never
/// a moment where a 0600 file is readable by others). Through a symbolic
/// link, the file it points to is replaced and the link kept.
fn replace_file(path: &std::path::Path, contents: &[u8]) -> std::io::Result<()> {
    let path = &std::fs::canonicalize(path)?;
    let meta = std::fs::metadata(path)?;
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(".rotating");
    let temporary = path.with_file_name(name);
    let written = write_temporary(&temporary, &meta, contents).and_then(|()| std::fs::rename(&temporary, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
        return written;
    }
    // The rename itself, on disk (best effort: not every platform opens folders).
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
    }
    Ok(())
}

fn write_temporary(temporary: &std::path::Path, meta: &std::fs::Metadata, contents: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(temporary)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        std::os::unix::fs::fchown(&file, Some(meta.uid()), Some(meta.gid()))?;
    }
    file.write_all(contents)?;
    file.set_permissions(meta.permissions())?;
    file.sync_all()
}
