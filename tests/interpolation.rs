//! Interpolation (DESIGN §4.4): `.env` expansion through the loader, and
//! `${…}` in file values — every layer, references, cycles, defaults,
//! secrets, origins and limits.

mod common;

use std::fmt::Write as _;

use common::Scratch;
use phoenix_config::{ConfigError, IssueKind, Limits, Loaded, PhoenixConfig, Secret};

#[derive(PhoenixConfig)]
#[config(prefix = "APP")]
struct Settings {
    #[config(nested)]
    db: Db,
    #[config(default = 8000)]
    port: u16,
    #[config(default = "app")]
    name: String,
    #[config(default = false)]
    verbose: bool,
    tags: Option<Vec<String>>,
    label: Option<String>,
    #[secret]
    token: Option<String>,
}

#[derive(PhoenixConfig)]
struct Db {
    #[config(default = "localhost")]
    host: String,
    #[config(default = 27017)]
    port: u16,
    #[env("DB_URL")]
    url: Option<String>,
    #[env("DB_PASSWORD")]
    password: Option<Secret<String>>,
}

const CANARY: &str = "s3cr3t-Canary-9f";

fn loaded(s: &Scratch, vars: &[(&str, &str)]) -> Loaded<Settings> {
    s.loader(vars).load_with_origins::<Settings>().unwrap_or_else(|e| panic!("{e}"))
}

fn failed(s: &Scratch, vars: &[(&str, &str)]) -> ConfigError {
    match s.loader(vars).load_with_origins::<Settings>() {
        Ok(_) => panic!("the load should fail"),
        Err(e) => e,
    }
}

fn origin(loaded: &Loaded<Settings>, path: &str) -> String {
    loaded.origin(path).map_or_else(|| panic!("no origin for {path}"), ToString::to_string)
}

fn assert_no_canary(err: &ConfigError) {
    let text = format!("{err} {err:?}");
    assert!(!text.contains(CANARY) && !text.contains("Canary"), "{text}");
}

// -------------------------------------------------------------- file values

#[test]
fn a_number_field_fills_from_a_variable_or_its_default() {
    let s = Scratch::new();
    s.write("config/base.yaml", "port: ${PORT:-8080}\ndb:\n  port: '${DB_PORT:-1}'\n");
    let c = loaded(&s, &[("DB_PORT", "27018")]);
    assert_eq!(c.config().port, 8080);
    assert_eq!(c.config().db.port, 27018);
    let base = s.shown("config/base.yaml");
    assert_eq!(origin(&c, "port"), format!("{base}:1:7"), "a default used is written in the file");
    assert_eq!(origin(&c, "db.port"), format!("{base}:3:9 via env DB_PORT"));
    let c = loaded(&s, &[("PORT", "9000")]);
    assert_eq!(c.config().port, 9000);
    assert_eq!(origin(&c, "port"), format!("{base}:1:7 via env PORT"));
}

#[test]
fn every_value_style_and_both_file_layers_expand() {
    let s = Scratch::new();
    s.write(
        "config/base.yaml",
        "name: \"${NAME}-base\"\nlabel: |\n  ${NAME} block\ntags:\n  - '${NAME}'\n  - plain-${NAME}\n",
    );
    s.write("config/testing.yaml", "verbose: ${VERBOSE}\ndb:\n  host: ${NAME}.db\n");
    let c = loaded(&s, &[("NAME", "phx"), ("VERBOSE", "yes")]);
    let c = c.config();
    assert_eq!(c.name, "phx-base");
    assert_eq!(c.label.as_deref(), Some("phx block\n"));
    assert_eq!(c.tags.as_deref(), Some(&["phx".to_owned(), "plain-phx".to_owned()][..]));
    assert!(c.verbose, "an interpolated value converts like a variable's text");
    assert_eq!(c.db.host, "phx.db");
}

#[test]
fn dotenv_entries_fill_file_values_and_variables_beat_them() {
    let s = Scratch::new();
    s.write(".env", "DB_HOST=from-dotenv\nOTHER=x\n");
    s.write("config/base.yaml", "db:\n  host: ${DB_HOST}\n");
    let c = loaded(&s, &[]);
    assert_eq!(c.config().db.host, "from-dotenv");
    assert_eq!(origin(&c, "db.host"), format!("{}:2:9 via {}:1 DB_HOST", s.shown("config/base.yaml"), s.shown(".env")));
    let c = loaded(&s, &[("DB_HOST", "from-var")]);
    assert_eq!(c.config().db.host, "from-var");
}

#[test]
fn references_to_other_keys_follow_chains_and_see_the_merged_value() {
    let s = Scratch::new();
    s.write(
        "config/base.yaml",
        "name: svc\ndb:\n  host: ${.name}-db\n  url: mongodb://${.db.host}:${.db.port}/${.tags[1]}\ntags: [a, b]\n",
    );
    let c = loaded(&s, &[("APP_DB_PORT", "1234")]);
    assert_eq!(c.config().db.url.as_deref(), Some("mongodb://svc-db:1234/b"));
    let base = s.shown("config/base.yaml");
    assert_eq!(
        origin(&c, "db.url"),
        format!("{base}:4:8 via {base}:3:9, {base}:1:7, env APP_DB_PORT, {base}:5:11"),
        "the chain's places, in order"
    );
    // A higher layer's value is what a reference sees.
    s.write("config/testing.yaml", "name: test\n");
    assert_eq!(loaded(&s, &[("APP_DB_PORT", "1")]).config().db.host, "test-db");
    // `#[config(default)]` values are not in the layers.
    let err = failed(&s, &[]);
    assert_eq!(err.issues().len(), 1, "{err}");
    assert!(err.issues()[0].message().contains("does not see `#[config(default)]` values"), "{err}");
}

#[test]
fn dollar_dollar_brace_is_a_literal_and_a_lone_dollar_is_text() {
    let s = Scratch::new();
    s.write("config/base.yaml", "name: \"$${NAME} costs $5 and $$\"\nlabel: ${NAME}\n");
    let c = loaded(&s, &[("NAME", "n")]);
    assert_eq!(c.config().name, "${NAME} costs $5 and $$");
    assert_eq!(c.config().label.as_deref(), Some("n"));
}

#[test]
fn no_interpolation_keeps_the_text() {
    let s = Scratch::new();
    s.write("config/base.yaml", "name: ${NAME}\n");
    let c = s.loader(&[]).no_interpolation().load::<Settings>().unwrap();
    assert_eq!(c.name, "${NAME}");
}

#[test]
fn variables_and_overrides_are_never_expanded() {
    let s = Scratch::new();
    let c = s.loader(&[("APP_NAME", "${HOME}")]).set("label", "${HOME}").load::<Settings>().unwrap();
    assert_eq!(c.name, "${HOME}");
    assert_eq!(c.label.as_deref(), Some("${HOME}"));
}

// ------------------------------------------------------------------- errors

#[test]
fn an_unset_name_without_default_names_key_place_and_variable() {
    let s = Scratch::new();
    s.write("config/base.yaml", "db:\n  host: ${DB_HOST}\nport: ${PORT}\n");
    let err = failed(&s, &[]);
    let base = s.shown("config/base.yaml");
    let found: Vec<String> = err.issues().iter().map(ToString::to_string).collect();
    assert_eq!(
        found,
        [
            format!(
                "db.host: variable DB_HOST is not set (named by `${{DB_HOST}}`); set it, or give a default: \
                 `${{DB_HOST:-default}}` (from {base}:2:9)"
            ),
            format!(
                "port: variable PORT is not set (named by `${{PORT}}`); set it, or give a default: \
                 `${{PORT:-default}}` (from {base}:3:7)"
            ),
        ],
        "one message per cause: no follow-up about `${{PORT}}` not being a number"
    );
    assert!(err.issues().iter().all(|i| i.kind() == IssueKind::Missing));
}

#[test]
fn a_required_name_shows_its_message() {
    let s = Scratch::new();
    s.write("config/base.yaml", "name: ${NAME:?set NAME to the service name}\n");
    let err = failed(&s, &[]);
    assert_eq!(err.issues().len(), 1, "{err}");
    assert_eq!(err.issues()[0].message(), "required variable NAME is not set: set NAME to the service name");
}

#[test]
fn a_bad_expansion_is_a_syntax_error_at_the_value() {
    let s = Scratch::new();
    s.write("config/base.yaml", "name: x${NAME\nlabel: ${1X}\n");
    let err = failed(&s, &[]);
    let found: Vec<(IssueKind, &str, String)> =
        err.issues().iter().map(|i| (i.kind(), i.path(), i.origin().unwrap().to_string())).collect();
    let base = s.shown("config/base.yaml");
    assert_eq!(
        found,
        [(IssueKind::Syntax, "name", format!("{base}:1:7")), (IssueKind::Syntax, "label", format!("{base}:2:8")),]
    );
    assert!(err.issues()[0].message().contains("never closed") && err.issues()[0].message().contains("character 2"));
}

#[test]
fn converted_errors_point_at_the_value_and_its_variable() {
    let s = Scratch::new();
    s.write("config/base.yaml", "port: ${PORT}\n");
    let err = failed(&s, &[("PORT", "eighty")]);
    assert_eq!(err.issues().len(), 1, "{err}");
    let issue = &err.issues()[0];
    assert_eq!(issue.kind(), IssueKind::Invalid);
    assert_eq!(issue.origin().unwrap().to_string(), format!("{}:1:7 via env PORT", s.shown("config/base.yaml")));
}

#[test]
fn a_cycle_is_one_error_naming_the_cycle() {
    let s = Scratch::new();
    s.write(
        "config/base.yaml",
        "name: ${.db.host}\ndb:\n  host: ${.label}\n  port: ${.port}\nlabel: x-${.name}\nport: ${.db.port}\n",
    );
    let err = failed(&s, &[]);
    assert_eq!(err.issues().len(), 2, "two cycles: {err}");
    assert_eq!(err.issues()[0].path(), "name");
    assert_eq!(
        err.issues()[0].message(),
        "the references form a cycle: `name` → `db.host` → `label` → `name`; break it"
    );
    assert_eq!(err.issues()[1].message(), "the references form a cycle: `db.port` → `port` → `db.port`; break it");
}

#[test]
fn an_unknown_key_reference_names_the_key() {
    let s = Scratch::new();
    s.write("config/base.yaml", "name: ${.nope.key}\nlabel: ${.nope:-fallback}\n");
    let err = failed(&s, &[]);
    assert_eq!(err.issues().len(), 1, "{err}");
    assert!(err.issues()[0].message().starts_with("no key `nope.key`"), "{err}");
    s.write("config/base.yaml", "label: ${.nope:-fallback}\ndb: {host: h}\nname: ${.db}\n");
    let err = failed(&s, &[]);
    assert_eq!(err.issues()[0].message(), "`${.db}` names a map; a reference names a single value");
}

// ------------------------------------------------------------------ secrets

#[test]
fn a_secret_variable_may_fill_a_secret_field() {
    let s = Scratch::new();
    s.write("config/base.yaml", "db:\n  password: ${DB_PASSWORD}\ntoken: tok-${DB_PASSWORD}\n");
    let c = loaded(&s, &[("DB_PASSWORD", CANARY)]);
    assert_eq!(c.config().db.password.as_ref().unwrap().expose(), CANARY);
    assert_eq!(c.config().token.as_deref(), Some(format!("tok-{CANARY}").as_str()));
    let shown = c.to_string();
    assert!(!shown.contains(CANARY), "{shown}");
    assert!(shown.contains("via env DB_PASSWORD"), "{shown}");
}

#[test]
fn a_non_secret_field_pulling_in_a_secret_is_an_error() {
    let s = Scratch::new();
    s.write(
        "config/base.yaml",
        "db:\n  url: mongodb://app:${DB_PASSWORD}@h/db\n  password: pw\nlabel: ${.db.password}\n",
    );
    let err = failed(&s, &[("DB_PASSWORD", CANARY)]);
    assert_no_canary(&err);
    let found: Vec<(&str, IssueKind)> = err.issues().iter().map(|i| (i.path(), i.kind())).collect();
    assert_eq!(found, [("db.url", IssueKind::Secret), ("label", IssueKind::Secret)], "{err}");
    assert!(err.issues()[0].message().contains("variable DB_PASSWORD"), "{err}");
    assert!(err.issues()[0].message().contains("mark the field #[secret]"), "{err}");
    assert!(err.issues()[1].message().contains("key `db.password`"), "{err}");
}

/// Sections in a list and a map whose items hold a secret.
#[derive(PhoenixConfig)]
#[config(prefix = "FLEET")]
struct Fleet {
    label: Option<String>,
    note: Option<String>,
    #[config(nested)]
    proxies: Vec<Proxy>,
    #[config(nested)]
    regions: std::collections::HashMap<String, Proxy>,
}

#[derive(PhoenixConfig)]
struct Proxy {
    host: String,
    password: Option<Secret<String>>,
}

#[test]
fn the_variable_of_an_items_secret_pulled_into_a_non_secret_field_is_an_error() {
    let s = Scratch::new();
    s.write(
        "config/base.yaml",
        "label: x-${FLEET_PROXIES_0_PASSWORD}\nnote: ${FLEET_REGIONS_US_EAST_PASSWORD}\n\
         proxies: [{host: a}]\nregions: {us_east: {host: b}}\n",
    );
    let vars = [("FLEET_PROXIES_0_PASSWORD", CANARY), ("FLEET_REGIONS_US_EAST_PASSWORD", CANARY)];
    let Err(err) = s.loader(&vars).load_with_origins::<Fleet>() else { panic!("a secret landed in `label`") };
    assert_no_canary(&err);
    let found: Vec<(&str, IssueKind)> = err.issues().iter().map(|i| (i.path(), i.kind())).collect();
    assert_eq!(found, [("label", IssueKind::Secret), ("note", IssueKind::Secret)], "{err}");
    assert!(err.issues()[0].message().contains("variable FLEET_PROXIES_0_PASSWORD"), "{err}");
    // An item's other variables are not secret.
    s.write("config/base.yaml", "label: x-${FLEET_PROXIES_0_HOST}\nproxies: [{host: a}]\nregions: {}\n");
    let fleet = s.loader(&[("FLEET_PROXIES_0_HOST", "h")]).load::<Fleet>().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((fleet.label.as_deref(), fleet.note.as_deref()), (Some("x-h"), None));
    assert_eq!((fleet.proxies[0].host.as_str(), fleet.proxies[0].password.is_none()), ("h", true));
}

#[test]
fn a_whole_list_variable_whose_items_hold_a_secret_pulled_into_a_non_secret_field_is_an_error() {
    let s = Scratch::new();
    s.write("config/base.yaml", "label: x-${FLEET_PROXIES}\nregions: {}\n");
    let proxies = format!("[{{host: a, password: {CANARY}}}]");
    let Err(err) = s.loader(&[("FLEET_PROXIES", &proxies)]).load::<Fleet>() else {
        panic!("a secret landed in `label`")
    };
    assert_no_canary(&err);
    let found: Vec<(&str, IssueKind)> = err.issues().iter().map(|i| (i.path(), i.kind())).collect();
    assert_eq!(found, [("label", IssueKind::Secret)], "{err}");
}

#[test]
fn a_secret_taken_through_another_key_or_dotenv_stays_secret() {
    let s = Scratch::new();
    s.write(".env", "DB_PASSWORD=pw\nDB_URL=mongodb://app:${DB_PASSWORD}@h/db\nHOLDER=${DB_PASSWORD}\n");
    s.write("config/base.yaml", "token: ${.db.password}\nlabel: ${HOLDER}\n");
    let err = failed(&s, &[("DB_PASSWORD", CANARY)]);
    assert_no_canary(&err);
    let found: Vec<(&str, IssueKind)> = err.issues().iter().map(|i| (i.path(), i.kind())).collect();
    assert_eq!(found, [("label", IssueKind::Secret), ("db.url", IssueKind::Secret)], "{err}");
    assert!(err.issues()[0].message().contains("through .env HOLDER"), "{err}");
}

#[test]
fn a_secret_file_value_is_a_secret_when_referred_to() {
    let s = Scratch::new();
    let file = s.write("secrets/pw", CANARY);
    s.write("config/base.yaml", "label: ${.db.password}\n");
    let err = failed(&s, &[("DB_PASSWORD_FILE", file.to_str().unwrap())]);
    assert_no_canary(&err);
    assert_eq!(err.issues().len(), 1, "{err}");
    assert_eq!(err.issues()[0].kind(), IssueKind::Secret);
}

#[test]
fn a_failing_secret_expansion_says_nothing_of_the_value() {
    let s = Scratch::new();
    s.write("config/base.yaml", "token: ${DB_PASSWORD}x\n");
    let c = loaded(&s, &[("DB_PASSWORD", CANARY)]);
    assert_eq!(c.config().token.as_deref(), Some(format!("{CANARY}x").as_str()));
    assert!(!c.to_string().contains(CANARY));
    s.write("config/base.yaml", "db:\n  port: ${DB_PASSWORD}\n");
    let err = failed(&s, &[("DB_PASSWORD", CANARY)]);
    assert_no_canary(&err);
    assert_eq!(err.issues().len(), 1, "{err}");
    assert_eq!(err.issues()[0].kind(), IssueKind::Secret);
}

// ------------------------------------------------------------------- .env

#[test]
fn dotenv_values_expand_through_the_loader() {
    let s = Scratch::new();
    s.write("config/base.yaml", "");
    s.write(
        ".env",
        "DB_HOST=db.internal\nDB_URL=mongodb://${DB_HOST}:${DB_PORT:-27017}/x\nAPP_NAME='${DB_HOST} literal'\nAPP_LABEL=${UNSET}\n",
    );
    let c = loaded(&s, &[]);
    assert_eq!(c.config().db.url.as_deref(), Some("mongodb://db.internal:27017/x"));
    assert_eq!(c.config().name, "${DB_HOST} literal");
    let dotenv = s.shown(".env");
    assert_eq!(origin(&c, "db.url"), format!("{dotenv}:2 DB_URL via {dotenv}:1 DB_HOST"));
    let warnings: Vec<String> = c.warnings().iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [format!(
            "{dotenv}:4:11: variable UNSET is not set and expands to nothing; set it, or write `${{UNSET:-}}` to say so"
        )]
    );
}

#[test]
fn dotenv_expansion_reads_injected_variables_only() {
    let s = Scratch::new();
    s.write(".env", "DB_URL=${HOME:-no-home}\n");
    let c = loaded(&s, &[]);
    assert_eq!(c.config().db.url.as_deref(), Some("no-home"), "the process environment is not read");
}

#[test]
fn dotenv_required_names_fail_at_their_line() {
    let s = Scratch::new();
    s.write("config/base.yaml", "");
    s.write(".env", "A=1\nDB_URL=${DB_HOST:?set DB_HOST}\n");
    let err = failed(&s, &[]);
    assert_eq!(err.issues().len(), 1, "{err}");
    assert_eq!(
        err.issues()[0].to_string(),
        format!("{}:2:8: required variable DB_HOST is not set: set DB_HOST", s.shown(".env"))
    );
}

// ------------------------------------------------------------------ hostile

#[test]
fn a_value_that_doubles_at_every_key_stops_at_the_limit() {
    // 40 doublings would be a terabyte.
    let s = Scratch::new();
    let mut yaml = String::from("k0: xxxxxxxxxxxxxxxx\n");
    for i in 1..=40 {
        let _ = writeln!(yaml, "k{i}: ${{.k{}}}${{.k{}}}", i - 1, i - 1);
    }
    yaml.push_str("name: ${.k40}\n");
    s.write("config/base.yaml", &yaml);
    // 2^40 bytes if expanded: the limit stops it long before.
    let result = s.loader(&[]).limits(Limits::default().with_max_reference_depth(64)).load::<Open>();
    let Err(err) = result else { panic!("too large") };
    assert_eq!(err.issues().len(), 1, "reported once: {err}");
    assert!(err.issues()[0].message().contains("max_expanded_bytes"), "{err}");
}

#[test]
fn a_dotenv_file_that_expands_to_gigabytes_stops_at_the_limit() {
    let s = Scratch::new();
    let mut env = format!("A0={}\n", "x".repeat(1024));
    for i in 1..=30 {
        let _ = writeln!(env, "A{i}=$A{}$A{}", i - 1, i - 1);
    }
    s.write(".env", &env);
    let err = failed(&s, &[]);
    let big: Vec<_> = err.issues().iter().filter(|i| i.message().contains("max_expanded_bytes")).collect();
    assert!(!big.is_empty(), "{err}");
}

#[derive(PhoenixConfig)]
#[config(allow_unknown_keys)]
struct Open {
    name: String,
}

/// `name` at the end of a chain of `keys` keys, written top-down or bottom-up.
fn chain(keys: usize, top_down: bool) -> String {
    let mut lines: Vec<String> = (1..=keys).map(|i| format!("k{i}: ${{.k{}}}", i - 1)).collect();
    lines.insert(0, "k0: end".to_owned());
    if top_down {
        lines.reverse();
    }
    format!("name: ${{.k{keys}}}\n{}\n", lines.join("\n"))
}

#[test]
fn a_deep_reference_chain_stops_at_the_limit_in_any_order() {
    let s = Scratch::new();
    for top_down in [false, true] {
        s.write("config/base.yaml", &chain(100, top_down));
        let Err(err) = s.loader(&[]).load::<Open>() else { panic!("too deep") };
        assert_eq!(err.issues().len(), 1, "one message: {err}");
        assert!(err.issues()[0].message().contains("more than 32 keys deep"), "{err}");
        assert!(err.issues()[0].message().contains("max_reference_depth"), "{err}");
        // Within the limit, the chain resolves.
        s.write("config/base.yaml", &chain(31, top_down));
        assert_eq!(s.loader(&[]).load::<Open>().unwrap().name, "end");
    }
}

#[test]
fn deeply_nested_defaults_stop_at_the_limit() {
    let s = Scratch::new();
    let deep = format!("{}x{}", "${A:-".repeat(10_000), "}".repeat(10_000));
    s.write("config/base.yaml", &format!("name: '{deep}'\n"));
    let err = failed(&s, &[]);
    assert_eq!(err.issues().len(), 1, "{err}");
    assert!(err.issues()[0].message().contains("nest more than 32 deep"), "{err}");
}

// --------------------------------------------------------------------- docs

#[test]
fn the_schema_accepts_an_interpolated_number_and_still_rejects_a_wrong_one() {
    use phoenix_config::docs;
    let validator = jsonschema::validator_for(&docs::json_schema::<Settings>()).expect("a valid schema");
    let errors = |yaml: &str| -> Vec<String> {
        let value = docs::yaml_to_json("base.yaml", yaml).expect("YAML parses");
        validator.iter_errors(&value).map(|e| format!("{}: {e}", e.instance_path())).collect()
    };
    assert_eq!(errors("port: ${PORT}\nverbose: ${VERBOSE:-false}\ndb:\n  port: ${.port}\n"), Vec::<String>::new());
    assert!(errors("port: lots\n").iter().any(|e| e.starts_with("/port")), "a plain wrong value still fails");
}

#[test]
fn the_key_ring_variables_are_secrets() {
    let s = Scratch::new();
    // The key-ring variables follow the root prefix (`APP_CONFIG_KEY` here).
    s.write("config/base.yaml", "label: key=${APP_CONFIG_KEY:-none}\n");
    let err = failed(&s, &[("APP_CONFIG_KEY", CANARY)]);
    assert_no_canary(&err);
    assert!(err.issues().iter().any(|i| i.kind() == IssueKind::Secret && i.path() == "label"), "{err}");
}

#[test]
fn show_names_both_places_of_an_interpolated_value() {
    let s = Scratch::new();
    s.write("config/base.yaml", "name: ${NAME}\n");
    let shown = loaded(&s, &[("NAME", "svc")]).to_string();
    let line = shown.lines().find(|l| l.contains("name")).expect("a name row");
    assert!(line.contains(&format!("{}:1:7 via env NAME", s.shown("config/base.yaml"))), "{shown}");
}

// ------------------------------------------------------------ every format

#[test]
fn toml_and_json_layers_interpolate_like_yaml() {
    let s = Scratch::new();
    s.write("config/base.toml", "port = \"${PORT:-8080}\"\nname = \"svc-${REGION}\"\n");
    s.write("config/testing.json", "{\n  \"label\": \"${.name}/${PORT:-x}\"\n}\n");
    let c = loaded(&s, &[("REGION", "eu")]);
    assert_eq!(c.config().port, 8080);
    assert_eq!(c.config().name, "svc-eu");
    assert_eq!(c.config().label.as_deref(), Some("svc-eu/x"));
    let base = s.shown("config/base.toml");
    assert_eq!(origin(&c, "name"), format!("{base}:2:8 via env REGION"));
    let testing = s.shown("config/testing.json");
    assert!(origin(&c, "label").starts_with(&format!("{testing}:2:12 via")), "{}", origin(&c, "label"));
    // An unset name without a default names the key, its place and the variable.
    s.write("config/base.toml", "port = \"${PORT}\"\n");
    s.write("config/testing.json", "{}\n");
    let err = failed(&s, &[]);
    assert_eq!(err.issues().len(), 1, "{err}");
    let text = err.to_string();
    assert!(text.contains("port") && text.contains("PORT") && text.contains(&format!("{base}:1:8")), "{text}");
}
