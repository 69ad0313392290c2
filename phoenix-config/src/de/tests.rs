// Conversions are exact: comparing floats exactly is the point.
#![allow(clippy::float_cmp)]

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::from_node;
use crate::Origin;
use crate::node::{Entry, Node, NodeKind, ScalarStyle};

fn scalar(text: &str, style: ScalarStyle) -> Node {
    Node::scalar(text, style, Origin::Default)
}

fn plain(text: &str) -> Node {
    scalar(text, ScalarStyle::Plain)
}

fn quoted(text: &str) -> Node {
    scalar(text, ScalarStyle::Quoted)
}

fn block(text: &str) -> Node {
    scalar(text, ScalarStyle::Block)
}

fn text(text: &str) -> Node {
    Node::text(text, Origin::Default)
}

fn null() -> Node {
    Node { kind: NodeKind::Null, origin: Origin::Default }
}

fn seq(items: Vec<Node>) -> Node {
    Node { kind: NodeKind::Seq(items), origin: Origin::Default }
}

fn map(entries: Vec<(&str, Node)>) -> Node {
    let entries =
        entries.into_iter().map(|(key, value)| Entry { key: key.into(), key_origin: Origin::Default, value }).collect();
    Node { kind: NodeKind::Map(entries), origin: Origin::Default }
}

#[track_caller]
fn ok<T: DeserializeOwned>(node: &Node) -> T {
    match from_node::<T>(node, false, "T") {
        Ok(value) => value,
        Err(message) => panic!("expected a value, got the error: {message}"),
    }
}

#[track_caller]
fn err<T: DeserializeOwned>(node: &Node, ty: &'static str) -> String {
    let Err(message) = from_node::<T>(node, false, ty) else { panic!("expected an error") };
    assert_style(&message);
    message
}

/// The message of a failing secret conversion, checked to hold no part of
/// `canary` (no run of four of its characters).
#[track_caller]
fn secret_err<T: DeserializeOwned>(node: &Node, ty: &'static str, canary: &str) -> String {
    let Err(message) = from_node::<T>(node, true, ty) else { panic!("expected an error") };
    assert_style(&message);
    let chars: Vec<char> = canary.chars().collect();
    for window in chars.windows(4) {
        let part: String = window.iter().collect();
        assert!(!message.contains(&part), "secret message {message:?} contains {part:?} of the value");
    }
    message
}

#[track_caller]
fn assert_style(message: &str) {
    assert!(!message.is_empty());
    assert!(!message.contains('\n'), "{message:?} is not one line");
    assert!(!message.ends_with('.'), "{message:?} ends with a period");
    let first = message.chars().next().unwrap();
    assert!(!first.is_uppercase(), "{message:?} starts in uppercase");
}

#[test]
fn plain_strings_keep_their_exact_text() {
    assert_eq!(ok::<String>(&plain("02134")), "02134");
    assert_eq!(ok::<String>(&plain("1.10")), "1.10");
    assert_eq!(ok::<String>(&plain("true")), "true");
    assert_eq!(ok::<String>(&plain("~")), "~");
    assert_eq!(ok::<String>(&plain("0x1F")), "0x1F");
    assert_eq!(ok::<Vec<String>>(&seq(vec![plain("02134"), plain("85001")])), ["02134", "85001"]);
    assert_eq!(ok::<String>(&text("  spaced  ")), "  spaced  ");
    assert_eq!(ok::<String>(&block("line 1\nline 2\n")), "line 1\nline 2\n");
    assert_eq!(ok::<String>(&quoted("")), "");
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(untagged)]
enum Any {
    Unit(()),
    Bool(bool),
    U64(u64),
    I64(i64),
    F64(f64),
    Str(String),
    List(Vec<Any>),
    Map(BTreeMap<String, Any>),
}

#[test]
fn deserialize_any_types_plain_scalars_by_the_core_schema() {
    assert_eq!(ok::<Any>(&plain("~")), Any::Unit(()));
    assert_eq!(ok::<Any>(&plain("")), Any::Unit(()));
    assert_eq!(ok::<Any>(&plain("NULL")), Any::Unit(()));
    assert_eq!(ok::<Any>(&plain("True")), Any::Bool(true));
    assert_eq!(ok::<Any>(&plain("FALSE")), Any::Bool(false));
    assert_eq!(ok::<Any>(&plain("yes")), Any::Str("yes".into()));
    assert_eq!(ok::<Any>(&plain("42")), Any::U64(42));
    assert_eq!(ok::<Any>(&plain("-42")), Any::I64(-42));
    assert_eq!(ok::<Any>(&plain("0x1F")), Any::U64(31));
    assert_eq!(ok::<Any>(&plain("0o17")), Any::U64(15));
    assert_eq!(ok::<Any>(&plain("1.5")), Any::F64(1.5));
    assert_eq!(ok::<Any>(&plain("-.inf")), Any::F64(f64::NEG_INFINITY));
    assert!(matches!(ok::<Any>(&plain(".nan")), Any::F64(x) if x.is_nan()));
    assert_eq!(ok::<Any>(&plain("1e400")), Any::F64(f64::INFINITY));
    assert_eq!(ok::<Any>(&plain("100000000000000000000000000000000000000000")), Any::F64(1e41));
    assert_eq!(ok::<Any>(&plain("02134")), Any::U64(2134));
    assert_eq!(ok::<Any>(&plain("hello")), Any::Str("hello".into()));
    assert_eq!(ok::<Any>(&plain("inf")), Any::Str("inf".into()));
    assert_eq!(ok::<Any>(&null()), Any::Unit(()));
    // Quoted, block and text scalars are strings.
    assert_eq!(ok::<Any>(&quoted("42")), Any::Str("42".into()));
    assert_eq!(ok::<Any>(&block("true")), Any::Str("true".into()));
    assert_eq!(ok::<Any>(&text("42")), Any::Str("42".into()));
    assert_eq!(ok::<Any>(&text("")), Any::Str(String::new()));
    assert_eq!(
        ok::<Any>(&map(vec![("a", seq(vec![plain("1"), text("x")]))])),
        Any::Map(BTreeMap::from([("a".into(), Any::List(vec![Any::U64(1), Any::Str("x".into())]))]))
    );
}

#[test]
fn i128_and_u128_through_deserialize_any() {
    #[derive(Debug, PartialEq)]
    enum Wide {
        U(u128),
        I(i128),
    }
    impl<'de> Deserialize<'de> for Wide {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct V;
            impl serde::de::Visitor<'_> for V {
                type Value = Wide;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("a wide integer")
                }
                fn visit_u128<E>(self, v: u128) -> Result<Wide, E> {
                    Ok(Wide::U(v))
                }
                fn visit_i128<E>(self, v: i128) -> Result<Wide, E> {
                    Ok(Wide::I(v))
                }
            }
            deserializer.deserialize_any(V)
        }
    }
    assert_eq!(ok::<Wide>(&plain("340282366920938463463374607431768211455")), Wide::U(u128::MAX));
    assert_eq!(ok::<Wide>(&plain("-170141183460469231731687303715884105728")), Wide::I(i128::MIN));
    assert_eq!(ok::<u128>(&plain("340282366920938463463374607431768211455")), u128::MAX);
}

macro_rules! bounds {
    ($($t:ty),*) => {$(
        let ty = stringify!($t);
        let (min, max) = (<$t>::MIN, <$t>::MAX);
        for style in [ScalarStyle::Plain, ScalarStyle::Quoted, ScalarStyle::Text] {
            assert_eq!(ok::<$t>(&scalar(&min.to_string(), style)), min, "{ty} min");
            assert_eq!(ok::<$t>(&scalar(&max.to_string(), style)), max, "{ty} max");
        }
        let below = (i128::from(min) - 1).to_string();
        let above = (u128::try_from(max).unwrap() + 1).to_string();
        assert_eq!(
            err::<$t>(&text(&below), ty),
            format!("`{below}` is out of range for {ty} ({min} to {max})")
        );
        assert_eq!(
            err::<$t>(&text(&above), ty),
            format!("`{above}` is out of range for {ty} ({min} to {max})")
        );
        assert_eq!(err::<$t>(&text("abc"), ty), format!("`abc` is not a valid {ty}"));
        assert_eq!(err::<$t>(&text("1.5"), ty), format!("`1.5` is not a valid {ty}"));
    )*};
}

#[test]
fn every_integer_type_checks_both_bounds() {
    bounds!(i8, i16, i32, i64, u8, u16, u32, u64);
    assert_eq!(ok::<i128>(&text(&i128::MIN.to_string())), i128::MIN);
    assert_eq!(ok::<i128>(&text(&i128::MAX.to_string())), i128::MAX);
    assert_eq!(ok::<u128>(&text(&u128::MAX.to_string())), u128::MAX);
    assert_eq!(ok::<u128>(&text("0")), 0);
    let range_i128 = "(-170141183460469231731687303715884105728 to 170141183460469231731687303715884105727)";
    assert_eq!(
        err::<i128>(&text("-170141183460469231731687303715884105729"), "i128"),
        format!("`-170141183460469231731687303715884105729` is out of range for i128 {range_i128}")
    );
    assert_eq!(
        err::<i128>(&text("170141183460469231731687303715884105728"), "i128"),
        format!("`170141183460469231731687303715884105728` is out of range for i128 {range_i128}")
    );
    assert_eq!(
        err::<u128>(&text("340282366920938463463374607431768211456"), "u128"),
        "`340282366920938463463374607431768211456` is out of range for u128 (0 to 340282366920938463463374607431768211455)"
    );
    assert_eq!(
        err::<u128>(&text("-1"), "u128"),
        "`-1` is out of range for u128 (0 to 340282366920938463463374607431768211455)"
    );
    assert_eq!(err::<u8>(&text("300"), "u8"), "`300` is out of range for u8 (0 to 255)");
}

#[test]
fn integers_are_trimmed_and_read_in_other_bases() {
    assert_eq!(ok::<u32>(&text("  42 \n")), 42);
    assert_eq!(ok::<u32>(&plain("0x1F")), 31);
    assert_eq!(ok::<i32>(&quoted("-0o17")), -15);
    assert_eq!(ok::<u8>(&text("0b101")), 5);
    assert_eq!(ok::<u16>(&block("8080\n")), 8080);
    assert_eq!(ok::<i64>(&text("+7")), 7);
    assert_eq!(ok::<u32>(&plain("02134")), 2134);
    assert_eq!(err::<u32>(&text(""), "u32"), "expected u32, found empty text");
    assert_eq!(err::<u32>(&text("   "), "u32"), "expected u32, found empty text");
    assert_eq!(err::<Vec<u32>>(&seq(vec![plain("~")]), "Vec<u32>"), "item [0]: expected u32, found nothing");
    assert_eq!(err::<u32>(&seq(vec![]), "u32"), "expected u32, found a list");
    assert_eq!(err::<u32>(&map(vec![]), "u32"), "expected u32, found a map");
}

#[test]
fn bools_in_every_spelling() {
    for yes in ["true", "TRUE", "True", "1", "yes", "YES", "Yes", "on", "ON", " On "] {
        assert!(ok::<bool>(&text(yes)), "{yes}");
        assert!(ok::<bool>(&quoted(yes)), "{yes}");
    }
    for no in ["false", "FALSE", "False", "0", "no", "NO", "off", "Off", "OFF"] {
        assert!(!ok::<bool>(&text(no)), "{no}");
    }
    assert!(ok::<bool>(&plain("true")));
    assert!(!ok::<bool>(&plain("False")));
    assert!(ok::<bool>(&plain("yes")));
    assert_eq!(
        err::<bool>(&text("maybe"), "bool"),
        "`maybe` is not a valid bool (use true/false, yes/no, on/off or 1/0)"
    );
    assert_eq!(err::<bool>(&text("2"), "bool"), "`2` is not a valid bool (use true/false, yes/no, on/off or 1/0)");
    assert_eq!(err::<bool>(&seq(vec![]), "bool"), "expected a bool, found a list");
}

#[test]
fn floats() {
    assert!((ok::<f64>(&text("1.5")) - 1.5).abs() < f64::EPSILON);
    assert!((ok::<f64>(&text(" -2e3 ")) + 2000.0).abs() < f64::EPSILON);
    assert!((ok::<f64>(&plain("10")) - 10.0).abs() < f64::EPSILON);
    assert!((ok::<f32>(&quoted(".5")) - 0.5).abs() < f32::EPSILON);
    assert_eq!(ok::<f64>(&plain(".inf")), f64::INFINITY);
    assert_eq!(ok::<f64>(&plain("-.Inf")), f64::NEG_INFINITY);
    assert_eq!(ok::<f64>(&text("inf")), f64::INFINITY);
    assert!(ok::<f64>(&plain(".NaN")).is_nan());
    assert!(ok::<f32>(&text("NaN")).is_nan());
    assert_eq!(err::<f64>(&text("abc"), "f64"), "`abc` is not a valid f64");
    assert_eq!(err::<f32>(&text("1e40"), "f32"), "`1e40` is out of range for f32");
    assert_eq!(err::<f64>(&text("1e400"), "f64"), "`1e400` is out of range for f64");
}

#[test]
fn chars() {
    assert_eq!(ok::<char>(&text("x")), 'x');
    assert_eq!(ok::<char>(&text(" ")), ' ');
    assert_eq!(ok::<char>(&text(" é ")), 'é');
    assert_eq!(err::<char>(&text("ab"), "char"), "`ab` is not a single character");
}

#[test]
fn lists_from_text() {
    assert_eq!(ok::<Vec<String>>(&text("a,b,c")), ["a", "b", "c"]);
    assert_eq!(ok::<Vec<String>>(&text("[a, b, c]")), ["a", "b", "c"]);
    assert_eq!(ok::<Vec<String>>(&text("  a ,  b  ")), ["a", "b"]);
    assert_eq!(ok::<Vec<u32>>(&text("[1, 2, 3]")), [1, 2, 3]);
    assert_eq!(ok::<Vec<String>>(&text("single")), ["single"]);
    assert!(ok::<Vec<String>>(&text("")).is_empty());
    assert!(ok::<Vec<String>>(&text("  ")).is_empty());
    assert!(ok::<Vec<String>>(&text("[]")).is_empty());
    assert!(ok::<Vec<u32>>(&text("[ ]")).is_empty());
    assert_eq!(ok::<Vec<String>>(&text(r#""a,b", 'c, d', " e ""#)), ["a,b", "c, d", " e "]);
    assert_eq!(ok::<Vec<String>>(&text(r#"[it's, 'say "hi"']"#)), ["it's", r#"say "hi""#]);
    assert_eq!(ok::<Vec<String>>(&text("02134, 85001")), ["02134", "85001"]);
    assert_eq!(ok::<(u8, String, bool)>(&text("1, x, yes")), (1, "x".into(), true));
    assert_eq!(ok::<Vec<Vec<u8>>>(&text("[[1, 2], [3]]")), [vec![1, 2], vec![3]]);
    assert_eq!(ok::<Vec<Vec<u8>>>(&text("[1, 2], []")), [vec![1, 2], vec![]]);
}

#[test]
fn text_list_errors_name_the_position() {
    assert_eq!(err::<Vec<String>>(&text("a,,b"), "Vec<String>"), "item [1] is empty");
    assert_eq!(err::<Vec<String>>(&text("a,b,"), "Vec<String>"), "item [2] is empty");
    assert_eq!(err::<Vec<String>>(&text("[a, 'b]"), "Vec<String>"), "item [1] has an unclosed quote");
    assert_eq!(err::<Vec<String>>(&text("'a'b"), "Vec<String>"), "item [0] has text after its closing quote");
    assert_eq!(
        err::<Vec<String>>(&text("[a, b"), "Vec<String>"),
        "the list's opening `[` is not closed: end the list with `]`"
    );
    assert_eq!(err::<Vec<u32>>(&text("1,abc,3"), "Vec<u32>"), "item [1]: `abc` is not a valid u32");
    assert_eq!(err::<Vec<u8>>(&text("1, 300"), "Vec<u8>"), "item [1]: `300` is out of range for u8 (0 to 255)");
    assert_eq!(err::<(u8, u8)>(&text("1, 2, 3"), "(u8, u8)"), "expected 2 items, found 3");
    assert_eq!(err::<(u8, u8, u8)>(&text("1, 2"), "(u8, u8, u8)"), "expected a tuple of size 3, found 2 items");
}

#[test]
fn yaml_scalars_are_not_split_into_lists() {
    assert_eq!(err::<Vec<String>>(&plain("a,b"), "Vec<String>"), "expected a list, found a single value");
    assert_eq!(err::<Vec<String>>(&quoted("a,b"), "Vec<String>"), "expected a list, found a single value");
    assert_eq!(err::<Vec<String>>(&map(vec![]), "Vec<String>"), "expected a list, found a map");
}

#[test]
fn lists_from_seq_nodes_follow_each_items_rules() {
    assert_eq!(ok::<Vec<u32>>(&seq(vec![plain("1"), quoted("2"), text(" 3 ")])), [1, 2, 3]);
    let nested = seq(vec![text("1,2"), text("[3]"), seq(vec![plain("4")]), text("")]);
    assert_eq!(ok::<Vec<Vec<u8>>>(&nested), [vec![1, 2], vec![3], vec![4], vec![]]);
    assert_eq!(
        err::<Vec<Vec<u8>>>(&seq(vec![text("1"), text("2, x")]), "Vec<Vec<u8>>"),
        "item [1]: item [1]: `x` is not a valid u8"
    );
    assert_eq!(err::<Vec<u32>>(&seq(vec![plain("1"), plain("abc")]), "Vec<u32>"), "item [1]: `abc` is not a valid u32");
    assert_eq!(
        err::<Vec<String>>(&seq(vec![plain("a"), seq(vec![])]), "Vec<String>"),
        "item [1]: expected text, found a list"
    );
    assert_eq!(ok::<Vec<Option<u8>>>(&seq(vec![plain("~"), plain("5"), text("")])), [None, Some(5), None]);
}

#[test]
fn maps_from_text_and_nodes() {
    let m: BTreeMap<String, u32> = ok(&text("{a: 1, b: 2}"));
    assert_eq!(m, BTreeMap::from([("a".into(), 1), ("b".into(), 2)]));
    let m: HashMap<String, String> = ok(&text("a: 1, url: http://x:80/y"));
    assert_eq!(m["url"], "http://x:80/y");
    let m: BTreeMap<String, String> = ok(&text("a=1,b=2"));
    assert_eq!(m["b"], "2");
    let m: BTreeMap<String, Vec<u8>> = ok(&text("{a: [1, 2], 'b,c': []}"));
    assert_eq!(m["a"], [1, 2]);
    assert!(m["b,c"].is_empty());
    assert!(ok::<BTreeMap<String, u32>>(&text("")).is_empty());
    assert!(ok::<BTreeMap<String, u32>>(&text("{}")).is_empty());
    let m: BTreeMap<u16, bool> = ok(&map(vec![("80", plain("yes")), ("443", text("on"))]));
    assert_eq!(m, BTreeMap::from([(80, true), (443, true)]));
    let m: BTreeMap<String, Option<u8>> = ok(&text("a:, b: 1"));
    assert_eq!(m, BTreeMap::from([("a".into(), None), ("b".into(), Some(1))]));

    assert_eq!(err::<BTreeMap<String, u32>>(&text("a: 1, b: x"), "T"), "key `b`: `x` is not a valid u32");
    assert_eq!(err::<BTreeMap<String, u32>>(&text("a: 1, b"), "T"), "entry 2 is not a `key: value` pair");
    assert_eq!(err::<BTreeMap<String, u32>>(&text("a: 1,, b: 2"), "T"), "entry 2 is empty");
    assert_eq!(err::<BTreeMap<String, u32>>(&text("a: 1, a: 2"), "T"), "key `a` appears twice");
    assert_eq!(err::<BTreeMap<u8, u32>>(&text("300: 1"), "T"), "key `300`: `300` is out of range for u8 (0 to 255)");
    assert_eq!(
        err::<BTreeMap<String, Vec<u8>>>(&map(vec![("a", seq(vec![plain("1"), plain("x")]))]), "T"),
        "key `a`: item [1]: `x` is not a valid u8"
    );
    assert_eq!(err::<BTreeMap<String, u8>>(&seq(vec![]), "T"), "expected a map, found a list");
    assert_eq!(err::<BTreeMap<String, u8>>(&plain("a: 1"), "T"), "expected a map, found a single value");
}

#[derive(Debug, PartialEq, Eq, Deserialize)]
enum Level {
    Debug,
    Info,
    #[serde(rename = "warn")]
    Warn,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Mode {
    Off,
    Fixed(u32),
    Pair(u8, u8),
    Range { min: u32, max: u32 },
}

#[test]
fn enums_by_name_ignoring_case() {
    #[derive(Debug, PartialEq, Deserialize)]
    enum Nullable {
        Null,
        Some,
    }
    assert_eq!(ok::<Level>(&text("Info")), Level::Info);
    assert_eq!(ok::<Level>(&text("INFO")), Level::Info);
    assert_eq!(ok::<Level>(&text(" debug ")), Level::Debug);
    assert_eq!(ok::<Level>(&text("WARN")), Level::Warn);
    assert_eq!(ok::<Level>(&plain("info")), Level::Info);
    assert_eq!(ok::<Level>(&quoted("Debug")), Level::Debug);
    assert_eq!(ok::<Vec<Level>>(&text("info, DEBUG")), [Level::Info, Level::Debug]);
    assert_eq!(ok::<BTreeMap<String, Level>>(&text("a: warn"))["a"], Level::Warn);
    assert_eq!(
        err::<Level>(&text("verbose"), "Level"),
        "unknown value `verbose`, expected one of `Debug`, `Info`, `warn`"
    );
    assert_eq!(
        err::<Level>(&text("Infp"), "Level"),
        "unknown value `Infp`, expected one of `Debug`, `Info`, `warn` (did you mean `Info`?)"
    );
    assert_eq!(err::<Level>(&text(""), "Level"), "expected one of `Debug`, `Info`, `warn`, found empty text");
    assert_eq!(err::<Level>(&plain("~"), "Level"), "expected one of `Debug`, `Info`, `warn`, found nothing");
    assert_eq!(ok::<Nullable>(&plain("null")), Nullable::Null);
    assert_eq!(err::<Level>(&seq(vec![]), "Level"), "expected one of `Debug`, `Info`, `warn`, found a list");
}

#[test]
fn enums_with_data_from_a_map_of_one_entry() {
    assert_eq!(ok::<Mode>(&text("off")), Mode::Off);
    assert_eq!(ok::<Mode>(&map(vec![("fixed", plain("5"))])), Mode::Fixed(5));
    assert_eq!(ok::<Mode>(&map(vec![("Fixed", text("5"))])), Mode::Fixed(5));
    assert_eq!(ok::<Mode>(&map(vec![("pair", text("1, 2"))])), Mode::Pair(1, 2));
    assert_eq!(
        ok::<Mode>(&map(vec![("range", map(vec![("min", plain("1")), ("max", plain("9"))]))])),
        Mode::Range { min: 1, max: 9 }
    );
    assert_eq!(ok::<Mode>(&map(vec![("off", plain("~"))])), Mode::Off);
    assert_eq!(ok::<Mode>(&text("{fixed: 7}")), Mode::Fixed(7));
    assert_eq!(ok::<Mode>(&text("{range: {min: 1, max: 2}}")), Mode::Range { min: 1, max: 2 });
    assert_eq!(err::<Mode>(&text("fixed"), "Mode"), "variant `fixed` needs a value");
    assert_eq!(err::<Mode>(&map(vec![("off", plain("1"))]), "Mode"), "variant `off` takes no value");
    assert_eq!(err::<Mode>(&map(vec![("fixed", plain("x"))]), "Mode"), "`x` is not a valid u32");
    assert_eq!(
        err::<Mode>(&map(vec![("off", plain("~")), ("fixed", plain("1"))]), "Mode"),
        "expected one of `off`, `fixed`, `pair`, `range`, or a map with one of them as its only key, found a map of 2 keys"
    );
}

#[test]
fn options() {
    assert_eq!(ok::<Option<u32>>(&null()), None);
    assert_eq!(ok::<Option<String>>(&text("")), None);
    assert_eq!(ok::<Option<String>>(&text("  ")), None);
    assert_eq!(ok::<Option<u32>>(&plain("~")), None);
    assert_eq!(ok::<Option<u32>>(&plain("")), None);
    assert_eq!(ok::<Option<String>>(&quoted("")), Some(String::new()));
    assert_eq!(ok::<Option<String>>(&plain("null")), None);
    assert_eq!(ok::<Option<u32>>(&text("5")), Some(5));
    assert_eq!(ok::<Option<Vec<String>>>(&text("a,b")), Some(vec!["a".into(), "b".into()]));
    assert_eq!(ok::<Option<Vec<String>>>(&seq(vec![])), Some(vec![]));
    assert_eq!(err::<Option<u32>>(&text("x"), "Option<u32>"), "`x` is not a valid u32");
}

#[test]
fn nothing_for_a_required_type_names_the_field_type() {
    assert_eq!(err::<u32>(&null(), "u32"), "expected u32, found nothing");
    assert_eq!(err::<Vec<String>>(&null(), "Vec<String>"), "expected Vec<String>, found nothing");
    assert_eq!(err::<String>(&null(), "String"), "expected String, found nothing");
    assert_eq!(err::<Level>(&null(), "Level"), "expected Level, found nothing");
    ok::<()>(&null());
}

#[derive(Debug, PartialEq, Deserialize)]
struct Server {
    host: String,
    port: u16,
    #[serde(default)]
    tags: Vec<String>,
    limits: Option<Limits>,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct Limits {
    max: u32,
}

#[test]
fn serde_structs_from_maps() {
    let node = map(vec![
        ("host", plain("db")),
        ("port", plain("5432")),
        ("tags", text("a,b")),
        ("limits", map(vec![("max", text("10"))])),
    ]);
    let server: Server = ok(&node);
    assert_eq!(
        server,
        Server { host: "db".into(), port: 5432, tags: vec!["a".into(), "b".into()], limits: Some(Limits { max: 10 }) }
    );
    let server: Server = ok(&text("{host: h, port: 80}"));
    assert_eq!(server.port, 80);
    // A key the struct does not have is an error, as in a settings struct.
    let typo = map(vec![("host", plain("db")), ("prot", plain("1")), ("tags", text("")), ("limits", plain("~"))]);
    let message = from_node::<Server>(&typo, false, "Server").unwrap_err();
    assert_eq!(message, "unknown key `prot`, did you mean `port`?");
    assert!(server.tags.is_empty());
    assert_eq!(err::<Server>(&map(vec![("host", plain("h"))]), "Server"), "missing key `port`");
    assert_eq!(
        err::<Server>(&map(vec![("host", plain("h")), ("port", plain("http"))]), "Server"),
        "key `port`: `http` is not a valid u16"
    );
    assert_eq!(
        err::<Server>(
            &map(vec![("host", plain("h")), ("port", plain("1")), ("limits", map(vec![("mx", plain("1"))]))]),
            "Server"
        ),
        "key `limits`: unknown key `mx`, did you mean `max`?"
    );
    assert_eq!(err::<Limits>(&map(vec![("zzz", plain("1"))]), "Limits"), "unknown key `zzz`; known keys here: max");
    assert_eq!(err::<Server>(&seq(vec![]), "Server"), "expected a map, found a list");
}

#[test]
fn newtypes_units_paths_and_ignored_values() {
    #[derive(Debug, PartialEq, Deserialize)]
    struct Port(u16);
    #[derive(Debug, PartialEq, Deserialize)]
    struct Marker;
    assert_eq!(ok::<Port>(&text("8080")), Port(8080));
    assert_eq!(ok::<PathBuf>(&text("/etc/phoenix")), PathBuf::from("/etc/phoenix"));
    assert_eq!(ok::<PathBuf>(&plain("config/base.yaml")), PathBuf::from("config/base.yaml"));
    assert_eq!(ok::<Vec<PathBuf>>(&text("a, b/c")), [PathBuf::from("a"), PathBuf::from("b/c")]);
    assert_eq!(ok::<Marker>(&plain("~")), Marker);
    assert_eq!(err::<()>(&text("x"), "()"), "expected nothing, found a single value");
    ok::<serde::de::IgnoredAny>(&map(vec![("a", seq(vec![]))]));
    assert_eq!(ok::<std::net::IpAddr>(&text("127.0.0.1")), std::net::IpAddr::from([127, 0, 0, 1]));
    assert_eq!(ok::<std::num::NonZeroU32>(&text("3")).get(), 3);
    assert_eq!(err::<std::num::NonZeroU32>(&text("0"), "NonZeroU32"), "`0` is not valid, expected a nonzero u32");
}

#[test]
fn secrets_convert_like_their_inner_type() {
    let secret: crate::Secret<String> = ok(&plain("02134"));
    assert_eq!(secret.expose_unaudited(), "02134");
    let secret: Option<crate::Secret<u32>> = ok(&text("7"));
    assert_eq!(*secret.unwrap().expose_unaudited(), 7);
    assert!(ok::<Option<crate::Secret<String>>>(&null()).is_none());
}

/// A type whose own errors embed the value, as careless impls do.
#[derive(Debug)]
struct Loud;

impl<'de> Deserialize<'de> for Loud {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Err(serde::de::Error::custom(format!("Bad value {text}.")))
    }
}

/// A type that reports the value through `invalid_type` and `invalid_value`.
#[derive(Debug)]
struct Picky;

impl<'de> Deserialize<'de> for Picky {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Picky;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a picky value")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Picky, E> {
                if v.len() > 10 {
                    Err(E::invalid_value(serde::de::Unexpected::Str(v), &self))
                } else {
                    Err(E::invalid_type(serde::de::Unexpected::Str(v), &self))
                }
            }
        }
        deserializer.deserialize_any(V)
    }
}

#[test]
fn foreign_messages_are_tidied_for_non_secrets() {
    assert_eq!(err::<Loud>(&text("abc"), "Loud"), "bad value abc");
    assert_eq!(err::<Picky>(&text("abc"), "Picky"), "expected a picky value, found `abc`");
    assert_eq!(err::<Picky>(&block("a\nb"), "Picky"), "expected a picky value, found `a\\nb`");
}

#[test]
fn secret_errors_never_contain_the_value() {
    const C: &str = "canary-s3cr3t-xyzzy";
    const N: &str = "9876543";
    let list = format!("1, {C}");
    let text_map = format!("a: {C}");
    let canary_key = format!("{C}: 1");

    let cases: Vec<(String, String)> = vec![
        ("u32".into(), secret_err::<u32>(&text(C), "u32", C)),
        ("u8 range".into(), secret_err::<u8>(&text(N), "u8", N)),
        ("i128 range".into(), secret_err::<i128>(&text(&format!("{N}{}", "9".repeat(40))), "i128", N)),
        ("f64".into(), secret_err::<f64>(&text(C), "f64", C)),
        ("f32 range".into(), secret_err::<f32>(&text(&format!("{N}e40")), "f32", N)),
        ("bool".into(), secret_err::<bool>(&quoted(C), "bool", C)),
        ("char".into(), secret_err::<char>(&text(C), "char", C)),
        ("list item".into(), secret_err::<Vec<u32>>(&text(&list), "Vec<u32>", C)),
        ("seq item".into(), secret_err::<Vec<u32>>(&seq(vec![plain(C)]), "Vec<u32>", C)),
        ("list syntax".into(), secret_err::<Vec<String>>(&text(&format!("'{C}")), "Vec<String>", C)),
        ("after quote".into(), secret_err::<Vec<String>>(&text(&format!("'a'{C}")), "Vec<String>", C)),
        ("map value".into(), secret_err::<BTreeMap<String, u8>>(&text(&text_map), "T", C)),
        ("map key".into(), secret_err::<BTreeMap<u8, u8>>(&text(&canary_key), "T", C)),
        ("node map key".into(), secret_err::<BTreeMap<String, u8>>(&map(vec![(C, plain("x"))]), "T", C)),
        ("duplicate key".into(), secret_err::<BTreeMap<String, String>>(&text(&format!("{C}: 1, {C}: 2")), "T", C)),
        ("map syntax".into(), secret_err::<BTreeMap<String, String>>(&text(C), "T", C)),
        ("enum".into(), secret_err::<Level>(&text(C), "Level", C)),
        ("enum data".into(), secret_err::<Mode>(&map(vec![(C, plain("1"))]), "Mode", C)),
        ("variant value".into(), secret_err::<Mode>(&map(vec![("fixed", plain(C))]), "Mode", C)),
        ("unknown field".into(), secret_err::<Limits>(&map(vec![(C, plain("1"))]), "Limits", C)),
        (
            "struct field".into(),
            secret_err::<Server>(&map(vec![("host", plain("h")), ("port", plain(C))]), "Server", C),
        ),
        ("custom".into(), secret_err::<Loud>(&text(C), "Loud", C)),
        ("custom in option".into(), secret_err::<Option<Loud>>(&text(C), "Option<Loud>", C)),
        ("invalid type".into(), secret_err::<Picky>(&text("canary"), "Picky", "canary")),
        ("invalid value".into(), secret_err::<Picky>(&text(C), "Picky", C)),
        ("nested custom".into(), secret_err::<Vec<Loud>>(&text(&format!("{C}, x")), "Vec<Loud>", C)),
        ("text for a list".into(), secret_err::<Vec<String>>(&plain(C), "Vec<String>", C)),
    ];
    let messages: Vec<String> = cases.iter().map(|(kind, message)| format!("{kind}: {message}")).collect();
    let expected = [
        "u32: is not a valid u32",
        "u8 range: is out of range for u8 (0 to 255)",
        "i128 range: is out of range for i128 (-170141183460469231731687303715884105728 to 170141183460469231731687303715884105727)",
        "f64: is not a valid f64",
        "f32 range: is out of range for f32",
        "bool: is not a valid bool (use true/false, yes/no, on/off or 1/0)",
        "char: is not a single character",
        "list item: item [1]: is not a valid u32",
        "seq item: item [0]: is not a valid u32",
        "list syntax: item [0] has an unclosed quote",
        "after quote: item [0] has text after its closing quote",
        "map value: entry 1: is not a valid u8",
        "map key: the key of entry 1: is not a valid u8",
        "node map key: entry 1: is not a valid u8",
        "duplicate key: an entry repeats an earlier key",
        "map syntax: entry 1 is not a `key: value` pair",
        "enum: is not one of the expected values",
        "enum data: is not one of the expected values",
        "variant value: is not a valid u32",
        "unknown field: entry 1: is an unknown key",
        "struct field: key `port`: is not a valid u16",
        "custom: is not a valid Loud",
        "custom in option: is not a valid Loud",
        "invalid type: expected a picky value, found text",
        "invalid value: is not valid, expected a picky value",
        "nested custom: item [0]: is not valid",
        "text for a list: expected a list, found a single value",
    ];
    assert_eq!(messages, expected);
    // `Secret<T>` words its own failures; whatever it says holds no value.
    secret_err::<crate::Secret<u16>>(&text(C), "Secret<u16>", C);
    secret_err::<Option<crate::Secret<u16>>>(&text(C), "Option<Secret<u16>>", C);
    secret_err::<crate::Secret<Vec<u8>>>(&text(&list), "Secret<Vec<u8>>", C);
}

#[test]
fn a_secret_enum_does_not_echo_its_variant() {
    // The value is the variant's name: naming the variant would reveal it.
    assert_eq!(from_node::<Mode>(&text("fixed"), true, "Mode").unwrap_err(), "this variant needs a value");
    assert_eq!(
        from_node::<Mode>(&map(vec![("off", plain("1"))]), true, "Mode").unwrap_err(),
        "this variant takes no value"
    );
}

#[test]
fn non_secret_messages_quote_the_value_on_one_line() {
    let long = "x".repeat(100);
    let message = err::<u32>(&text(&long), "u32");
    assert_eq!(message, format!("`{}…` is not a valid u32", "x".repeat(crate::message::QUOTE_MAX)));
    assert_eq!(err::<u32>(&block("12\n34\n"), "u32"), "`12\\n34` is not a valid u32");
}

#[test]
fn an_encrypted_value_outside_a_secret_is_refused_with_or_without_encryption() {
    let fix = "the value is encrypted (`enc:v1:`) but the field is not secret: \
               mark it `#[secret]` or use `Secret<T>` so it is decrypted";
    assert_eq!(err::<u32>(&text("enc:v1:k1:AAAA"), "u32"), fix);
    assert_eq!(err::<Vec<String>>(&text("a, enc:v1:k1:AAAA"), "Vec<String>"), format!("item [1]: {fix}"));
    assert_eq!(err::<String>(&plain("enc:v1:k1:AAAA"), "String"), fix);
    // A key is a name, and `base64:` is text where no secret is read.
    let map: BTreeMap<String, String> = ok(&text("{'enc:v1:k': v}"));
    assert_eq!(map.keys().collect::<Vec<_>>(), ["enc:v1:k"]);
    assert_eq!(ok::<String>(&plain("base64:aGk=")), "base64:aGk=");
}

// `enc:v1:` values need the `encryption` feature (the workspace's tests have it).
#[cfg(feature = "encryption")]
mod secrets_by_type {
    //! A `Secret` anywhere in a leaf: decoded there, and never echoed.

    use super::*;
    use crate::Secret;
    use crate::de::{Leaf, convert};
    use crate::secret::{KEY_VAR, KeyRing, encrypt, keygen};

    const CANARY: &str = "c4n4ry-\"q\"\n\u{1b}[31m";

    fn b64(text: &[u8]) -> String {
        use base64::Engine as _;
        format!("base64:{}", base64::engine::general_purpose::STANDARD.encode(text))
    }

    fn keys() -> KeyRing {
        KeyRing::from_vars([(KEY_VAR, keygen("t1").unwrap().expose_unaudited().as_str())]).unwrap()
    }

    fn leaf(keys: &KeyRing, flagged: bool) -> Leaf<'_> {
        Leaf { secret: flagged, decode: flagged, keys, keys_failed: false }
    }

    fn load<T: DeserializeOwned>(node: &Node, keys: &KeyRing) -> Result<T, String> {
        convert::<T>(node, &leaf(keys, false), "T").map_err(|f| f.message)
    }

    type Pin = Secret<u32>;

    #[derive(Deserialize)]
    struct Login {
        user: String,
        pin: Secret<u16>,
    }

    #[test]
    fn encoded_values_decode_wherever_a_secret_sits() {
        let keys = keys();
        let sealed = encrypt("42", &keys).unwrap();
        let pins: Vec<Secret<u32>> = load(&seq(vec![plain("7"), text(&b64(b"8")), text(&sealed)]), &keys).unwrap();
        assert_eq!(pins.iter().map(|p| *p.expose_unaudited()).collect::<Vec<_>>(), [7, 8, 42]);
        let from_text: Vec<Pin> = load(&text(&format!("{},9", b64(b"5"))), &keys).unwrap();
        assert_eq!(*from_text[0].expose_unaudited(), 5);
        let map: HashMap<String, Secret<u16>> = load(&text(&format!("a: {}", b64(b"3"))), &keys).unwrap();
        assert_eq!(*map["a"].expose_unaudited(), 3);
        let boxed: Box<Secret<String>> = load(&text(&b64(CANARY.as_bytes())), &keys).unwrap();
        assert_eq!(boxed.expose_unaudited(), CANARY);
        let mut login_node = Node::map(Origin::Default);
        login_node.set_path(&["user"], text("ann"));
        login_node.set_path(&["pin"], text(&sealed));
        let login: Login = load(&login_node, &keys).unwrap();
        assert_eq!((login.user.as_str(), *login.pin.expose_unaudited()), ("ann", 42));
        // Outside a `Secret`, an encoded-looking value is plain text.
        let plain_text: Vec<String> = load(&text(&b64(b"x")), &keys).unwrap();
        assert_eq!(plain_text, [b64(b"x")]);
    }

    #[test]
    fn a_decoded_value_is_not_decoded_twice() {
        let keys = KeyRing::default();
        let inner = b64(b"twice");
        let once: Secret<String> = load(&text(&b64(inner.as_bytes())), &keys).unwrap();
        assert_eq!(once.expose_unaudited(), &inner);
    }

    #[test]
    fn binary_secrets_hold_the_decoded_bytes() {
        let keys = keys();
        let raw = [0_u8, 0xe9, 0xff, 10, 13];
        let bytes: Secret<Vec<u8>> = load(&text(&b64(&raw)), &keys).unwrap();
        assert_eq!(bytes.expose_unaudited(), &raw);
        let array: Secret<[u8; 5]> = load(&text(&b64(&raw)), &keys).unwrap();
        assert_eq!(array.expose_unaudited(), &raw);
        // Text that is not UTF-8 is an error naming no byte.
        let err = load::<Secret<String>>(&text(&b64(&raw)), &keys).unwrap_err();
        assert_eq!(err, "the value after `base64:` is not UTF-8 text");
        // A list of numbers still reads as one.
        let listed: Secret<Vec<u8>> = load(&seq(vec![plain("1"), plain("2")]), &keys).unwrap();
        assert_eq!(listed.expose_unaudited(), &[1, 2]);
    }

    #[test]
    fn failures_inside_a_secret_never_echo_it() {
        let keys = KeyRing::default();
        let cases: Vec<(&str, Result<(), String>)> = vec![
            ("vec item", load::<Vec<Secret<u32>>>(&seq(vec![plain("1"), quoted(CANARY)]), &keys).map(drop)),
            ("map value", load::<HashMap<String, Secret<u16>>>(&text(&format!("k: {CANARY}")), &keys).map(drop)),
            ("boxed", load::<Box<Pin>>(&quoted(CANARY), &keys).map(drop)),
            ("bad base64", load::<Vec<Pin>>(&seq(vec![text(&format!("base64:{CANARY}"))]), &keys).map(drop)),
            ("tuple", load::<Secret<(u8, u8)>>(&seq(vec![plain("1"), plain("2"), plain("3")]), &keys).map(drop)),
            ("non-utf8", load::<Pin>(&text(&b64(&[0xe9])), &keys).map(drop)),
        ];
        for (case, result) in cases {
            let message = result.expect_err(case);
            for needle in ["c4n4ry", "\\u{1b}", "[31m", "0xe9", "é", "3 items"] {
                assert!(!message.contains(needle), "{case}: {message}");
            }
        }
    }

    #[test]
    fn a_flagged_field_decodes_everywhere_inside_it() {
        let keys = KeyRing::default();
        let value: Vec<String> =
            convert(&seq(vec![text(&b64(b"a")), plain("b")]), &leaf(&keys, true), "Vec<String>").unwrap();
        assert_eq!(value, ["a", "b"]);
        let failure = convert::<String>(&text("base64:!"), &leaf(&keys, true), "String").unwrap_err();
        assert!(failure.decoding && !failure.quiet, "{failure:?}");
        let keys_failed = Leaf { keys_failed: true, ..leaf(&keys, true) };
        assert!(convert::<String>(&text("enc:v1:k:AAAA"), &keys_failed, "String").unwrap_err().quiet);
    }
}
