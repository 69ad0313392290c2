//! The ready command line on the Phoenix settings: each subcommand's output
//! and exit code (DESIGN §10).

#[path = "../examples/phoenix/settings.rs"]
mod settings;

mod common;

use common::Scratch;
use phoenix_config::ConfigLoader;
use phoenix_config::cli::{EXIT_INVALID, EXIT_OK, EXIT_USAGE, run_with};
use settings::Settings;

struct Output {
    code: u8,
    out: String,
    err: String,
}

fn run(loader: &ConfigLoader, args: &[&str]) -> Output {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = run_with::<Settings>("phoenix", args.iter().map(|a| (*a).to_owned()), loader, &mut out, &mut err);
    Output { code, out: String::from_utf8(out).unwrap(), err: String::from_utf8(err).unwrap() }
}

/// The repository's own config folder, no `.env`, only these variables.
fn repo(vars: &[(&str, &str)]) -> ConfigLoader {
    ConfigLoader::new()
        .config_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/config"))
        .no_dotenv()
        .env_vars(vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())))
}

const CANARY: &str = "mongodb://admin:canary-s3cret@db.internal:27017/phoenix";

#[test]
fn show_prints_every_value_with_its_origin_and_no_secret() {
    let o = run(&repo(&[("MONGODB_URI", CANARY)]), &["show"]);
    assert_eq!(o.code, EXIT_OK, "{}", o.err);
    assert!(o.out.starts_with("# environment: development"), "{}", o.out);
    assert!(o.out.contains("database.max_pool_size") && o.out.contains("development.yaml:5:18"), "{}", o.out);
    assert!(o.out.contains("env MONGODB_URI"), "{}", o.out);
    assert!(!o.out.contains("canary-s3cret"), "{}", o.out);
}

#[test]
fn show_speaks_yaml_and_json() {
    let yaml = run(&repo(&[("MONGODB_URI", CANARY)]), &["show", "--env", "test", "--format", "yaml"]);
    assert_eq!(yaml.code, EXIT_OK, "{}", yaml.err);
    // Quoted: a bare `[REDACTED]` reads as a list in YAML.
    assert!(yaml.out.contains("database:\n  uri: \"[REDACTED]\"  # env MONGODB_URI"), "{}", yaml.out);
    assert!(yaml.out.contains("# environment: testing"));
    // Items of a list of sections are list items: the output is config-shaped.
    let vars =
        [("MONGODB_URI", CANARY), ("PHOENIX_PROXY_FALLBACKS_0_HOST", "a"), ("PHOENIX_PROXY_FALLBACKS_0_PORT", "1")];
    let yaml = run(&repo(&vars), &["show", "--env", "test", "--format", "yaml"]);
    assert_eq!(yaml.code, EXIT_OK, "{}", yaml.err);
    let tree = phoenix_config::docs::yaml_to_json("show", &yaml.out).expect("the output is YAML");
    assert_eq!(tree["proxy"]["fallbacks"][0]["host"], "a", "{}", yaml.out);
    assert_eq!(tree["proxy"]["fallbacks"][0]["port"], 1, "{}", yaml.out);
    assert_eq!(tree["database"]["uri"], "[REDACTED]", "{}", yaml.out);
    let json = run(&repo(&[("MONGODB_URI", CANARY)]), &["show", "--format=json"]);
    assert_eq!(json.code, EXIT_OK, "{}", json.err);
    let value: serde_json::Value = serde_json::from_str(&json.out).expect("valid JSON");
    let uri = value["values"].as_array().unwrap().iter().find(|v| v["path"] == "database.uri").unwrap();
    assert_eq!(uri["value"], "[REDACTED]");
    assert_eq!(uri["origin"], "env MONGODB_URI");

    assert!(!json.out.contains("canary-s3cret"));
}

#[test]
fn check_passes_a_valid_environment_and_fails_a_broken_one_with_every_problem() {
    let ok = run(&repo(&[]), &["check", "--env", "development"]);
    assert_eq!((ok.code, ok.out.as_str()), (EXIT_OK, "development: ok\n"), "{}", ok.err);

    let s = Scratch::new();
    s.write("config/base.yaml", "database:\n  max_pool_size: 0\n  nmae: x\ncollection:\n  target_zipcodes: ['8500']\n");
    let broken = run(&s.loader(&[("MONGODB_URI", CANARY)]), &["check"]);
    assert_eq!(broken.code, EXIT_INVALID);
    for needle in
        ["testing: 3 problems", "database.max_pool_size", "did you mean", "target_zipcodes[0]", "base.yaml:2:18"]
    {
        assert!(broken.err.contains(needle), "{needle} missing in:\n{}", broken.err);
    }
    assert!(!broken.err.contains("canary-s3cret"));
}

#[test]
fn check_warns_about_a_config_file_that_is_a_near_miss_of_a_layers_name() {
    let s = Scratch::new();
    s.write(
        "config/base.yaml",
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/config/base.yaml")).unwrap(),
    );
    for (name, text) in [
        ("prod.yaml", "app: {}\n"),
        ("Testing.yml", "app: {}\n"),
        ("bsae.toml", ""),
        ("logging.yaml", "level: info\n"),
        ("schema.json", "{}"),
    ] {
        s.write(&format!("config/{name}"), text);
    }
    let o = run(&s.loader(&[("MONGODB_URI", CANARY)]), &["check", "--env", "testing"]);
    assert_eq!(o.code, EXIT_OK, "{}", o.err);
    let dir = s.shown("config");
    let expected = |file: &str, best: &str| {
        format!(
            "  warning: {dir}/{file} is not read: a layer file is named base or after a declared environment \
             (development, testing, production); did you mean {best}?\n"
        )
    };
    let mut want = String::from("testing: ok\n");
    for (file, best) in [("Testing.yml", "testing.yml"), ("bsae.toml", "base.toml"), ("prod.yaml", "production.yaml")] {
        want.push_str(&expected(file, best));
    }
    assert_eq!(o.out, want);
}

#[test]
fn check_all_checks_every_environment() {
    let o = run(&repo(&[("MONGODB_URI", CANARY), ("MARICOPA_API_KEY", "k")]), &["check", "--all"]);
    assert_eq!(o.code, EXIT_OK, "{}", o.err);
    assert_eq!(o.out, "development: ok\ntesting: ok\nproduction: ok\n");
    let missing = run(&repo(&[]), &["check", "--all"]);
    assert_eq!(missing.code, EXIT_INVALID);
    assert!(
        missing.err.contains("production: 2 problems") && missing.err.contains("api_keys.maricopa"),
        "{}",
        missing.err
    );
}

#[test]
fn env_lists_every_variable() {
    let md = run(&repo(&[]), &["env"]);
    assert_eq!(md.code, EXIT_OK);
    assert!(
        md.out.contains(
            "| `MONGODB_URI` | `PHOENIX_DATABASE_URI`, `MONGODB_URI_FILE` | `database.uri` | `text` | required | yes |"
        ),
        "{}",
        md.out
    );
    // One spelling per kind of value, however the Rust type is written.
    assert!(md.out.contains("| `proxy.username` | `text` | none (optional) | no |"), "{}", md.out);
    assert!(md.out.contains("| `proxy.password` | `text` | none (optional) | yes |"), "{}", md.out);
    assert!(md.out.contains("| `logging.level` | `one of trace, debug, info, warn, error` | `info` |"), "{}", md.out);
    assert!(md.out.contains("`PHOENIX_DATABASE_MAX_POOL_SIZE`"));
    let text = run(&repo(&[]), &["env", "--format", "text"]);
    assert!(text.out.lines().next().unwrap().starts_with("VARIABLES"), "{}", text.out);
    assert_eq!(run(&repo(&[]), &["env", "--format", "html"]).code, EXIT_USAGE);
}

#[test]
fn dotenv_example_and_template_cover_every_leaf() {
    let example = run(&repo(&[]), &["dotenv-example"]);
    assert_eq!(example.code, EXIT_OK);
    assert!(example.out.contains("# MONGODB_URI=\n"), "secrets are blank:\n{}", example.out);
    assert!(example.out.contains("# PHOENIX_DATABASE_MAX_POOL_SIZE=10\n"), "{}", example.out);
    let template = run(&repo(&[]), &["template"]);
    assert_eq!(template.code, EXIT_OK);
    assert!(template.out.contains("database:\n") && template.out.contains("  max_pool_size: 10\n"), "{}", template.out);
    let parsed = phoenix_config::docs::yaml_to_json("template", &template.out).expect("the template is valid YAML");
    assert_eq!(parsed["database"]["max_pool_size"], 10);
}

#[test]
fn usage_errors_exit_2_with_one_clear_line() {
    for args in [
        &["frobnicate"][..],
        &[],
        &["show", "--env"],
        &["show", "--env", "staging"],
        &["show", "extra"],
        &["check", "--all", "--env", "dev"],
    ] {
        let o = run(&repo(&[]), args);
        assert_eq!(o.code, EXIT_USAGE, "{args:?}");
        assert!(o.err.starts_with("error: "), "{args:?}: {}", o.err);
    }
    let help = run(&repo(&[]), &["help"]);
    assert_eq!(help.code, EXIT_OK);
    for args in [&["show", "--help"][..], &["check", "-h"], &["--help"]] {
        let o = run(&repo(&[]), args);
        assert_eq!((o.code, o.out.as_str()), (EXIT_OK, help.out.as_str()), "{args:?}");
    }
    for command in
        ["show", "check", "env", "dotenv-example", "schema", "template", "keygen", "encrypt", "decrypt", "rotate"]
    {
        assert!(help.out.contains(&format!("  {command}")), "{command} missing in help");
    }
}

#[test]
fn keygen_encrypt_decrypt_and_rotate() {
    let key = run(&repo(&[]), &["keygen", "--id", "k1"]);
    assert_eq!(key.code, EXIT_OK, "{}", key.err);
    let key_value = key.out.trim().strip_prefix("PHOENIX_CONFIG_KEY=").expect("a key line").to_owned();
    assert!(key_value.starts_with("k1:"));
    let with_key = repo(&[("PHOENIX_CONFIG_KEY", &key_value)]);
    let encrypted = run(&with_key, &["encrypt", "hunter2-canary"]);
    assert_eq!(encrypted.code, EXIT_OK, "{}", encrypted.err);
    let text = encrypted.out.trim().to_owned();
    assert!(text.starts_with("enc:v1:k1:") && !text.contains("hunter2"));
    let hidden = run(&with_key, &["decrypt", &text]);
    assert_eq!(hidden.code, EXIT_OK);
    assert!(!hidden.out.contains("hunter2-canary"), "decrypt does not print without --reveal");
    let shown = run(&with_key, &["decrypt", "--reveal", &text]);
    assert_eq!(shown.out, "hunter2-canary\n");
    let no_key = run(&repo(&[]), &["decrypt", &text]);
    assert_eq!(no_key.code, EXIT_INVALID);
    assert!(no_key.err.contains("k1") && !no_key.err.contains("hunter2"), "{}", no_key.err);

    let key2 =
        run(&repo(&[]), &["keygen", "--id", "k2"]).out.trim().strip_prefix("PHOENIX_CONFIG_KEY=").unwrap().to_owned();
    let s = Scratch::new();
    let file = s.write("prod.env", &format!("# rotated below\nAPI_TOKEN={text}\nPLAIN=1\n"));
    let rotated = repo(&[("PHOENIX_CONFIG_KEY", &key2), ("PHOENIX_CONFIG_PREVIOUS_KEYS", &key_value)]);
    let o = run(&rotated, &["rotate", &file.display().to_string()]);
    assert_eq!(o.code, EXIT_OK, "{}", o.err);
    let after = std::fs::read_to_string(&file).unwrap();
    assert!(after.starts_with("# rotated below\nAPI_TOKEN=enc:v1:k2:") && after.ends_with("\nPLAIN=1\n"), "{after}");
    let token = after.lines().nth(1).unwrap().strip_prefix("API_TOKEN=").unwrap();
    assert_eq!(run(&rotated, &["decrypt", "--reveal", token]).out, "hunter2-canary\n");
}

/// `rotate` through a symbolic link rewrites the file it points to and
/// keeps the link (a config folder linking shared files).
#[cfg(unix)]
#[test]
fn rotate_writes_through_a_symbolic_link() {
    let key = |id: &str| {
        let o = run(&repo(&[]), &["keygen", "--id", id]);
        o.out.trim().strip_prefix("PHOENIX_CONFIG_KEY=").unwrap().to_owned()
    };
    let (old, new) = (key("old"), key("new"));
    let text = run(&repo(&[("PHOENIX_CONFIG_KEY", &old)]), &["encrypt", "hunter2-canary"]).out.trim().to_owned();
    let s = Scratch::new();
    let target = s.write("shared/production.yaml", &format!("token: {text}\n"));
    let link = s.path().join("config/production.yaml");
    std::fs::create_dir_all(link.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink("../shared/production.yaml", &link).unwrap();
    let rotated = repo(&[("PHOENIX_CONFIG_KEY", &new), ("PHOENIX_CONFIG_PREVIOUS_KEYS", &old)]);
    let o = run(&rotated, &["rotate", &link.display().to_string()]);
    assert_eq!(o.code, EXIT_OK, "{}", o.err);
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link is kept");
    let after = std::fs::read_to_string(&target).unwrap();
    assert!(after.starts_with("token: enc:v1:new:"), "the file linked to is rotated: {after}");
}

#[test]
fn schema_for_an_environment_requires_its_required_in_keys() {
    let layer = run(&repo(&[]), &["schema"]);
    assert_eq!(layer.code, EXIT_OK, "{}", layer.err);
    let layer: serde_json::Value = serde_json::from_str(&layer.out).expect("valid JSON");
    assert!(layer.get("required").is_none());
    let production = run(&repo(&[]), &["schema", "--env", "prod"]);
    assert_eq!(production.code, EXIT_OK, "{}", production.err);
    let production: serde_json::Value = serde_json::from_str(&production.out).expect("valid JSON");
    assert_eq!(production["required"], serde_json::json!(["api_keys"]), "the section holding a required key");
    assert_eq!(production["properties"]["api_keys"]["required"], serde_json::json!(["maricopa"]));
    let unknown = run(&repo(&[]), &["schema", "--env", "nowhere"]);
    assert_eq!(unknown.code, EXIT_USAGE);
}

#[test]
fn show_json_types_values_by_their_kind() {
    let json = run(&repo(&[("MONGODB_URI", CANARY)]), &["show", "--format=json"]);
    let value: serde_json::Value = serde_json::from_str(&json.out).expect("valid JSON");
    let find =
        |path: &str| value["values"].as_array().unwrap().iter().find(|v| v["path"] == path).unwrap()["value"].clone();
    assert!(find("database.max_pool_size").is_number(), "{}", json.out);
    assert!(find("proxy.enabled").is_boolean(), "{}", json.out);
    assert!(find("collection.target_zipcodes").is_array(), "{}", json.out);
    assert!(find("logging.level").is_string(), "{}", json.out);
}

#[test]
fn show_keeps_the_warnings_of_a_load_that_succeeds_in_every_format() {
    // A mistyped variable does nothing, and `show` says so in each format:
    // `# warning:` comments in text and YAML, `warnings` in JSON.
    let vars = [("MONGODB_URI", CANARY), ("PHOENIX_SERVR_WORKERS", "3")];
    let warning = "env PHOENIX_SERVR_WORKERS: variable PHOENIX_SERVR_WORKERS is set but matches no field";
    for format in ["text", "yaml"] {
        let o = run(&repo(&vars), &["show", "--format", format]);
        assert_eq!(o.code, EXIT_OK, "{}", o.err);
        assert!(o.out.contains(&format!("\n# warning: {warning}")), "{format}: {}", o.out);
        assert!(!o.out.contains("canary-s3cret"), "{}", o.out);
    }
    let yaml = run(&repo(&vars), &["show", "--format", "yaml"]).out;
    let tree = phoenix_config::docs::yaml_to_json("show", &yaml).expect("the output is still YAML");
    assert_eq!(tree["database"]["uri"], "[REDACTED]", "{yaml}");
    let o = run(&repo(&vars), &["show", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&o.out).unwrap_or_else(|e| panic!("{e}: {}", o.out));
    assert!(json["warnings"][0].as_str().is_some_and(|w| w.starts_with(warning)), "{}", o.out);
}

#[test]
fn a_failed_load_prints_its_warnings_before_the_problems() {
    let o = run(&repo(&[("PHOENIX_SERVR_WORKERS", "3")]), &["show", "--env", "production"]);
    assert_eq!(o.code, EXIT_INVALID, "{}", o.err);
    let warning = o.err.find("warning: env PHOENIX_SERVR_WORKERS: variable").unwrap_or_else(|| panic!("{}", o.err));
    assert!(warning < o.err.find("problem").unwrap(), "warnings first:\n{}", o.err);

    let s = Scratch::new();
    s.write("config/base.yaml", "database:\n  max_pool_size: 0\n");
    s.write(".env", "ENVIRONMENT=development\n");
    let loader = ConfigLoader::new()
        .config_dir(s.path().join("config"))
        .dotenv(s.path().join(".env"))
        .env_vars([("MONGODB_URI", CANARY)]);
    let o = run(&loader, &["check"]);
    assert_eq!(o.code, EXIT_INVALID, "{}", o.err);
    let warning = o.err.find("the environment `development` is set by").unwrap_or_else(|| panic!("{}", o.err));
    assert!(warning < o.err.find("  - ").unwrap(), "warnings first:\n{}", o.err);
    assert!(!o.err.contains("canary-s3cret"), "{}", o.err);
}
