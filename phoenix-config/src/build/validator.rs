//! [`PhoenixConfig::validate`](crate::PhoenixConfig::validate): the rules
//! of a value already built, walked with its paths.

use super::path::Path;
use super::rules::RuleCx;
use super::sections::SectionField;
use crate::schema::StructInfo;
use crate::{Environment, ValidationError};

/// Walks a loaded value for [`PhoenixConfig::validate`](crate::PhoenixConfig::validate).
pub struct Validator {
    environment: Option<Environment>,
    pub(crate) path: Path,
    errors: Vec<ValidationError>,
}

impl Validator {
    pub(crate) fn new(environment: Option<Environment>) -> Self {
        Validator { environment, path: Path::default(), errors: Vec::new() }
    }

    pub(crate) fn finish(self) -> Vec<ValidationError> {
        self.errors
    }

    /// Checks one leaf field.
    pub fn field<T>(&mut self, info: &'static StructInfo, index: usize, value: &T, rules: fn(&T, &mut RuleCx<'_>)) {
        let field = &info.fields[index];
        let len = self.path.key(field.name);
        let mut failures = Vec::new();
        rules(value, &mut RuleCx::new(field.is_secret(), self.environment, &mut failures));
        for (suffix, message) in failures {
            self.errors.push(ValidationError::new(format!("{}{suffix}", self.path), message));
        }
        self.path.truncate(len);
    }

    /// Checks a `#[config(nested)]` field.
    pub fn nested<T: SectionField>(&mut self, info: &'static StructInfo, index: usize, value: &T) {
        let len = self.path.key(info.fields[index].name);
        value.check(self);
        self.path.truncate(len);
    }

    /// Runs a container's `#[config(validate = …)]` rule.
    pub fn container<T>(&mut self, value: &T, rule: fn(&T) -> Result<(), String>) {
        if let Err(message) = rule(value) {
            self.errors.push(ValidationError::new(self.path.to_string(), message));
        }
    }
}
