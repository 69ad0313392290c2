//! Where a value came from.

use std::fmt;
use std::sync::Arc;

/// Where a configuration value came from.
///
/// Every value the loader reads keeps its origin, so that an error, or the
/// table printed by [`Loaded`](crate::Loaded), can say exactly which line of
/// which file, or which variable, to fix.
///
/// ```
/// use phoenix_config::Origin;
///
/// let origin = Origin::File { path: "config/base.yaml".into(), line: 12, column: 9 };
/// assert_eq!(origin.to_string(), "config/base.yaml:12:9");
/// let origin = Origin::Env { name: "PHOENIX_DATABASE_URI".into(), alias_of: Some("MONGODB_URI".into()) };
/// assert_eq!(origin.to_string(), "env PHOENIX_DATABASE_URI (alias of MONGODB_URI)");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Origin {
    /// A YAML file, at a line and column (both 1-based).
    File {
        /// The file as it was opened (relative paths stay relative).
        path: Arc<str>,
        /// 1-based line.
        line: u32,
        /// 1-based column, counted in characters.
        column: u32,
    },
    /// A variable of the process environment (or of the injected
    /// [`ConfigLoader::env_vars`](crate::ConfigLoader::env_vars)).
    Env {
        /// The variable that was read.
        name: Arc<str>,
        /// When `name` is an alias or the automatic prefixed name, the
        /// field's first variable name.
        alias_of: Option<Arc<str>>,
    },
    /// An entry of a `.env` file.
    Dotenv {
        /// The `.env` file as it was opened.
        path: Arc<str>,
        /// 1-based line of the entry.
        line: u32,
        /// The variable name of the entry.
        name: Arc<str>,
    },
    /// A file named by a `NAME_FILE` variable or found in a secrets folder.
    SecretFile {
        /// The file that was read.
        path: Arc<str>,
        /// How the file was found: `MONGODB_URI_FILE`, or `secrets dir`.
        via: Arc<str>,
    },
    /// The default given with `#[config(default = …)]`.
    Default,
    /// A programmatic override without a known caller.
    Override,
    /// A value built by interpolation (`${DB_HOST}` in a file, `$DB_HOST`
    /// in `.env`): where it was written, and where what it pulled in came
    /// from. Displays as `config/base.yaml:4:9 via env DB_HOST`.
    Interpolated {
        /// Where the value was written.
        at: Box<Origin>,
        /// Where its expansions came from, in order (variables, `.env`
        /// entries, the keys it refers to).
        via: Vec<Origin>,
    },
    /// A programmatic override given with [`ConfigLoader::set`](crate::ConfigLoader::set),
    /// at the caller's file, line and column: displays `override src/main.rs:12:10`.
    Set {
        /// The caller's source file.
        file: Arc<str>,
        /// 1-based line.
        line: u32,
        /// 1-based column.
        column: u32,
    },
    /// A value from a [`Source`](crate::source::Source) added with
    /// [`ConfigLoader::source`](crate::ConfigLoader::source): displays the
    /// source's own description (`arg --database.max-pool-size`,
    /// `vault secret/app#db_url`).
    Source {
        /// What the source says about where the value came from.
        description: Arc<str>,
    },
}

impl Origin {
    /// The origin of a value from a custom source, displayed as `description`.
    pub fn source(description: impl Into<Arc<str>>) -> Origin {
        Origin::Source { description: description.into() }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::File { path, line, column } => write!(f, "{path}:{line}:{column}"),
            Origin::Env { name, alias_of: None } => write!(f, "env {name}"),
            Origin::Env { name, alias_of: Some(primary) } => {
                write!(f, "env {name} (alias of {primary})")
            }
            Origin::Dotenv { path, line, name } => write!(f, "{path}:{line} {name}"),
            Origin::SecretFile { path, via } => write!(f, "file {path} ({via})"),
            Origin::Default => f.write_str("default"),
            Origin::Override => f.write_str("override"),
            Origin::Interpolated { at, via } => {
                write!(f, "{at} via ")?;
                for (i, origin) in via.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{origin}")?;
                }
                Ok(())
            }
            Origin::Set { file, line, column } => write!(f, "override {file}:{line}:{column}"),
            Origin::Source { description } => f.write_str(description),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_every_kind_as_the_design_says() {
        let cases = [
            (Origin::File { path: "config/base.yaml".into(), line: 12, column: 9 }, "config/base.yaml:12:9"),
            (Origin::Env { name: "MONGODB_URI".into(), alias_of: None }, "env MONGODB_URI"),
            (
                Origin::Env { name: "PHOENIX_DATABASE_URI".into(), alias_of: Some("MONGODB_URI".into()) },
                "env PHOENIX_DATABASE_URI (alias of MONGODB_URI)",
            ),
            (Origin::Dotenv { path: ".env".into(), line: 3, name: "MONGODB_URI".into() }, ".env:3 MONGODB_URI"),
            (
                Origin::SecretFile { path: "/run/secrets/db".into(), via: "MONGODB_URI_FILE".into() },
                "file /run/secrets/db (MONGODB_URI_FILE)",
            ),
            (Origin::Default, "default"),
            (Origin::Override, "override"),
            (
                Origin::Interpolated {
                    at: Box::new(Origin::File { path: "config/base.yaml".into(), line: 4, column: 9 }),
                    via: vec![
                        Origin::Env { name: "DB_HOST".into(), alias_of: None },
                        Origin::Dotenv { path: ".env".into(), line: 2, name: "DB_PORT".into() },
                    ],
                },
                "config/base.yaml:4:9 via env DB_HOST, .env:2 DB_PORT",
            ),
            (Origin::Set { file: "src/main.rs".into(), line: 12, column: 10 }, "override src/main.rs:12:10"),
            (Origin::source("arg --database.max-pool-size"), "arg --database.max-pool-size"),
        ];
        for (origin, text) in cases {
            assert_eq!(origin.to_string(), text);
        }
    }
}
