//! What `#[derive(PhoenixConfig)]` generates: the static description, the
//! redacting `Debug`, defaults, `Option` fields, nested sections and the
//! validation of every rule.

mod common;

use phoenix_config::schema::{DefaultValue, Kind, Rule};
use phoenix_config::{ConfigError, ConfigLoader, Environment, IssueKind, PhoenixConfig, Secret};

/// A loader that reads nothing but the variables and overrides a test gives.
fn loader() -> ConfigLoader {
    ConfigLoader::new().no_dotenv().config_dir("tests/fixtures/none").environment(Environment::Testing)
}

/// Every issue of a failed load as `path: message`.
fn issues(error: &ConfigError) -> Vec<String> {
    error.issues().iter().map(|i| format!("{}: {}", i.path(), i.message())).collect()
}

fn check_db(db: &Database) -> Result<(), String> {
    if db.max_pool_size < db.pool.min_size {
        Err("`max_pool_size` must be at least `pool.min_size`".to_owned())
    } else {
        Ok(())
    }
}

/// Where the data lives.
///
/// One `MongoDB` deployment.
#[derive(PhoenixConfig)]
#[config(validate = check_db)]
struct Database {
    /// The connection string,
    ///   with credentials.
    #[env("MONGODB_URI", alias = "PHOENIX_DATABASE_URI")]
    #[secret]
    uri: String,
    /// Connections at most.
    #[config(default = 10)]
    #[validate(range(min = 1, max = 500))]
    max_pool_size: u32,
    #[secret]
    password: Option<Secret<String>>,
    /// The pool.
    #[config(nested)]
    pool: Pool,
    #[validate(each(zipcode), length(min = 1))]
    zips: Vec<String>,
    #[validate(required_in("production"), non_empty)]
    api_key: Option<String>,
}

#[derive(PhoenixConfig)]
struct Pool {
    #[config(default = 1)]
    #[validate(range(min = 1))]
    min_size: u32,
    #[config(default = "mongodb://localhost:27017")]
    fallback: String,
}

fn database_loader() -> ConfigLoader {
    loader().env_vars([("MONGODB_URI", "mongodb://user:hunter2@db:27017")]).set("zips", "[85001, 02134]")
}

#[test]
fn describe_lists_every_field_with_its_attributes() {
    let info = Database::describe();
    assert_eq!(info.name, "Database");
    assert_eq!(info.doc, "Where the data lives. One `MongoDB` deployment.");
    assert_eq!(info.prefix, None);
    assert!(!info.allow_unknown_keys);
    let names: Vec<&str> = info.fields.iter().map(|f| f.name).collect();
    assert_eq!(names, ["uri", "max_pool_size", "password", "pool", "zips", "api_key"]);

    let uri = &info.fields[0];
    assert_eq!(uri.doc, "The connection string, with credentials.");
    assert_eq!(uri.ty, "String");
    assert_eq!(uri.env, ["MONGODB_URI", "PHOENIX_DATABASE_URI"]);
    assert_eq!(uri.default, None);
    assert!(uri.secret && !uri.optional && uri.nested.is_none());
    assert!(uri.rules.is_empty());

    let max = &info.fields[1];
    assert_eq!(max.doc, "Connections at most.");
    assert_eq!(max.ty, "u32");
    assert!(max.env.is_empty());
    assert_eq!(max.default, Some(DefaultValue::Integer(10)));
    assert_eq!(max.default.map(|d| d.to_string()).as_deref(), Some("10"));
    assert_eq!((max.kind)(), Kind::Integer { min: 0, max: u32::MAX.into() });
    assert_eq!(max.rules, [Rule::Range { min: Some(1.0), max: Some(500.0) }]);
    assert_eq!(max.rules[0].to_string(), "range(min = 1, max = 500)");
    assert!(!max.secret && !max.optional);

    let password = &info.fields[2];
    assert_eq!(password.ty, "Option<Secret<String>>");
    assert!(password.secret && password.optional);

    let pool = &info.fields[3];
    assert_eq!(pool.doc, "The pool.");
    let nested = pool.nested_info().expect("a nested section");
    assert_eq!(nested.name, "Pool");
    assert_eq!(nested.fields[1].default, Some(DefaultValue::Text("mongodb://localhost:27017")));
    assert_eq!(nested.fields[1].default.map(|d| d.to_string()).as_deref(), Some("\"mongodb://localhost:27017\""));
    assert_eq!((pool.kind)(), Kind::Any, "a section's kind is its description");

    assert_eq!(info.fields[4].ty, "Vec<String>");
    assert_eq!(info.fields[4].rules, [Rule::Each(&[Rule::Zipcode]), Rule::Length { min: Some(1), max: None }]);
    let written: Vec<String> = info.fields[5].rules.iter().map(ToString::to_string).collect();
    assert_eq!(written, ["required_in(\"production\")", "non_empty"]);
    assert!(info.fields[5].optional && !info.fields[5].secret);
}

#[test]
fn describe_is_one_static() {
    assert!(std::ptr::eq(Database::describe(), Database::describe()));
    let paths: Vec<String> = Database::describe().leaves().into_iter().map(|l| l.path).collect();
    assert_eq!(paths, ["uri", "max_pool_size", "password", "pool.min_size", "pool.fallback", "zips", "api_key"]);
}

#[test]
fn loads_defaults_options_and_nested_sections() {
    let db: Database = database_loader().load().unwrap();
    assert_eq!(db.uri, "mongodb://user:hunter2@db:27017");
    assert_eq!(db.max_pool_size, 10);
    assert!(db.password.is_none());
    assert_eq!(db.pool.min_size, 1);
    assert_eq!(db.pool.fallback, "mongodb://localhost:27017");
    assert_eq!(db.zips, ["85001", "02134"]);
    assert_eq!(db.api_key, None);
}

#[test]
fn converts_variables_and_overrides_by_the_field_type() {
    let db: Database = database_loader()
        .env_vars([("PHOENIX_DATABASE_URI", "ignored, the name comes first")])
        .set("max_pool_size", "5")
        .set("password", "s3cret")
        .set("pool.min_size", "2")
        .set("api_key", "k")
        .load()
        .unwrap();
    assert_eq!(db.uri, "mongodb://user:hunter2@db:27017");
    assert_eq!(db.max_pool_size, 5);
    assert_eq!(db.password.as_ref().map(|p| p.expose().as_str()), Some("s3cret"));
    assert_eq!(db.pool.min_size, 2);
    assert_eq!(db.api_key.as_deref(), Some("k"));
}

#[test]
fn aliases_are_read_when_the_name_is_unset() {
    let db: Database =
        loader().env_vars([("PHOENIX_DATABASE_URI", "mongodb://alias")]).set("zips", "85001").load().unwrap();
    assert_eq!(db.uri, "mongodb://alias");
}

#[test]
fn debug_redacts_secrets_and_shows_the_rest() {
    let db: Database = database_loader().set("password", "s3cret").load().unwrap();
    let text = format!("{db:?}");
    assert!(!text.contains("hunter2") && !text.contains("s3cret"), "{text}");
    assert!(text.starts_with("Database { uri: [REDACTED], max_pool_size: 10, password: Some([REDACTED]), "), "{text}");
    assert!(text.contains("pool: Pool { min_size: 1, fallback: \"mongodb://localhost:27017\" }"), "{text}");
    assert!(text.contains("zips: [\"85001\", \"02134\"]"), "{text}");
    let pretty = format!("{db:#?}");
    assert!(pretty.contains("uri: [REDACTED],\n"), "{pretty}");
    // An unset optional secret holds nothing to hide: `None`, as
    // `Option<Secret<_>>`'s own `Debug` prints it.
    let unset: Database = database_loader().load().unwrap();
    assert!(format!("{unset:?}").contains("password: None, "), "{unset:?}");
}

#[test]
fn missing_values_are_reported_with_every_other_problem() {
    let error = loader().set("max_pool_size", "0").load::<Database>().unwrap_err();
    let issues = issues(&error);
    assert!(issues.iter().any(|i| i.starts_with("uri: missing value")), "{issues:?}");
    assert!(issues.iter().any(|i| i.starts_with("zips: missing value")), "{issues:?}");
    assert!(issues.contains(&"max_pool_size: must be between 1 and 500, got 0".to_owned()), "{issues:?}");
}

#[test]
fn loading_runs_the_rules_naming_list_elements() {
    let error = database_loader().set("zips", "[85001, 8500, 02134, abcde]").load::<Database>().unwrap_err();
    let paths: Vec<&str> = error.issues().iter().map(phoenix_config::Issue::path).collect();
    assert_eq!(paths, ["zips[1]", "zips[3]"]);
    assert!(error.issues().iter().all(|i| i.kind() == IssueKind::Validation));
    assert_eq!(error.issues()[0].message(), "`8500` is not a US zip code (12345 or 12345-6789)");
}

#[test]
fn loading_runs_the_container_rule() {
    let error = database_loader().set("max_pool_size", "2").set("pool.min_size", "3").load::<Database>().unwrap_err();
    assert_eq!(issues(&error), [": `max_pool_size` must be at least `pool.min_size`"]);
}

#[test]
fn required_in_applies_in_its_environment_only() {
    let error = database_loader().environment(Environment::Production).load::<Database>().unwrap_err();
    let issues = issues(&error);
    assert_eq!(issues.len(), 1, "{issues:?}");
    assert!(issues[0].starts_with("api_key: is required in production"), "{issues:?}");
    assert!(database_loader().environment(Environment::Production).set("api_key", "k").load::<Database>().is_ok());
    assert!(database_loader().environment(Environment::Development).load::<Database>().is_ok());
}

fn valid_database() -> Database {
    Database {
        uri: "mongodb://db".to_owned(),
        max_pool_size: 10,
        password: None,
        pool: Pool { min_size: 1, fallback: String::new() },
        zips: vec!["85001".to_owned()],
        api_key: None,
    }
}

#[test]
fn validate_returns_every_broken_rule_with_its_path() {
    assert!(valid_database().validate().is_empty());

    let mut db = valid_database();
    db.max_pool_size = 0;
    db.pool.min_size = 0;
    db.zips = ["85001", "x", "02134", "850011"].map(String::from).to_vec();
    db.api_key = Some(String::new());
    let errors: Vec<String> = db.validate().iter().map(ToString::to_string).collect();
    assert_eq!(
        errors,
        [
            "max_pool_size: must be between 1 and 500, got 0",
            "pool.min_size: must be at least 1, got 0",
            "zips[1]: `x` is not a US zip code (12345 or 12345-6789)",
            "zips[3]: `850011` is not a US zip code (12345 or 12345-6789)",
            "api_key: must not be empty",
        ]
    );
    let first = &db.validate()[2];
    assert_eq!((first.path(), first.message()), ("zips[1]", "`x` is not a US zip code (12345 or 12345-6789)"));

    db = valid_database();
    db.zips.clear();
    db.pool.min_size = 11;
    let errors: Vec<String> = db.validate().iter().map(ToString::to_string).collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].starts_with("zips: "), "{errors:?}");
    assert_eq!(errors[1], "`max_pool_size` must be at least `pool.min_size`");
}

#[test]
fn validate_in_checks_required_in() {
    let db = valid_database();
    assert!(db.validate().is_empty());
    assert!(db.validate_in(Environment::Testing).is_empty());
    let errors: Vec<String> = db.validate_in(Environment::Production).iter().map(ToString::to_string).collect();
    assert_eq!(errors, ["api_key: is required in production"]);
}

fn mongodb_scheme(uri: &str) -> Result<(), String> {
    if uri.starts_with("mongodb://") { Ok(()) } else { Err("must start with `mongodb://`".to_owned()) }
}

// A `custom` rule takes the value by reference, whatever its type.
#[allow(clippy::trivially_copy_pass_by_ref)]
fn even(n: &u16) -> Result<(), String> {
    if n % 2 == 1 { Err(format!("{n} is odd")) } else { Ok(()) }
}

/// Every built-in rule on a field of the type it applies to.
#[derive(PhoenixConfig)]
struct Rules {
    #[validate(url)]
    endpoint: String,
    #[validate(email)]
    contact: Option<String>,
    #[validate(port, custom = even)]
    port: u16,
    #[validate(range(min = 0, max = 1))]
    ratio: f64,
    #[validate(range(min = -10, max = -1))]
    offset: i32,
    #[validate(length(min = 2, max = 4))]
    code: String,
    #[validate(one_of("json", "text"))]
    format: String,
    #[validate(custom = mongodb_scheme)]
    #[secret]
    uri: String,
    #[validate(each(each(zipcode)))]
    areas: Vec<Vec<String>>,
    #[validate(each(range(max = 0.5)), non_empty)]
    weights: Vec<f32>,
}

fn valid_rules() -> Rules {
    Rules {
        endpoint: "https://example.com/api".to_owned(),
        contact: Some("ops@example.com".to_owned()),
        port: 8080,
        ratio: 0.5,
        offset: -5,
        code: "ab".to_owned(),
        format: "json".to_owned(),
        uri: "mongodb://db".to_owned(),
        areas: vec![vec!["85001".to_owned()]],
        weights: vec![0.25],
    }
}

#[test]
fn every_rule_passes_good_values() {
    let errors = valid_rules().validate();
    assert!(errors.is_empty(), "{errors:?}");
    let rules: Vec<Vec<String>> =
        Rules::describe().fields.iter().map(|f| f.rules.iter().map(ToString::to_string).collect()).collect();
    assert_eq!(rules[2], ["port", "custom = even"]);
    assert_eq!(rules[4], ["range(min = -10, max = -1)"]);
    assert_eq!(rules[6], ["one_of(\"json\", \"text\")"]);
    assert_eq!(rules[8], ["each(each(zipcode))"]);
}

#[test]
fn every_rule_rejects_bad_values() {
    let rules = Rules {
        endpoint: "not a url".to_owned(),
        contact: Some("nobody".to_owned()),
        port: 0,
        ratio: 1.5,
        offset: 3,
        code: "abcde".to_owned(),
        format: "yaml".to_owned(),
        uri: "postgres://user:hunter2@db".to_owned(),
        areas: vec![vec!["85001".to_owned()], vec!["85001".to_owned(), "x".to_owned()]],
        weights: vec![0.25, 0.75],
    };
    let errors = rules.validate();
    let paths: Vec<&str> = errors.iter().map(phoenix_config::ValidationError::path).collect();
    assert_eq!(
        paths,
        ["endpoint", "contact", "port", "ratio", "offset", "code", "format", "uri", "areas[1][1]", "weights[1]"]
    );
    let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert!(text.contains(&"ratio: must be between 0 and 1, got 1.5".to_owned()), "{text:?}");
    assert!(text.contains(&"offset: must be between -10 and -1, got 3".to_owned()), "{text:?}");
    // A custom rule's message on a secret field is replaced: it might hold the value.
    assert!(text.contains(&"uri: does not pass `mongodb_scheme`".to_owned()), "{text:?}");
    assert!(text.iter().all(|t| !t.contains("hunter2")), "{text:?}");
}

#[test]
fn custom_rules_keep_their_message_on_plain_fields() {
    let mut rules = valid_rules();
    rules.port = 8081;
    let errors: Vec<String> = rules.validate().iter().map(ToString::to_string).collect();
    assert_eq!(errors, ["port: 8081 is odd"]);
}

/// Settings answering to `APP_…` variables.
#[derive(PhoenixConfig)]
#[config(prefix = "APP")]
struct Prefixed {
    #[config(default = 8080)]
    port: u16,
    #[env("APP_HOST_NAME")]
    #[config(default = "localhost")]
    host: String,
    #[config(default = "x")]
    label: Option<String>,
    #[config(default = 3)]
    retries: Option<u8>,
    token: Secret<String>,
    r#type: Option<String>,
}

#[test]
fn prefix_gives_every_leaf_an_automatic_name() {
    let info = Prefixed::describe();
    assert_eq!(info.prefix, Some("APP"));
    let leaves = info.leaves();
    assert_eq!(leaves[0].vars, ["APP_PORT"]);
    assert_eq!(leaves[1].vars, ["APP_HOST_NAME", "APP_HOST"]);
    assert_eq!(leaves[5].path, "type");
    assert_eq!(leaves[5].vars, ["APP_TYPE"]);

    let loaded: Prefixed = loader()
        .env_vars([("APP_PORT", "9000"), ("APP_HOST_NAME", "db"), ("APP_TOKEN", "t0ken"), ("APP_TYPE", "fast")])
        .load()
        .unwrap();
    assert_eq!(loaded.port, 9000);
    assert_eq!(loaded.host, "db");
    assert_eq!(loaded.label.as_deref(), Some("x"));
    assert_eq!(loaded.retries, Some(3));
    assert_eq!(loaded.token.expose(), "t0ken");
    assert_eq!(loaded.r#type.as_deref(), Some("fast"));
}

#[test]
fn a_secret_type_is_a_secret_without_the_attribute() {
    let token = &Prefixed::describe().fields[4];
    assert_eq!(token.ty, "Secret<String>");
    assert!(token.secret && !token.optional);
    let loaded: Prefixed = loader().env_vars([("APP_TOKEN", "t0ken")]).load().unwrap();
    let text = format!("{loaded:?}");
    assert!(text.contains("token: [REDACTED]") && !text.contains("t0ken"), "{text}");
    assert!(text.contains("label: Some(\"x\")"), "{text}");
}

#[derive(PhoenixConfig)]
#[config(allow_unknown_keys)]
struct Open {
    #[config(default = 1)]
    known: u8,
}

#[derive(PhoenixConfig)]
struct Closed {
    #[config(default = 1)]
    known: u8,
}

#[test]
fn unknown_keys_are_errors_unless_allowed() {
    assert!(Open::describe().allow_unknown_keys);
    assert_eq!(loader().set("extra", "1").load::<Open>().unwrap().known, 1);
    assert_eq!(loader().set("known", "2").load::<Closed>().unwrap().known, 2);
    let error = loader().set("knwn", "2").load::<Closed>().unwrap_err();
    assert!(error.has(IssueKind::UnknownKey), "{error}");
    assert_eq!(issues(&error), ["knwn: unknown key `knwn`, did you mean `known`?"]);
}

#[derive(PhoenixConfig)]
struct Empty {}

#[test]
fn an_empty_struct_loads() {
    assert!(Empty::describe().fields.is_empty());
    let _: Empty = loader().load().unwrap();
    assert_eq!(format!("{:?}", Empty {}), "Empty");
    assert!(Empty {}.validate().is_empty());
}

/// Where renamed, re-exported phoenix-config lives for `#[config(crate)]`.
mod deps {
    pub(crate) use phoenix_config as config;
}

fn hex_color(text: &str) -> Result<u32, std::num::ParseIntError> {
    u32::from_str_radix(text.trim_start_matches('#'), 16)
}

#[derive(PhoenixConfig)]
#[config(prefix = "HABIT", crate = "deps::config")]
struct Habits {
    /// The file key is `listen-addr`; the automatic variable follows it.
    #[config(rename = "listen-addr", default = std::net::SocketAddr::from(([0, 0, 0, 0], 8080)))]
    listen: std::net::SocketAddr,
    #[config(default)]
    tags: Vec<String>,
    #[config(default = { let mut v = vec![1_u8, 2]; v.push(3); v })]
    weights: Vec<u8>,
    #[config(default = [1, 2].iter().map(|n| format!("{n}!")).collect::<Vec<_>>().join("+"))]
    label: String,
    #[config(with = hex_color)]
    color: u32,
    #[config(with = hex_color)]
    accent: Option<u32>,
}

/// How a message is delivered (a `ConfigEnum` of a renamed dependency).
#[derive(serde::Deserialize, deps::config::ConfigEnum, Debug, PartialEq)]
#[config(crate = "deps::config")]
#[serde(rename_all = "lowercase")]
enum Delivery {
    /// At most once.
    Fast,
    /// At least once,
    /// retried.
    #[serde(alias = "sure")]
    Safe,
}

#[derive(PhoenixConfig)]
#[config(prefix = "COURIER")]
struct Courier {
    #[config(default = "safe")]
    delivery: Delivery,
    fallbacks: Option<Vec<Delivery>>,
}

#[test]
fn config_enum_gives_each_name_its_variants_doc_comment_through_options_and_lists() {
    use phoenix_config::ConfigEnum as _;
    assert_eq!(Delivery::Safe.variant_doc(), "At least once, retried.");
    for field in Courier::describe().fields {
        assert_eq!((field.variant_doc)("fast"), Some("At most once."), "{}", field.name);
        assert_eq!((field.variant_doc)("sure"), Some("At least once, retried."), "{}", field.name);
        assert_eq!((field.variant_doc)("slow"), None, "{}", field.name);
    }
    assert_eq!((Habits::describe().fields[0].variant_doc)("fast"), None, "not an enum");
    let c: Courier = loader().env_vars([("COURIER_FALLBACKS", "fast,sure")]).load().unwrap();
    assert_eq!((c.delivery, c.fallbacks), (Delivery::Safe, Some(vec![Delivery::Fast, Delivery::Safe])));
}

/// How loud (computed defaults of a `ConfigEnum`).
#[derive(serde::Deserialize, phoenix_config::ConfigEnum, Debug, PartialEq, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum Loudness {
    /// Hushed.
    Quiet,
    /// As usual.
    Normal,
    /// serde lists `loud` before `shout`: the alias is never shown.
    #[serde(rename = "shout", alias = "loud")]
    Shouting,
}

/// A plain serde enum (no `ConfigEnum`).
#[derive(serde::Deserialize, Debug, PartialEq, Clone, Copy)]
#[serde(rename_all = "kebab-case")]
enum Tone {
    LowHum,
    HighPitch,
}

#[derive(PhoenixConfig, PartialEq)]
#[config(prefix = "VOL")]
struct Volume {
    #[config(default = Loudness::Normal)]
    level: Loudness,
    #[config(default = Loudness::Shouting)]
    peak: Loudness,
    #[config(default = Some(Loudness::Quiet))]
    night: Option<Loudness>,
    #[config(default = vec![Loudness::Quiet, Loudness::Shouting])]
    steps: Vec<Loudness>,
    #[config(default = Tone::HighPitch)]
    tone: Tone,
}

#[test]
fn a_computed_enum_default_is_shown_by_the_name_a_file_uses_and_reads_back() {
    let shown: Vec<String> = Volume::describe().fields.iter().map(|f| f.default.unwrap().shown()).collect();
    assert_eq!(shown, ["normal", "shout", "quiet", "[quiet, shout]", "high-pitch"]);
    let defaults = loader().load_with_origins::<Volume>().unwrap();
    let text = defaults.to_string();
    assert!(text.contains("normal") && text.contains("shout") && !text.contains("Normal"), "{text}");
    let table = phoenix_config::docs::env_markdown::<Volume>();
    assert!(table.contains("| `normal` |") && table.contains("| `shout` |"), "{table}");
    let dotenv = phoenix_config::docs::dotenv_example::<Volume>();
    assert!(dotenv.contains("# VOL_LEVEL=normal\n") && dotenv.contains("# VOL_PEAK=shout\n"), "{dotenv}");
    let schema = phoenix_config::docs::json_schema::<Volume>();
    assert_eq!(schema["properties"]["peak"]["default"], "shout");
    assert_eq!(schema["properties"]["peak"]["examples"], serde_json::json!(["shout"]));
    // The template writes the defaults it can as values: read back, they are the defaults.
    let template = phoenix_config::docs::yaml_template::<Volume>();
    assert!(template.contains("\nlevel: normal\n") && template.contains("\npeak: shout\n"), "{template}");
    assert!(template.contains("\ntone: high-pitch\n"), "{template}");
    let s = common::Scratch::new();
    s.write("config/base.yaml", &template);
    let read_back = s.loader(&[]).load_with_origins::<Volume>().unwrap();
    for path in ["level", "peak", "night", "tone"] {
        assert!(read_back.origin(path).unwrap().to_string().contains("base.yaml:"), "{read_back}");
    }
    assert!(read_back.config() == defaults.config(), "{read_back}");
    // Each shown default, given as a variable, reads into the default.
    let vars: Vec<(String, String)> = Volume::describe()
        .fields
        .iter()
        .map(|f| (format!("VOL_{}", f.name.to_uppercase()), f.default.unwrap().shown()))
        .collect();
    let from_vars = loader().env_vars(vars).load::<Volume>().unwrap();
    assert!(from_vars == *defaults.config());
}

#[test]
fn an_enum_from_a_file_is_shown_as_the_file_wrote_it() {
    let s = common::Scratch::new();
    s.write("config/base.yaml", "peak: loud\nlevel: quiet\n");
    let loaded = s.loader(&[]).load_with_origins::<Volume>().unwrap();
    assert_eq!(loaded.config().peak, Loudness::Shouting);
    let shown: Vec<(&str, &str)> = loaded.leaves().map(|(path, value, _)| (path, value)).collect();
    assert_eq!(&shown[..2], [("level", "quiet"), ("peak", "loud")]);
}

#[test]
fn serde_habits_have_phoenix_equivalents() {
    let h: Habits = loader().env_vars([("HABIT_COLOR", "#ff8800")]).load().unwrap();
    assert_eq!(h.listen.port(), 8080);
    assert!(h.tags.is_empty());
    assert_eq!(h.weights, [1, 2, 3]);
    assert_eq!(h.label, "1!+2!");
    assert_eq!(h.color, 0x00ff_8800);
    assert_eq!(h.accent, None);
    let keys: Vec<&str> = Habits::describe().fields.iter().map(|f| f.name).collect();
    assert_eq!(keys[0], "listen-addr");

    let h: Habits = loader()
        .env_vars([("HABIT_LISTEN_ADDR", "127.0.0.1:9000"), ("HABIT_COLOR", "10"), ("HABIT_ACCENT", "0a")])
        .load()
        .unwrap();
    assert_eq!(h.listen.port(), 9000, "the automatic variable follows the renamed key");
    assert_eq!(h.accent, Some(10));
    let h: Habits = loader().env_vars([("HABIT_COLOR", "1")]).set("listen-addr", "127.0.0.1:9001").load().unwrap();
    assert_eq!(h.listen.port(), 9001);

    let err = loader().env_vars([("HABIT_COLOR", "zz")]).load::<Habits>().unwrap_err();
    assert_eq!(issues(&err), ["color: invalid digit found in string"]);
    assert_eq!(err.issues()[0].kind(), IssueKind::Invalid);
}

#[derive(PhoenixConfig)]
#[config(prefix = "UNITS")]
struct Units {
    timeout: std::time::Duration,
    #[config(default = "1m30s")]
    grace: std::time::Duration,
    retry: Option<std::time::Duration>,
    #[config(default)]
    backoff: Vec<std::time::Duration>,
    #[config(default = "512KiB")]
    buffer: phoenix_config::ByteSize,
    limit: Option<phoenix_config::ByteSize>,
    #[secret]
    hold: Option<std::time::Duration>,
    #[secret]
    quota: Option<phoenix_config::ByteSize>,
}

#[test]
fn durations_and_sizes_read_human_text_from_files_and_variables() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("base.yaml"), "timeout: 250ms\nlimit: 1GiB\nretry: 2h\n").unwrap();
    let load = |vars: &[(&str, &str)]| {
        loader()
            .config_dir(dir.path())
            .env_vars(vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())))
            .load::<Units>()
    };
    let u = load(&[]).unwrap();
    assert_eq!(u.timeout, std::time::Duration::from_millis(250));
    assert_eq!(u.grace, std::time::Duration::from_secs(90));
    assert_eq!(u.retry.map(|d| d.as_secs()), Some(2 * 3600));
    assert_eq!(u.buffer.bytes(), 512 * 1024);
    assert_eq!(u.limit.map(phoenix_config::ByteSize::bytes), Some(1 << 30));
    assert!(u.hold.is_none() && u.quota.is_none());

    let u = load(&[("UNITS_TIMEOUT", "5s"), ("UNITS_BACKOFF", "1s, 2s, 1d"), ("UNITS_LIMIT", "10MB")]).unwrap();
    assert_eq!(u.timeout, std::time::Duration::from_secs(5));
    assert_eq!(u.backoff.last().map(std::time::Duration::as_secs), Some(24 * 3600));
    assert_eq!(u.limit.map(phoenix_config::ByteSize::bytes), Some(10_000_000));

    let err = load(&[("UNITS_TIMEOUT", "5 parsecs"), ("UNITS_LIMIT", "10 XB")]).unwrap_err();
    let found = issues(&err);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].starts_with("timeout: ") && found[0].contains("ns, us, ms, s, m, h, d"), "{found:?}");
    assert!(found[1].starts_with("limit: ") && found[1].contains("KiB"), "{found:?}");
    // Bad values are quoted like every other value in a message.
    assert!(found[0].starts_with("timeout: `5 parsecs` has the unknown unit `parsecs`"), "{found:?}");
    assert!(found[1].starts_with("limit: `10 XB` is not valid, expected a size: a number and a unit"), "{found:?}");
    let err = load(&[("UNITS_LIMIT", "99999999999999TB")]).unwrap_err();
    assert_eq!(issues(&err), ["limit: `99999999999999TB` is not valid, expected a size below 16EiB"]);

    // A secret's bad value is never shown, not even a unit of it.
    let err = load(&[("UNITS_HOLD", "5zq"), ("UNITS_QUOTA", "7zq")]).unwrap_err();
    let found = issues(&err);
    assert_eq!(
        found,
        [
            "hold: is not a duration: write numbers with units (ns, us, ms, s, m, h, d), like 250ms, 5s, 1m30s or 2h",
            "quota: is not valid, expected a size: a number and a unit (B, KB, MB, GB, TB, KiB, MiB, GiB, TiB), like 512KiB, 10MB or 1GiB",
        ]
    );
    assert!(!err.to_string().contains("zq") && !format!("{err:?}").contains("zq"), "{err}");
}

#[derive(Debug, phoenix_config::serde::Deserialize)]
#[serde(crate = "phoenix_config::serde")]
struct Endpoint {
    host: String,
    port: u16,
}

#[derive(PhoenixConfig)]
struct WithLeafStruct {
    endpoint: Endpoint,
}

#[test]
fn a_typo_inside_a_serde_leaf_struct_is_an_unknown_key() {
    let err = loader().set("endpoint", "{host: h, prot: 1}").load::<WithLeafStruct>().unwrap_err();
    assert_eq!(issues(&err), ["endpoint: unknown key `prot`, did you mean `port`?"]);
    assert_eq!(err.issues()[0].kind(), IssueKind::UnknownKey);
    let ok = loader().set("endpoint", "{host: h, port: 1}").load::<WithLeafStruct>().unwrap();
    assert_eq!((ok.endpoint.host.as_str(), ok.endpoint.port), ("h", 1));
}

#[derive(PhoenixConfig)]
#[allow(dead_code)] // described, not loaded
struct TypedDefaults {
    #[config(default = -3)]
    offset: i32,
    #[config(default = -0.5)]
    ratio: f64,
    #[config(default = true)]
    on: bool,
    #[config(default = "a,b")]
    tags: Vec<String>,
    #[config(default = std::time::Duration::from_secs(2))]
    wait: std::time::Duration,
    #[config(default)]
    names: Vec<String>,
    #[config(with = hex_color)]
    color: u32,
}

#[test]
fn defaults_and_kinds_are_typed_data_of_the_description() {
    let info = TypedDefaults::describe();
    let defaults: Vec<Option<DefaultValue>> = info.fields.iter().map(|f| f.default).collect();
    assert_eq!(
        defaults,
        [
            Some(DefaultValue::Integer(-3)),
            Some(DefaultValue::Float(-0.5)),
            Some(DefaultValue::Bool(true)),
            Some(DefaultValue::Text("a,b")),
            Some(DefaultValue::Expr { code: "std::time::Duration::from_secs(2)", shown: || None }),
            Some(DefaultValue::TypeDefault { shown: || None }),
            None,
        ]
    );
    let values: Vec<Option<String>> = info.fields.iter().map(|f| f.default.and_then(|d| d.value())).collect();
    assert_eq!(
        values,
        [Some("-3".into()), Some("-0.5".into()), Some("true".into()), Some("a,b".into()), None, None, None]
    );
    assert_eq!(DefaultValue::TypeDefault { shown: || None }.to_string(), "Default::default()");
    // Documentation shows a computed default by its value, not its code.
    let shown: Vec<Option<String>> = info.fields.iter().map(|f| f.default.map(|d| d.shown())).collect();
    assert_eq!(
        shown,
        [
            Some("-3".into()),
            Some("-0.5".into()),
            Some("true".into()),
            Some("a,b".into()),
            Some("2s".into()),
            Some("[]".into()),
            None
        ]
    );
    let kinds: Vec<Kind> = info.fields.iter().map(|f| (f.kind)()).collect();
    assert_eq!(
        kinds,
        [
            Kind::Integer { min: i32::MIN.into(), max: i32::MAX.into() },
            Kind::Number,
            Kind::Bool,
            Kind::List(Box::new(Kind::Text)),
            Kind::Duration,
            Kind::List(Box::new(Kind::Text)),
            Kind::Text,
        ],
        "a field read `with` a function is text"
    );
}

#[derive(PhoenixConfig)]
struct AnyDefault {
    #[config(default = [1, 2, 3])]
    array: [u8; 3],
    #[config(default = (1..=3).map(|n: u32| n * 2).sum::<u32>() + 1)]
    called: u32,
    #[config(default = { let n = 2; n * 3 })]
    block: u32,
    #[config(default = if cfg!(unix) { 1 } else { 2 })]
    branch: u32,
    #[config(default = std::collections::BTreeMap::<String, u32>::new())]
    turbofish: std::collections::BTreeMap<String, u32>,
    #[config(default = -5)]
    negative: i64,
}

#[test]
fn a_default_may_be_any_expression() {
    let loaded = loader().load::<AnyDefault>().unwrap();
    assert_eq!(loaded.array, [1, 2, 3]);
    assert_eq!((loaded.called, loaded.block, loaded.negative), (13, 6, -5));
    assert_eq!(loaded.branch, if cfg!(unix) { 1 } else { 2 });
    assert!(loaded.turbofish.is_empty());
    let defaults: Vec<Option<DefaultValue>> = AnyDefault::describe().fields.iter().map(|f| f.default).collect();
    assert_eq!(defaults[0], Some(DefaultValue::Expr { code: "[1, 2, 3]", shown: || None }));
    assert_eq!(defaults[0].map(|d| d.shown()).as_deref(), Some("[1, 2, 3]"));
    assert_eq!(defaults[1].map(|d| d.shown()).as_deref(), Some("13"));
    assert_eq!(defaults[5], Some(DefaultValue::Integer(-5)));
}

#[derive(PhoenixConfig)]
#[config(prefix = "SHOWN")]
struct ShownDefaults {
    /// Where to listen
    #[config(default = std::net::SocketAddr::from(([0, 0, 0, 0], 8080)))]
    listen: std::net::SocketAddr,
    #[config(default = Some(std::time::Duration::from_secs(5)))]
    timeout: Option<std::time::Duration>,
    #[config(default = None)]
    retries: Option<u32>,
    #[config(default)]
    tags: Vec<String>,
    #[secret]
    #[config(default = String::from("hunter2") + "!")]
    token: String,
    #[config(default = phoenix_config::ByteSize(1 << 20))]
    max_body: phoenix_config::ByteSize,
    #[config(default = "api".to_owned())]
    name: String,
    /// Read as `#rrggbb`; the default is a value, not text for the reader
    #[config(with = hex_color, default = 255)]
    color: u32,
}

#[test]
fn computed_defaults_are_shown_by_their_value_never_a_secret_s() {
    let loaded = loader().load_with_origins::<ShownDefaults>().unwrap();
    let config = loaded.config();
    assert_eq!(
        (config.listen.port(), config.timeout, config.retries),
        (8080, Some(std::time::Duration::from_secs(5)), None)
    );
    assert!(config.tags.is_empty() && config.token == "hunter2!");
    assert_eq!((config.max_body.0, config.name.as_str(), config.color), (1 << 20, "api", 255));
    let text = loaded.to_string();
    let shown = |key: &str| {
        let line = text.lines().find(|l| l.split_whitespace().next() == Some(key)).unwrap();
        line.split_whitespace().nth(1).unwrap().to_owned()
    };
    assert_eq!(shown("listen"), "0.0.0.0:8080", "{text}");
    assert_eq!(shown("timeout"), "5s", "an optional default without `Some(…)`: {text}");
    assert_eq!(shown("retries"), "unset", "{text}");
    assert_eq!(shown("tags"), "[]", "{text}");
    assert_eq!(shown("token"), "[REDACTED]", "{text}");
    assert_eq!(shown("max_body"), "1MiB", "a type's `Display` when it has one: {text}");
    assert_eq!(shown("name"), "api", "{text}");
    assert_eq!(shown("color"), "255", "{text}");
    assert!(!text.contains("hunter2"), "{text}");

    let table = phoenix_config::docs::env_markdown::<ShownDefaults>();
    assert!(table.contains("`0.0.0.0:8080`") && !table.contains("SocketAddr::from"), "{table}");
    assert!(table.contains("`5s`") && table.contains("`none`") && table.contains("`[]`"), "{table}");
    assert!(!table.contains("hunter2") && table.contains("(secret)"), "{table}");
    let template = phoenix_config::docs::yaml_template::<ShownDefaults>();
    assert!(template.contains("# listen:   # default 0.0.0.0:8080"), "{template}");
    // A `with` field's default is a value of its type: never written as
    // text its reader would refuse.
    assert!(template.contains("# color:   # default 255") && !template.contains("\ncolor: 255"), "{template}");
    let schema = phoenix_config::docs::json_schema::<ShownDefaults>();
    assert!(schema["properties"]["color"].get("default").is_none(), "{schema:#}");
    assert!(schema["properties"]["color"].get("examples").is_none(), "{schema:#}");
    assert!(!template.contains("hunter2"), "{template}");
}

/// A struct wider than the fields a section finds by index (32): the
/// fields after them are found by a scan, with the same results.
macro_rules! wide {
    ($($field:ident),*) => {
        #[derive(PhoenixConfig)]
        struct Wide {
            $(#[config(default = 0)] $field: u8,)*
        }

        impl Wide {
            fn values(&self) -> Vec<u8> {
                vec![$(self.$field),*]
            }
        }
    };
}

wide!(
    f00, f01, f02, f03, f04, f05, f06, f07, f08, f09, f10, f11, f12, f13, f14, f15, f16, f17, f18, f19, f20, f21, f22,
    f23, f24, f25, f26, f27, f28, f29, f30, f31, f32, f33, f34, f35
);

#[test]
fn fields_of_a_wide_struct_are_found_by_key_and_unknown_keys_still_reported() {
    let wide: Wide = loader().set("f00", "1").set("f31", "2").set("f32", "3").set("f35", "4").load().unwrap();
    let values = wide.values();
    assert_eq!((values[0], values[31], values[32], values[35]), (1, 2, 3, 4));
    assert_eq!(values.iter().map(|&v| u32::from(v)).sum::<u32>(), 10, "{values:?}");
    let info = Wide::describe();
    assert_eq!(info.field("f33").map(|f| f.name), Some("f33"));
    assert!(info.field("f36").is_none() && (info.index)(b"f0").is_none());

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("base.yaml"), "f34: 7\nf36: 1\nf01: 5\n").unwrap();
    let err = loader().config_dir(dir.path()).load::<Wide>().unwrap_err();
    let issues = issues(&err);
    assert!(issues.len() == 1 && issues[0].starts_with("f36: unknown key `f36`, did you mean"), "{issues:?}");
    std::fs::write(dir.path().join("base.yaml"), "f34: 7\nf01: 5\n").unwrap();
    let loaded = loader().config_dir(dir.path()).load_with_origins::<Wide>().unwrap();
    assert_eq!((loaded.config().values()[34], loaded.config().values()[1]), (7, 5));
    assert_eq!(
        loaded.origin("f34").map(ToString::to_string).as_deref(),
        Some(&*format!("{}:1:6", dir.path().join("base.yaml").display()))
    );
}

#[derive(PhoenixConfig)]
struct SecretCollections {
    #[config(default)]
    pins: Vec<Secret<u32>>,
    #[config(default)]
    api_keys: std::collections::HashMap<String, Secret<String>>,
    token: Option<Secret<String>>,
    #[config(rename = "listen-addr", default = 8080)]
    listen: u16,
}

#[test]
fn debug_hides_the_keys_and_counts_of_secret_collections_and_names_rust_fields() {
    let loaded: SecretCollections =
        loader().set("pins", "12345,67890").set("api_keys", "{LEAKKEYNAME: LEAKSS1, k2: x}").load().unwrap();
    assert_eq!((loaded.pins.len(), loaded.api_keys.len(), loaded.listen), (2, 2, 8080));
    assert!(loaded.token.is_none());
    let text = format!("{loaded:?}");
    assert_eq!(
        text, "SecretCollections { pins: [REDACTED], api_keys: [REDACTED], token: None, listen: 8080 }",
        "the type decides: no key, item or count of a secret collection"
    );
}
