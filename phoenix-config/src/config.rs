//! The [`PhoenixConfig`] trait, implemented by `#[derive(PhoenixConfig)]`.

use crate::__private::{Cx, Validator};
use crate::node::Node;
use crate::schema::StructInfo;
use crate::{ConfigError, ConfigLoader, Environment, ValidationError};

/// A settings struct that phoenix-config can load.
///
/// Implemented by `#[derive(PhoenixConfig)]`; writing it by hand is not
/// supported (the `__` methods are generated code's business).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a settings struct",
    label = "`{Self}` does not derive `PhoenixConfig`",
    note = "add `#[derive(PhoenixConfig)]` to `{Self}`, or drop `#[config(nested)]` to read it as one value"
)]
pub trait PhoenixConfig: Sized + 'static {
    /// The static description of the struct: fields, variables, defaults, docs.
    fn describe() -> &'static StructInfo;

    /// Every broken `#[validate(...)]` rule of this value (empty = valid),
    /// for a value changed in code after it was loaded. Loading already
    /// validates. `required_in` rules need an environment: see
    /// [`validate_in`](PhoenixConfig::validate_in).
    fn validate(&self) -> Vec<ValidationError> {
        let mut validator = Validator::new(None);
        self.__validate(&mut validator);
        validator.finish()
    }

    /// Like [`validate`](PhoenixConfig::validate), also checking the
    /// `required_in(...)` rules of `environment`.
    fn validate_in(&self, environment: Environment) -> Vec<ValidationError> {
        let mut validator = Validator::new(Some(environment));
        self.__validate(&mut validator);
        validator.finish()
    }

    /// Loads with every default: environment detected, `./config`, `./.env`
    /// when present, the process environment.
    fn load() -> Result<Self, ConfigError> {
        ConfigLoader::new().load()
    }

    /// Loads for a given environment, everything else as [`load`](PhoenixConfig::load).
    fn load_for(environment: Environment) -> Result<Self, ConfigError> {
        ConfigLoader::new().environment(environment).load()
    }

    #[doc(hidden)]
    fn __build(cx: &mut Cx<'_>, node: Option<&Node>) -> Option<Self>;

    #[doc(hidden)]
    fn __validate(&self, validator: &mut Validator);
}
