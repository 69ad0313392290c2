//! A small argument reader: one command, `--name value` options, flags.
//!
//! A usage error never repeats an argument's value (it may be a secret
//! typed in the wrong place, `encrypt --hunter2`): it names known option
//! names only, and otherwise the argument's position.

/// A usage error: the message for the user.
#[derive(Debug)]
pub(crate) struct UsageError(pub(crate) String);

pub(crate) struct Args {
    rest: Vec<String>,
    /// The 1-based position of each argument of `rest` on the command line.
    positions: Vec<usize>,
}

/// Every option and flag of the command line: the only arguments a usage
/// error may name.
const KNOWN: &[&str] =
    &["--env", "--all", "--format", "--id", "--reveal", "--max-key-age", "--previous-key-days", "--help", "-h"];

impl Args {
    pub(crate) fn new(args: impl IntoIterator<Item = String>) -> Self {
        let rest: Vec<String> = args.into_iter().collect();
        Args { positions: (1..=rest.len()).collect(), rest }
    }

    fn remove(&mut self, index: usize) -> String {
        self.positions.remove(index);
        self.rest.remove(index)
    }

    /// The first argument that is not an option.
    pub(crate) fn command(&mut self) -> Option<String> {
        let index = self.rest.iter().position(|a| !a.starts_with("--") || a == "--help")?;
        Some(self.remove(index))
    }

    /// The value of `--name value` or `--name=value`.
    pub(crate) fn option(&mut self, name: &str) -> Result<Option<String>, UsageError> {
        let prefix = format!("{name}=");
        if let Some(index) = self.rest.iter().position(|a| a.starts_with(&prefix)) {
            return Ok(Some(self.remove(index)[prefix.len()..].to_owned()));
        }
        let Some(index) = self.rest.iter().position(|a| a == name) else { return Ok(None) };
        self.remove(index);
        if index < self.rest.len() && !self.rest[index].starts_with("--") {
            Ok(Some(self.remove(index)))
        } else {
            Err(UsageError(format!("{name} needs a value")))
        }
    }

    /// Whether `--name` was given.
    pub(crate) fn flag(&mut self, name: &str) -> bool {
        match self.rest.iter().position(|a| a == name) {
            Some(index) => {
                self.remove(index);
                true
            }
            None => false,
        }
    }

    /// The next positional argument.
    pub(crate) fn positional(&mut self) -> Option<String> {
        let index = self.rest.iter().position(|a| !a.starts_with("--"))?;
        Some(self.remove(index))
    }

    /// Fails on anything not consumed, naming it only if it is a known option.
    pub(crate) fn finish(&self) -> Result<(), UsageError> {
        let (Some(extra), Some(position)) = (self.rest.first(), self.positions.first()) else { return Ok(()) };
        let name = extra.split_once('=').map_or(extra.as_str(), |(name, _)| name);
        Err(UsageError(if KNOWN.contains(&name) {
            format!("option `{name}` does not go with this command")
        } else if extra.starts_with('-') {
            not_an_option(*position, name)
        } else {
            format!("unexpected argument {position}")
        }))
    }
}

/// An argument that looks like an option but is none: its position, and
/// the known option it is a typo of (`--evn` → `--env`), never its text.
fn not_an_option(position: usize, name: &str) -> String {
    match crate::suggest::closest(name, KNOWN.iter().copied()) {
        Some(best) => format!("argument {position} is not an option of this command, did you mean `{best}`?"),
        None => format!("argument {position} is not an option of this command"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finish(args: &[&str]) -> String {
        let mut args = Args::new(args.iter().map(|a| (*a).to_owned()));
        let _ = args.command();
        let _ = args.positional();
        args.finish().unwrap_err().0
    }

    #[test]
    fn usage_errors_never_echo_an_argument_value() {
        assert_eq!(finish(&["encrypt", "v", "--c4n4ry"]), "argument 3 is not an option of this command");
        assert_eq!(finish(&["encrypt", "v", "c4n4ry"]), "unexpected argument 3");
        assert_eq!(finish(&["encrypt", "v", "--id=c4n4ry"]), "option `--id` does not go with this command");
        assert_eq!(
            finish(&["check", "--evn", "prod"]),
            "argument 2 is not an option of this command, did you mean `--env`?"
        );
        assert_eq!(
            finish(&["show", "--formatt=json"]),
            "argument 2 is not an option of this command, did you mean `--format`?"
        );
        let mut args = Args::new(["--env".to_owned()]);
        assert_eq!(args.option("--env").unwrap_err().0, "--env needs a value");
    }
}
