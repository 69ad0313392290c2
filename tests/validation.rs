//! Validation through the loader (DESIGN §6): every problem in one error,
//! with the origin of each value, and secret values never in a message.

#[path = "../examples/phoenix/settings.rs"]
mod settings;

mod common;

use common::Scratch;
use phoenix_config::{ConfigLoader, Environment, IssueKind, PhoenixConfig};

#[derive(PhoenixConfig)]
struct Rules {
    #[config(default = 10)]
    #[validate(range(min = 1, max = 500))]
    pool: u32,
    #[config(default = 0.5)]
    #[validate(range(min = 0.0, max = 1.0))]
    ratio: f64,
    #[config(default = Vec::new())]
    #[validate(each(each(zipcode)), length(max = 3))]
    zip_groups: Vec<Vec<String>>,
    #[config(default = "json")]
    #[validate(one_of("json", "text"), non_empty)]
    format: String,
    #[secret]
    #[validate(length(min = 12))]
    token: Option<String>,
    #[validate(required_in("production"), url)]
    callback: Option<String>,
}

fn scratch(yaml: &str) -> Scratch {
    let s = Scratch::new();
    s.write("config/base.yaml", yaml);
    s
}

fn messages(err: &phoenix_config::ConfigError) -> Vec<String> {
    err.issues().iter().map(ToString::to_string).collect()
}

#[test]
fn bounds_are_inclusive_on_both_sides() {
    let s = scratch("");
    for (pool, ok) in [("0", false), ("1", true), ("500", true), ("501", false)] {
        let result = s.loader(&[]).set("pool", pool).load::<Rules>();
        assert_eq!(result.is_ok(), ok, "pool = {pool}");
    }
    for (ratio, ok) in [("-0.01", false), ("0", true), ("1.0", true), ("1.01", false), ("NaN", false)] {
        let result = s.loader(&[]).set("ratio", ratio).load::<Rules>();
        assert_eq!(result.is_ok(), ok, "ratio = {ratio}");
    }
    let err = s.loader(&[]).set("pool", "0").load::<Rules>().unwrap_err();
    assert_eq!(err.issues()[0].message(), "must be between 1 and 500, got 0");
    assert_eq!(err.issues()[0].origin().unwrap().to_string(), format!("override {}:{}:29", file!(), line!() - 2));
}

#[test]
fn each_reaches_into_nested_lists_and_names_the_element() {
    let s = scratch("zip_groups:\n  - ['85001', '85003']\n  - ['85004', '8500']\n");
    let err = s.loader(&[]).load::<Rules>().unwrap_err();
    let issue = &err.issues()[0];
    assert_eq!(issue.path(), "zip_groups[1][1]");
    assert_eq!(issue.kind(), IssueKind::Validation);
    assert!(issue.message().contains("`8500`"), "{issue}");
    let origin = issue.origin().unwrap().to_string();
    assert!(origin.ends_with("base.yaml:3:15"), "the element's own origin: {origin}");
    let too_many = scratch("zip_groups: [[], [], [], []]\n");
    let err = too_many.loader(&[]).load::<Rules>().unwrap_err();
    assert_eq!(err.issues()[0].path(), "zip_groups");
}

#[test]
fn several_rules_on_one_field_all_report() {
    let s = scratch("format: ''\n");
    let err = s.loader(&[]).load::<Rules>().unwrap_err();
    let found = messages(&err);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.iter().all(|m| m.starts_with("format: ")), "{found:?}");
}

#[test]
fn a_parse_error_a_missing_value_and_a_rule_violation_come_in_one_error() {
    let s = scratch("pool: lots\nratio: 2\nformat: xml\n");
    let err = s.loader(&[]).environment(Environment::Production).load::<Rules>().unwrap_err();
    let kinds: Vec<(IssueKind, &str)> = err.issues().iter().map(|i| (i.kind(), i.path())).collect();
    assert!(kinds.contains(&(IssueKind::Invalid, "pool")), "{err}");
    assert!(kinds.contains(&(IssueKind::Validation, "ratio")), "{err}");
    assert!(kinds.contains(&(IssueKind::Validation, "format")), "{err}");
    assert!(kinds.contains(&(IssueKind::Validation, "callback")), "{err}");
    assert_eq!(err.issues().len(), 4, "{err}");
}

#[test]
fn required_in_applies_only_in_its_environment() {
    let s = scratch("");
    for environment in Environment::ALL {
        let result = s.loader(&[]).environment(environment).load::<Rules>();
        match environment {
            Environment::Production => {
                let err = result.unwrap_err();
                assert_eq!(err.issues()[0].path(), "callback");
                assert!(err.issues()[0].message().starts_with("is required in production: set `callback`"), "{err}");
            }
            _ => assert!(result.is_ok(), "{environment}"),
        }
    }
    let ok = s.loader(&[]).environment(Environment::Production).set("callback", "https://example.com/hook");
    assert!(ok.load::<Rules>().is_ok());
}

#[test]
fn a_secret_failing_a_rule_never_shows_its_value() {
    let s = scratch("");
    let err = s.loader(&[]).set("token", "tiny-canary").load::<Rules>().unwrap_err();
    let text = err.to_string();
    assert!(!text.contains("canary") && !text.contains("short"), "{text}");
    assert_eq!(err.issues()[0].path(), "token");
    let loaded = s.loader(&[]).set("token", "a-long-enough-token").load::<Rules>().unwrap();
    let mut changed = loaded;
    changed.token = Some("tiny-canary".into());
    let errors = changed.validate();
    assert_eq!(errors.len(), 1);
    assert!(!errors[0].to_string().contains("canary"), "{}", errors[0]);
}

fn phoenix(vars: &[(&str, &str)]) -> ConfigLoader {
    ConfigLoader::new()
        .config_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/config"))
        .no_dotenv()
        .env_vars(vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())))
}

#[test]
fn the_phoenix_settings_check_what_a_deployment_needs() {
    let uri = ("MONGODB_URI", "mongodb://db:27017");
    let ok =
        phoenix(&[uri, ("MARICOPA_API_KEY", "k")]).environment(Environment::Production).load::<settings::Settings>();
    assert!(ok.is_ok(), "{:?}", ok.err().map(|e| e.to_string()));
    let err = phoenix(&[
        ("MONGODB_URI", "not a url"),
        ("PHOENIX_DATABASE_MAX_POOL_SIZE", "501"),
        ("PHOENIX_COLLECTION_TARGET_ZIPCODES", "85001,8500"),
        ("WEBSHARE_PROXY_PORT", "0"),
        ("WEBSHARE_USERNAME", "bob"),
        ("LLM_URL", "localhost:11434"),
    ])
    .environment(Environment::Production)
    .load::<settings::Settings>()
    .unwrap_err();
    let paths: Vec<&str> = err.issues().iter().map(phoenix_config::Issue::path).collect();
    for path in [
        "database.uri",
        "database.max_pool_size",
        "collection.target_zipcodes[1]",
        "proxy.port",
        "proxy",
        "processing.llm_url",
        "api_keys.maricopa",
    ] {
        assert!(paths.contains(&path), "{path} not in {err}");
    }
    assert!(!err.to_string().contains("not a url"), "the database URI is a secret: {err}");
}
