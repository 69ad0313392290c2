//! Entry points of the fuzz targets (`fuzz/`) and of the property tests.
//! Not public API: no semver guarantees, compiled only with the `fuzzing`
//! feature.
//!
//! Each function takes arbitrary bytes, runs one layer of the loader on
//! them and checks what must hold whatever the input: no panic (the fuzzer
//! catches those), every issue of the expected kind with an origin inside
//! the input, messages on one line, lowercase, without a trailing period,
//! and round trips where the layer has one. A broken invariant panics.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::limits::Limits;
use crate::node::{Node, NodeKind, ScalarStyle};
use crate::secret::{self, KeyRing};
use crate::{Issue, IssueKind, Origin, de as convert, dotenv, yaml};

/// A value of any shape, read through `deserialize_any` (as untyped
/// containers such as `serde_json::Value` read).
#[derive(Debug, PartialEq)]
enum Any {
    Unit,
    Bool(bool),
    Int(i128),
    Float(f64),
    Text(String),
    Seq(Vec<Any>),
    Map(Vec<(Any, Any)>),
}

impl<'de> Deserialize<'de> for Any {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(AnyVisitor)
    }
}

struct AnyVisitor;

impl<'de> Visitor<'de> for AnyVisitor {
    type Value = Any;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Any, E> {
        Ok(Any::Unit)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Any, E> {
        Ok(Any::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Any, E> {
        Ok(Any::Int(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Any, E> {
        Ok(Any::Int(v.into()))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Any, E> {
        Ok(Any::Int(v))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Any, E> {
        i128::try_from(v).map(Any::Int).map_err(|_| E::custom("too large"))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Any, E> {
        Ok(Any::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Any, E> {
        Ok(Any::Text(v.to_owned()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Any, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Any::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Any, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Any::Map(entries))
    }
}

#[derive(Debug, Deserialize)]
#[serde(crate = "serde")]
#[allow(dead_code)]
enum Mode {
    Fast,
    Slow,
    Fixed(u32),
    Pair(u8, String),
    Named { a: u16, b: Option<bool> },
}

#[derive(Debug, Deserialize)]
#[serde(crate = "serde", deny_unknown_fields)]
#[allow(dead_code)]
struct Section {
    name: String,
    port: Option<u16>,
    #[serde(default)]
    tags: Vec<String>,
    mode: Option<Mode>,
}

/// Checks the rules every message follows (DESIGN §8).
fn check_message(message: &str) {
    assert!(!message.is_empty(), "an empty message");
    assert!(!message.contains(['\n', '\r']), "a message on several lines: {message:?}");
    assert!(!message.ends_with('.') || message.ends_with("..."), "a trailing period: {message:?}");
}

/// Checks a file issue: kind, an origin inside the file, the message rules.
fn check_file_issue(issue: &Issue, kind: IssueKind, path: &Arc<str>, lines: usize) {
    assert_eq!(issue.kind(), kind, "{issue}");
    check_message(issue.message());
    match issue.origin() {
        Some(Origin::File { path: p, line, column }) => {
            assert_eq!(p, path);
            assert!(*line >= 1 && *column >= 1, "{issue}");
            assert!(*line as usize <= lines + 1, "{issue}: line past the end ({lines} lines)");
        }
        other => panic!("an issue without a file origin: {issue} ({other:?})"),
    }
}

/// The lines of a `.env` file: `\n` ends a line.
fn lines_of(bytes: &[u8]) -> usize {
    bytes.split(|&b| b == b'\n').count()
}

/// The lines of a YAML file: `\r\n`, `\n` and a lone `\r` end a line.
fn yaml_lines_of(bytes: &[u8]) -> usize {
    let lone_cr =
        bytes.windows(2).filter(|w| w[0] == b'\r' && w[1] != b'\n').count() + usize::from(bytes.last() == Some(&b'\r'));
    lines_of(bytes) + lone_cr
}

/// Converts a node to one type, checking the error message when it fails.
fn try_convert<T: de::DeserializeOwned>(node: &Node, secret: bool) -> Option<T> {
    match convert::from_node::<T>(node, secret, std::any::type_name::<T>()) {
        Ok(value) => Some(value),
        Err(message) => {
            check_message(&message);
            None
        }
    }
}

/// Converts a node as a `#[secret]` field, decoding it, checking the
/// error message when it fails.
fn try_decode<T: de::DeserializeOwned>(node: &Node, keys: &KeyRing) -> Option<T> {
    let leaf = convert::Leaf { secret: true, decode: true, keys, keys_failed: false };
    match convert::convert::<T>(node, &leaf, std::any::type_name::<T>()) {
        Ok(value) => Some(value),
        Err(failure) => {
            check_message(&failure.message);
            None
        }
    }
}

/// Converts a node to every type the targets care about.
fn convert_all(node: &Node, secret: bool) {
    let _ = try_convert::<String>(node, secret);
    let _ = try_convert::<Option<String>>(node, secret);
    let _ = try_convert::<char>(node, secret);
    let _ = try_convert::<bool>(node, secret);
    let _ = try_convert::<u8>(node, secret);
    let _ = try_convert::<i8>(node, secret);
    let _ = try_convert::<u16>(node, secret);
    let _ = try_convert::<i32>(node, secret);
    let _ = try_convert::<u64>(node, secret);
    let _ = try_convert::<i64>(node, secret);
    let _ = try_convert::<u128>(node, secret);
    let _ = try_convert::<i128>(node, secret);
    let _ = try_convert::<f32>(node, secret);
    let _ = try_convert::<f64>(node, secret);
    let _ = try_convert::<()>(node, secret);
    let _ = try_convert::<PathBuf>(node, secret);
    let _ = try_convert::<Vec<String>>(node, secret);
    let _ = try_convert::<Vec<u16>>(node, secret);
    let _ = try_convert::<Vec<Option<u8>>>(node, secret);
    let _ = try_convert::<Vec<Vec<String>>>(node, secret);
    let _ = try_convert::<Option<Vec<i32>>>(node, secret);
    let _ = try_convert::<HashMap<String, String>>(node, secret);
    let _ = try_convert::<BTreeMap<String, Vec<u8>>>(node, secret);
    let _ = try_convert::<HashMap<String, HashMap<String, u32>>>(node, secret);
    let _ = try_convert::<(u8, String, bool)>(node, secret);
    let _ = try_convert::<Mode>(node, secret);
    let _ = try_convert::<Vec<Mode>>(node, secret);
    let _ = try_convert::<Section>(node, secret);
    let _ = try_convert::<Vec<Section>>(node, secret);
    let _ = try_convert::<Any>(node, secret);
}

/// The YAML layer: bytes as a YAML file, parsed with the default limits
/// and with small ones, then the tree converted to many types and decoded
/// as a secret.
///
/// # Panics
///
/// When an invariant breaks: an issue that is not a syntax error at a line
/// of the file, or a file that parses under small limits but not under
/// larger ones (or to another tree).
pub fn yaml(bytes: &[u8]) {
    let path: Arc<str> = "fuzz.yaml".into();
    let lines = yaml_lines_of(bytes);
    let big = yaml::parse(bytes, &path, &Limits::default());
    let small_limits =
        Limits::default().with_max_depth(8).with_max_nodes(64).with_max_file_bytes(1024).with_max_secret_file_bytes(0);
    let small = yaml::parse(bytes, &path, &small_limits);
    for issues in [&big, &small].into_iter().filter_map(|r| r.as_ref().err()) {
        assert!(!issues.is_empty(), "an error without an issue");
        for issue in issues {
            check_file_issue(issue, IssueKind::Syntax, &path, lines);
        }
    }
    if let Ok(small) = &small {
        assert_eq!(big.as_ref().ok(), Some(small), "a file within small limits must parse the same within large ones");
    }
    // When the fast path reads a file, the general path reads it the same.
    if let Ok(text) = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)) {
        for limits in [Limits::default(), small_limits] {
            if let Ok(fast) = yaml::parse_fast(text, &path, &limits) {
                assert_eq!(Ok(fast), yaml::parse_general(text, &path, &limits), "the yaml paths disagree");
            }
        }
    }
    if let Ok(Some(tree)) = big {
        convert_all(&tree, false);
        convert_all(&tree, true);
        let keys = fuzz_keys();
        let _ = try_decode::<HashMap<String, String>>(&tree, &keys);
        if let Some(entries) = tree.entries() {
            for entry in entries {
                convert_all(&entry.value, false);
            }
        }
    }
}

/// The `.env` reader: bytes as a `.env` file. Every entry has a valid name
/// and a line inside the file, issues come in line order, and the entries
/// written back (double-quoted, escaped) read back the same.
///
/// # Panics
///
/// When an invariant breaks.
pub fn dotenv(bytes: &[u8]) {
    let path: Arc<str> = "fuzz.env".into();
    let lines = lines_of(bytes);
    let (entries, issues) = dotenv::parse(bytes, &path, &Limits::default());
    for issue in &issues {
        check_file_issue(issue, IssueKind::Syntax, &path, lines);
    }
    let issue_lines: Vec<u32> = issues
        .iter()
        .map(|i| match i.origin() {
            Some(Origin::File { line, .. }) => *line,
            _ => 0,
        })
        .collect();
    assert!(issue_lines.is_sorted(), "issues out of line order: {issue_lines:?}");
    let mut previous = 0;
    for entry in &entries {
        assert!(entry.line >= 1 && entry.line as usize <= lines, "entry line {} of {lines}", entry.line);
        assert!(entry.line > previous, "entries out of line order");
        previous = entry.line;
        let name = entry.name.as_bytes();
        assert!(name[0].is_ascii_alphabetic() || name[0] == b'_', "bad name {:?}", entry.name);
        assert!(name.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.'), "bad name {:?}", entry.name);
        assert!(!entry.value.contains('\0'), "a NUL byte in a value");
        for secret in [false, true] {
            let node = Node::text(entry.value.clone(), Origin::Default);
            let _ = try_convert::<Vec<String>>(&node, secret);
            let _ = try_convert::<u16>(&node, secret);
        }
    }
    // Written back, quoted and escaped, every entry reads back the same.
    let mut written = String::new();
    for entry in &entries {
        written.push_str("export ");
        written.push_str(&entry.name);
        written.push_str("=\"");
        written.push_str(&escape_dotenv(&entry.value));
        written.push_str("\" # written back\n");
    }
    let (again, problems) = dotenv::parse(written.as_bytes(), &path, &Limits::default());
    assert!(problems.is_empty(), "the written-back file has problems: {problems:?}\n{written:?}");
    let pairs = |entries: &[dotenv::DotenvEntry]| -> Vec<(String, String)> {
        entries.iter().map(|e| (e.name.clone(), e.value.clone())).collect()
    };
    assert_eq!(pairs(&again), pairs(&entries));
}

/// A value for a double-quoted `.env` entry.
pub fn escape_dotenv(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '$' => out.push_str("\\$"),
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// Text conversion: the first byte picks how the text was written (a
/// variable, a YAML plain, quoted or block scalar) and whether it is a
/// secret; the rest is the text, converted to many types.
pub fn text(bytes: &[u8]) {
    let Some((&first, rest)) = bytes.split_first() else { return };
    let text = String::from_utf8_lossy(rest);
    let style = match first & 3 {
        0 => ScalarStyle::Text,
        1 => ScalarStyle::Plain,
        2 => ScalarStyle::Quoted,
        _ => ScalarStyle::Block,
    };
    let secret = first & 4 != 0;
    let node = Node::scalar(text.as_ref(), style, Origin::Default);
    convert_all(&node, secret);
    // As a list item and a map value of a YAML tree too.
    let seq = Node { kind: NodeKind::Seq(vec![node.clone(), node.clone()]), origin: Origin::Default };
    convert_all(&seq, secret);
}

/// A key ring of one fixed key, `fuzz`.
fn fuzz_keys() -> KeyRing {
    // base64 of 32 bytes of 0x07.
    KeyRing::from_vars([(secret::KEY_VAR, "fuzz:BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=")])
        .expect("a valid fuzz key")
}

/// `enc:` and `base64:` decoding: the bytes as an encoded value (no
/// panic, an error never holding the text after the prefix), and as a
/// plaintext that must survive `encrypt` then `decrypt` and `base64:`.
///
/// # Panics
///
/// When a round trip loses the value.
pub fn decode(bytes: &[u8]) {
    use base64::Engine as _;
    let keys = fuzz_keys();
    let text = String::from_utf8_lossy(bytes);
    for prefixed in
        [text.to_string(), format!("enc:v1:{text}"), format!("enc:v1:fuzz:{text}"), format!("base64:{text}")]
    {
        match secret::decrypt(&prefixed, &keys) {
            Ok(_) => {}
            Err(e) => check_message(e.message()),
        }
        let node = Node::text(prefixed, Origin::Default);
        let _ = try_decode::<String>(&node, &keys);
    }
    if let Ok(plain) = std::str::from_utf8(bytes) {
        let sealed = secret::encrypt(plain, &keys).expect("encrypt");
        let opened = secret::decrypt(&sealed, &keys).expect("decrypt what was encrypted");
        assert_eq!(opened.expose_unaudited(), plain);
        let encoded = format!("base64:{}", base64::engine::general_purpose::STANDARD.encode(bytes));
        assert_eq!(secret::decrypt(&encoded, &keys).expect("decode base64").expose_unaudited(), plain);
    }
}
