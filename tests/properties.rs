//! Property tests (issue 8): random settings written to YAML, to `.env` and
//! to variables load back to the same values; random bytes in any input
//! never panic. Case counts stay moderate: the whole file runs in seconds.

mod common;

use std::fmt::Write as _;

use common::Scratch;
use phoenix_config::{ConfigLoader, Environment, PhoenixConfig};
use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;

#[derive(PhoenixConfig, Clone)]
#[config(prefix = "PROP")]
struct Props {
    text: String,
    #[config(nested)]
    nums: Nums,
    flag: bool,
    tags: Vec<String>,
    maybe: Option<String>,
    /// Only decoded (`enc:`/`base64:`) by the random-bytes properties.
    #[secret]
    #[allow(dead_code)]
    token: Option<String>,
}

#[derive(PhoenixConfig, Clone)]
struct Nums {
    small: u8,
    port: u16,
    neg: i32,
    signed: i64,
    big: u64,
}

/// The values, as plain data to compare.
#[derive(Clone, Debug, PartialEq)]
struct Values {
    text: String,
    small: u8,
    port: u16,
    neg: i32,
    signed: i64,
    big: u64,
    flag: bool,
    tags: Vec<String>,
    maybe: Option<String>,
}

impl From<&Props> for Values {
    fn from(p: &Props) -> Self {
        Values {
            text: p.text.clone(),
            small: p.nums.small,
            port: p.nums.port,
            neg: p.nums.neg,
            signed: p.nums.signed,
            big: p.nums.big,
            flag: p.flag,
            tags: p.tags.clone(),
            maybe: p.maybe.clone(),
        }
    }
}

/// How a number is written: plain, with leading zeros, with spaces around
/// (text only).
#[derive(Clone, Copy, Debug)]
enum NumStyle {
    Plain,
    Zeros,
    Spaced,
}

/// How a value in text is written: the number style and the bool spelling.
#[derive(Clone, Debug)]
struct Spelling {
    numbers: NumStyle,
    flag: &'static str,
}

fn tricky_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => any::<char>().prop_filter("no NUL: no file or variable holds one", |c| *c != '\0'),
        1 => prop::sample::select(vec![
            '#', ':', '\'', '"', ' ', '\t', '0', '\\', '$', ',', '[', ']', '{', '}', '-', '=', '\n', '\r', '&', '*',
            '!', '|', '>', '%', '@', '`', '?', 'é', '€', '😀', '\u{feff}', '\u{2028}', '\u{85}',
        ]),
        4 => prop::char::range('a', 'z'),
    ]
}

fn tricky_string() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::collection::vec(tricky_char(), 0..16).prop_map(|c| c.into_iter().collect()),
        1 => prop::sample::select(vec![
            "", " ", "02134", "0x1F", "1.10", "true", "no", "~", "null", "- a", "a: b", "# x", "'q'", "\"q\"", "a,b",
            "[1, 2]", "{k: v}", " padded ", "enc:v2:x", "base64:", "*alias", "&anchor", "!tag", "%", "@x", "`x`",
        ])
        .prop_map(str::to_owned),
    ]
}

fn at_bounds<T: Arbitrary + Copy + std::fmt::Debug + 'static>(min: T, max: T) -> impl Strategy<Value = T> {
    prop_oneof![1 => Just(min), 1 => Just(max), 3 => any::<T>()]
}

fn values() -> impl Strategy<Value = Values> {
    (
        tricky_string(),
        at_bounds(u8::MIN, u8::MAX),
        at_bounds(u16::MIN, u16::MAX),
        at_bounds(i32::MIN, i32::MAX),
        at_bounds(i64::MIN, i64::MAX),
        at_bounds(u64::MIN, u64::MAX),
        any::<bool>(),
        prop::collection::vec(tricky_string(), 0..5),
        prop::option::of(tricky_string()),
    )
        .prop_map(|(text, small, port, neg, signed, big, flag, tags, maybe)| Values {
            text,
            small,
            port,
            neg,
            signed,
            big,
            flag,
            tags,
            maybe,
        })
}

fn spelling() -> impl Strategy<Value = Spelling> {
    (
        prop::sample::select(vec![NumStyle::Plain, NumStyle::Zeros, NumStyle::Spaced]),
        prop::sample::select(vec!["true", "TRUE", "yes", "On", "1", "false", "False", "NO", "off", "0"]),
    )
        .prop_map(|(numbers, flag)| Spelling { numbers, flag })
}

// ---------------------------------------------------------------- writers

/// A YAML double-quoted scalar: every character that YAML does not print
/// as itself is escaped.
fn yaml_quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}') => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A number as text in a style; `Zeros` pads the digits, keeping the
/// sign; `Spaced` adds spaces around it in text (YAML writes it plain).
fn number(plain: &str, style: NumStyle, text: bool) -> String {
    match style {
        NumStyle::Zeros => match plain.strip_prefix('-') {
            Some(digits) => format!("-00{digits}"),
            None => format!("00{plain}"),
        },
        NumStyle::Spaced if text => format!(" {plain}\t"),
        NumStyle::Plain | NumStyle::Spaced => plain.to_owned(),
    }
}

/// A text value of a config file: `${` written `$${`, as file values interpolate.
fn yaml_text(text: &str) -> String {
    yaml_quoted(&text.replace("${", "$${"))
}

fn yaml_file(v: &Values, numbers: NumStyle) -> String {
    let n = |x: &dyn ToString| number(&x.to_string(), numbers, false);
    let mut out = format!(
        "# written by tests/properties.rs\ntext: {}\nnums:\n  small: {}\n  port: {}\n  neg: {}\n  signed: {}\n  big: {}\nflag: {}\n",
        yaml_text(&v.text),
        n(&v.small),
        n(&v.port),
        n(&v.neg),
        n(&v.signed),
        n(&v.big),
        v.flag,
    );
    if v.tags.is_empty() {
        out.push_str("tags: []\n");
    } else {
        out.push_str("tags:\n");
        for tag in &v.tags {
            let _ = writeln!(out, "  - {}", yaml_text(tag));
        }
    }
    if let Some(maybe) = &v.maybe {
        let _ = writeln!(out, "maybe: {}", yaml_text(maybe));
    }
    out
}

/// Whether an item can stand unquoted in a text list: no outer spaces, no
/// separator or bracket, no quote where it would open a quoted run.
fn plain_item(item: &str) -> bool {
    let mut previous: Option<char> = None;
    for c in item.chars() {
        if matches!(c, ',' | '[' | ']' | '{' | '}') {
            return false;
        }
        if matches!(c, '"' | '\'') && matches!(previous, None | Some(':' | '=')) {
            return false;
        }
        if !c.is_ascii_whitespace() {
            previous = Some(c);
        }
    }
    !item.is_empty() && item.trim() == item
}

/// An item of a list written as text (`[a, "b,c"]`), or `None` when the
/// syntax cannot hold it (both quote characters, and a reason to quote).
fn list_item(item: &str) -> Option<String> {
    if !item.contains(['"', '\'']) && plain_item(item) {
        Some(item.to_owned())
    } else if !item.contains('"') {
        Some(format!("\"{item}\""))
    } else if !item.contains('\'') {
        Some(format!("'{item}'"))
    } else if plain_item(item) {
        Some(item.to_owned())
    } else {
        None
    }
}

fn list_text(items: &[String]) -> Option<String> {
    let items: Option<Vec<String>> = items.iter().map(|i| list_item(i)).collect();
    Some(format!("[{}]", items?.join(", ")))
}

/// `(variable, text)` for every value, as a variable or `.env` holds them.
fn as_text(v: &Values, spelling: &Spelling) -> Option<Vec<(String, String)>> {
    let n = |x: &dyn ToString| number(&x.to_string(), spelling.numbers, true);
    let mut vars = vec![
        ("PROP_TEXT".to_owned(), v.text.clone()),
        ("PROP_NUMS_SMALL".to_owned(), n(&v.small)),
        ("PROP_NUMS_PORT".to_owned(), n(&v.port)),
        ("PROP_NUMS_NEG".to_owned(), n(&v.neg)),
        ("PROP_NUMS_SIGNED".to_owned(), n(&v.signed)),
        ("PROP_NUMS_BIG".to_owned(), n(&v.big)),
        ("PROP_FLAG".to_owned(), spelling.flag.to_owned()),
        ("PROP_TAGS".to_owned(), list_text(&v.tags)?),
    ];
    if let Some(maybe) = &v.maybe {
        vars.push(("PROP_MAYBE".to_owned(), maybe.clone()));
    }
    Some(vars)
}

/// What text loads back as: the bool as spelled, blank optional text as `None`.
fn expected_from_text(v: &Values, spelling: &Spelling) -> Values {
    let mut v = v.clone();
    v.flag = matches!(spelling.flag.to_ascii_lowercase().as_str(), "true" | "yes" | "on" | "1");
    v.maybe = v.maybe.filter(|m| !m.trim().is_empty());
    v
}

/// A double-quoted `.env` value.
fn dotenv_quoted(text: &str) -> String {
    format!("\"{}\"", phoenix_config::__fuzz::escape_dotenv(text))
}

fn scratch_loader(s: &Scratch) -> ConfigLoader {
    ConfigLoader::new()
        .config_dir(s.path().join("config"))
        .dotenv(s.path().join(".env"))
        .environment(Environment::Testing)
        .env_vars(std::iter::empty::<(String, String)>())
}

fn load(loader: &ConfigLoader) -> Result<Values, String> {
    loader.load::<Props>().map(|p| Values::from(&p)).map_err(|e| e.to_string())
}

fn config() -> ProptestConfig {
    ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn yaml_round_trips(v in values(), numbers in prop::sample::select(vec![NumStyle::Plain, NumStyle::Zeros])) {
        let s = Scratch::new();
        let file = yaml_file(&v, numbers);
        s.write("config/base.yaml", &file);
        prop_assert_eq!(load(&scratch_loader(&s)), Ok(v), "{}", file);
    }

    #[test]
    fn dotenv_round_trips(v in values(), spelling in spelling(), export in any::<bool>()) {
        let vars = as_text(&v, &spelling);
        prop_assume!(vars.is_some(), "a list item that the text syntax cannot hold");
        let s = Scratch::new();
        let mut file = String::from("# written by tests/properties.rs\n\n");
        for (name, value) in vars.unwrap() {
            let export = if export { "export " } else { "" };
            let _ = writeln!(file, "{export}{name}={} # comment", dotenv_quoted(&value));
        }
        s.write(".env", &file);
        prop_assert_eq!(load(&scratch_loader(&s)), Ok(expected_from_text(&v, &spelling)), "{}", file);
    }

    #[test]
    fn variables_round_trip(v in values(), spelling in spelling()) {
        let vars = as_text(&v, &spelling);
        prop_assume!(vars.is_some(), "a list item that the text syntax cannot hold");
        let s = Scratch::new();
        let loader = scratch_loader(&s).env_vars(vars.unwrap());
        prop_assert_eq!(load(&loader), Ok(expected_from_text(&v, &spelling)));
    }

    #[test]
    fn lists_written_as_text_round_trip(items in prop::collection::vec(tricky_string(), 0..8)) {
        let Some(text) = list_text(&items) else { return Ok(()) };
        let s = Scratch::new();
        let loader = scratch_loader(&s).env_vars([
            ("PROP_TEXT", "t"), ("PROP_NUMS_SMALL", "1"), ("PROP_NUMS_PORT", "1"), ("PROP_NUMS_NEG", "1"),
            ("PROP_NUMS_SIGNED", "1"), ("PROP_NUMS_BIG", "1"), ("PROP_FLAG", "1"),
        ]).env_vars([("PROP_TAGS", text.as_str())]);
        prop_assert_eq!(load(&loader).map(|v| v.tags), Ok(items), "{}", text);
    }
}

// ---------------------------------------------------------------- random bytes

/// A scratch folder whose loader reads `relative` holding `bytes`, every
/// other layer valid.
fn load_bytes(relative: &str, bytes: &[u8], vars: &[(&str, String)]) {
    let s = Scratch::new();
    let path = s.path().join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    let loader = scratch_loader(&s).env_vars(vars.iter().map(|(k, v)| ((*k).to_owned(), v.clone())));
    // A panic fails the test; any result is fine, and an error is one line per issue.
    if let Err(e) = loader.load::<Props>() {
        for issue in e.issues() {
            assert!(!issue.to_string().contains('\n'), "{issue}");
        }
    }
}

/// Bytes that look like the input a little more often than pure noise.
fn noisy_bytes(seeds: &'static [&'static [u8]]) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..256),
        2 => (prop::sample::select(seeds), prop::collection::vec((any::<usize>(), any::<u8>()), 0..8)).prop_map(
            |(seed, edits)| {
                let mut bytes = seed.to_vec();
                for (at, byte) in edits {
                    if bytes.is_empty() {
                        bytes.push(byte);
                    } else {
                        let at = at % bytes.len();
                        bytes[at] = byte;
                    }
                }
                bytes
            }
        ),
    ]
}

const YAML_SEEDS: &[&[u8]] = &[
    b"text: a\nnums: {small: 1, port: 2, neg: -3, signed: 4, big: 5}\nflag: true\ntags: [a, 'b', \"c\"]\n",
    b"a: &a [x, *a]\nb: &b {<<: *b}\n",
    b"l0: &l0 [lol, lol]\nl1: &l1 [*l0, *l0, *l0]\nl2: [*l1, *l1]\n",
    b"text: |\n  block\nmaybe: >-\n  folded\n---\nx: 1\n",
    b"\xef\xbb\xbftext: !!str 5\nnums: !!map {small: !!int 7}\n",
];

const DOTENV_SEEDS: &[&[u8]] = &[
    b"# c\nexport PROP_TEXT='a $b'\nPROP_FLAG=yes # c\nPROP_TAGS=\"[a, 'b,c']\"\n",
    b"PROP_TEXT=\"multi\nline \\\" \\\\ \\$\"\nPROP_NUMS_SMALL = 007\n",
    b"PROP_TEXT=\"never closed\nBAD LINE\n=x\n\0\n",
];

const TEXT_SEEDS: &[&[u8]] = &[b"[a, \"b,c\", 'd']", b"{k: v, k2: [1, 2]}", b" 0x1F ", b"-0", b"yes", b"[[a], [b]]"];

const ENC_SEEDS: &[&[u8]] = &[
    b"enc:v1:k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==",
    b"enc:v1:",
    b"enc:v9:x",
    b"base64:aHVudGVyMg==",
    b"base64:!!",
];

/// Valid values for every required field, so a load gets past them.
fn valid_vars() -> Vec<(&'static str, String)> {
    [
        ("PROP_TEXT", "t"),
        ("PROP_NUMS_SMALL", "1"),
        ("PROP_NUMS_PORT", "1"),
        ("PROP_NUMS_NEG", "1"),
        ("PROP_NUMS_SIGNED", "1"),
        ("PROP_NUMS_BIG", "1"),
        ("PROP_FLAG", "1"),
        ("PROP_TAGS", ""),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_owned()))
    .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_in_a_yaml_file_never_panic(bytes in noisy_bytes(YAML_SEEDS)) {
        load_bytes("config/base.yaml", &bytes, &[]);
        phoenix_config::__fuzz::yaml(&bytes);
    }

    #[test]
    fn random_bytes_in_a_dotenv_file_never_panic(bytes in noisy_bytes(DOTENV_SEEDS)) {
        load_bytes(".env", &bytes, &[]);
        phoenix_config::__fuzz::dotenv(&bytes);
    }

    #[test]
    fn random_variable_text_never_panics(bytes in noisy_bytes(TEXT_SEEDS), field in 0..8_usize) {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let mut vars = valid_vars();
        vars[field].1.clone_from(&text);
        vars.push(("PROP_MAYBE", text.clone()));
        load_bytes("config/unused", b"", &vars);
        phoenix_config::__fuzz::text(&bytes);
    }

    #[test]
    fn random_encoded_secrets_never_panic(bytes in noisy_bytes(ENC_SEEDS), keyed in any::<bool>()) {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let mut vars = valid_vars();
        vars.push(("PROP_TOKEN", text));
        if keyed {
            vars.push(("PHOENIX_CONFIG_KEY", "k1:BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=".to_owned()));
        }
        load_bytes("config/unused", b"", &vars);
        phoenix_config::__fuzz::decode(&bytes);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    /// Layers merged and values set: the indexed merge and `set_paths` give
    /// the trees of the one-key-at-a-time definitions (wide maps included).
    #[test]
    fn random_layers_merge_and_set_like_the_definitions(bytes in prop::collection::vec(any::<u8>(), 0..96)) {
        phoenix_config::__fuzz::merge(&bytes);
    }
}

/// The seeds of the merge fuzz target (two wide maps merged, then set).
#[test]
fn merge_seeds_merge_and_set_like_the_definitions() {
    for seed in ["wide", "small"] {
        let bytes = std::fs::read(format!("{}/fuzz/seeds/merge/{seed}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        phoenix_config::__fuzz::merge(&bytes);
    }
}
