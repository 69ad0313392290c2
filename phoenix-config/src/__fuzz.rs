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

mod merge;
pub use merge::merge;

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

/// A character the targets put around and inside secret text: no message
/// may ever hold it.
const MARK: char = '\u{2603}';

/// Checks that no part of a secret reached a message: neither [`MARK`]
/// nor any non-ASCII character of the secret's text (messages are written
/// in ASCII, but for `…` and `—`; the characters in `allowed` also appear
/// outside the secret). Non-ASCII characters stand for the whole text:
/// a quote, a cut, an escaped form or a piece of it would carry them.
fn check_no_part_of(secret: &str, allowed: &str, message: &str) {
    assert!(allowed.contains(MARK) || !message.contains(MARK), "a secret's text reached a message: {message:?}");
    for c in secret.chars().filter(|c| !c.is_ascii() && !matches!(c, '…' | '—') && !allowed.contains(*c)) {
        assert!(!message.contains(c), "a secret's character {c:?} reached a message: {message:?}");
    }
}

/// Every scalar and key of a tree, concatenated.
fn texts_of(node: &Node, out: &mut String) {
    match &node.kind {
        NodeKind::Null => {}
        NodeKind::Scalar { text, .. } => out.push_str(text),
        NodeKind::Seq(items) => items.iter().for_each(|item| texts_of(item, out)),
        NodeKind::Map(entries) => entries.iter().for_each(|entry| {
            out.push_str(&entry.key);
            texts_of(&entry.value, out);
        }),
    }
}

/// Converts a node to one type, checking the error message when it fails
/// (and, for a secret, that no part of it is in the message).
fn try_convert<T: de::DeserializeOwned>(node: &Node, secret: bool) -> Option<T> {
    match convert::from_node::<T>(node, secret, std::any::type_name::<T>()) {
        Ok(value) => Some(value),
        Err(message) => {
            check_message(&message);
            if secret {
                let mut text = String::new();
                texts_of(node, &mut text);
                check_no_part_of(&text, "", &message);
            }
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
            let mut text = String::new();
            texts_of(node, &mut text);
            check_no_part_of(&text, "", &failure.message);
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
    if let Ok(Some(tree)) = check_yaml_parse(bytes) {
        convert_tree(&tree);
    }
}

/// Parses under default and small limits: every issue a syntax error at a
/// line of the file, small limits never accepting more, the two paths agreeing.
fn check_yaml_parse(bytes: &[u8]) -> Result<Option<Node>, Vec<Issue>> {
    let path: Arc<str> = "fuzz.yaml".into();
    let lines = yaml_lines_of(bytes);
    let big = yaml::parse(bytes, &path, &Limits::default());
    let small_limits =
        Limits::default().with_max_depth(8).with_max_nodes(64).with_max_file_bytes(1024).with_max_secret_file_bytes(0);
    let small = yaml::parse(bytes, &path, &small_limits);
    for issue in [&big, &small].into_iter().filter_map(|r| r.as_ref().err()).flatten() {
        check_file_issue(issue, IssueKind::Syntax, &path, lines);
    }
    for issues in [&big, &small].into_iter().filter_map(|r| r.as_ref().err()) {
        assert!(!issues.is_empty(), "an error without an issue");
    }
    if let Ok(small) = &small {
        assert_eq!(big.as_ref().ok(), Some(small), "a file within small limits must parse the same within large ones");
    }
    if let Ok(text) = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)) {
        check_yaml_paths_agree(text, &path, [Limits::default(), small_limits]);
    }
    big
}

/// When the fast path reads a file, the general path reads it the same.
fn check_yaml_paths_agree(text: &str, path: &Arc<str>, limits: [Limits; 2]) {
    for limits in limits {
        if let Ok(fast) = yaml::parse_fast(text, path, &limits) {
            assert_eq!(Ok(fast), yaml::parse_general(text, path, &limits), "the yaml paths disagree");
        }
    }
}

/// A parsed tree converted to many types, as a secret too, and decoded.
fn convert_tree(tree: &Node) {
    convert_all(tree, false);
    convert_all(tree, true);
    let _ = try_decode::<HashMap<String, String>>(tree, &fuzz_keys());
    for entry in tree.entries().unwrap_or_default() {
        convert_all(&entry.value, false);
    }
}

/// The kind a `.env` issue may have: syntax, or an expansion that fails as
/// a missing `${NAME:?}` or too much text.
fn dotenv_issue_kind(issue: &Issue) -> IssueKind {
    if matches!(issue.kind(), IssueKind::Missing | IssueKind::Invalid) { issue.kind() } else { IssueKind::Syntax }
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
        check_file_issue(issue, dotenv_issue_kind(issue), &path, lines);
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
        check_entry(entry, lines, previous);
        previous = entry.line;
    }
    check_written_back(&entries, &path);
}

/// One entry: a line inside the file, after the previous entry's; a valid
/// name; a value without NUL that converts (as a secret too).
fn check_entry(entry: &dotenv::DotenvEntry, lines: usize, previous: u32) {
    assert!(entry.line >= 1 && entry.line as usize <= lines, "entry line {} of {lines}", entry.line);
    assert!(entry.line > previous, "entries out of line order");
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

/// Written back, quoted and escaped, every entry reads back the same.
fn check_written_back(entries: &[dotenv::DotenvEntry], path: &Arc<str>) {
    let mut written = String::new();
    for entry in entries {
        written.push_str("export ");
        written.push_str(&entry.name);
        written.push_str("=\"");
        written.push_str(&escape_dotenv(&entry.value));
        written.push_str("\" # written back\n");
    }
    let (again, problems) = dotenv::parse(written.as_bytes(), path, &Limits::default());
    assert!(problems.is_empty(), "the written-back file has problems: {problems:?}\n{written:?}");
    let pairs = |entries: &[dotenv::DotenvEntry]| -> Vec<(String, String)> {
        entries.iter().map(|e| (e.name.to_string(), e.value.to_string())).collect()
    };
    assert_eq!(pairs(&again), pairs(entries));
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
    // Marked: the secret's text with `MARK` around it and after every
    // separator, so any quoted part of it is caught.
    let text = if secret && first & 8 != 0 { marked(&text) } else { text.into_owned() };
    let node = Node::scalar(text.as_str(), style, Origin::Default);
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
            Err(e) => {
                check_message(e.message());
                check_no_part_of(&text, "", e.message());
            }
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

/// `text` with [`MARK`] around it and after every `,`, `:`, `=`, `[` and `{`.
fn marked(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2 + 6);
    out.push(MARK);
    for c in text.chars() {
        out.push(c);
        if matches!(c, ',' | ':' | '=' | '[' | '{') {
            out.push(MARK);
        }
    }
    out.push(MARK);
    out
}

/// A key ring rotating from `fuzz` (previous) to `fuzz2` (current).
fn rotating_keys() -> KeyRing {
    KeyRing::from_vars([
        (secret::KEY_VAR, "fuzz2:CAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg="),
        (secret::PREVIOUS_KEYS_VAR, "fuzz:BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc="),
    ])
    .expect("valid fuzz keys")
}

/// `rotate`: the bytes as a file's text, and the same text with a value
/// encrypted under the previous key spliced in at a point the first byte
/// picks. Never a panic; text without `enc:v1:` comes back unchanged;
/// rotating a rotated text changes nothing more; an error holds no part of
/// the text.
///
/// # Panics
///
/// When an invariant breaks.
pub fn rotate(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    check_rotation(&text);
    let old = KeyRing::from_vars([(secret::KEY_VAR, "fuzz:BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=")])
        .expect("a valid fuzz key");
    let sealed = secret::encrypt("fuzz-secret", &old).expect("encrypt");
    let mut at = usize::from(bytes.first().copied().unwrap_or(0)) % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    check_rotation(&format!("{}{sealed}{}", &text[..at], &text[at..]));
}

fn check_rotation(text: &str) {
    let keys = rotating_keys();
    match secret::rotate(text, &keys) {
        Ok(rotated) => {
            if !text.contains("enc:v1:") {
                assert_eq!((rotated.text.as_str(), rotated.rewritten, rotated.kept), (text, 0, 0));
            }
            let again = secret::rotate(&rotated.text, &keys).expect("a rotated text rotates again");
            assert_eq!(again.rewritten, 0, "rotating twice rewrote values");
            assert_eq!(again.text, rotated.text, "rotating twice changed the text");
        }
        Err(e) => {
            for line in e.message().lines() {
                check_no_part_of(text, "", line);
            }
        }
    }
}

/// Key-ring parsing: the first line as the current key, the rest as the
/// previous keys. Never a panic; an error names no key material (the part
/// after a key id's `:`).
///
/// # Panics
///
/// When an invariant breaks.
pub fn keys(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let (current, previous) = text.split_once('\n').unwrap_or((&text, ""));
    let Err(e) = KeyRing::from_vars([(secret::KEY_VAR, current), (secret::PREVIOUS_KEYS_VAR, previous)]) else {
        return;
    };
    check_message(e.message());
    check_no_part_of(&text, "", e.message());
    let entries: Vec<(&str, &str)> =
        text.split(|c: char| c == ',' || c.is_whitespace()).filter_map(|entry| entry.split_once(':')).collect();
    for &(_, material) in &entries {
        // Long enough not to be a word of the message itself, and not part
        // of a key id (ids are named in messages, as in every `enc:v1:` value).
        let in_an_id = entries.iter().any(|(id, _)| id.contains(material));
        if material.len() >= 12 && !in_an_id && !material.bytes().all(|b| b.is_ascii_uppercase() || b == b'_') {
            assert!(!e.message().contains(material), "key material in a message: {:?}", e.message());
        }
    }
}

#[cfg(feature = "derive")]
pub use build::build;

#[cfg(feature = "derive")]
mod build {
    //! The build step with secret fields of every kind.

    use std::collections::{BTreeMap, HashMap};
    use std::sync::Arc;

    use super::{MARK, check_message, check_no_part_of, fuzz_keys, marked, texts_of};
    use crate::__private::Cx;
    use crate::node::{Node, ScalarStyle};
    use crate::{Environment, Origin, PhoenixConfig, Secret, yaml};

    /// A serde leaf struct holding a secret.
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Login {
        user: String,
        pin: Secret<u16>,
    }

    /// Secrets by attribute and by type, and one plain field.
    #[derive(PhoenixConfig)]
    #[config(validate = formats_secrets)]
    #[allow(dead_code)]
    struct Build {
        pins: Option<Vec<Secret<u32>>>,
        ports: Option<HashMap<String, Secret<u16>>>,
        #[secret]
        #[validate(length(min = 3))]
        word: Option<String>,
        blob: Option<Box<Secret<Vec<u8>>>>,
        #[secret]
        pair: Option<(u8, u16)>,
        #[secret]
        map: Option<BTreeMap<String, u8>>,
        login: Option<Login>,
        plain: Option<String>,
    }

    /// A careless rule: it formats a secret (long enough to be scrubbed).
    fn formats_secrets(build: &Build) -> Result<(), String> {
        match &build.word {
            Some(word) if word.chars().count() >= crate::secret::MIN_SCRUBBED => Err(format!("word {word:?} / {word}")),
            _ => Ok(()),
        }
    }

    const FIELDS: [&str; 8] = ["pins", "ports", "word", "blob", "pair", "map", "login", "plain"];

    /// The build step: the bytes as a YAML file (first byte odd), or as
    /// values of the fields separated by NUL bytes (variables' text, or
    /// quoted YAML scalars), marked or not. Every message of the build,
    /// scrubbed as the loader scrubs it, holds no part of any secret value,
    /// and the record of every secret leaf is redacted.
    ///
    /// # Panics
    ///
    /// When an invariant breaks.
    pub fn build(bytes: &[u8]) {
        let Some((&first, rest)) = bytes.split_first() else { return };
        let root = if first & 1 == 1 {
            match yaml::parse(rest, &Arc::from("fuzz.yaml"), &crate::Limits::default()) {
                Ok(Some(root)) => root,
                _ => return,
            }
        } else {
            fields_of(first, rest)
        };
        let (secret_text, plain_text) = split_texts(&root);
        let keys = fuzz_keys();
        let mut cx = Cx::new(Environment::Testing, &[], None, &keys, true);
        let _ = Build::__build(&mut cx, Some(&root));
        let mut known = std::mem::take(&mut cx.known);
        for issue in known.scrub_issues(std::mem::take(&mut cx.issues)) {
            check_message(issue.message());
            check_no_part_of(&secret_text, &plain_text, issue.message());
        }
        for record in cx.record.take().unwrap_or_default() {
            let redacted = matches!(record.value.as_str(), "[REDACTED]" | crate::written::UNSET);
            assert!(
                record.path == "plain" || (record.secret && redacted),
                "{} is shown: {}",
                record.path,
                record.value
            );
        }
    }

    /// The values of the fields, NUL-separated.
    fn fields_of(first: u8, rest: &[u8]) -> Node {
        let mut root = Node::map(Origin::Default);
        for (name, value) in FIELDS.iter().zip(rest.split(|&b| b == 0)) {
            let text = String::from_utf8_lossy(value);
            let text = if first & 2 == 2 { marked(&text) } else { text.into_owned() };
            let node = if first & 4 == 4 {
                Node::scalar(text, ScalarStyle::Quoted, Origin::Default)
            } else {
                Node::text(text, Origin::Default)
            };
            root.set_path(&[name], node);
        }
        root
    }

    /// The text of the secret fields, and of everything else (keys at the
    /// top, the plain field, unknown keys).
    fn split_texts(root: &Node) -> (String, String) {
        let (mut secret, mut plain) = (String::new(), String::new());
        for entry in root.entries().unwrap_or_default() {
            plain.push_str(&entry.key);
            let into =
                if entry.key == "plain" || !FIELDS.contains(&entry.key.as_str()) { &mut plain } else { &mut secret };
            texts_of(&entry.value, into);
        }
        // A mark in a plain value may be echoed: it is not a secret's.
        if plain.contains(MARK) {
            plain.push(MARK);
        }
        (secret, plain)
    }
}

#[cfg(test)]
mod tests {
    //! Every target on hand-picked inputs and on pseudo-random bytes, so
    //! their invariants hold in `cargo test` too, not only under the fuzzer.

    use super::*;

    /// Deterministic pseudo-random bytes (xorshift), biased towards the
    /// characters the targets care about.
    fn noise(seed: u64, count: usize) -> Vec<Vec<u8>> {
        const ALPHABET: &[u8] = b"enc:v1:base64:k,=[]{}\"' \n\r\t\0-_#!*&%@|>AaZz09\xe2\x98\x83\xc3\xa9";
        let mut state = seed;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        (0..count)
            .map(|_| {
                let len = usize::try_from(next() % 48).unwrap_or(0);
                (0..len).map(|_| ALPHABET[usize::try_from(next()).unwrap_or(0) % ALPHABET.len()]).collect()
            })
            .collect()
    }

    fn cases(extra: &[&[u8]]) -> Vec<Vec<u8>> {
        let mut all: Vec<Vec<u8>> = extra.iter().map(|b| b.to_vec()).collect();
        all.extend(noise(0x9e37_79b9_7f4a_7c15, 600));
        all
    }

    #[test]
    #[should_panic(expected = "reached a message")]
    fn the_oracle_catches_a_quoted_secret() {
        check_no_part_of("p\u{e9}ss", "", "`p\u{e9}ss` is not a valid u32");
    }

    #[test]
    fn rotate_never_panics_and_is_idempotent() {
        for bytes in
            cases(&[b"enc:v1:enc:v1:k:AAAA", b"x: enc:v1:k:AAA/enc:v1:k:BBBB", b"a: 1\n# enc:v1:z:QQ==\n", b""])
        {
            rotate(&bytes);
        }
    }

    #[test]
    fn key_rings_never_panic_nor_echo_material() {
        for bytes in cases(&[
            b"k1:AAAA\n",
            b"bad id:Wd4Jk9TqWd4Jk9Tq\xe2\x98\x83",
            b"a:\nb:c:d",
            b"x\xe2\x98\x83:QUFB",
            b"2222222222222:222222222222\r5\x03",
        ]) {
            keys(&bytes);
        }
    }

    #[test]
    fn the_build_step_never_lets_a_secret_into_a_message() {
        let hostile = "1,\u{2603}x\u{e9}\0a: \u{e9}\u{e9}\0\u{e9}long-word\u{e9}\0base64:!\u{e9}\u{0}1,2,3\0k\u{e9}: 1\0{user: a}";
        let mut marked = vec![2_u8];
        marked.extend_from_slice(hostile.as_bytes());
        let yaml = "\u{1}pins: [1, \u{e9}]\nports: {\u{e9}: 1}\nword: \"\u{e9}\u{e9}\u{e9}\u{e9}\"\nlogin: {user: a, pin: \u{e9}}\n";
        for bytes in cases(&[&[0], hostile.as_bytes(), &marked, yaml.as_bytes()]) {
            build(&bytes);
            let mut odd = bytes.clone();
            odd.insert(0, 1);
            build(&odd);
        }
    }

    #[test]
    fn text_and_decode_never_let_a_secret_into_a_message() {
        for bytes in cases(&[b"\x0c1,\xc3\xa9,3", b"\x04\xe2\x98\x83", b"\x0d[\xc3\xa9", b"\x04base64:\xc3\xa9"]) {
            text(&bytes);
            decode(&bytes);
        }
    }

    #[test]
    fn yaml_and_dotenv_keep_their_invariants() {
        for bytes in cases(&[b"a: !\xc3\xa9\n", b"a: *x\n", b"A=1\nB='x'\n"]) {
            yaml(&bytes);
            dotenv(&bytes);
        }
    }
}
