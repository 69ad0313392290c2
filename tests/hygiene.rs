//! The derive's code names everything by absolute path and keeps its locals
//! to itself: it compiles without the prelude, next to types named like the
//! prelude's, on fields named like its own locals.

#![no_implicit_prelude]
// Generated code must stay quiet in a strict crate.
#![deny(
    warnings,
    rust_2018_idioms,
    unused_qualifications,
    trivial_casts,
    trivial_numeric_casts,
    unused_lifetimes,
    single_use_lifetimes,
    missing_debug_implementations,
    clippy::pedantic,
    clippy::nursery
)]

mod shadows {
    // Everything generated code could reach for by a short name, in the
    // spelling it would use (`INFO` is the name of its static).
    #![allow(dead_code, clippy::upper_case_acronyms, clippy::redundant_pub_crate)]
    pub(crate) struct Result;
    pub(crate) struct Option;
    pub(crate) struct Some;
    pub(crate) struct None;
    pub(crate) struct Ok;
    pub(crate) struct Err;
    pub(crate) struct String;
    pub(crate) struct Vec;
    pub(crate) struct Box;
    pub(crate) struct Into;
    pub(crate) struct From;
    pub(crate) struct Debug;
    pub(crate) struct Formatter;
    pub(crate) struct Fn;
    pub(crate) struct FnMut;
    pub(crate) struct Sized;
    pub(crate) struct Default;
    pub(crate) struct PhoenixConfig;
    pub(crate) struct StructInfo;
    pub(crate) struct FieldInfo;
    pub(crate) struct Cx;
    pub(crate) struct RuleCx;
    pub(crate) struct Validator;
    pub(crate) struct Redacted;
    pub(crate) struct Environment;
    pub(crate) struct INFO;
    pub(crate) struct ConfigEnum;
}

#[allow(unused_imports)]
use shadows::*;

fn check(settings: &Settings) -> ::core::result::Result<(), ::std::string::String> {
    if settings.cx > 100 {
        ::core::result::Result::Err(::std::borrow::ToOwned::to_owned("too big"))
    } else {
        ::core::result::Result::Ok(())
    }
}

fn short(value: &str) -> ::core::result::Result<(), ::std::string::String> {
    if value.len() < 10 {
        ::core::result::Result::Ok(())
    } else {
        ::core::result::Result::Err(::std::borrow::ToOwned::to_owned("too long"))
    }
}

/// Fields named like the generated locals and helpers.
#[derive(::phoenix_config::PhoenixConfig)]
#[config(prefix = "HYGIENE", validate = check)]
struct Settings {
    #[config(default = 1)]
    #[validate(range(min = 1, max = 500))]
    cx: u32,
    #[config(default = "s")]
    #[validate(non_empty, length(max = 3), one_of("s", "t"), custom = short)]
    section: ::std::string::String,
    #[validate(required_in("production"), port)]
    value: ::core::option::Option<u16>,
    #[validate(each(zipcode))]
    rcx: ::std::vec::Vec<::std::string::String>,
    #[secret]
    f: ::core::option::Option<::std::string::String>,
    #[config(nested)]
    node: Inner,
    #[validate(url)]
    validator: ::core::option::Option<::std::string::String>,
    #[config(default = 2.5)]
    #[validate(range(min = 0))]
    rule: f64,
    field_0: ::core::option::Option<bool>,
    #[config(default = ::std::vec::Vec::new())]
    field_1: ::std::vec::Vec<u8>,
    secret: ::core::option::Option<::phoenix_config::Secret<::std::string::String>>,
    #[config(default = Mode::Slow)]
    mode: Mode,
}

#[derive(::phoenix_config::PhoenixConfig)]
struct Inner {
    #[config(default = 1)]
    #[validate(range(min = 1))]
    __rules_x: u8,
    #[config(default = 2)]
    __default_x: u8,
    list: ::core::option::Option<::std::vec::Vec<Inner2>>,
}

#[derive(::phoenix_config::PhoenixConfig)]
struct Empty {}

/// A `ConfigEnum` in the same strict crate.
#[derive(::phoenix_config::serde::Deserialize, ::phoenix_config::ConfigEnum, ::core::fmt::Debug)]
#[serde(crate = "::phoenix_config::serde")]
enum Mode {
    /// Quick.
    Fast,
    #[serde(alias = "careful")]
    Slow,
}

#[::core::prelude::v1::test]
fn a_config_enum_compiles_without_the_prelude() {
    use ::phoenix_config::ConfigEnum as _;
    ::core::assert_eq!(Mode::Fast.variant_doc(), "Quick.");
    ::core::assert_eq!(Mode::Slow.variant_doc(), "");
    ::core::assert_eq!(Mode::Slow.variant_aliases(), ["careful"]);
}

#[derive(::phoenix_config::serde::Deserialize, ::core::fmt::Debug)]
#[serde(crate = "::phoenix_config::serde")]
struct Inner2 {
    a: u8,
}

#[::core::prelude::v1::test]
fn loads_and_validates_without_the_prelude() {
    let settings: Settings = ::phoenix_config::ConfigLoader::new()
        .no_dotenv()
        .config_dir("tests/fixtures/none")
        .environment(::phoenix_config::Environment::Testing)
        .env_vars([("HYGIENE_RCX", "85001"), ("HYGIENE_F", "hidden")])
        .load()
        .unwrap();
    ::core::assert_eq!(settings.cx, 1);
    ::core::assert_eq!(settings.section, "s");
    ::core::assert_eq!(settings.node.__rules_x, 1);
    ::core::assert_eq!(settings.node.__default_x, 2);
    ::core::assert!(settings.node.list.is_none());
    ::core::assert!(settings.field_1.is_empty() && settings.field_0.is_none() && settings.secret.is_none());
    ::core::assert!((settings.rule - 2.5).abs() < f64::EPSILON);
    ::core::assert!(::phoenix_config::PhoenixConfig::validate(&settings).is_empty());
    ::core::assert_eq!(settings.f.as_deref(), ::core::option::Option::Some("hidden"));
    ::core::assert!(::core::matches!(settings.mode, Mode::Slow));
    let info = <Settings as ::phoenix_config::PhoenixConfig>::describe();
    let mode = info.fields.last().and_then(|field| field.default).map(|default| default.shown());
    ::core::assert_eq!(mode.as_deref(), ::core::option::Option::Some("Slow"));
    ::core::assert_eq!(Inner2 { a: 1 }.a, 1);
    let text = ::std::format!("{settings:?}");
    ::core::assert!(text.contains("f: Some([REDACTED])") && !text.contains("hidden"), "{}", text);
    ::core::assert!(::phoenix_config::PhoenixConfig::validate(&Empty {}).is_empty());
}
