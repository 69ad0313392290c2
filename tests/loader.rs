//! The layered loader: precedence, variable names, `.env`, `_FILE`, origins,
//! conversions and errors (DESIGN §4, §5, §8).

mod common;

use common::Scratch;
use phoenix_config::{ConfigLoader, Environment, IssueKind, Origin, PhoenixConfig};

#[derive(PhoenixConfig)]
#[config(prefix = "APP")]
struct Settings {
    /// The database.
    #[config(nested)]
    db: Db,
    #[config(default = 1)]
    level: u32,
    #[config(default = "x")]
    label: String,
    zips: Vec<String>,
    name: Option<String>,
    #[config(default = false)]
    verbose: bool,
}

#[derive(PhoenixConfig)]
struct Db {
    #[env("DB_URL", alias = "DATABASE_URL", alias = "LEGACY_DB_URL")]
    url: String,
    #[config(default = 10)]
    pool: u32,
    #[secret]
    password: Option<String>,
}

#[test]
fn a_secret_field_is_read_like_any_other() {
    let s = Scratch::new();
    s.write("config/base.yaml", "db: {url: x, password: hunter2}\nzips: []\n");
    let c = s.loader(&[]).load::<Settings>().unwrap();
    assert_eq!(c.db.password.as_deref(), Some("hunter2"));
}

const BASE: &str = "\
db:
  url: mongodb://base
  pool: 20
level: 2
zips: ['02134', '85001']
";

fn origin(loaded: &phoenix_config::Loaded<Settings>, path: &str) -> String {
    loaded.origin(path).map_or_else(|| panic!("no origin for {path}"), ToString::to_string)
}

#[test]
fn the_files_of_a_load_are_every_one_read_or_looked_for() {
    let s = Scratch::new();
    s.write("config/base.yaml", "db: {url: x}\nzips: []\n");
    s.write("secret", "hunter2\n");
    let secret = s.path().join("secret").display().to_string();
    let loaded = s.loader(&[("APP_DB_PASSWORD_FILE", secret.as_str())]).load_with_origins::<Settings>().unwrap();
    let files: Vec<_> = loaded.files().map(std::path::Path::to_path_buf).collect();
    let mut expected = vec![s.path().join(".env")];
    for stem in ["base", "testing"] {
        expected.extend(["yaml", "yml", "toml", "json"].map(|ext| s.path().join(format!("config/{stem}.{ext}"))));
    }
    expected.push(s.path().join("secret"));
    assert_eq!(files, expected);
}

#[test]
fn defaults_apply_when_no_source_has_a_value() {
    let s = Scratch::new();
    s.write("config/base.yaml", "db: {url: x}\nzips: []\n");
    let loaded = s.loader(&[]).load_with_origins::<Settings>().unwrap();
    let c = loaded.config();
    assert_eq!((c.level, c.db.pool, c.label.as_str(), c.verbose), (1, 10, "x", false));
    assert_eq!(c.name, None);
    assert_eq!(origin(&loaded, "level"), "default");
}

#[test]
fn each_layer_beats_the_one_below() {
    let s = Scratch::new();
    s.write("config/base.yaml", BASE);
    // base only
    let loaded = s.loader(&[]).load_with_origins::<Settings>().unwrap();
    assert_eq!(loaded.config().level, 2);
    assert_eq!(origin(&loaded, "level"), format!("{}:4:8", s.shown("config/base.yaml")));
    // environment file beats base
    s.write("config/testing.yaml", "level: 3\n");
    let loaded = s.loader(&[]).load_with_origins::<Settings>().unwrap();
    assert_eq!(loaded.config().level, 3);
    assert_eq!(origin(&loaded, "level"), format!("{}:1:8", s.shown("config/testing.yaml")));
    assert_eq!(loaded.config().db.pool, 20, "maps merge key by key");
    // .env beats the files
    s.write(".env", "# comment\n\nAPP_LEVEL=4\n");
    let loaded = s.loader(&[]).load_with_origins::<Settings>().unwrap();
    assert_eq!(loaded.config().level, 4);
    assert_eq!(origin(&loaded, "level"), format!("{}:3 APP_LEVEL", s.shown(".env")));
    // a variable beats .env
    let loaded = s.loader(&[("APP_LEVEL", "5")]).load_with_origins::<Settings>().unwrap();
    assert_eq!(loaded.config().level, 5);
    assert_eq!(origin(&loaded, "level"), "env APP_LEVEL");
    // an override beats everything
    let loaded = s.loader(&[("APP_LEVEL", "5")]).set("level", "6").load_with_origins::<Settings>().unwrap();
    assert_eq!(loaded.config().level, 6);
    assert_eq!(origin(&loaded, "level"), format!("override {}:{}:50", file!(), line!() - 2));
}

#[test]
fn lists_in_a_higher_layer_replace_the_lower_list_whole() {
    let s = Scratch::new();
    s.write("config/base.yaml", BASE);
    s.write("config/testing.yaml", "zips: ['85003']\n");
    let c = s.loader(&[]).load::<Settings>().unwrap();
    assert_eq!(c.zips, ["85003"]);
}

#[test]
fn the_environment_picks_its_file() {
    let s = Scratch::new();
    s.write("config/base.yaml", BASE);
    s.write("config/production.yaml", "level: 9\n");
    s.write("config/development.yaml", "level: 7\n");
    let c = s.loader(&[]).environment(Environment::Production).load::<Settings>().unwrap();
    assert_eq!(c.level, 9);
    let loaded = s.loader(&[]).environment(Environment::Development).load_with_origins::<Settings>().unwrap();
    assert_eq!(loaded.config().level, 7);
    assert_eq!(loaded.environment(), Environment::Development);
}

fn detecting(s: &Scratch, vars: &[(&str, &str)]) -> ConfigLoader {
    ConfigLoader::new()
        .config_dir(s.path().join("config"))
        .dotenv(s.path().join(".env"))
        .env_vars(vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())))
}

#[test]
fn a_second_environment_variable_naming_another_environment_is_a_warning() {
    let s = Scratch::new();
    s.write("config/base.yaml", BASE);
    let vars = [("ENVIRONMENT", "dev"), ("APP_ENVIRONMENT", "production")];
    let loaded = detecting(&s, &vars).no_dotenv().load_with_origins::<Settings>().unwrap();
    assert_eq!(loaded.environment(), Environment::Development);
    let warnings: Vec<String> = loaded.warnings().iter().map(ToString::to_string).collect();
    assert_eq!(warnings, ["env APP_ENVIRONMENT: ignored: the environment is `development` from env ENVIRONMENT"]);
    // The same environment in other words is no conflict.
    let same = [("ENVIRONMENT", "prod"), ("APP_ENVIRONMENT", "PRODUCTION")];
    let loaded = detecting(&s, &same).no_dotenv().load_with_origins::<Settings>().unwrap();
    assert!(loaded.warnings().is_empty(), "{:?}", loaded.warnings());
}

#[test]
fn the_environment_is_detected_from_variables_then_dotenv() {
    let s = Scratch::new();
    s.write("config/base.yaml", BASE);
    assert_eq!(detecting(&s, &[]).detect_environment_for::<Settings>().unwrap(), Environment::Development);
    assert_eq!(
        detecting(&s, &[("ENVIRONMENT", "prod")]).detect_environment_for::<Settings>().unwrap(),
        Environment::Production
    );
    assert_eq!(
        detecting(&s, &[("APP_ENVIRONMENT", "TEST")]).detect_environment_for::<Settings>().unwrap(),
        Environment::Testing
    );
    assert_eq!(
        detecting(&s, &[("ENVIRONMENT", "dev"), ("APP_ENVIRONMENT", "prod")])
            .detect_environment_for::<Settings>()
            .unwrap(),
        Environment::Development,
        "ENVIRONMENT is tried first"
    );
    s.write(".env", "APP_ENVIRONMENT=testing\n");
    assert_eq!(detecting(&s, &[]).detect_environment_for::<Settings>().unwrap(), Environment::Testing);
    assert_eq!(
        detecting(&s, &[("ENVIRONMENT", "production")]).detect_environment_for::<Settings>().unwrap(),
        Environment::Production
    );
    let loaded = detecting(&s, &[]).load_with_origins::<Settings>().unwrap();
    assert_eq!(loaded.environment(), Environment::Testing);
    // `.env` choosing the environment is never silent
    let said = loaded.warnings().iter().map(ToString::to_string).find(|w| w.contains("is set by")).unwrap();
    assert!(said.contains("the environment `testing` is set by") && said.contains(".env:1 APP_ENVIRONMENT"), "{said}");
    // a real variable beats it, and the ignored entry is named
    let loaded = detecting(&s, &[("ENVIRONMENT", "development")]).load_with_origins::<Settings>().unwrap();
    assert_eq!(loaded.environment(), Environment::Development);
    assert!(loaded.warnings().iter().any(|w| w.message().starts_with("ignored: the environment is `development`")));
    // a crate without the PHOENIX prefix never reads PHOENIX_ENVIRONMENT
    assert_eq!(
        detecting(&s, &[("PHOENIX_ENVIRONMENT", "production")])
            .no_dotenv()
            .detect_environment_for::<Settings>()
            .unwrap(),
        Environment::Development
    );
}

#[test]
fn an_unknown_environment_is_an_error_listing_the_accepted_names() {
    let s = Scratch::new();
    s.write("config/base.yaml", BASE);
    let err = detecting(&s, &[("ENVIRONMENT", "staging")]).load::<Settings>().unwrap_err();
    let issue = &err.issues()[0];
    assert_eq!(issue.kind(), IssueKind::Environment);
    assert_eq!(issue.origin().unwrap().to_string(), "env ENVIRONMENT");
    let text = issue.to_string();
    assert!(text.contains("`staging`") && text.contains("development") && text.contains("prod"), "{text}");
}

#[test]
fn explicit_names_then_aliases_in_order_then_the_automatic_name() {
    type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a str);
    let s = Scratch::new();
    s.write("config/base.yaml", "zips: []\n");
    let cases: [Case<'_>; 4] = [
        (&[("APP_DB_URL", "auto")], "auto", "env APP_DB_URL (alias of DB_URL)"),
        (&[("LEGACY_DB_URL", "legacy"), ("APP_DB_URL", "auto")], "legacy", "env LEGACY_DB_URL (alias of DB_URL)"),
        (&[("DATABASE_URL", "alias"), ("LEGACY_DB_URL", "legacy")], "alias", "env DATABASE_URL (alias of DB_URL)"),
        (&[("DB_URL", "main"), ("DATABASE_URL", "alias")], "main", "env DB_URL"),
    ];
    for (vars, value, from) in cases {
        let loaded = s.loader(vars).load_with_origins::<Settings>().unwrap();
        assert_eq!(loaded.config().db.url, value);
        assert_eq!(origin(&loaded, "db.url"), from);
    }
}

#[test]
fn conflicting_names_warn_and_the_first_wins() {
    let s = Scratch::new();
    s.write("config/base.yaml", "zips: []\n");
    let loaded = s.loader(&[("DB_URL", "a"), ("DATABASE_URL", "b")]).load_with_origins::<Settings>().unwrap();
    assert_eq!(loaded.config().db.url, "a");
    let warning = &loaded.warnings()[0];
    assert_eq!(warning.kind(), IssueKind::Conflict);
    assert!(warning.message().contains("DB_URL") && warning.message().contains("DATABASE_URL"), "{warning}");
    let same = s.loader(&[("DB_URL", "a"), ("DATABASE_URL", "a")]).load_with_origins::<Settings>().unwrap();
    assert!(same.warnings().is_empty(), "equal values are no conflict");
}

#[test]
fn a_real_variable_beats_a_dotenv_entry_of_another_name() {
    let s = Scratch::new();
    s.write("config/base.yaml", "zips: []\n");
    s.write(".env", "DB_URL=from-dotenv\n");
    let loaded = s.loader(&[("APP_DB_URL", "from-env")]).load_with_origins::<Settings>().unwrap();
    assert_eq!(loaded.config().db.url, "from-env");
}

#[test]
fn dotenv_values_keep_their_line() {
    let s = Scratch::new();
    s.write("config/base.yaml", "zips: []\n");
    s.write(".env", "# settings\nexport DB_URL=\"mongodb://dotenv\"\n\nAPP_VERBOSE=yes\n");
    let loaded = s.loader(&[]).load_with_origins::<Settings>().unwrap();
    assert_eq!(loaded.config().db.url, "mongodb://dotenv");
    assert!(loaded.config().verbose);
    assert_eq!(origin(&loaded, "db.url"), format!("{}:2 DB_URL", s.shown(".env")));
    assert_eq!(origin(&loaded, "verbose"), format!("{}:4 APP_VERBOSE", s.shown(".env")));
}

#[test]
fn a_dotenv_entry_set_again_below_is_a_warning_naming_both_lines() {
    let s = Scratch::new();
    s.write("config/base.yaml", "zips: []\n");
    s.write(".env", "DB_URL=first-canary\nAPP_VERBOSE=yes\nexport DB_URL=second\n");
    let loaded = s.loader(&[]).load_with_origins::<Settings>().unwrap();
    assert_eq!(loaded.config().db.url, "second", "the last entry wins, as in docker compose");
    let warnings: Vec<String> = loaded.warnings().iter().map(ToString::to_string).collect();
    let expected = format!(
        "{}:1 DB_URL: ignored: DB_URL is set again at line 3, which is used; remove one of them",
        s.shown(".env")
    );
    assert_eq!(warnings, [expected]);
}

#[test]
fn a_dotenv_entry_set_again_after_an_expansion_used_it_is_not_called_ignored() {
    let s = Scratch::new();
    s.write("config/base.yaml", "zips: []\n");
    s.write(".env", "HOST=first\nDB_URL=${HOST}\nHOST=second\n");
    let loaded = s.loader(&[]).load_with_origins::<Settings>().unwrap();
    assert_eq!(loaded.config().db.url, "first", "line 1's value was used");
    let warnings: Vec<String> = loaded.warnings().iter().map(ToString::to_string).collect();
    let shadowed: Vec<&String> = warnings.iter().filter(|w| w.contains("set again")).collect();
    let expected = format!(
        "{}:1 HOST: HOST is set again at line 3, which is used from there on; this value is used only by \
         the expansions above line 3; rename one of them",
        s.shown(".env")
    );
    assert_eq!(shadowed, [&expected], "{warnings:?}");
}

#[test]
fn file_variables_read_the_value_from_a_file() {
    let s = Scratch::new();
    s.write("config/base.yaml", "zips: []\n");
    let secret = s.write("secrets/db", "mongodb://from-file\n");
    let file = secret.display().to_string();
    let loaded = s.loader(&[("DB_URL_FILE", &file)]).load_with_origins::<Settings>().unwrap();
    assert_eq!(loaded.config().db.url, "mongodb://from-file", "one trailing newline trimmed");
    assert_eq!(origin(&loaded, "db.url"), format!("file {file} (DB_URL_FILE)"));
}

#[test]
fn a_name_and_its_file_variable_together_are_an_error() {
    let s = Scratch::new();
    s.write("config/base.yaml", "zips: []\n");
    let file = s.write("secrets/db", "x").display().to_string();
    let err = s.loader(&[("DB_URL", "a"), ("DB_URL_FILE", &file)]).load::<Settings>().unwrap_err();
    let issue = &err.issues()[0];
    assert_eq!(issue.kind(), IssueKind::Conflict);
    assert_eq!(issue.path(), "db.url");
    assert!(issue.message().contains("DB_URL_FILE"), "{issue}");
    assert_eq!(err.issues().len(), 1, "one cause, one message (not also `db.url` missing): {err}");
}

#[test]
fn two_files_of_one_layer_are_one_error_not_also_missing_values() {
    let s = Scratch::new();
    s.write("config/base.yaml", "db: {url: x}\nzips: []\n");
    s.write("config/base.json", "{\"db\": {\"url\": \"x\"}, \"zips\": []}\n");
    let err = s.loader(&[]).load::<Settings>().unwrap_err();
    let found: Vec<String> = err.issues().iter().map(ToString::to_string).collect();
    assert!(found[0].contains("exist for one layer"), "{found:?}");
    assert!(!found.iter().any(|i| i.contains("missing value")), "{found:?}");
    assert!(found.iter().any(|i| i.contains("could not be checked")), "{found:?}");
}

#[test]
fn a_missing_file_variable_target_is_an_error() {
    let s = Scratch::new();
    s.write("config/base.yaml", "zips: []\n");
    let err = s.loader(&[("DB_URL_FILE", "/no/such/file")]).load::<Settings>().unwrap_err();
    assert_eq!(err.issues()[0].path(), "db.url");
    assert!(err.issues()[0].to_string().contains("/no/such/file"), "{err}");
    assert_eq!(err.issues().len(), 1, "{err}");
    // `db.url` is not secret: the file is not called a secret file.
    assert_eq!(err.issues()[0].message(), "file /no/such/file does not exist", "{err}");
}

#[test]
fn text_converts_by_the_field_type() {
    let s = Scratch::new();
    s.write("config/base.yaml", "db: {url: x}\n");
    for (list, expected) in
        [("85001,85003", vec!["85001", "85003"]), ("[02134, 85001]", vec!["02134", "85001"]), ("", vec![])]
    {
        let c =
            s.loader(&[("APP_ZIPS", list), ("APP_VERBOSE", "on"), ("APP_DB_POOL", "7")]).load::<Settings>().unwrap();
        assert_eq!(c.zips, expected, "{list:?}");
        assert!(c.verbose);
        assert_eq!(c.db.pool, 7);
    }
}

#[test]
fn yaml_scalars_read_into_strings_keep_their_exact_text() {
    let s = Scratch::new();
    s.write("config/base.yaml", "db: {url: x}\nlabel: 1.10\nzips: [02134, 85001]\nname: 007\n");
    let c = s.loader(&[]).load::<Settings>().unwrap();
    assert_eq!(c.zips, ["02134", "85001"]);
    assert_eq!(c.label, "1.10");
    assert_eq!(c.name.as_deref(), Some("007"));
}

#[test]
fn a_missing_value_names_the_file_key_and_every_variable() {
    let s = Scratch::new();
    s.write("config/base.yaml", "zips: []\n");
    let err = s.loader(&[]).load::<Settings>().unwrap_err();
    let issue = err.issues().iter().find(|i| i.path() == "db.url").expect("db.url is missing");
    assert_eq!(issue.kind(), IssueKind::Missing);
    let text = issue.to_string();
    for needle in ["base.yaml", "testing.yaml", "DB_URL", "DATABASE_URL", "LEGACY_DB_URL", "APP_DB_URL"] {
        assert!(text.contains(needle), "{needle} not in {text}");
    }
}

#[test]
fn a_bad_value_says_where_it_came_from() {
    let s = Scratch::new();
    s.write("config/base.yaml", "db: {url: x}\nzips: []\nlevel: high\n");
    let err = s.loader(&[("APP_DB_POOL", "lots")]).load::<Settings>().unwrap_err();
    assert_eq!(err.issues().len(), 2, "{err}");
    let level = err.issues().iter().find(|i| i.path() == "level").unwrap();
    assert_eq!(level.kind(), IssueKind::Invalid);
    assert_eq!(level.origin().unwrap().to_string(), format!("{}:3:8", s.shown("config/base.yaml")));
    assert!(level.message().contains("`high`"), "{level}");
    let pool = err.issues().iter().find(|i| i.path() == "db.pool").unwrap();
    assert_eq!(pool.origin(), Some(&Origin::Env { name: "APP_DB_POOL".into(), alias_of: None }));
}

#[test]
fn unknown_keys_are_errors_with_a_suggestion() {
    let s = Scratch::new();
    s.write("config/base.yaml", "db:\n  url: x\n  pol: 3\nzips: []\n");
    let err = s.loader(&[]).load::<Settings>().unwrap_err();
    let issue = &err.issues()[0];
    assert_eq!(issue.kind(), IssueKind::UnknownKey);
    assert_eq!(issue.path(), "db.pol");
    assert!(issue.message().contains("did you mean `pool`"), "{issue}");
    assert_eq!(issue.origin().unwrap().to_string(), format!("{}:3:3", s.shown("config/base.yaml")));
    let err = s.loader(&[]).set("db.nope", "1").load::<Settings>().unwrap_err();
    assert!(
        err.issues().iter().any(|i| i.path() == "db.nope" && matches!(i.origin(), Some(Origin::Set { .. }))),
        "{err}"
    );
}

#[test]
fn a_syntax_error_has_its_line_and_column() {
    let s = Scratch::new();
    s.write("config/base.yaml", "db:\n  url: [unclosed\nzips: []\n");
    let err = s.loader(&[]).load::<Settings>().unwrap_err();
    let issue = err.issues().iter().find(|i| i.kind() == IssueKind::Syntax).expect("a syntax issue");
    let Some(Origin::File { path, line, .. }) = issue.origin() else { panic!("{issue}") };
    assert_eq!(&**path, s.shown("config/base.yaml"));
    assert!(*line >= 2, "{issue}");
}

#[test]
fn many_problems_are_reported_in_one_load() {
    let s = Scratch::new();
    s.write("config/base.yaml", "db:\n  pool: many\n  extra: 1\nlevel: -1\n");
    s.write(".env", "APP_VERBOSE=perhaps\n");
    let err = s.loader(&[]).load::<Settings>().unwrap_err();
    let kinds: Vec<(IssueKind, &str)> = err.issues().iter().map(|i| (i.kind(), i.path())).collect();
    for expected in [
        (IssueKind::UnknownKey, "db.extra"),
        (IssueKind::Missing, "db.url"),
        (IssueKind::Invalid, "db.pool"),
        (IssueKind::Invalid, "level"),
        (IssueKind::Missing, "zips"),
        (IssueKind::Invalid, "verbose"),
    ] {
        assert!(kinds.contains(&expected), "{expected:?} not in {err}");
    }
}

#[derive(PhoenixConfig)]
#[config(prefix = "APP")]
struct Clash {
    #[config(nested)]
    a: ClashA,
    #[config(nested)]
    b: ClashB,
}

#[derive(PhoenixConfig)]
struct ClashA {
    #[env("SHARED_URL")]
    url: Option<String>,
}

#[derive(PhoenixConfig)]
#[allow(dead_code, reason = "only its variable name matters to the test")]
struct ClashB {
    #[env("SHARED_URL")]
    url: Option<String>,
}

#[test]
fn two_fields_on_one_variable_are_an_error_naming_both_paths() {
    let err =
        ConfigLoader::new().no_dotenv().config_dir("no/such/dir").env_vars([("X", "1")]).load::<Clash>().unwrap_err();
    let issue = &err.issues()[0];
    assert_eq!(issue.kind(), IssueKind::Conflict);
    assert!(issue.message().contains("a.url") && issue.message().contains("b.url"), "{issue}");
    let ok = ConfigLoader::new().no_dotenv().config_dir("no/such/dir").env_vars([("X", "1")]).load::<ClashA>().unwrap();
    assert_eq!(ok.url, None, "one field alone on the variable is fine");
}

#[test]
fn loaded_displays_every_leaf_with_its_origin_and_redacts_secrets() {
    let s = Scratch::new();
    s.write("config/base.yaml", BASE);
    let loaded = s.loader(&[("APP_DB_PASSWORD", "hunter2-canary")]).load_with_origins::<Settings>().unwrap();
    let table = loaded.to_string();
    assert!(!table.contains("hunter2-canary"), "{table}");
    assert!(table.contains("[REDACTED]"), "{table}");
    for path in ["db.url", "db.pool", "db.password", "level", "label", "zips", "name", "verbose"] {
        assert!(table.lines().any(|l| l.starts_with(path)), "{path} missing in\n{table}");
    }
    assert!(!format!("{:?}", loaded.config()).contains("hunter2-canary"));
    assert!(table.contains("env APP_DB_PASSWORD"), "{table}");
}

#[test]
fn an_option_set_to_null_shows_as_unset_not_as_its_text() {
    let s = Scratch::new();
    s.write("config/base.yaml", "db:\n  url: u\n  password: p-canary\nzips: []\nname: n\n");
    for null in ["~", "null", "", "NULL"] {
        s.write("config/testing.yaml", &format!("db:\n  password: {null}\nname: {null}\n"));
        let loaded = s.loader(&[]).load_with_origins::<Settings>().unwrap();
        assert_eq!((&loaded.config().name, &loaded.config().db.password), (&None, &None), "{null:?}");
        let table = loaded.to_string();
        for path in ["name", "db.password"] {
            let row = table.lines().find(|l| l.starts_with(&format!("{path} "))).unwrap();
            assert_eq!(row.split_whitespace().nth(1), Some("unset"), "{null:?}: {row}");
        }
    }
}

#[test]
fn a_missing_config_dir_is_skipped_and_variables_suffice() {
    let c = ConfigLoader::new()
        .no_dotenv()
        .config_dir("no/such/dir")
        .environment(Environment::Production)
        .env_vars([("DB_URL", "u"), ("APP_ZIPS", "85001")])
        .load::<Settings>()
        .unwrap();
    assert_eq!(c.db.url, "u");
}

#[test]
fn an_unreadable_config_file_is_an_error_not_a_skip() {
    let s = Scratch::new();
    std::fs::create_dir_all(s.path().join("config/base.yaml")).unwrap();
    let err = s.loader(&[("DB_URL", "u"), ("APP_ZIPS", "")]).load::<Settings>().unwrap_err();
    assert_eq!(err.issues()[0].kind(), IssueKind::Io, "{err}");
}

#[derive(Debug, PartialEq, phoenix_config::serde::Deserialize)]
#[serde(crate = "phoenix_config::serde", rename_all = "lowercase")]
enum Level {
    Info,
    Debug,
}

#[derive(PhoenixConfig)]
struct TextDefaults {
    #[config(default = "info")]
    level: Level,
    #[config(default = "85001, 85003")]
    zips: Vec<String>,
    #[config(default = "hunter2")]
    token: phoenix_config::Secret<String>,
    #[config(default = "/var/log/app.log")]
    file: Option<std::path::PathBuf>,
}

#[derive(PhoenixConfig)]
#[allow(dead_code, reason = "it never loads: its default is wrong")]
struct BadDefault {
    #[config(default = "loud")]
    level: Level,
}

#[test]
fn text_defaults_convert_like_variables() {
    let loader = ConfigLoader::new().no_dotenv().config_dir("no/such/dir").env_vars([("X", "1")]);
    let c = loader.load_with_origins::<TextDefaults>().unwrap();
    assert_eq!(c.config().level, Level::Info);
    assert_eq!(c.config().zips, ["85001", "85003"]);
    assert_eq!(c.config().token.expose(), "hunter2");
    assert!(!c.to_string().contains("hunter2"), "a default secret is redacted too");
    assert_eq!(c.config().file.as_deref(), Some(std::path::Path::new("/var/log/app.log")));
    assert_eq!(c.origin("level"), Some(&Origin::Default));
    let overridden = loader.clone().set("level", "DEBUG").load::<TextDefaults>().unwrap();
    assert_eq!(overridden.level, Level::Debug);
    let err = loader.load::<BadDefault>().unwrap_err();
    let issue = &err.issues()[0];
    assert_eq!((issue.kind(), issue.path(), issue.origin()), (IssueKind::Invalid, "level", Some(&Origin::Default)));
    assert!(issue.message().starts_with("the default is not a valid Level"), "{issue}");
}

#[derive(PhoenixConfig)]
#[config(prefix = "NOVARS")]
struct NoVars {
    #[config(default = 3)]
    level: u32,
}

#[test]
fn env_vars_of_an_empty_array_needs_no_annotation_and_reads_no_process_variable() {
    // `NOVARS_LEVEL` is not injected: the empty set replaces the process
    // environment, whatever it holds.
    let c = ConfigLoader::new().no_dotenv().config_dir("/nonexistent").env_vars([]).load::<NoVars>().unwrap();
    assert_eq!(c.level, 3);
    let owned = String::from("7");
    let forms = [
        ConfigLoader::new().env_vars([("NOVARS_LEVEL", owned.as_str())]),
        ConfigLoader::new().env_vars(vec![("NOVARS_LEVEL", owned.clone())]),
        ConfigLoader::new().env_vars(std::collections::HashMap::from([("NOVARS_LEVEL".to_owned(), owned.clone())])),
        ConfigLoader::new().env_vars(std::collections::BTreeMap::from([("NOVARS_LEVEL", "7")])),
        ConfigLoader::new().env_vars(&[("NOVARS_LEVEL", owned.clone())][..]),
        ConfigLoader::new().env_vars(std::iter::once(("NOVARS_LEVEL", owned.clone()))),
    ];
    for loader in forms {
        assert_eq!(loader.no_dotenv().config_dir("/nonexistent").load::<NoVars>().unwrap().level, 7);
    }
}

/// The keys of a section in any order, and a key twice in a custom
/// source's map (the first counts, as `Node::get` finds it).
#[test]
fn fields_are_found_in_any_order_and_the_first_of_a_twice_given_key_counts() {
    use phoenix_config::source::{Source, SourceContext};
    use phoenix_config::{Entry, Issue, Node, NodeKind};

    #[derive(PhoenixConfig)]
    struct Three {
        a: u32,
        b: u32,
        c: u32,
    }

    /// A layer that is this map, keys in this order (a key twice kept).
    struct Map(&'static [(&'static str, &'static str)]);

    impl Source for Map {
        fn describe(&self) -> String {
            "map".to_owned()
        }

        fn load(&self, _: &SourceContext<'_>) -> Result<Node, Vec<Issue>> {
            let entries = self.0.iter().map(|&(key, value)| Entry {
                key: key.into(),
                key_origin: Origin::Default,
                value: Node::text(value, Origin::Default),
            });
            Ok(Node { kind: NodeKind::Map(entries.collect()), origin: Origin::Default })
        }
    }

    let load = |map: &'static [(&'static str, &'static str)]| {
        let loader = ConfigLoader::new().environment(Environment::Testing).config_dir("none").no_dotenv().env_vars([]);
        match loader.source(Map(map)).load::<Three>() {
            Ok(t) => Ok((t.a, t.b, t.c)),
            Err(e) => Err(e.issues().iter().map(Issue::kind).collect::<Vec<_>>()),
        }
    };
    assert_eq!(load(&[("a", "1"), ("b", "2"), ("c", "3")]), Ok((1, 2, 3)));
    assert_eq!(load(&[("c", "3"), ("a", "1"), ("b", "2")]), Ok((1, 2, 3)));
    assert_eq!(load(&[("b", "2"), ("x", "0"), ("c", "3"), ("a", "1")]), Err(vec![IssueKind::UnknownKey]));
    assert_eq!(load(&[("a", "1"), ("b", "2"), ("a", "9"), ("c", "3")]), Ok((1, 2, 3)));
    assert_eq!(load(&[("a", "1"), ("c", "3"), ("b", "2"), ("c", "9")]), Ok((1, 2, 3)));
    assert!(load(&[("a", "1"), ("c", "3")]).unwrap_err().contains(&IssueKind::Missing));
}

#[test]
fn a_failed_load_keeps_its_warnings() {
    let s = Scratch::new();
    s.write("config/base.yaml", "zips: []\n");
    let err = s.loader(&[("APP_LEVL", "3")]).load::<Settings>().unwrap_err();
    assert_eq!(err.issues()[0].path(), "db.url", "{err}");
    let warnings: Vec<String> = err.warnings().iter().map(ToString::to_string).collect();
    assert!(warnings.iter().any(|w| w.contains("APP_LEVL") && w.contains("did you mean APP_LEVEL")), "{warnings:?}");
    assert!(!err.to_string().contains("APP_LEVL"), "Display is the issues alone: {err}");

    s.write(".env", "ENVIRONMENT=testing\n");
    let err = detecting(&s, &[]).load::<Settings>().unwrap_err();
    assert_eq!(err.issues()[0].kind(), IssueKind::Missing, "{err}");
    let warnings: Vec<String> = err.warnings().iter().map(ToString::to_string).collect();
    assert!(warnings.iter().any(|w| w.contains("the environment `testing` is set by")), "{warnings:?}");
}

#[derive(PhoenixConfig)]
#[config(prefix = "OTHER")]
struct Other {
    #[env("DB_URL")]
    url: String,
    zips: Vec<String>,
}

/// What a loader's injected names mean is found on its first load and
/// kept: every later load, of the same type or another, and a clone given
/// more variables, reads exactly what a new loader would.
#[test]
fn a_reused_loader_reads_its_variables_on_every_load_and_a_clone_sees_more() {
    let s = Scratch::new();
    s.write("config/base.yaml", "zips: []\n");
    let loader = s.loader(&[("DB_URL", "mongodb://first"), ("APP_LEVLE", "3"), ("OTHER_NOTHING", "x")]);
    for _ in 0..3 {
        let first = loader.load_with_origins::<Settings>().unwrap();
        assert_eq!(first.config().db.url, "mongodb://first");
        assert_eq!(origin(&first, "db.url"), "env DB_URL");
        let warnings: Vec<String> = first.warnings().iter().map(ToString::to_string).collect();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("variable APP_LEVLE is set but matches no field"), "{warnings:?}");
        // Another type through the same loader: its own names, its own prefix.
        let other = loader.load_with_origins::<Other>().unwrap();
        assert_eq!(other.config().url, "mongodb://first");
        let warnings: Vec<String> = other.warnings().iter().map(ToString::to_string).collect();
        assert!(warnings.len() == 1 && warnings[0].contains("variable OTHER_NOTHING is set"), "{warnings:?}");
    }
    let more = loader.clone().env_vars([("APP_LEVEL", "7"), ("APP_DB_POOL_FILE", "/does/not/exist")]);
    let err = more.load::<Settings>().unwrap_err().to_string();
    assert!(err.contains("/does/not/exist"), "{err}");
    let more = loader.clone().env_vars([("APP_LEVEL", "7"), ("DB_URL", "mongodb://second")]);
    let second = more.load_with_origins::<Settings>().unwrap();
    assert_eq!((second.config().level, second.config().db.url.as_str()), (7, "mongodb://second"));
    assert!(second.warnings().iter().any(|w| w.to_string().contains("APP_LEVLE")));
    // The first loader is unchanged.
    assert_eq!(loader.load::<Settings>().unwrap().level, 1);
    assert!(loader.load::<Other>().unwrap().zips.is_empty());
    // What the names mean is kept from a loader's second load on; given
    // more variables itself (its map not shared), it reads them too.
    let single = s.loader(&[("DB_URL", "mongodb://first")]);
    for _ in 0..3 {
        assert_eq!(single.load::<Settings>().unwrap().level, 1);
    }
    let single = single.env_vars([("APP_LEVEL", "9")]);
    assert_eq!(single.load::<Settings>().unwrap().level, 9);
}

/// A config folder that has been still for a while is listed once and the
/// listing kept between loads (`read/listing.rs`): a layer file added later,
/// or a second file for one layer, is seen by the next load all the same.
#[test]
fn a_layer_file_added_to_a_settled_folder_is_read_by_the_next_load() {
    let s = Scratch::new();
    s.write("config/base.yaml", BASE);
    // Longer than the 2 s a folder must have been still for its listing to be kept.
    std::thread::sleep(std::time::Duration::from_millis(2200));
    assert_eq!(s.loader(&[]).load::<Settings>().unwrap().level, 2);
    assert_eq!(s.loader(&[]).load::<Settings>().unwrap().level, 2, "from the kept listing");
    s.write("config/testing.yaml", "level: 3\n");
    assert_eq!(s.loader(&[]).load::<Settings>().unwrap().level, 3, "the new layer file is read");
    s.write("config/base.json", "{}");
    let error = s.loader(&[]).load::<Settings>().unwrap_err().to_string();
    assert!(error.contains("both ") && error.contains("base.json"), "{error}");
}
