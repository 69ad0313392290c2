//! Sections anywhere (DESIGN §3, §5): `#[config(nested)]` on `Option<T>`,
//! `Box<T>`, `Vec<T>`, `HashMap<String, T>` and `BTreeMap<String, T>`, from
//! every source, with origins, unknown keys and rules inside items, and
//! maps merged entry by entry across layers.

mod common;

use std::collections::{BTreeMap, HashMap};

use common::Scratch;
use phoenix_config::{IssueKind, Loaded, PhoenixConfig, Secret};

#[derive(PhoenixConfig)]
#[config(prefix = "APP")]
struct Settings {
    #[config(nested, default)]
    proxies: Vec<Proxy>,
    #[config(nested, default)]
    regions: HashMap<String, Region>,
    #[config(nested, default)]
    zones: BTreeMap<String, Region>,
    #[config(nested)]
    tls: Option<Tls>,
    #[config(nested)]
    limits: Box<Limits>,
}

#[derive(PhoenixConfig)]
struct Proxy {
    host: String,
    #[validate(port)]
    port: u16,
    #[secret]
    password: Option<Secret<String>>,
}

#[derive(PhoenixConfig)]
struct Region {
    #[validate(non_empty)]
    bucket: String,
    #[config(default = 1)]
    replicas: u8,
}

#[derive(PhoenixConfig)]
struct Tls {
    cert: String,
    #[config(default = false)]
    verify: bool,
}

#[derive(PhoenixConfig)]
struct Limits {
    #[config(default = 10)]
    rate: u32,
}

fn origin<T>(loaded: &Loaded<T>, path: &str) -> String {
    loaded.origin(path).map_or_else(|| panic!("no origin for {path}"), ToString::to_string)
}

fn issues(s: &Scratch, vars: &[(&str, &str)]) -> Vec<String> {
    match s.loader(vars).load::<Settings>() {
        Ok(_) => panic!("loaded"),
        Err(e) => e.issues().iter().map(ToString::to_string).collect(),
    }
}

const BASE: &str = "\
proxies:
  - host: a.example
    port: 8001
  - host: b.example
    port: 8002
regions:
  us:
    bucket: us-data
  eu:
    bucket: eu-data
    replicas: 3
";

#[test]
fn every_shape_loads_from_yaml_with_origins_per_value() {
    let s = Scratch::new();
    s.write("config/base.yaml", BASE);
    let loaded = s.loader(&[]).load_with_origins::<Settings>().unwrap();
    let c = loaded.config();
    assert_eq!(c.proxies.len(), 2);
    assert_eq!((c.proxies[1].host.as_str(), c.proxies[1].port), ("b.example", 8002));
    assert_eq!(c.regions["eu"].replicas, 3);
    assert_eq!(c.regions["us"].replicas, 1);
    assert!(c.zones.is_empty());
    assert!(c.tls.is_none(), "no layer mentions tls");
    assert_eq!(c.limits.rate, 10);
    let base = s.shown("config/base.yaml");
    assert_eq!(origin(&loaded, "proxies[1].port"), format!("{base}:5:11"));
    assert_eq!(origin(&loaded, "regions.eu.replicas"), format!("{base}:11:15"));
    assert_eq!(origin(&loaded, "regions.us.replicas"), "default");
}

/// The rows `show` and `Loaded` have for a path: `(value, origin)`.
fn rows<'l, T>(loaded: &'l Loaded<T>, path: &str) -> Vec<(&'l str, String)> {
    loaded.leaves().filter(|(p, _, _)| *p == path).map(|(_, value, origin)| (value, origin.to_string())).collect()
}

#[test]
fn a_section_field_that_holds_no_section_has_one_row_like_an_unset_leaf() {
    let s = Scratch::new();
    s.write("config/base.yaml", "regions: {}\nproxies: []\n");
    let loaded = s.loader(&[]).load_with_origins::<Settings>().unwrap();
    let base = s.shown("config/base.yaml");
    assert_eq!(rows(&loaded, "tls"), [("unset", "default".to_owned())]);
    assert_eq!(rows(&loaded, "regions"), [("{}", format!("{base}:1:10"))]);
    assert_eq!(rows(&loaded, "proxies"), [("[]", format!("{base}:2:10"))]);
    assert_eq!(rows(&loaded, "zones"), [("{}", "default".to_owned())], "absent, empty by default");
    let text = loaded.to_string();
    assert!(text.lines().any(|l| l.starts_with("tls ") && l.contains(" unset ") && l.ends_with(" default")), "{text}");

    // Null in a file is unset too, from that file.
    s.write("config/base.yaml", "tls: ~\nproxies:\n  - host: a\n    port: 1\n");
    let loaded = s.loader(&[]).load_with_origins::<Settings>().unwrap();
    assert_eq!(rows(&loaded, "tls"), [("unset", format!("{base}:1:6"))]);
    assert!(rows(&loaded, "proxies").is_empty(), "a list with items shows its items' rows");
    // Set, the section shows its leaves and no row of its own.
    let loaded = s.loader(&[("APP_TLS_CERT", "/c.pem")]).load_with_origins::<Settings>().unwrap();
    assert!(rows(&loaded, "tls").is_empty());
    assert_eq!(rows(&loaded, "tls.cert"), [("/c.pem", "env APP_TLS_CERT".to_owned())]);

    // Typed output: null, [] and {}.
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let args = ["show", "--format", "json"].map(str::to_owned);
    let code = phoenix_config::cli::run_with::<Settings>("app", args, &s.loader(&[]), &mut out, &mut err);
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&err));
    let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let value =
        |path: &str| json["values"].as_array().unwrap().iter().find(|v| v["path"] == path).unwrap()["value"].clone();
    assert_eq!(
        (value("tls"), value("zones"), value("regions")),
        (serde_json::Value::Null, serde_json::json!({}), serde_json::json!({}))
    );
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let args = ["show", "--format", "yaml"].map(str::to_owned);
    phoenix_config::cli::run_with::<Settings>("app", args, &s.loader(&[]), &mut out, &mut err);
    let yaml = String::from_utf8(out).unwrap();
    assert!(yaml.contains(&format!("tls: null  # {base}:1:6\n")) && yaml.contains("zones: {}  # default\n"), "{yaml}");
}

#[test]
fn an_optional_section_is_some_when_a_layer_mentions_it_and_fully_checked() {
    let s = Scratch::new();
    s.write("config/base.yaml", "tls:\n  cert: /etc/cert.pem\n");
    let c = s.loader(&[]).load::<Settings>().unwrap();
    assert_eq!(c.tls.as_ref().map(|t| (t.cert.as_str(), t.verify)), Some(("/etc/cert.pem", false)));

    let s = Scratch::new();
    s.write("config/base.yaml", "tls:\n  verify: true\n  cerd: x\n");
    let found = issues(&s, &[]);
    assert!(found.iter().any(|i| i.contains("tls.cerd") && i.contains("did you mean `cert`?")), "{found:?}");
    assert_eq!(found.len(), 1, "the typo is the cause of `cert` missing, one message: {found:?}");

    let c = s.loader(&[("APP_TLS_CERT", "/x.pem")]).load::<Settings>();
    assert!(c.is_err(), "the typo is still reported");
    let s = Scratch::new();
    let c = s.loader(&[("APP_TLS_CERT", "/x.pem")]).load::<Settings>().unwrap();
    assert_eq!(c.tls.unwrap().cert, "/x.pem", "a variable mentions the section");
}

#[test]
fn unknown_keys_and_rules_inside_items_name_the_item_and_its_line() {
    let s = Scratch::new();
    s.write(
        "config/base.yaml",
        "proxies:\n  - host: a\n    port: 1\n  - host: b\n    prot: 2\nregions:\n  us:\n    bucket: ''\n",
    );
    let base = s.shown("config/base.yaml");
    let found = issues(&s, &[]);
    assert!(
        found.contains(&format!(
            "proxies[1].prot: unknown key `prot`, did you mean `port`? (`port` has no value) (from {base}:5:5)"
        )),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|i| i.starts_with("proxies[1].port: missing value")),
        "one cause, one message: {found:?}"
    );
    assert!(
        found.iter().any(|i| i.starts_with("regions.us.bucket: ") && i.contains(&format!("{base}:8:13"))),
        "{found:?}"
    );

    s.write("config/base.yaml", "proxies:\n  - host: a\n    port: 0\n");
    let found = issues(&s, &[]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("proxies[0].port: ") && found[0].contains(&format!("{base}:3:11")), "{found:?}");
}

#[test]
fn variables_set_fields_of_items_and_create_entries() {
    let s = Scratch::new();
    s.write("config/base.yaml", BASE);
    let vars = [
        ("APP_PROXIES_1_PORT", "9002"),
        ("APP_PROXIES_2_HOST", "c.example"),
        ("APP_PROXIES_2_PORT", "9003"),
        ("APP_REGIONS_US_BUCKET", "us-new"),
        ("APP_REGIONS_AP_SOUTH_BUCKET", "ap"),
        ("APP_ZONES_Z1_REPLICAS", "2"),
        ("APP_ZONES_Z1_BUCKET", "z"),
        ("APP_LIMITS_RATE", "5"),
    ];
    let loaded = s.loader(&vars).load_with_origins::<Settings>().unwrap();
    let c = loaded.config();
    assert_eq!(c.proxies.len(), 3);
    assert_eq!(c.proxies[1].port, 9002);
    assert_eq!(c.proxies[1].host, "b.example", "setting one field keeps the others");
    assert_eq!(c.proxies[2].host, "c.example");
    assert_eq!(c.regions["us"].bucket, "us-new");
    assert_eq!(c.regions["eu"].bucket, "eu-data", "setting one entry keeps the others");
    assert_eq!(c.regions["ap_south"].bucket, "ap");
    assert_eq!(c.zones["z1"].replicas, 2);
    assert_eq!(c.limits.rate, 5);
    let warnings: Vec<String> = loaded.warnings().iter().map(ToString::to_string).collect();
    assert!(warnings.is_empty(), "item variables are used, not unknown: {warnings:?}");
    assert_eq!(origin(&loaded, "proxies[1].port"), "env APP_PROXIES_1_PORT");
    assert_eq!(origin(&loaded, "regions.us.bucket"), "env APP_REGIONS_US_BUCKET");
    assert_eq!(origin(&loaded, "regions.us.replicas"), "default");
    assert_eq!(origin(&loaded, "regions.eu.bucket"), format!("{}:10:13", s.shown("config/base.yaml")));
}

#[test]
fn a_variable_for_an_item_past_the_end_says_how_items_are_numbered() {
    let s = Scratch::new();
    s.write("config/base.yaml", BASE);
    let found = issues(&s, &[("APP_PROXIES_5_HOST", "x")]);
    assert_eq!(
        found,
        [
            "proxies[5].host: sets item 5 of `proxies`, which has 2 items: number items from 0 without gaps (from env APP_PROXIES_5_HOST)"
        ]
    );
}

#[test]
fn a_whole_list_or_map_comes_from_one_variable_and_items_refine_it() {
    let s = Scratch::new();
    let vars = [
        ("APP_PROXIES", "[{host: a, port: 1}, {host: b, port: 2}]"),
        ("APP_PROXIES_1_PORT", "3"),
        ("APP_REGIONS", "{us: {bucket: u}}"),
    ];
    let loaded = s.loader(&vars).load_with_origins::<Settings>().unwrap();
    let c = loaded.config();
    assert_eq!(c.proxies.iter().map(|p| (p.host.as_str(), p.port)).collect::<Vec<_>>(), [("a", 1), ("b", 3)]);
    assert_eq!(c.regions["us"].bucket, "u");
    assert_eq!(origin(&loaded, "proxies[0].host"), "env APP_PROXIES");
    assert_eq!(origin(&loaded, "proxies[1].port"), "env APP_PROXIES_1_PORT");

    let found = issues(&s, &[("APP_PROXIES", "[{host: a, port: 1, hots: x}]")]);
    assert!(found.iter().any(|i| i.contains("proxies[0].hots") && i.contains("(from env APP_PROXIES)")), "{found:?}");
    let found = issues(&s, &[("APP_PROXIES", "a,b")]);
    assert!(found.iter().any(|i| i.starts_with("proxies: expected a list")), "{found:?}");
    let c = s.loader(&[("APP_PROXIES", "")]).load::<Settings>().unwrap();
    assert!(c.proxies.is_empty(), "empty text is an empty list");
}

#[test]
fn a_misspelt_key_is_one_message_not_also_a_missing_value() {
    let s = Scratch::new();
    s.write("config/base.yaml", "proxies:\n  - hots: a\n    prot: 1\n  - host: b\n    port: 2\nlimits: {}\n");
    let found = issues(&s, &[]);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found[0].starts_with("proxies[0].hots: unknown key `hots`, did you mean `host`? (`host` has no value) (from "),
        "{found:?}"
    );
    assert!(
        found[1].starts_with("proxies[0].prot: unknown key `prot`, did you mean `port`? (`port` has no value)"),
        "{found:?}"
    );
    let found = issues(&s, &[("APP_PROXIES", "[{hots: a, port: 1}, {port: 2}]")]);
    assert!(found.iter().any(|i| i.starts_with("proxies[1].host: missing value")), "another item still is: {found:?}");
    assert!(!found.iter().any(|i| i.starts_with("proxies[0].host: missing")), "{found:?}");
}

#[derive(PhoenixConfig)]
#[config(prefix = "AMB")]
struct Ambiguous {
    #[config(nested, default)]
    regions: BTreeMap<String, Twin>,
}

#[derive(PhoenixConfig)]
struct Twin {
    bucket: Option<String>,
    us_bucket: Option<String>,
}

#[test]
fn an_ambiguous_variable_names_both_readings() {
    let s = Scratch::new();
    let err = s.loader(&[("AMB_REGIONS_EU_US_BUCKET", "x")]).load::<Ambiguous>().unwrap_err();
    let found: Vec<String> = err.issues().iter().map(ToString::to_string).collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(err.issues()[0].kind(), IssueKind::Conflict);
    assert!(found[0].contains("`regions.eu.us_bucket`") && found[0].contains("`regions.eu_us.bucket`"), "{found:?}");
    let c = s.loader(&[("AMB_REGIONS_EU_BUCKET", "x")]).load::<Ambiguous>().unwrap();
    assert_eq!(c.regions["eu"].bucket.as_deref(), Some("x"));
    assert!(c.regions["eu"].us_bucket.is_none());
}

#[test]
fn a_variable_whose_key_matches_two_map_entries_is_an_error_naming_both() {
    let s = Scratch::new();
    s.write("config/base.yaml", "regions:\n  us:\n    bucket: a\n  US:\n    bucket: b\n  us-east:\n    bucket: c\n");
    // The file alone is fine: two keys, two entries.
    let c = s.loader(&[]).load::<Settings>().unwrap();
    assert_eq!((c.regions["us"].bucket.as_str(), c.regions["US"].bucket.as_str()), ("a", "b"));
    let error = s.loader(&[("APP_REGIONS_US_BUCKET", "x")]).load::<Settings>().unwrap_err();
    let [issue] = error.issues() else { panic!("one issue: {error}") };
    assert_eq!(issue.kind(), IssueKind::Conflict);
    assert_eq!(issue.origin().unwrap().to_string(), "env APP_REGIONS_US_BUCKET");
    assert!(
        issue
            .message()
            .starts_with("could set `regions.us.bucket` or `regions.US.bucket`: a variable name cannot tell"),
        "{issue}"
    );
    // One entry that matches (in another case, or with `-`) is set, never an error.
    s.write("config/base.yaml", "regions:\n  US:\n    bucket: b\n  us-east:\n    bucket: c\n");
    let c = s.loader(&[("APP_REGIONS_US_BUCKET", "x"), ("APP_REGIONS_US_EAST_BUCKET", "y")]).load::<Settings>();
    let c = c.unwrap();
    assert_eq!((c.regions["US"].bucket.as_str(), c.regions["us-east"].bucket.as_str()), ("x", "y"));
    assert_eq!(c.regions.len(), 2);
    // `us-east` and `us_east` read alike too.
    s.write("config/base.yaml", "regions:\n  us_east:\n    bucket: b\n  us-east:\n    bucket: c\n");
    let found = issues(&s, &[("APP_REGIONS_US_EAST_BUCKET", "y")]);
    assert!(found.iter().any(|i| i.contains("`regions.us_east.bucket` or `regions.us-east.bucket`")), "{found:?}");
}

/// A serde struct read as one value (not a section).
#[derive(serde::Deserialize, Debug)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // only its errors are looked at
struct Window {
    start: u16,
    end: u16,
}

#[derive(serde::Deserialize, Debug)]
#[allow(dead_code)] // only its errors are looked at
struct Pin {
    owner: String,
    code: Secret<u32>,
}

#[derive(PhoenixConfig)]
#[allow(dead_code)] // only its errors are looked at
struct Shift {
    window: Window,
    #[secret]
    pass: Option<Window>,
    pin: Option<Pin>,
}

#[derive(PhoenixConfig)]
#[config(prefix = "ROTA")]
#[allow(dead_code)] // only its errors are looked at
struct Rota {
    #[config(nested, default)]
    shifts: Vec<Shift>,
    #[config(nested, default)]
    teams: BTreeMap<String, Shift>,
}

#[test]
fn an_error_inside_a_serde_struct_in_an_item_points_at_the_bad_value_never_inside_a_secret() {
    let s = Scratch::new();
    s.write(
        "config/base.yaml",
        "\
shifts:
  - window:
      start: 8
      end: late
teams:
  ops:
    window:
      start: 1
      ends: 2
  dev:
    window: {start: 1}
  sec:
    window: {start: 1, end: 2}
    pass:
      start: 1
      end: never
    pin:
      owner: me
      code: nine
",
    );
    let error = s.loader(&[]).load::<Rota>().unwrap_err();
    let base = s.shown("config/base.yaml");
    let found: Vec<(String, String)> =
        error.issues().iter().map(|i| (i.path().to_owned(), i.origin().unwrap().to_string())).collect();
    assert_eq!(
        found,
        [
            ("shifts[0].window".to_owned(), format!("{base}:4:12")),
            ("teams.ops.window".to_owned(), format!("{base}:9:7")),
            ("teams.dev.window".to_owned(), format!("{base}:11:13")),
            ("teams.sec.pass".to_owned(), format!("{base}:15:7")),
            // A type holding a `Secret` is secret whole: its own start.
            ("teams.sec.pin".to_owned(), format!("{base}:18:7")),
        ],
        "{error}"
    );
    let text = error.to_string();
    assert!(text.contains("key `end`: `late` is not a valid u16") && !text.contains("nine"), "{text}");
    assert!(text.contains("teams.sec.pass: key `end`: is not a valid u16") && !text.contains("never"), "{text}");
    assert!(text.contains("unknown key `ends`, did you mean `end`?"), "{text}");
}

#[test]
fn dotenv_entries_set_items_below_variables() {
    let s = Scratch::new();
    s.write("config/base.yaml", BASE);
    s.write(".env", "APP_PROXIES_0_HOST=dotenv.example\nAPP_PROXIES_0_PORT=7000\nAPP_REGIONS_NEW_BUCKET=n\n");
    let loaded = s.loader(&[("APP_PROXIES_0_PORT", "7001")]).load_with_origins::<Settings>().unwrap();
    let c = loaded.config();
    assert_eq!(c.proxies[0].host, "dotenv.example");
    assert_eq!(c.proxies[0].port, 7001, "a real variable beats .env");
    assert_eq!(c.regions["new"].bucket, "n");
    assert_eq!(origin(&loaded, "proxies[0].host"), format!("{}:1 APP_PROXIES_0_HOST", s.shown(".env")));
    let warnings: Vec<String> = loaded.warnings().iter().map(ToString::to_string).collect();
    assert!(warnings.is_empty(), "item entries of .env are used, not unknown: {warnings:?}");
}

#[test]
fn a_misspelt_item_variable_is_still_unknown() {
    let s = Scratch::new();
    s.write("config/base.yaml", BASE);
    let loaded = s.loader(&[("APP_PROXIES_1_PROT", "9002")]).load_with_origins::<Settings>().unwrap();
    let warnings: Vec<String> = loaded.warnings().iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("APP_PROXIES_1_PROT is set but matches no field"), "{warnings:?}");
}

#[test]
fn overrides_reach_items_by_index_and_key() {
    let s = Scratch::new();
    s.write("config/base.yaml", BASE);
    let loaded = s
        .loader(&[])
        .set("proxies[0].port", "1234")
        .set("regions.us.bucket", "over")
        .set("regions.sa.bucket", "sa")
        .load_with_origins::<Settings>()
        .unwrap();
    let c = loaded.config();
    assert_eq!(c.proxies[0].port, 1234);
    assert_eq!(c.regions["us"].bucket, "over");
    assert_eq!(c.regions["sa"].bucket, "sa");
    assert!(origin(&loaded, "proxies[0].port").starts_with("override tests/sections.rs:"), "the caller of .set()");
    let err = s.loader(&[]).set("proxies[9].port", "1").load::<Settings>().unwrap_err();
    assert!(err.to_string().contains("sets item 9 of `proxies`, which has 2 items"), "{err}");
}

#[test]
fn maps_of_sections_merge_entry_by_entry_across_files() {
    let s = Scratch::new();
    s.write("config/base.yaml", BASE);
    s.write(
        "config/testing.yaml",
        "regions:\n  us:\n    bucket: us-testing\n  ca:\n    bucket: ca\nproxies:\n  - host: only\n    port: 1\n",
    );
    let loaded = s.loader(&[]).load_with_origins::<Settings>().unwrap();
    let c = loaded.config();
    assert_eq!(c.regions.len(), 3);
    assert_eq!(c.regions["us"].bucket, "us-testing");
    assert_eq!(c.regions["eu"].replicas, 3);
    assert_eq!(c.proxies.len(), 1, "a list in a higher layer replaces the lower one whole");
    let testing = s.shown("config/testing.yaml");
    assert_eq!(origin(&loaded, "regions.us.bucket"), format!("{testing}:3:13"));
    assert_eq!(origin(&loaded, "regions.eu.bucket"), format!("{}:10:13", s.shown("config/base.yaml")));
}

#[test]
fn secrets_inside_items_stay_secret() {
    let s = Scratch::new();
    s.write("config/base.yaml", "proxies:\n  - host: a\n    port: 1\n    password: hunter2\n");
    let loaded = s.loader(&[("APP_PROXIES_0_PASSWORD", "swordfish")]).load_with_origins::<Settings>().unwrap();
    assert_eq!(loaded.config().proxies[0].password.as_ref().map(|p| p.expose().as_str()), Some("swordfish"));
    let shown = format!("{loaded} {:?}", loaded.config());
    assert!(!shown.contains("swordfish") && !shown.contains("hunter2"), "{shown}");
    assert!(shown.contains("proxies[0].password"), "{shown}");
}

#[test]
fn a_missing_list_without_default_is_reported_with_its_variable() {
    #[derive(PhoenixConfig)]
    #[config(prefix = "REQ")]
    struct Required {
        #[config(nested)]
        proxies: Vec<Proxy>,
    }
    let s = Scratch::new();
    s.write("config/base.yaml", "");
    let err = s.loader(&[]).load::<Required>().unwrap_err();
    assert_eq!(err.issues().len(), 1, "{err}");
    assert!(err.to_string().contains("proxies: missing value") && err.to_string().contains("REQ_PROXIES"), "{err}");
}

#[test]
fn validate_walks_items_with_their_paths() {
    let s = Scratch::new();
    s.write("config/base.yaml", BASE);
    let mut c = s.loader(&[]).load::<Settings>().unwrap();
    c.proxies[1].port = 0;
    c.regions.get_mut("us").unwrap().bucket.clear();
    let errors: Vec<String> = c.validate().iter().map(ToString::to_string).collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].starts_with("proxies[1].port: "), "{errors:?}");
    assert!(errors[1].starts_with("regions.us.bucket: "), "{errors:?}");
}

#[test]
fn a_file_that_does_not_parse_gives_its_syntax_errors_and_one_note_not_missing_values() {
    #[derive(PhoenixConfig)]
    #[allow(dead_code)]
    struct Many {
        a: String,
        b: u32,
        #[config(nested)]
        c: Tls,
        #[config(default = 1)]
        d: u8,
    }
    let s = Scratch::new();
    s.write("config/base.yaml", "a: x\nb: [1\n");
    let err = s.loader(&[]).load::<Many>().unwrap_err();
    let kinds: Vec<IssueKind> = err.issues().iter().map(phoenix_config::Issue::kind).collect();
    assert_eq!(kinds[0], IssueKind::Syntax, "{err}");
    assert!(kinds[1..].iter().all(|k| *k == IssueKind::Syntax || *k == IssueKind::Missing), "{err}");
    let missing: Vec<String> =
        err.issues().iter().filter(|i| i.kind() == IssueKind::Missing).map(ToString::to_string).collect();
    assert_eq!(
        missing,
        [
            "3 values without a default could not be checked: a file that does not parse or could not be read may hold them; fix the errors above first"
        ]
    );
}

fn warnings<T>(loaded: &Loaded<T>) -> Vec<String> {
    loaded.warnings().iter().map(ToString::to_string).collect()
}

#[test]
fn item_variables_read_name_file_and_the_secrets_folder_like_plain_fields() {
    let s = Scratch::new();
    s.write("config/base.yaml", BASE);
    let password = s.write("run/p0", "s3cret\n");
    let bucket = s.write("run/bucket", "from-file\n");
    s.write("secrets/APP_PROXIES_1_PASSWORD", "other\n");
    s.write("secrets/APP_REGIONS_EU_REPLICAS", "5\n");
    let vars = [
        ("APP_PROXIES_0_PASSWORD_FILE", password.to_str().unwrap()),
        ("APP_REGIONS_US_BUCKET_FILE", bucket.to_str().unwrap()),
    ];
    let loaded = s.loader(&vars).secrets_dir(s.path().join("secrets")).load_with_origins::<Settings>().unwrap();
    let c = loaded.config();
    assert_eq!(c.proxies[0].password.as_ref().map(|p| p.expose().as_str()), Some("s3cret"));
    assert_eq!(c.proxies[1].password.as_ref().map(|p| p.expose().as_str()), Some("other"));
    assert_eq!(c.regions["us"].bucket, "from-file");
    assert_eq!(c.regions["eu"].replicas, 5);
    assert_eq!(
        origin(&loaded, "proxies[0].password"),
        format!("file {} (APP_PROXIES_0_PASSWORD_FILE)", password.display())
    );
    assert_eq!(
        origin(&loaded, "proxies[1].password"),
        format!("file {} (secrets dir)", s.path().join("secrets/APP_PROXIES_1_PASSWORD").display())
    );
    assert_eq!(origin(&loaded, "regions.us.bucket"), format!("file {} (APP_REGIONS_US_BUCKET_FILE)", bucket.display()));
    assert!(warnings(&loaded).is_empty(), "{:?}", warnings(&loaded));
    let shown = format!("{loaded} {:?}", loaded.config());
    assert!(!shown.contains("s3cret") && !shown.contains("other"), "{shown}");
}

#[test]
fn item_variables_rank_variables_above_the_secrets_folder_above_dotenv() {
    let s = Scratch::new();
    s.write("config/base.yaml", BASE);
    s.write(".env", "APP_PROXIES_0_HOST=dotenv\nAPP_PROXIES_1_HOST=dotenv\nAPP_REGIONS_EU_BUCKET=dotenv\n");
    s.write("secrets/APP_PROXIES_0_HOST", "folder\n");
    s.write("secrets/APP_PROXIES_1_HOST", "folder\n");
    let loaded = s
        .loader(&[("APP_PROXIES_0_HOST", "variable")])
        .secrets_dir(s.path().join("secrets"))
        .load_with_origins::<Settings>()
        .unwrap();
    let c = loaded.config();
    assert_eq!(c.proxies[0].host, "variable");
    assert_eq!(c.proxies[1].host, "folder");
    assert_eq!(c.regions["eu"].bucket, "dotenv");
    assert_eq!(origin(&loaded, "proxies[0].host"), "env APP_PROXIES_0_HOST");
    assert!(warnings(&loaded).is_empty(), "item variables are used: {:?}", warnings(&loaded));
}

#[test]
fn an_item_variable_and_its_file_form_both_set_is_an_error() {
    let s = Scratch::new();
    s.write("config/base.yaml", BASE);
    let file = s.write("run/host", "h\n");
    let found = issues(&s, &[("APP_PROXIES_0_HOST", "x"), ("APP_PROXIES_0_HOST_FILE", file.to_str().unwrap())]);
    assert_eq!(
        found,
        [
            "proxies[0].host: both APP_PROXIES_0_HOST and APP_PROXIES_0_HOST_FILE are set; unset one of them (from env APP_PROXIES_0_HOST)"
        ]
    );
    let found = issues(&s, &[("APP_PROXIES_0_HOST_FILE", "/nonexistent/host")]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("proxies[0].host: ") && found[0].contains("APP_PROXIES_0_HOST_FILE"), "{found:?}");
}

#[test]
fn every_shape_loads_from_toml_and_json_layers_with_origins_unknown_keys_and_rules() {
    let s = Scratch::new();
    s.write(
        "config/base.toml",
        "[[proxies]]\nhost = \"a.example\"\nport = 8001\n\n[[proxies]]\nhost = \"b.example\"\nport = 8002\n\n\
         [regions.us]\nbucket = \"us-data\"\n\n[regions.eu]\nbucket = \"eu-data\"\nreplicas = 3\n\n[tls]\ncert = \"/c.pem\"\n",
    );
    s.write(
        "config/testing.json",
        "{\n  \"regions\": {\n    \"us\": { \"bucket\": \"us-json\" },\n    \"ca\": { \"bucket\": \"ca\" }\n  }\n}\n",
    );
    let loaded = s.loader(&[]).load_with_origins::<Settings>().unwrap();
    let c = loaded.config();
    assert_eq!((c.proxies.len(), c.proxies[1].port), (2, 8002));
    assert_eq!((c.regions["us"].bucket.as_str(), c.regions["eu"].replicas), ("us-json", 3));
    assert_eq!(c.regions["ca"].bucket, "ca", "an entry added by the higher layer");
    assert_eq!(c.tls.as_ref().map(|t| t.cert.as_str()), Some("/c.pem"));
    let (toml, json) = (s.shown("config/base.toml"), s.shown("config/testing.json"));
    assert_eq!(origin(&loaded, "proxies[1].port"), format!("{toml}:7:8"));
    assert_eq!(origin(&loaded, "regions.eu.replicas"), format!("{toml}:14:12"));
    assert_eq!(origin(&loaded, "regions.us.bucket"), format!("{json}:3:23"));

    s.write("config/base.toml", "[[proxies]]\nhost = \"a\"\nprot = 1\n\n[regions.us]\nbucket = \"\"\n");
    s.write("config/testing.json", "{ \"proxies\": [ { \"host\": \"j\", \"port\": 0 } ] }");
    let found = issues(&s, &[]);
    assert!(
        found.iter().any(|i| i.starts_with("proxies[0].port: ") && i.contains(&format!("{json}:1:39"))),
        "{found:?}"
    );
    assert!(
        found.iter().any(|i| i.starts_with("regions.us.bucket: ") && i.contains(&format!("{toml}:6:10"))),
        "{found:?}"
    );
    s.write("config/testing.json", "{}");
    let found = issues(&s, &[]);
    assert!(
        found.contains(&format!(
            "proxies[0].prot: unknown key `prot`, did you mean `port`? (`port` has no value) (from {toml}:3:1)"
        )),
        "{found:?}"
    );
}

#[test]
fn the_env_table_says_a_leaf_of_an_optional_section_is_required_only_with_it() {
    let table = phoenix_config::docs::env_markdown::<Settings>();
    let row = table.lines().find(|l| l.starts_with("| `APP_TLS_CERT`")).unwrap();
    assert!(row.contains("| required when `tls` is set |"), "{row}");
    let row = table.lines().find(|l| l.starts_with("| `APP_PROXIES_<N>_HOST`")).unwrap();
    assert!(row.contains("| required |"), "every item needs its host: {row}");
    let example = phoenix_config::docs::dotenv_example::<Settings>();
    assert!(example.contains("required when `tls` is set"), "{example}");
}

/// How to deliver (a `ConfigEnum`).
#[derive(serde::Deserialize, phoenix_config::ConfigEnum, Debug)]
#[serde(rename_all = "lowercase")]
enum Delivery {
    /// At most once.
    Fast,
    /// At least once.
    Safe,
}

#[derive(PhoenixConfig)]
#[config(prefix = "KIT")]
#[allow(dead_code)] // described, not loaded
struct Kit {
    pins: Vec<Secret<u32>>,
    #[config(nested, default)]
    regions: HashMap<String, Region>,
    #[config(nested)]
    tls: Option<Tls>,
    #[config(default = "1MiB")]
    body: phoenix_config::ByteSize,
    wait: Option<std::time::Duration>,
    delivery: Delivery,
    ports: BTreeMap<String, u16>,
    path: Option<std::path::PathBuf>,
    name: String,
}

#[test]
fn the_env_table_names_each_type_by_what_the_value_is_written_as() {
    let table = phoenix_config::docs::env_markdown::<Kit>();
    let type_of = |key: &str| {
        let row = table.lines().find(|l| l.contains(&format!("| `{key}` |"))).unwrap_or_else(|| panic!("{table}"));
        row.split(" | ").nth(3).unwrap().to_owned()
    };
    let expected = [
        ("pins", "`list of u32`"),
        ("regions.<key>.bucket", "`text`"),
        ("regions.<key>.replicas", "`u8`"),
        ("tls.verify", "`bool`"),
        ("body", "`size`"),
        ("wait", "`duration`"),
        ("delivery", "`one of fast, safe`"),
        ("ports", "`map of u16`"),
        ("path", "`text`"),
        ("name", "`text`"),
    ];
    for (key, cell) in expected {
        assert_eq!(type_of(key), cell, "{key}");
    }
    // The text table: the same names, and the same words for what is unset.
    let text = phoenix_config::docs::env_text::<Kit>();
    let row = |key: &str| text.lines().find(|l| l.contains(&format!(" {key} "))).unwrap().to_owned();
    assert!(row("pins").contains(" list of u32 ") && row("pins").contains(" secret"), "{text}");
    assert!(row("tls.cert").ends_with(" required when tls is set"), "{text}");
    assert!(row("wait").ends_with(" none (optional)"), "{text}");
    // An enum's choices with their doc comments, as in the Markdown table.
    assert!(row("delivery").ends_with("Choices: fast (At most once), safe (At least once)."), "{text}");
    // The template's type notes are the same (an enum's come with its choices).
    let template = phoenix_config::docs::yaml_template::<Kit>();
    assert!(template.contains("# type list of u32; secret") && template.contains("# type duration;"), "{template}");
    assert!(
        template.contains("# variables KIT_DELIVERY; one of fast (At most once), safe (At least once)"),
        "{template}"
    );
}

#[derive(PhoenixConfig)]
#[config(prefix = "C")]
struct FixedAndItem {
    #[config(nested, default)]
    regions: BTreeMap<String, Bucketed>,
    #[config(default = 0)]
    regions_eu_bucket: u32,
}

#[derive(PhoenixConfig)]
struct Bucketed {
    bucket: u32,
}

#[test]
fn a_variable_of_a_fixed_field_and_of_an_item_is_an_error_naming_both() {
    let s = Scratch::new();
    let err = s.loader(&[("C_REGIONS_EU_BUCKET", "9")]).load::<FixedAndItem>().unwrap_err();
    let found: Vec<String> = err.issues().iter().map(ToString::to_string).collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(err.issues()[0].kind(), IssueKind::Conflict);
    assert!(found[0].contains("`regions_eu_bucket`") && found[0].contains("`regions.eu.bucket`"), "{found:?}");
    assert!(found[0].contains("#[env]") && found[0].contains("(from env C_REGIONS_EU_BUCKET)"), "{found:?}");
    let c = s.loader(&[("C_REGIONS_US_BUCKET", "9")]).load::<FixedAndItem>().unwrap();
    assert_eq!((c.regions["us"].bucket, c.regions_eu_bucket), (9, 0), "another key is one reading");
}

#[test]
fn an_item_index_written_with_leading_zeros_is_suggested_without_them() {
    let s = Scratch::new();
    s.write("config/base.yaml", BASE);
    let vars =
        [("APP_PROXIES_00_HOST", "x"), ("APP_PROXIES_01_PORT", "1"), ("APP_PROXIES_99999999999999999999999_HOST", "x")];
    let loaded = s.loader(&vars).load_with_origins::<Settings>().unwrap();
    let warnings: Vec<String> = loaded.warnings().iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    for (name, best) in [("APP_PROXIES_00_HOST", "APP_PROXIES_0_HOST"), ("APP_PROXIES_01_PORT", "APP_PROXIES_1_PORT")] {
        let expected = format!("variable {name} is set but matches no field; did you mean {best}?");
        assert!(warnings.iter().any(|w| w.contains(&expected)), "{expected} in {warnings:?}");
    }
    // Never the name itself as its own suggestion.
    for warning in &warnings {
        let name = warning.split_whitespace().nth(3).unwrap_or_default();
        assert!(!warning.contains(&format!("did you mean {name}?")), "{warning}");
    }
}

#[test]
fn a_misspelt_item_variable_gets_a_suggestion() {
    let s = Scratch::new();
    s.write("config/base.yaml", BASE);
    let vars = [("APP_PROXIES_0_HOTS", "x"), ("APP_REGIONS_US_BUCKT", "x"), ("APP_ZONES_EU_WEST_REPLICS", "2")];
    let loaded = s.loader(&vars).load_with_origins::<Settings>().unwrap();
    let warnings: Vec<String> = loaded.warnings().iter().map(ToString::to_string).collect();
    for (name, best) in [
        ("APP_PROXIES_0_HOTS", "APP_PROXIES_0_HOST"),
        ("APP_REGIONS_US_BUCKT", "APP_REGIONS_US_BUCKET"),
        ("APP_ZONES_EU_WEST_REPLICS", "APP_ZONES_EU_WEST_REPLICAS"),
    ] {
        let expected = format!("variable {name} is set but matches no field; did you mean {best}?");
        assert!(warnings.iter().any(|w| w.contains(&expected)), "{expected} in {warnings:?}");
    }
}
