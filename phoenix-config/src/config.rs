//! The [`PhoenixConfig`] trait, implemented by `#[derive(PhoenixConfig)]`.

use crate::build::{Cx, Validator};
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
    ///
    /// ```
    /// use phoenix_config::{ConfigLoader, PhoenixConfig};
    ///
    /// #[derive(PhoenixConfig)]
    /// struct Collection {
    ///     #[config(default = Vec::new())]
    ///     #[validate(each(zipcode))]
    ///     zips: Vec<String>,
    ///     #[config(default = 10)]
    ///     #[validate(range(min = 1, max = 500))]
    ///     pool: u32,
    /// }
    ///
    /// let mut c: Collection = ConfigLoader::new().config_dir("none").no_dotenv().env_vars([("X", "")]).load()?;
    /// c.zips = vec!["85001".into(), "8500".into()];
    /// c.pool = 0;
    /// let errors: Vec<String> = c.validate().iter().map(ToString::to_string).collect();
    /// assert_eq!(errors, [
    ///     "zips[1]: `8500` is not a US zip code (12345 or 12345-6789)",
    ///     "pool: must be between 1 and 500, got 0",
    /// ]);
    /// # Ok::<(), phoenix_config::ConfigError>(())
    /// ```
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

    /// `#[config(environments(...))]` of the struct (generated).
    #[doc(hidden)]
    const __ENVIRONMENTS: &'static [crate::schema::EnvironmentDecl] = crate::schema::DEFAULT_ENVIRONMENTS;

    /// Every `required_in` environment of the tree (generated).
    #[doc(hidden)]
    const __REQUIRED_IN: crate::__private::RequiredIn = crate::__private::RequiredIn::NONE;

    /// The compile error of an `#[env]` name in this struct or its single
    /// sections, raised where the struct is an item of a list or a map of
    /// sections (generated).
    #[doc(hidden)]
    const __ENV_IN_SECTION: Option<&'static str> = None;

    /// Fails to compile when a `required_in` below this root names an
    /// environment it does not declare; evaluated for every loaded root.
    #[doc(hidden)]
    const __CHECK_ENVIRONMENTS: () = crate::environment::check_required_in(Self::__ENVIRONMENTS, &Self::__REQUIRED_IN);

    #[doc(hidden)]
    fn __build(cx: &mut Cx<'_>, node: Option<&Node>) -> Option<Self>;

    #[doc(hidden)]
    fn __validate(&self, validator: &mut Validator);
}
