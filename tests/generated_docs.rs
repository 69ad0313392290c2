//! Documentation that cannot drift: `docs/ENVIRONMENT.md`, `.env.example`
//! and `config/schema.json` are generated from the Phoenix settings and committed;
//! these tests fail when they differ from what the code generates. Regenerate
//! them with `PHOENIX_UPDATE_DOCS=1 cargo test --test generated_docs`.

#[path = "../examples/phoenix/settings.rs"]
mod settings;

use std::path::Path;

use phoenix_config::docs;
use settings::Settings;

fn check_file(relative: &str, generated: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    if std::env::var_os("PHOENIX_UPDATE_DOCS").is_some() {
        std::fs::write(&path, generated).expect("write the generated file");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{relative} differs from what the code generates; run `PHOENIX_UPDATE_DOCS=1 cargo test --test generated_docs` and commit it"
    );
}

fn schema_text() -> String {
    serde_json::to_string_pretty(&docs::json_schema::<Settings>()).unwrap() + "\n"
}

#[test]
fn the_environment_table_is_current() {
    check_file("docs/ENVIRONMENT.md", &docs::env_markdown::<Settings>());
}

#[test]
fn the_dotenv_example_is_current() {
    check_file(".env.example", &docs::dotenv_example::<Settings>());
}

#[test]
fn the_json_schema_is_current() {
    check_file("config/schema.json", &schema_text());
}

fn validator() -> jsonschema::Validator {
    jsonschema::validator_for(&docs::json_schema::<Settings>()).expect("the generated schema is a valid JSON Schema")
}

fn errors(validator: &jsonschema::Validator, name: &str, yaml: &str) -> Vec<String> {
    let value = docs::yaml_to_json(name, yaml).expect("YAML parses");
    validator.iter_errors(&value).map(|e| format!("{}: {e}", e.instance_path())).collect()
}

#[test]
fn every_config_file_matches_the_schema() {
    let validator = validator();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("config");
    for name in ["base.yaml", "development.yaml", "testing.yaml", "production.yaml"] {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        assert!(
            text.starts_with("# yaml-language-server: $schema=schema.json\n"),
            "{name} points editors at the schema"
        );
        let found = errors(&validator, name, &text);
        assert!(found.is_empty(), "{name}: {found:?}");
    }
}

#[test]
fn a_typo_or_a_wrong_type_or_a_broken_rule_fails_the_schema() {
    let validator = validator();
    let typo = errors(&validator, "typo.yaml", "database:\n  max_pool_sise: 5\n");
    assert!(typo.iter().any(|e| e.contains("max_pool_sise")), "{typo:?}");
    let wrong_type = errors(&validator, "type.yaml", "database:\n  max_pool_size: lots\n");
    assert!(wrong_type.iter().any(|e| e.contains("/database/max_pool_size")), "{wrong_type:?}");
    let out_of_range = errors(&validator, "range.yaml", "database:\n  max_pool_size: 501\n");
    assert!(!out_of_range.is_empty());
    let bad_zip = errors(&validator, "zip.yaml", "collection:\n  target_zipcodes: ['8500']\n");
    assert!(bad_zip.iter().any(|e| e.contains("/collection/target_zipcodes/0")), "{bad_zip:?}");
    let bad_port = errors(&validator, "port.yaml", "proxy:\n  port: 0\n");
    assert!(!bad_port.is_empty());
}
