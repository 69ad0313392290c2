//! A small argument reader: one command, `--name value` options, flags.

/// A usage error: the message for the user.
#[derive(Debug)]
pub(crate) struct UsageError(pub(crate) String);

pub(crate) struct Args {
    rest: Vec<String>,
}

impl Args {
    pub(crate) fn new(args: impl IntoIterator<Item = String>) -> Self {
        Args { rest: args.into_iter().collect() }
    }

    /// The first argument that is not an option.
    pub(crate) fn command(&mut self) -> Option<String> {
        let index = self.rest.iter().position(|a| !a.starts_with("--") || a == "--help")?;
        Some(self.rest.remove(index))
    }

    /// The value of `--name value` or `--name=value`.
    pub(crate) fn option(&mut self, name: &str) -> Result<Option<String>, UsageError> {
        let prefix = format!("{name}=");
        if let Some(index) = self.rest.iter().position(|a| a.starts_with(&prefix)) {
            return Ok(Some(self.rest.remove(index)[prefix.len()..].to_owned()));
        }
        let Some(index) = self.rest.iter().position(|a| a == name) else { return Ok(None) };
        self.rest.remove(index);
        if index < self.rest.len() && !self.rest[index].starts_with("--") {
            Ok(Some(self.rest.remove(index)))
        } else {
            Err(UsageError(format!("{name} needs a value")))
        }
    }

    /// Whether `--name` was given.
    pub(crate) fn flag(&mut self, name: &str) -> bool {
        match self.rest.iter().position(|a| a == name) {
            Some(index) => {
                self.rest.remove(index);
                true
            }
            None => false,
        }
    }

    /// The next positional argument.
    pub(crate) fn positional(&mut self) -> Option<String> {
        let index = self.rest.iter().position(|a| !a.starts_with("--"))?;
        Some(self.rest.remove(index))
    }

    /// Fails on anything not consumed.
    pub(crate) fn finish(&self) -> Result<(), UsageError> {
        match self.rest.first() {
            None => Ok(()),
            Some(extra) => Err(UsageError(format!("unexpected argument `{extra}`"))),
        }
    }
}
