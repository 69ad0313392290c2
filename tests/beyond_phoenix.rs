//! A crate that is not the Phoenix collector (root prefix `SHOP`, its own
//! environments): declared environments, custom sources and command-line
//! arguments, YAML/TOML/JSON layers, names that follow the prefix, unused
//! variables, `.env` in production, and output people read (issue 13).

mod common;

use common::Scratch;
use phoenix_config::source::{ArgsSource, ChangeHook, Source, SourceContext, Watch};
use phoenix_config::{ConfigLoader, Environment, Issue, IssueKind, Loaded, Node, Origin, PhoenixConfig, Secret};

#[derive(PhoenixConfig)]
#[config(prefix = "SHOP", environments("development", "staging" = ["stage"], "production" = ["prod", "live"]))]
struct Shop {
    #[config(nested)]
    server: Server,
    #[config(nested)]
    database: Database,
    #[config(default = Vec::new())]
    zips: Vec<String>,
    #[config(default = "info")]
    log_level: String,
}

#[derive(PhoenixConfig)]
struct Server {
    #[config(default = 8080)]
    port: u16,
    #[config(default = false)]
    verbose: bool,
}

#[derive(PhoenixConfig)]
struct Database {
    url: String,
    #[config(default = 10)]
    max_pool_size: u32,
    #[validate(required_in("staging"))]
    replica: Option<String>,
    password: Option<Secret<String>>,
}

/// A loader of the scratch folder with only `vars`, environment detected.
fn loader(s: &Scratch, vars: &[(&str, &str)]) -> ConfigLoader {
    ConfigLoader::new()
        .config_dir(s.path().join("config"))
        .no_dotenv()
        .env_vars(vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())))
}

fn origin<T>(loaded: &Loaded<T>, path: &str) -> String {
    loaded.origin(path).map_or_else(|| panic!("no origin for {path}"), ToString::to_string)
}

fn messages(issues: &[Issue]) -> Vec<String> {
    issues.iter().map(ToString::to_string).collect()
}

// ---- 1. declared environments -------------------------------------------------

#[test]
fn staging_is_detected_and_reads_its_own_file() {
    let s = Scratch::new();
    s.write("config/base.yaml", "database:\n  url: mongodb://base\n");
    s.write("config/staging.yaml", "database:\n  replica: mongodb://replica\n  max_pool_size: 30\n");
    let loaded = loader(&s, &[("ENVIRONMENT", "Stage")]).load_with_origins::<Shop>().unwrap();
    assert_eq!(loaded.environment().as_str(), "staging");
    assert_eq!(loaded.environment(), "staging".parse().unwrap());
    assert_eq!(loaded.config().database.max_pool_size, 30);
    assert_eq!(origin(&loaded, "database.max_pool_size"), format!("{}:3:18", s.shown("config/staging.yaml")));
    // the prefixed name works too, and aliases of production
    let loaded = loader(&s, &[("SHOP_ENVIRONMENT", "live")]).load_with_origins::<Shop>().unwrap();
    assert_eq!(loaded.environment(), Environment::Production);
}

#[test]
fn required_in_staging_applies_in_staging() {
    let s = Scratch::new();
    s.write("config/base.yaml", "database:\n  url: mongodb://base\n");
    let err = loader(&s, &[("ENVIRONMENT", "staging")]).load::<Shop>().unwrap_err();
    assert_eq!(err.issues().len(), 1, "{err}");
    let issue = &err.issues()[0];
    assert_eq!((issue.kind(), issue.path()), (IssueKind::Validation, "database.replica"));
    assert!(issue.message().starts_with("is required in staging"), "{issue}");
    assert!(loader(&s, &[("ENVIRONMENT", "development")]).load::<Shop>().is_ok());
    // When staging's file does not parse, it may hold the value: one error
    // (the file's) and the note that values could not be checked, not a
    // second error for the same cause.
    s.write("config/staging.yaml", "database:\n  replica: [mongodb://replica\n");
    let err = loader(&s, &[("ENVIRONMENT", "staging")]).load::<Shop>().unwrap_err();
    let kinds: Vec<IssueKind> = err.issues().iter().map(Issue::kind).collect();
    assert_eq!(kinds, [IssueKind::Syntax, IssueKind::Missing], "{err}");
    assert!(err.issues()[1].message().starts_with("1 value without a default could not be checked"), "{err}");
}

#[test]
fn an_undeclared_environment_is_an_error_listing_the_declared_ones() {
    let s = Scratch::new();
    s.write("config/base.yaml", "database:\n  url: mongodb://base\n");
    for vars in [[("ENVIRONMENT", "testing")], [("SHOP_ENVIRONMENT", "qa")]] {
        let err = loader(&s, &vars).load::<Shop>().unwrap_err();
        let issue = &err.issues()[0];
        assert_eq!(issue.kind(), IssueKind::Environment);
        assert!(
            issue.message().ends_with("expected one of development, staging (stage), production (prod, live)"),
            "{issue}"
        );
        assert_eq!(issue.origin().unwrap().to_string(), format!("env {}", vars[0].0));
    }
    // given in code, it is checked as well
    let err = loader(&s, &[]).environment(Environment::Testing).load::<Shop>().unwrap_err();
    assert!(err.has(IssueKind::Environment), "{err}");
    let err = phoenix_config::get_config_for::<Shop>(Environment::Testing).unwrap_err();
    assert!(err.has(IssueKind::Environment), "{err}");
}

// ---- 2. sources --------------------------------------------------------------

/// A key-value store that names every value by its key and revision.
struct Store {
    revision: u64,
    pairs: Vec<(&'static str, &'static str)>,
}

impl Source for Store {
    fn describe(&self) -> String {
        "store kv://shop".to_owned()
    }

    fn load(&self, cx: &SourceContext<'_>) -> Result<Node, Vec<Issue>> {
        let mut tree = Node::map(Origin::source(self.describe()));
        for (key, value) in &self.pairs {
            let origin = Origin::source(format!("store kv://shop/{}/{key}@{}", cx.environment(), self.revision));
            let path: Vec<&str> = key.split('.').collect();
            tree.set_path(&path, Node::text(*value, origin));
        }
        Ok(tree)
    }

    fn watch(&self) -> Watch {
        let revision = self.revision;
        Watch { files: Vec::new(), changes: Some(ChangeHook::new(move || revision)) }
    }
}

/// A source that cannot be reached.
struct Down;

impl Source for Down {
    fn describe(&self) -> String {
        "store kv://down".to_owned()
    }

    fn load(&self, _: &SourceContext<'_>) -> Result<Node, Vec<Issue>> {
        Err(vec![
            Issue::new(IssueKind::Io, "", "cannot reach the store").with_origin(Origin::source("store kv://down")),
        ])
    }
}

#[test]
fn a_custom_source_sits_between_the_environment_file_and_dotenv() {
    let s = Scratch::new();
    s.write("config/base.yaml", "database:\n  url: mongodb://base\n  max_pool_size: 5\n");
    s.write(".env", "SHOP_SERVER_PORT=9000\n");
    let store = Store { revision: 7, pairs: vec![("database.max_pool_size", "40"), ("server.port", "81")] };
    let loaded = loader(&s, &[]).dotenv(s.path().join(".env")).source(store).load_with_origins::<Shop>().unwrap();
    assert_eq!(loaded.config().database.max_pool_size, 40, "the source beats the files");
    assert_eq!(origin(&loaded, "database.max_pool_size"), "store kv://shop/development/database.max_pool_size@7");
    assert_eq!(loaded.config().server.port, 9000, ".env beats the source");
    // sources added later win
    let later = Store { revision: 8, pairs: vec![("database.max_pool_size", "41")] };
    let first = Store { revision: 7, pairs: vec![("database.max_pool_size", "40")] };
    let c = loader(&s, &[]).source(first).source(later).load::<Shop>().unwrap();
    assert_eq!(c.database.max_pool_size, 41);
    // a source's problems are the load's, and unknown keys from it are errors with its origin
    let err = loader(&s, &[]).source(Down).load::<Shop>().unwrap_err();
    assert_eq!(messages(err.issues()), ["store kv://down: cannot reach the store"]);
    let typo = Store { revision: 1, pairs: vec![("database.max_pool_sise", "3")] };
    let err = loader(&s, &[]).source(typo).load::<Shop>().unwrap_err();
    assert!(err.issues()[0].to_string().contains("did you mean `max_pool_size`"), "{err}");
    assert_eq!(err.issues()[0].origin().unwrap().to_string(), "store kv://shop/development/database.max_pool_sise@1");
}

#[test]
fn command_line_arguments_are_a_source() {
    let s = Scratch::new();
    s.write("config/base.yaml", "database:\n  url: mongodb://base\n");
    let args = ArgsSource::parse(["--database.max-pool-size", "5", "--set", "server.verbose=on"]).unwrap();
    let loaded = loader(&s, &[("SHOP_SERVER_PORT", "81")]).source(args).load_with_origins::<Shop>().unwrap();
    assert_eq!(loaded.config().database.max_pool_size, 5);
    assert!(loaded.config().server.verbose);
    assert_eq!(origin(&loaded, "database.max_pool_size"), "arg --database.max-pool-size");
    assert_eq!(origin(&loaded, "server.verbose"), "arg --set server.verbose");
    let args = ArgsSource::parse(["--server.port", "80"]).unwrap();
    let loaded = loader(&s, &[("SHOP_SERVER_PORT", "81")]).source(args).load_with_origins::<Shop>().unwrap();
    assert_eq!(loaded.config().server.port, 81, "variables beat arguments (sources sit below .env)");
    let args = ArgsSource::parse(["--server.port", "http"]).unwrap();
    let err = loader(&s, &[]).source(args).load::<Shop>().unwrap_err();
    assert!(err.issues()[0].to_string().ends_with("(from arg --server.port)"), "{err}");
}

// ---- 3. formats --------------------------------------------------------------

#[test]
fn toml_and_json_layers_give_every_value_its_line_and_column() {
    let s = Scratch::new();
    s.write(
        "config/base.toml",
        "zips = [\"02134\", \"85001\"]\n\n[database]\nurl = \"mongodb://toml\"\nmax_pool_size = 12\n",
    );
    s.write("config/development.json", "{\n  \"server\": {\n    \"port\": 9090,\n    \"verbose\": true\n  }\n}\n");
    let loaded = loader(&s, &[]).load_with_origins::<Shop>().unwrap();
    let c = loaded.config();
    assert_eq!((c.database.url.as_str(), c.database.max_pool_size), ("mongodb://toml", 12));
    assert_eq!(c.zips, ["02134", "85001"]);
    assert_eq!((c.server.port, c.server.verbose), (9090, true));
    let toml = s.shown("config/base.toml");
    let json = s.shown("config/development.json");
    assert_eq!(origin(&loaded, "database.url"), format!("{toml}:4:7"));
    assert_eq!(origin(&loaded, "database.max_pool_size"), format!("{toml}:5:17"));
    assert_eq!(origin(&loaded, "zips"), format!("{toml}:1:8"));
    assert_eq!(origin(&loaded, "server.port"), format!("{json}:3:13"));
    assert_eq!(origin(&loaded, "server.verbose"), format!("{json}:4:16"));
}

#[test]
fn toml_and_json_errors_have_line_and_column() {
    let s = Scratch::new();
    s.write("config/base.toml", "[database]\nurl = \"mongodb://toml\"\nmax_pool_size = = 3\n");
    let err = loader(&s, &[]).load::<Shop>().unwrap_err();
    assert_eq!(err.issues()[0].kind(), IssueKind::Syntax);
    assert!(err.issues()[0].to_string().starts_with(&format!("{}:3:", s.shown("config/base.toml"))), "{err}");
    s.write("config/base.toml", "[database]\nurl = \"mongodb://toml\"\nmax_pool_size = \"many\"\n");
    let err = loader(&s, &[]).load::<Shop>().unwrap_err();
    assert_eq!(err.issues()[0].origin().unwrap().to_string(), format!("{}:3:17", s.shown("config/base.toml")));
    std::fs::remove_file(s.path().join("config/base.toml")).unwrap();
    s.write("config/base.json", "{\n  \"database\": {\"url\": \"x\",, }\n}\n");
    let err = loader(&s, &[]).load::<Shop>().unwrap_err();
    assert_eq!(err.issues()[0].kind(), IssueKind::Syntax);
    assert!(err.issues()[0].to_string().starts_with(&format!("{}:2:", s.shown("config/base.json"))), "{err}");
}

#[test]
fn two_files_for_one_layer_are_an_error_naming_both() {
    let s = Scratch::new();
    s.write("config/base.yaml", "database:\n  url: a\n");
    s.write("config/base.yml", "database:\n  url: b\n");
    let err = loader(&s, &[]).load::<Shop>().unwrap_err();
    let text = err.to_string();
    assert!(err.has(IssueKind::Conflict), "{text}");
    assert!(text.contains(&s.shown("config/base.yaml")) && text.contains(&s.shown("config/base.yml")), "{text}");
}

#[test]
fn a_missing_value_names_the_file_that_is_read() {
    let s = Scratch::new();
    s.write("config/base.toml", "[server]\nport = 1\n");
    let err = loader(&s, &[]).load::<Shop>().unwrap_err();
    let message = err.issues()[0].message();
    assert!(message.contains(&format!("set `database.url` in {}", s.shown("config/base.toml"))), "{message}");
    assert!(message.contains("SHOP_DATABASE_URL"), "{message}");
}

// ---- 4. names ----------------------------------------------------------------

#[test]
fn the_crate_reads_its_own_names_and_no_phoenix_name() {
    let s = Scratch::new();
    s.write("elsewhere/base.yaml", "database:\n  url: mongodb://elsewhere\n");
    s.write("config/base.yaml", "database:\n  url: mongodb://config\n");
    let elsewhere = s.path().join("elsewhere").display().to_string();
    let phoenix = [
        ("PHOENIX_CONFIG_DIR", elsewhere.as_str()),
        ("PHOENIX_ENVIRONMENT", "production"),
        ("PHOENIX_CONFIG_KEY", "k1:not-a-key"),
        ("PHOENIX_SECRET_PASSWORD", "x"),
    ];
    let run = |vars: &[(&str, &str)]| {
        ConfigLoader::new()
            .no_dotenv()
            .env_vars(vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())))
            .env_vars(vec![("SHOP_CONFIG_DIR", s.path().join("config").display().to_string())])
            .load_with_origins::<Shop>()
    };
    let loaded = run(&phoenix).unwrap();
    assert_eq!(loaded.environment(), Environment::Development, "PHOENIX_ENVIRONMENT is not this crate's");
    assert_eq!(loaded.config().database.url, "mongodb://config", "SHOP_CONFIG_DIR is, PHOENIX_CONFIG_DIR is not");
    assert!(loaded.warnings().is_empty(), "{:?}", loaded.warnings());
    // its own key variable is read (and a broken one is an error naming it)
    let err = run(&[("SHOP_CONFIG_KEY", "k1:not-a-key")]).unwrap_err();
    assert!(err.to_string().contains("SHOP_CONFIG_KEY"), "{err}");
    let shown = ConfigLoader::new().no_dotenv().name_prefix(Some("ACME")).env_vars([("ACME_ENVIRONMENT", "staging")]);
    assert_eq!(shown.detect_environment_for::<Shop>().unwrap().as_str(), "staging", "settable on the loader");
    // the secret manager of this crate
    let secrets = phoenix_config::SecretManager::from_vars_with_prefix(Some("SHOP"), [("PHOENIX_SECRET_PW", "p")]);
    assert!(secrets.get("PW").is_none());
}

// ---- 5. never silently unused ------------------------------------------------

#[test]
fn a_prefixed_variable_that_matches_nothing_is_a_warning_with_a_suggestion() {
    let s = Scratch::new();
    s.write("config/base.yaml", "database:\n  url: mongodb://base\n");
    let vars = [("SHOP_SERVER_PROT", "1"), ("SHOP_DATABASE__URL", "x"), ("SHOP_CACHE_URL", "y"), ("OTHER_THING", "z")];
    let loaded = loader(&s, &vars).load_with_origins::<Shop>().unwrap();
    let warnings = messages(loaded.warnings());
    assert_eq!(
        warnings,
        [
            "env SHOP_CACHE_URL: variable SHOP_CACHE_URL is set but matches no field (see the `env` command for every name)",
            "env SHOP_DATABASE__URL: variable SHOP_DATABASE__URL is set but matches no field; did you mean SHOP_DATABASE_URL?",
            "env SHOP_SERVER_PROT: variable SHOP_SERVER_PROT is set but matches no field; did you mean SHOP_SERVER_PORT?",
        ]
    );
    let err = loader(&s, &vars).strict(true).load::<Shop>().unwrap_err();
    assert_eq!(err.issues().len(), 3);
    assert!(err.issues().iter().all(|i| i.kind() == IssueKind::UnknownKey));
}

#[test]
fn a_missing_config_folder_is_said_once_in_words() {
    let s = Scratch::new();
    let err = ConfigLoader::new()
        .config_dir(s.path().join("confg"))
        .no_dotenv()
        .env_vars([("X", "")])
        .load::<Shop>()
        .unwrap_err();
    let text = err.to_string();
    assert_eq!(text.matches("does not exist").count(), 1, "{text}");
    assert!(
        err.issues()[0].message().starts_with(&format!("config folder {} does not exist", s.shown("confg"))),
        "{text}"
    );
    assert!(!text.contains("base.yaml"), "no file of a missing folder is named: {text}");
}

// ---- 6. .env in production ---------------------------------------------------

/// Runs in another working directory until dropped (only this test needs
/// the automatic `./.env`; every other test here uses absolute paths).
struct CwdGuard(std::path::PathBuf);

impl CwdGuard {
    fn enter(dir: &std::path::Path) -> CwdGuard {
        let here = std::env::current_dir().unwrap();
        std::env::set_current_dir(dir).unwrap();
        CwdGuard(here)
    }
}

impl Drop for CwdGuard {
    fn drop(&mut self) {
        let _ = std::env::set_current_dir(&self.0);
    }
}

#[test]
fn the_automatic_dotenv_is_not_read_in_production() {
    let s = Scratch::new();
    s.write("config/base.yaml", "database:\n  url: mongodb://base\n");
    let dotenv = s.write(".env", "SHOP_DATABASE_URL=mongodb://laptop\n");
    // The automatic `./.env` is relative to the working directory: run in the scratch folder.
    let here = std::env::current_dir().unwrap();
    let guard = CwdGuard::enter(s.path());
    let auto = ConfigLoader::new().config_dir(s.path().join("config")).env_vars([("ENVIRONMENT", "production")]);
    let loaded = auto.load_with_origins::<Shop>().unwrap();
    assert_eq!(loaded.config().database.url, "mongodb://base");
    assert!(loaded.warnings().iter().any(|w| w.message().starts_with("./.env is not read in production")));
    let given = auto.clone().dotenv(&dotenv).load_with_origins::<Shop>().unwrap();
    assert_eq!(given.config().database.url, "mongodb://laptop", "a .env given on purpose is read");
    let dev = ConfigLoader::new().config_dir(s.path().join("config")).env_vars([("ENVIRONMENT", "development")]);
    assert_eq!(dev.load::<Shop>().unwrap().database.url, "mongodb://laptop");
    drop(guard);
    assert_eq!(std::env::current_dir().unwrap(), here);
}

// ---- 7. output people read ---------------------------------------------------

#[test]
fn errors_debug_as_their_report_and_set_records_its_caller() {
    let s = Scratch::new();
    let err = loader(&s, &[]).load::<Shop>().unwrap_err();
    assert_eq!(format!("{err:?}"), err.to_string());
    assert!(!format!("{err:?}").contains("Issue {"));
    s.write("config/base.yaml", "database:\n  url: mongodb://base\n");
    let loaded = loader(&s, &[]).set("server.port", "1").load_with_origins::<Shop>().unwrap();
    assert_eq!(origin(&loaded, "server.port"), format!("override {}:{}:34", file!(), line!() - 1));
}

fn cli(s: &Scratch, vars: &[(&str, &str)], args: &[&str]) -> (u8, String, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let args = args.iter().map(|a| (*a).to_owned());
    let code = phoenix_config::cli::run_with::<Shop>("shop", args, &loader(s, vars), &mut out, &mut err);
    (code, String::from_utf8(out).unwrap(), String::from_utf8(err).unwrap())
}

#[test]
fn show_prints_values_as_written_and_typed() {
    let s = Scratch::new();
    s.write("config/base.yaml", "database:\n  url: mongodb://base\nzips: ['02134']\nlog_level: debug\n");
    let (code, out, _) =
        cli(&s, &[("SHOP_SERVER_PORT", "9000"), ("SHOP_SERVER_VERBOSE", "yes")], &["show", "--format", "json"]);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let value =
        |path: &str| json["values"].as_array().unwrap().iter().find(|v| v["path"] == path).unwrap()["value"].clone();
    assert_eq!(value("server.port"), serde_json::json!(9000));
    assert_eq!(value("server.verbose"), serde_json::json!(true));
    assert_eq!(value("database.max_pool_size"), serde_json::json!(10));
    assert_eq!(value("zips"), serde_json::json!(["02134"]));
    assert_eq!(value("log_level"), serde_json::json!("debug"));
    assert_eq!(value("database.password"), serde_json::Value::Null, "an unset optional secret is unset");
    let c = loader(&s, &[]).load::<Shop>().unwrap();
    assert!(c.database.password.is_none() && c.log_level == "debug");
    let (_, text, _) = cli(&s, &[], &["show"]);
    assert!(text.contains("log_level") && text.contains("debug") && !text.contains("\"debug\""), "{text}");
    assert!(text.lines().any(|l| l.starts_with("database.password") && l.contains("unset")), "{text}");
    let (_, yaml, _) = cli(&s, &[], &["show", "--format", "yaml"]);
    assert!(yaml.contains("  port: 8080  # default"), "{yaml}");
    assert!(yaml.contains("zips: [\"02134\"]"), "{yaml}");
}

#[test]
fn staging_end_to_end_through_the_command_line() {
    let s = Scratch::new();
    s.write("config/base.yaml", "database:\n  url: mongodb://base\n");
    s.write("config/staging.toml", "[database]\nmax_pool_size = 30\n");
    let (code, _, err) = cli(&s, &[], &["check", "--env", "staging"]);
    assert_eq!(code, 1);
    assert!(err.contains("staging: 1 problem") && err.contains("database.replica: is required in staging"), "{err}");
    s.write("config/staging.toml", "[database]\nmax_pool_size = 30\nreplica = \"mongodb://r\"\n");
    let (code, out, err) = cli(&s, &[], &["check", "--all"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out.lines().filter(|l| l.ends_with(": ok")).collect::<Vec<_>>(),
        ["development: ok", "staging: ok", "production: ok"]
    );
    let (code, out, _) = cli(&s, &[], &["show", "--env", "stage"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("# environment: staging"), "{out}");
    assert!(out.contains(&format!("{}:2:17", s.shown("config/staging.toml"))), "{out}");
    let (code, _, err) = cli(&s, &[], &["check", "--env", "testing"]);
    assert_eq!(code, 2);
    assert!(err.contains("expected one of development, staging (stage), production (prod, live)"), "{err}");
    // check is strict: an unused prefixed variable fails it
    let (code, _, err) = cli(&s, &[("SHOP_SERVER_PROT", "1")], &["check", "--env", "staging"]);
    assert_eq!(code, 1);
    assert!(err.contains("did you mean SHOP_SERVER_PORT?"), "{err}");
    let (_, help, _) = cli(&s, &[], &["help"]);
    assert!(help.contains("SHOP_CONFIG_KEY") && !help.contains("PHOENIX"), "{help}");
    assert!(help.contains(".yaml, .yml, .toml, .json"), "{help}");
}

// ---- a watcher follows a source's change hook -------------------------------

/// A store whose data and revision tests change.
#[derive(Clone, Default)]
struct Live(std::sync::Arc<std::sync::Mutex<(u64, &'static str)>>);

impl Source for Live {
    fn describe(&self) -> String {
        "live store".to_owned()
    }

    fn load(&self, _: &SourceContext<'_>) -> Result<Node, Vec<Issue>> {
        let (revision, pool) = *self.0.lock().unwrap();
        let mut tree = Node::map(Origin::source("live store"));
        tree.set_path(
            &["database", "max_pool_size"],
            Node::text(pool, Origin::source(format!("live store @{revision}"))),
        );
        Ok(tree)
    }

    fn watch(&self) -> Watch {
        let live = self.clone();
        Watch { files: Vec::new(), changes: Some(ChangeHook::new(move || live.0.lock().unwrap().0)) }
    }
}

#[test]
fn a_watcher_reloads_when_a_source_hook_reports_a_change() {
    use std::time::Duration;
    let s = Scratch::new();
    s.write("config/base.yaml", "database:\n  url: mongodb://base\n");
    let live = Live::default();
    *live.0.lock().unwrap() = (1, "5");
    let options = phoenix_config::WatchOptions {
        poll_interval: Duration::from_millis(20),
        debounce: Duration::from_millis(30),
        max_wait: Duration::from_secs(2),
    };
    let watcher = loader(&s, &[]).source(live.clone()).watch_with::<Shop>(options).unwrap();
    assert_eq!(watcher.current().database.max_pool_size, 5);
    let events = watcher.subscribe();
    *live.0.lock().unwrap() = (2, "6");
    let event = events.recv_timeout(Duration::from_secs(20)).expect("a reload");
    assert!(matches!(event, phoenix_config::ReloadEvent::Reloaded { .. }));
    assert_eq!(watcher.current().database.max_pool_size, 6);
}

#[test]
fn check_in_production_flags_values_from_dotenv() {
    let s = Scratch::new();
    s.write("config/base.yaml", "database:\n  url: mongodb://base\n");
    let dotenv = s.write(".env", "SHOP_SERVER_PORT=9000\n");
    let loader = loader(&s, &[]).dotenv(&dotenv);
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let args = ["check", "--env", "production"].map(String::from);
    let code = phoenix_config::cli::run_with::<Shop>("shop", args, &loader, &mut out, &mut err);
    let out = String::from_utf8(out).unwrap();
    assert_eq!(code, 0);
    assert!(out.contains("production: ok"), "{out}");
    assert!(
        out.contains("warning: server.port comes from") && out.contains(".env:1 SHOP_SERVER_PORT in production"),
        "{out}"
    );
}

#[test]
fn the_docs_commands_say_which_files_are_read() {
    let table = phoenix_config::docs::env_markdown::<Shop>();
    let line = table.lines().find(|l| l.starts_with("Files read")).expect("a files line");
    assert!(
        line.contains("`base.{yaml,yml,toml,json}`") && line.contains("development, staging, production"),
        "{line}"
    );
    assert!(line.contains("`$SHOP_CONFIG_DIR`") && !line.contains("PHOENIX"), "{line}");
    let schema = phoenix_config::docs::json_schema::<Shop>();
    let comment = schema["$comment"].as_str().expect("a comment");
    assert!(comment.contains("staging") && comment.contains("$SHOP_CONFIG_DIR"), "{comment}");
}
