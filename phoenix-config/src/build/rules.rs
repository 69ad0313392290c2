//! Running a field's `#[validate(...)]` rules: the generated rule functions
//! report to a [`RuleCx`].

use std::fmt::Write as _;

use crate::Environment;

/// Collects rule failures for one field; handed to the generated rule functions.
pub struct RuleCx<'a> {
    secret: bool,
    environment: Option<Environment>,
    suffix: String,
    failures: &'a mut Failures,
}

/// Rule failures of one field: the element suffix (`[2]`, or empty) and the message.
pub(crate) type Failures = Vec<(String, String)>;

/// How a `required_in` failure starts (the loader adds where to set the value).
pub(crate) const REQUIRED_IN: &str = "is required in ";

impl<'a> RuleCx<'a> {
    pub(crate) fn new(secret: bool, environment: Option<Environment>, failures: &'a mut Failures) -> Self {
        RuleCx { secret, environment, suffix: String::new(), failures }
    }

    /// Whether the field is a secret (rules must not echo its value).
    pub fn secret(&self) -> bool {
        self.secret
    }

    /// Records the outcome of one rule.
    pub fn check(&mut self, result: Result<(), String>) {
        if let Err(message) = result {
            self.failures.push((self.suffix.clone(), message));
        }
    }

    /// Runs a user's `custom = path` rule. For a secret field its message
    /// is replaced, since it might contain the value.
    pub fn custom<T: ?Sized>(&mut self, value: &T, name: &str, rule: impl Fn(&T) -> Result<(), String>) {
        if let Err(message) = rule(value) {
            let message = if self.secret { format!("does not pass `{name}`") } else { message };
            self.failures.push((self.suffix.clone(), message));
        }
    }

    /// Runs rules on every element of a list, naming failures `[i]`.
    pub fn each<'v, C>(
        &mut self,
        collection: &'v C,
        mut rules: impl FnMut(<&'v C as IntoIterator>::Item, &mut RuleCx<'_>),
    ) where
        C: ?Sized,
        &'v C: IntoIterator,
    {
        for (i, item) in collection.into_iter().enumerate() {
            let len = self.suffix.len();
            let _ = write!(self.suffix, "[{i}]");
            rules(item, self);
            self.suffix.truncate(len);
        }
    }

    /// `required_in("…")`: the `Option` must be `Some` in that environment.
    pub fn required_in(&mut self, present: bool, environment: Environment) {
        if !present && self.environment == Some(environment) {
            self.failures.push((self.suffix.clone(), format!("{REQUIRED_IN}{environment}")));
        }
    }
}

/// Rules of a field that has none.
pub fn no_rules<T>(_: &T, _: &mut RuleCx<'_>) {}
