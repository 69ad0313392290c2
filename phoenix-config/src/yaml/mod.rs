//! YAML files → [`Node`] trees with a line and column for every value.
//!
//! The tree is built directly from saphyr-parser's events (no intermediate
//! YAML tree), with an explicit stack instead of recursion, so that hostile
//! input fails fast with an [`Issue`] instead of exhausting the stack or the
//! memory:
//!
//! - nesting deeper than [`Limits::max_depth`] is an error (saphyr itself
//!   stops flow collections at 255 levels; that is reported the same way),
//!   and deeper than 255 levels whatever the limit says, block collections
//!   too: every later step (merging layers, converting, dropping the tree)
//!   walks the tree recursively, and must not exhaust a thread's stack;
//! - every value produced counts against [`Limits::max_nodes`], aliases
//!   expanded, and the count is checked *before* an alias is copied, so a
//!   "billion laughs" file stops after at most `max_nodes` copies;
//! - the text that aliases copy (and that anchors keep for them) counts
//!   against [`Limits::max_file_bytes`], so a long anchored value repeated
//!   by many aliases cannot blow the memory up either; the values anchors
//!   keep count against `max_nodes` on their own (nested anchors each keep
//!   a copy); a file without any `*` has no alias, and its anchors keep
//!   nothing;
//! - scalars keep their exact source text: `02134` stays the text `02134`,
//!   the caller converts it by the target type and the [`ScalarStyle`].
//!
//! Choices where YAML leaves room: one document per file; `<<` merge keys
//! (YAML 1.1) are supported, explicit keys winning over merged ones and
//! earlier merge sources over later ones; only the core tags `!!str` (and the
//! non-specific `!`), `!!int`, `!!float`, `!!bool`, `!!null` on scalars and
//! `!!map`/`!!seq` on their collections are accepted; an alias is a copy of
//! its anchored value, origins included (they say where the value was
//! written); a document that is only `---` counts as no document.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::Arc;

mod fast;

use saphyr_parser::{Event, Marker, Parser, ScalarStyle as YamlStyle, ScanError, Span, Tag};

use crate::limits::{DEPTH_CEILING, Limits};
use crate::node::{Entry, KeyIndex, Node, NodeKind, ScalarStyle, Text};
use crate::{Issue, IssueKind, Origin};

/// The UTF-8 byte-order mark, skipped at the start of a file.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The longest key YAML allows without `?` (a "simple key"), in characters.
const LONGEST_KEY: usize = 1024;

/// Parses one YAML file. `Ok(None)` for a file with no document (empty or only comments).
pub(crate) fn parse(bytes: &[u8], path: &Arc<str>, limits: &Limits) -> Result<Option<Node>, Vec<Issue>> {
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => return Err(vec![invalid_utf8(bytes, e.valid_up_to(), path)]),
    };
    if let Ok(tree) = fast::parse(text, path, limits) {
        return Ok(tree);
    }
    Builder::new(text, path, limits).run()
}

/// The general path alone (no fast path): for the fuzz target that checks
/// the two paths agree.
#[cfg(feature = "fuzzing")]
pub(crate) fn parse_general(text: &str, path: &Arc<str>, limits: &Limits) -> Result<Option<Node>, Vec<Issue>> {
    Builder::new(text, path, limits).run()
}

/// The fast path alone: `Err` when it leaves the file to the general path.
#[cfg(feature = "fuzzing")]
pub(crate) fn parse_fast(text: &str, path: &Arc<str>, limits: &Limits) -> Result<Option<Node>, ()> {
    fast::parse(text, path, limits).map_err(|_| ())
}

/// The issue for a file that is not UTF-8, at the line and column of the first bad byte.
fn invalid_utf8(bytes: &[u8], valid_up_to: usize, path: &Arc<str>) -> Issue {
    let prefix = &bytes[..valid_up_to];
    // YAML ends a line at `\n`, `\r\n` or a lone `\r`, as saphyr counts them.
    let line_start = prefix.iter().rposition(|&b| b == b'\n' || b == b'\r').map_or(0, |i| i + 1);
    // (A `\r` that ends the prefix is lone: the byte after it is the bad one.)
    let lone_cr = prefix.windows(2).filter(|w| w[0] == b'\r' && w[1] != b'\n').count()
        + usize::from(prefix.last() == Some(&b'\r'));
    let line = prefix.split(|&b| b == b'\n').count() + lone_cr;
    // The prefix is valid UTF-8: count the characters, not the bytes; and
    // show a bad byte inside a value at the value's start.
    let before = std::str::from_utf8(&prefix[line_start..]).unwrap_or_default();
    let column = before.chars().count().min(value_column(before).unwrap_or(usize::MAX)) + 1;
    Issue::new(
        IssueKind::Syntax,
        "",
        // Not the byte itself: it may belong to a secret.
        "the file is not valid utf-8 here; save it as utf-8",
    )
    .with_origin(Origin::File { path: path.clone(), line: to_u32(line), column: to_u32(column) })
}

/// Where the value of a `key: value` or `- value` line starts (a 0-based
/// column, in characters), when the line has one. A syntax error inside a
/// value is shown there, not at the bad character: the value may be a
/// secret (the parser cannot know), and a column inside it would tell its
/// length up to that character (DESIGN §7). The key and the indentation
/// before it are still pointed at exactly.
fn value_column(line: &str) -> Option<usize> {
    let mut rest = line.trim_start_matches(' ');
    while let Some(after) = rest.strip_prefix("- ") {
        rest = after.trim_start_matches(' ');
    }
    if rest.is_empty() || rest.starts_with('#') {
        return None;
    }
    let value = key_end(rest).map_or(rest, |end| rest[end..].trim_start_matches(' '));
    Some(line[..line.len() - value.len()].chars().count())
}

/// The lines of `src` as YAML (and saphyr) count them: each ends at `\n`,
/// `\r\n` or a lone `\r`.
fn yaml_lines(src: &str) -> impl Iterator<Item = &str> {
    src.split('\n').flat_map(|line| line.strip_suffix('\r').unwrap_or(line).split('\r'))
}

/// The byte just past `key:` (and its space) when `text` starts with a key.
fn key_end(text: &str) -> Option<usize> {
    let search_from = match text.as_bytes()[0] {
        quote @ (b'"' | b'\'') => 1 + text[1..].find(char::from(quote))?,
        _ => 0,
    };
    let colon = search_from
        + text[search_from..].find(": ").or_else(|| text.ends_with(':').then(|| text.len() - 1 - search_from))?;
    Some(colon + 1)
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A value that carries an anchor (`&name`), kept to be copied by its aliases.
struct Anchored {
    node: Node,
    /// How many values the node is made of (itself, keys and descendants).
    count: usize,
    /// 0 for a scalar, 1 for a collection of scalars, and so on.
    height: usize,
    /// The bytes of text in it (keys and scalars).
    bytes: u64,
}

/// A collection being built.
struct Frame {
    origin: Origin,
    anchor: usize,
    /// `Builder::nodes` before this collection was counted.
    nodes_before: usize,
    /// `Builder::bytes` when this collection opened.
    bytes_before: u64,
    /// 1 + the height of the highest child.
    height: usize,
    kind: FrameKind,
}

enum FrameKind {
    Seq(Vec<Node>),
    Map(MapFrame),
}

/// What a map expects next.
enum Pending {
    Key,
    Value(Text, Origin),
    /// The value of a `<<` merge key written there.
    Merge(Origin),
    /// The value of a key that was rejected (duplicate, not a scalar).
    Skip,
}

struct MapFrame {
    entries: Vec<Entry>,
    pending: Pending,
    /// Finds keys (a scan while the map is small, a hash once it is large).
    index: KeyIndex,
    /// The line of the `<<` key, once seen.
    merge_line: Option<u32>,
    /// Where the merged entries go, and the maps they come from.
    merge: Option<(usize, Vec<Node>)>,
}

/// Shows a key or a tag in a message: shortened when long, and with
/// control characters escaped (a quoted key or a `%0a` in a tag holds a
/// line break; an issue displays on one line).
fn shown(key: &str) -> Cow<'_, str> {
    crate::message::shorten(key, 60)
}

fn line_of(origin: &Origin) -> u32 {
    match origin {
        Origin::File { line, .. } => *line,
        _ => 0,
    }
}

impl MapFrame {
    fn new() -> Self {
        MapFrame {
            entries: Vec::new(),
            pending: Pending::Key,
            index: KeyIndex::growing(),
            merge_line: None,
            merge: None,
        }
    }

    /// Takes the next key or value; `outer` are the collections around
    /// this map (they say its path).
    fn attach(&mut self, node: Node, issues: &mut Vec<Issue>, outer: Around<'_>) {
        match std::mem::replace(&mut self.pending, Pending::Key) {
            Pending::Key => self.pending = self.key(node, issues, outer),
            Pending::Value(key, key_origin) => {
                crate::secret::push_wiped(&mut self.entries, Entry { key, key_origin, value: node });
                self.index.pushed(&self.entries);
            }
            Pending::Merge(key_origin) => self.merge_value(node, key_origin, issues),
            Pending::Skip => {}
        }
    }

    fn key(&mut self, node: Node, issues: &mut Vec<Issue>, outer: Around<'_>) -> Pending {
        let what = node.describe();
        match node.kind {
            NodeKind::Scalar { text, style } => {
                if style == ScalarStyle::Plain && text == "<<" {
                    if let Some(first) = self.merge_line {
                        issues.push(syntax(
                            node.origin,
                            format!("duplicate merge key `<<` (the first is at line {first}); merge several maps with `<<: [*a, *b]`"),
                        ));
                        return Pending::Skip;
                    }
                    self.merge_line = Some(line_of(&node.origin));
                    return Pending::Merge(node.origin);
                }
                if let Some(i) = self.index.find(&self.entries, text.as_bytes()) {
                    issues.push(duplicate(&text, line_of(&self.entries[i].key_origin), node.origin, outer));
                    return Pending::Skip;
                }
                Pending::Value(text, node.origin)
            }
            NodeKind::Null => Pending::Value(Text::from(""), node.origin),
            NodeKind::Seq(_) | NodeKind::Map(_) => {
                issues.push(syntax(
                    node.origin,
                    format!("a map key must be a single value, not {what}; write the key as plain text"),
                ));
                Pending::Skip
            }
        }
    }

    /// The value of `<<`: a map, or a list of maps.
    fn merge_value(&mut self, node: Node, key_origin: Origin, issues: &mut Vec<Issue>) {
        let sources = match node.kind {
            NodeKind::Map(_) => vec![node],
            NodeKind::Seq(items) if items.iter().all(|n| matches!(n.kind, NodeKind::Map(_))) => items,
            _ => {
                issues.push(syntax(
                    key_origin,
                    "the merge key `<<` takes a map or a list of maps, such as `<<: *base` or `<<: [*a, *b]`",
                ));
                return;
            }
        };
        self.merge = Some((self.entries.len(), sources));
    }

    /// The entries, merged ones included: explicit keys win over merged
    /// ones, and earlier merge sources over later ones. Merged entries go
    /// where the `<<` key was and keep their origins.
    fn finish(self) -> Vec<Entry> {
        let MapFrame { mut entries, index, merge, .. } = self;
        let Some((at, sources)) = merge else { return entries };
        let mut merged: Vec<Entry> = Vec::new();
        let mut merged_index = KeyIndex::growing();
        for source in sources {
            let NodeKind::Map(source) = source.kind else { continue };
            for entry in source {
                if index.find(&entries, entry.key.as_bytes()).is_none()
                    && merged_index.find(&merged, entry.key.as_bytes()).is_none()
                {
                    crate::secret::push_wiped(&mut merged, entry);
                    merged_index.pushed(&merged);
                }
            }
        }
        crate::secret::reserve_wiped(&mut entries, merged.len());
        if at == entries.len() {
            entries.append(&mut merged);
        } else {
            entries.splice(at..at, merged);
        }
        entries
    }
}

/// A duplicate key: named, unless the map turns out to be a secret (the
/// keys of a secret map are part of it; the loader decides).
/// The collections around a map being read.
#[derive(Clone, Copy)]
struct Around<'a> {
    /// The frames outside it, outermost first (they say its path).
    outer: &'a [Frame],
    /// Whether it or a collection around it carries an anchor (`&name`).
    anchored: bool,
}

/// A duplicate key: named unless the map is a secret's (the loader knows,
/// by the map's path) or anchored (an alias may copy it into a secret).
fn duplicate(key: &str, first: u32, origin: Origin, around: Around<'_>) -> Issue {
    let without = format!("duplicate key (the first is at line {first}); remove one of them");
    if around.anchored {
        return syntax(origin, without);
    }
    let message = format!("duplicate key `{}` (the first is at line {first}); remove one of them", shown(key));
    syntax(origin, message).naming_a_key_of(path_of(around.outer), without)
}

/// The dotted path of the collection inside `outer` (`db.tokens`,
/// `proxies[1]`): each map's key being read, each list's next index. A map
/// merged with `<<` adds nothing: its entries land in the map around it.
fn path_of(outer: &[Frame]) -> String {
    let mut path = String::new();
    for frame in outer {
        match &frame.kind {
            FrameKind::Seq(items) => {
                let _ = write!(path, "[{}]", items.len());
            }
            FrameKind::Map(MapFrame { pending: Pending::Value(key, _), .. }) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            FrameKind::Map(_) => {}
        }
    }
    path
}

fn syntax(origin: Origin, message: impl Into<String>) -> Issue {
    Issue::new(IssueKind::Syntax, "", message).with_origin(origin)
}

/// What a tag asks of a node.
enum TagUse {
    /// `!!str`, `!`: the scalar is a string.
    Str,
    /// `!!int`, `!!float`, `!!bool`, `!!null`: the scalar is typed from its text.
    Typed,
    /// `!!map`, `!!seq`.
    Map,
    Seq,
    Unsupported,
}

fn tag_use(tag: &Tag) -> TagUse {
    if tag.is_yaml_core_schema() {
        match tag.suffix.as_str() {
            "str" => TagUse::Str,
            "int" | "float" | "bool" | "null" => TagUse::Typed,
            "map" => TagUse::Map,
            "seq" => TagUse::Seq,
            _ => TagUse::Unsupported,
        }
    } else if tag.handle.is_empty() && tag.suffix == "!" {
        TagUse::Str
    } else {
        TagUse::Unsupported
    }
}

/// Builds the tree from the events of one file.
struct Builder<'a> {
    src: &'a str,
    path: &'a Arc<str>,
    limits: &'a Limits,
    stack: Vec<Frame>,
    /// By anchor id; `None` while the anchored value is being built.
    anchors: Vec<Option<Anchored>>,
    /// Values produced so far, aliases expanded.
    nodes: usize,
    /// Bytes of text (keys and scalars) produced so far, aliases expanded.
    bytes: u64,
    /// Whether the file can hold an alias at all (it has a `*`); without
    /// one, anchored values need no copy.
    aliases_possible: bool,
    /// Values copied for anchors, to be copied again by their aliases.
    kept_nodes: usize,
    /// Bytes of text copied for anchors and by aliases.
    copied_bytes: u64,
    /// Problems that do not stop the parse.
    issues: Vec<Issue>,
}

impl<'a> Builder<'a> {
    fn new(src: &'a str, path: &'a Arc<str>, limits: &'a Limits) -> Self {
        Builder {
            src,
            path,
            limits,
            stack: Vec::new(),
            anchors: Vec::new(),
            nodes: 0,
            bytes: 0,
            aliases_possible: src.contains('*'),
            kept_nodes: 0,
            copied_bytes: 0,
            issues: Vec::new(),
        }
    }

    fn run(mut self) -> Result<Option<Node>, Vec<Issue>> {
        match self.events() {
            Ok(root) if self.issues.is_empty() => Ok(root),
            Ok(_) => Err(self.issues),
            Err(fatal) => {
                self.issues.push(fatal);
                Err(self.issues)
            }
        }
    }

    /// Reads every event; `Err` for a problem that stops the parse.
    fn events(&mut self) -> Result<Option<Node>, Issue> {
        let mut parser = Parser::new_from_str(self.src);
        let mut documents = 0_u32;
        let mut root = None;
        while let Some(next) = parser.next_event() {
            let (event, span) = next.map_err(|e| self.scan_error(&e))?;
            let done = match event {
                Event::StreamStart | Event::DocumentEnd | Event::Nothing => None,
                Event::StreamEnd => break,
                Event::DocumentStart(_) => {
                    documents += 1;
                    if documents > 1 {
                        return Err(self.issue(
                            span.start,
                            "a second document starts here, but a configuration file holds one document; \
                             remove the `---` line or move the second document to its own file",
                        ));
                    }
                    None
                }
                Event::Scalar(text, style, anchor, tag) => self.scalar(text, style, anchor, tag.as_deref(), span)?,
                Event::SequenceStart(anchor, tag) => {
                    self.open(FrameKind::Seq(Vec::new()), anchor, tag.as_deref(), span)?;
                    None
                }
                Event::MappingStart(anchor, tag) => {
                    self.open(FrameKind::Map(MapFrame::new()), anchor, tag.as_deref(), span)?;
                    None
                }
                Event::SequenceEnd | Event::MappingEnd => self.close()?,
                Event::Alias(id) => self.alias(id, span)?,
            };
            if done.is_some() {
                root = done;
            }
        }
        // A document that is only `---` holds nothing.
        Ok(root.filter(
            |node| !matches!(&node.kind, NodeKind::Scalar { text, style: ScalarStyle::Plain } if text.is_empty()),
        ))
    }

    fn origin(&self, at: Marker) -> Origin {
        Origin::File { path: self.path.clone(), line: to_u32(at.line()), column: to_u32(at.col() + 1) }
    }

    fn issue(&self, at: Marker, message: impl Into<String>) -> Issue {
        syntax(self.origin(at), message)
    }

    /// A scanner's error at `at`, shown no further right than the start of
    /// the line's value (see [`value_column`]).
    fn scan_issue(&self, at: Marker, message: impl Into<String>) -> Issue {
        let line = at.line().checked_sub(1).and_then(|i| yaml_lines(self.src).nth(i));
        let column = match line.and_then(value_column) {
            Some(start) if at.col() > start => start,
            _ => at.col(),
        };
        syntax(Origin::File { path: self.path.clone(), line: to_u32(at.line()), column: to_u32(column + 1) }, message)
    }

    /// Counts one more value.
    fn count(&mut self, at: Marker) -> Result<(), Issue> {
        self.nodes += 1;
        if self.nodes > self.limits.max_nodes { Err(self.too_many(at)) } else { Ok(()) }
    }

    fn too_many(&self, at: Marker) -> Issue {
        self.issue(
            at,
            format!(
                "the file holds more than {} values, aliases expanded; remove repeated aliases, \
                 or raise `Limits::max_nodes` if the file is trusted",
                self.limits.max_nodes
            ),
        )
    }

    fn too_many_kept(&self, origin: Origin) -> Issue {
        syntax(
            origin,
            format!(
                "anchors (`&name`) keep copies of more than {} values for their aliases; anchor fewer or smaller \
                 values, or raise `Limits::max_nodes` if the file is trusted",
                self.limits.max_nodes
            ),
        )
    }

    fn too_much_copied(&self, origin: Origin) -> Issue {
        syntax(
            origin,
            format!(
                "anchors and aliases copy more than {} bytes of text; remove repeated aliases of long values, \
                 or raise `Limits::max_file_bytes` if the file is trusted",
                self.limits.max_file_bytes
            ),
        )
    }

    /// Counts text copied for an anchor or by an alias.
    fn copy_bytes(&mut self, bytes: u64, origin: &Origin) -> Result<(), Issue> {
        self.copied_bytes = self.copied_bytes.saturating_add(bytes);
        if self.copied_bytes > self.limits.max_file_bytes { Err(self.too_much_copied(origin.clone())) } else { Ok(()) }
    }

    /// The deepest nesting read: the limit, at most [`DEPTH_CEILING`].
    fn max_depth(&self) -> usize {
        self.limits.max_depth.min(DEPTH_CEILING)
    }

    fn too_deep(&self, at: Marker) -> Issue {
        let message = if self.limits.max_depth > DEPTH_CEILING {
            format!(
                "maps and lists nest deeper than {DEPTH_CEILING} levels, the most phoenix-config reads \
                 whatever `Limits::max_depth` says; flatten the file"
            )
        } else {
            format!(
                "maps and lists nest deeper than {} levels; flatten the file, \
                 or raise `Limits::max_depth` if the file is trusted",
                self.limits.max_depth
            )
        };
        self.issue(at, message)
    }

    fn unsupported_tag(&self, at: Marker, what: &str) -> Issue {
        self.issue(
            at,
            // Not the tag's text: on a secret's line it may be the secret.
            format!(
                "unsupported tag on {what}; remove it (understood: `!!str`, `!!int`, `!!float`, `!!bool`, \
                 `!!null` on single values, `!!map` and `!!seq`), or quote a value that starts with `!`"
            ),
        )
    }

    fn scalar(
        &mut self,
        text: Cow<'_, str>,
        style: YamlStyle,
        anchor: usize,
        tag: Option<&Tag>,
        span: Span,
    ) -> Result<Option<Node>, Issue> {
        self.count(span.start)?;
        let bytes = text.len() as u64;
        self.bytes += bytes;
        let mut style = match style {
            YamlStyle::Plain => ScalarStyle::Plain,
            YamlStyle::SingleQuoted | YamlStyle::DoubleQuoted => ScalarStyle::Quoted,
            YamlStyle::Literal | YamlStyle::Folded => ScalarStyle::Block,
        };
        if let Some(tag) = tag {
            match tag_use(tag) {
                TagUse::Str => style = ScalarStyle::Quoted,
                TagUse::Typed => style = ScalarStyle::Plain,
                TagUse::Map | TagUse::Seq | TagUse::Unsupported => {
                    let issue = self.unsupported_tag(span.start, "a single value");
                    self.issues.push(issue);
                }
            }
        }
        let node = Node { kind: NodeKind::Scalar { text: text.into(), style }, origin: self.origin(span.start) };
        if anchor != 0 {
            self.anchor(anchor, &node, 1, 0, bytes)?;
        }
        Ok(self.attach(node, 0))
    }

    fn open(&mut self, kind: FrameKind, anchor: usize, tag: Option<&Tag>, span: Span) -> Result<(), Issue> {
        let nodes_before = self.nodes;
        self.count(span.start)?;
        if self.stack.len() >= self.max_depth() {
            return Err(self.too_deep(span.start));
        }
        if let Some(tag) = tag {
            match (tag_use(tag), &kind) {
                (TagUse::Map, FrameKind::Map(_)) | (TagUse::Seq, FrameKind::Seq(_)) => {}
                (_, kind) => {
                    let what = if matches!(kind, FrameKind::Map(_)) { "a map" } else { "a list" };
                    let issue = self.unsupported_tag(span.start, what);
                    self.issues.push(issue);
                }
            }
        }
        if anchor != 0 {
            // Known to saphyr, not complete yet: an alias to it is recursive.
            self.reserve_anchor(anchor);
        }
        let bytes_before = self.bytes;
        self.stack.push(Frame { origin: self.origin(span.start), anchor, nodes_before, bytes_before, height: 1, kind });
        Ok(())
    }

    fn close(&mut self) -> Result<Option<Node>, Issue> {
        let Some(frame) = self.stack.pop() else { return Ok(None) };
        let kind = match frame.kind {
            FrameKind::Seq(items) => NodeKind::Seq(items),
            FrameKind::Map(map) => NodeKind::Map(map.finish()),
        };
        let node = Node { kind, origin: frame.origin };
        if frame.anchor != 0 {
            let (count, bytes) = (self.nodes - frame.nodes_before, self.bytes - frame.bytes_before);
            self.anchor(frame.anchor, &node, count, frame.height, bytes)?;
        }
        Ok(self.attach(node, frame.height))
    }

    fn reserve_anchor(&mut self, id: usize) {
        if self.anchors.len() <= id {
            self.anchors.resize_with(id + 1, || None);
        }
        self.anchors[id] = None;
    }

    /// Keeps a copy of an anchored value (of `count` values, `height`
    /// levels and `bytes` of text) for its aliases, within the limits.
    fn anchor(&mut self, id: usize, node: &Node, count: usize, height: usize, bytes: u64) -> Result<(), Issue> {
        self.reserve_anchor(id);
        if !self.aliases_possible {
            return Ok(());
        }
        self.kept_nodes = self.kept_nodes.saturating_add(count);
        if self.kept_nodes > self.limits.max_nodes {
            return Err(self.too_many_kept(node.origin.clone()));
        }
        self.copy_bytes(bytes, &node.origin)?;
        self.anchors[id] = Some(Anchored { node: node.clone(), count, height, bytes });
        Ok(())
    }

    fn alias(&mut self, id: usize, span: Span) -> Result<Option<Node>, Issue> {
        let Some(Some(anchored)) = self.anchors.get(id) else {
            return Err(self.issue(
                span.start,
                "this alias is inside the value its anchor marks; a value cannot contain itself".to_owned(),
            ));
        };
        // Check before copying: a "billion laughs" file stops here.
        if self.nodes + anchored.count > self.limits.max_nodes {
            return Err(self.too_many(span.start));
        }
        if self.stack.len() + anchored.height > self.max_depth() {
            return Err(self.too_deep(span.start));
        }
        let (count, bytes, height) = (anchored.count, anchored.bytes, anchored.height);
        self.copy_bytes(bytes, &self.origin(span.start))?;
        let Some(Some(anchored)) = self.anchors.get(id) else { unreachable!("checked above") };
        let node = anchored.node.clone();
        self.nodes += count;
        self.bytes += bytes;
        Ok(self.attach(node, height))
    }

    /// Puts a finished node into the collection being built; returns it when it is the root.
    fn attach(&mut self, node: Node, height: usize) -> Option<Node> {
        let Some((parent, outer)) = self.stack.split_last_mut() else { return Some(node) };
        parent.height = parent.height.max(height + 1);
        match &mut parent.kind {
            FrameKind::Seq(items) => crate::secret::push_wiped(items, node),
            FrameKind::Map(map) => {
                // An anchored map may be copied anywhere, a secret included.
                let anchored = parent.anchor != 0 || outer.iter().any(|f| f.anchor != 0);
                map.attach(node, &mut self.issues, Around { outer, anchored });
            }
        }
        None
    }

    /// A saphyr error, in words that say what to fix.
    fn scan_error(&self, e: &ScanError) -> Issue {
        let at = *e.marker();
        if let Some(message) = rarer_message(e.info()) {
            return self.scan_issue(at, message);
        }
        let message = match e.info() {
            "tabs disallowed within this context (block indentation)"
            | "tabs disallowed in this context"
            | "tab cannot be used as indentation"
            | "while scanning a plain scalar, found a tab"
            | "a block scalar content cannot start with a tab" => {
                "a tab is used for indentation; indent with spaces only".to_owned()
            }
            "while parsing a block mapping, did not find expected key"
            | "while parsing a block collection, did not find expected '-' indicator"
            | "invalid indentation"
            | "wrongly indented line in block scalar" => {
                "bad indentation; keys of one map (and items of one list) must start at the same column".to_owned()
            }
            "while scanning a quoted scalar, found unexpected end of stream"
            | "invalid indentation in quoted scalar" => "this quoted value is not closed; add the closing quote \
                 (a quoted value that goes on over several lines must indent them)"
                .to_owned(),
            "mapping values are not allowed in this context" | "simple key expect ':'" if at.col() >= LONGEST_KEY => {
                format!(
                    "a key longer than {LONGEST_KEY} characters must be written as an explicit key: \
                     `? key` on one line, `: value` on the next"
                )
            }
            "illegal placement of ':' indicator" => "unexpected `:`; a `[` list or `{` map above may not be \
                 closed (end it with `]` or `}`), or quote a value that contains `:`"
                .to_owned(),
            "mapping values are not allowed in this context" => {
                "unexpected `:`; quote a value that contains `: `, or fix the indentation".to_owned()
            }
            "simple key expect ':'" => {
                "expected `key: value`; a line above holds a key without its `:`, or text that belongs to no key"
                    .to_owned()
            }
            "invalid trailing content after double-quoted scalar" => {
                "unexpected text after the closing quote; quote the whole value".to_owned()
            }
            "while parsing a quoted scalar, found unknown escape character" => {
                "unknown escape in a double-quoted value; write `\\\\` for a backslash, or use single quotes".to_owned()
            }
            "while scanning an anchor or alias, did not find expected alphabetic or numeric character" => {
                "`&` and `*` start an anchor or an alias and must be followed by its name; \
                 quote a value that starts with `&` or `*`"
                    .to_owned()
            }
            info if info.starts_with("unexpected character: `@") || info.starts_with("unexpected character: ``") => {
                "`@` and `` ` `` are reserved in yaml and cannot start a value; quote the value".to_owned()
            }
            "block sequence entries are not allowed in this context" => {
                "a list item `-` cannot start here; put the list on the next lines, indented below its key".to_owned()
            }
            "while parsing a flow sequence, expected ',' or ']'" => {
                "this `[` list is not closed; separate items with `,` and end the list with `]`".to_owned()
            }
            "while parsing a flow mapping, did not find expected ',' or '}'" => {
                "this `{` map is not closed; separate entries with `,` and end the map with `}`".to_owned()
            }
            // `[` or `{` at the end of the file, or a value that is `,`.
            "while parsing a node, did not find expected node content" => "a value is missing here; a `[` list \
                 or `{` map above may not be closed (end it with `]` or `}`), or quote a value that starts with `,`"
                .to_owned(),
            "misplaced bracket" => "a closing bracket without an opening one; remove it".to_owned(),
            // Not the alias's name: on a secret's line it may be the secret.
            "while parsing node, found unknown anchor" => "this alias (`*name`) refers to no anchor; define \
                 `&name` on a value above it, or quote a value that starts with `*`"
                .to_owned(),
            "recursion limit exceeded" if self.max_depth() < DEPTH_CEILING => return self.too_deep(at),
            "recursion limit exceeded" => "`[` and `{` nest deeper than 255 levels, the most the yaml parser \
                                           supports; flatten the file"
                .to_owned(),
            // Not the character: it may belong to a secret.
            info if info.starts_with("unexpected character") => {
                "unexpected character; quote the value if it starts with a yaml indicator (`%`, `!`, `&`, `*`, `|`, `>`)"
                    .to_owned()
            }
            info if info.contains(['`', '\'', '"']) => "invalid yaml; quote the value".to_owned(),
            info => format!("invalid yaml: {info}"),
        };
        self.scan_issue(at, message)
    }
}

/// Messages of mistakes rarer than those of [`Builder::scan_error`]'s own
/// arms, in words that say the fix; `None` for the others.
fn rarer_message(info: &str) -> Option<&'static str> {
    let message = match info {
        "invalid indentation in flow construct" => {
            "a `[` list or `{` map that goes on over several lines \
                 must indent them deeper than its key; indent the line, or write the list on one line"
        }
        "while parsing a quoted scalar, did not find expected hexadecimal number"
        | "while parsing a quoted scalar, found invalid Unicode character escape code" => {
            "a `\\x`, `\\u` or `\\U` escape in a double-quoted value needs 2, 4 or 8 hexadecimal digits of a \
                 character; write `\\\\` for a backslash, or use single quotes"
        }
        "while scanning a block scalar, found an indentation indicator equal to 0" => {
            "the indentation digit after `|` or `>` must be 1 to 9; remove it to let the first line set it"
        }
        "while scanning a block scalar, did not find expected comment or line break" => {
            "after `|` or `>` only \
                 `-` or `+`, an indentation digit and a comment may follow; start the text on the next line, indented"
        }
        "while scanning a quoted scalar, found unexpected document indicator" => {
            "a line `---` or `...` inside a \
                 quoted value ends the document; indent that line, or close the quote before it"
        }
        "comment intercepting the multiline text" => {
            "a comment cannot stand between the lines of a value that \
                 goes on over several lines; move the comment, or quote the value"
        }
        "a byte order mark must not appear inside a document" => {
            "a byte order mark (U+FEFF) inside the file; remove it (only the file's first character may be one)"
        }
        "mapping keys are not allowed in this context" => {
            "unexpected `?`; it starts an explicit key and cannot follow `key:`; quote a value that starts with `?`"
        }
        _ => return None,
    };
    Some(message)
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::*;

    fn path() -> Arc<str> {
        "c.yaml".into()
    }

    fn at(line: u32, column: u32) -> Origin {
        Origin::File { path: path(), line, column }
    }

    fn ok(src: &str) -> Node {
        match parse(src.as_bytes(), &path(), &Limits::default()) {
            Ok(Some(node)) => node,
            other => panic!("expected a tree for {src:?}, got {other:?}"),
        }
    }

    fn errors_with(src: &[u8], limits: &Limits) -> Vec<Issue> {
        match parse(src, &path(), limits) {
            Err(issues) => {
                for issue in &issues {
                    assert_eq!(issue.kind(), IssueKind::Syntax);
                    assert_eq!(issue.path(), "");
                    let message = issue.message();
                    assert!(!message.ends_with('.'), "{message}");
                    assert!(!message.starts_with(char::is_uppercase), "{message}");
                }
                issues
            }
            other => panic!("expected an error for {:?}, got {other:?}", String::from_utf8_lossy(src)),
        }
    }

    fn errors(src: &str) -> Vec<Issue> {
        errors_with(src.as_bytes(), &Limits::default())
    }

    /// The only issue, as `line:column: message`.
    fn error(src: &str) -> String {
        let issues = errors(src);
        assert_eq!(issues.len(), 1, "{issues:?}");
        short(&issues[0])
    }

    fn short(issue: &Issue) -> String {
        issue.to_string().trim_start_matches("c.yaml:").to_owned()
    }

    fn text(node: &Node) -> (&str, ScalarStyle) {
        match &node.kind {
            NodeKind::Scalar { text, style } => (text, *style),
            other => panic!("not a scalar: {other:?}"),
        }
    }

    fn items(node: &Node) -> &[Node] {
        match &node.kind {
            NodeKind::Seq(items) => items,
            other => panic!("not a list: {other:?}"),
        }
    }

    fn keys(node: &Node) -> Vec<&str> {
        node.entries().expect("a map").iter().map(|e| e.key.as_str()).collect()
    }

    #[test]
    fn scalars_keep_their_text_and_style() {
        let root = ok("zip: 02134\nver: 1.10\nq: '02134'\nd: \"a\\tb\"\nb: |\n  line\nf: >\n  one\n  two\nn: ~\ne:\n");
        assert_eq!(text(root.get("zip").unwrap()), ("02134", ScalarStyle::Plain));
        assert_eq!(text(root.get("ver").unwrap()), ("1.10", ScalarStyle::Plain));
        assert_eq!(text(root.get("q").unwrap()), ("02134", ScalarStyle::Quoted));
        assert_eq!(text(root.get("d").unwrap()), ("a\tb", ScalarStyle::Quoted));
        assert_eq!(text(root.get("b").unwrap()), ("line\n", ScalarStyle::Block));
        assert_eq!(text(root.get("f").unwrap()), ("one two\n", ScalarStyle::Block));
        assert_eq!(text(root.get("n").unwrap()), ("~", ScalarStyle::Plain));
        assert_eq!(text(root.get("e").unwrap()), ("", ScalarStyle::Plain));
        assert_eq!(keys(&root), ["zip", "ver", "q", "d", "b", "f", "n", "e"]);
    }

    #[test]
    fn every_value_and_key_has_its_line_and_column() {
        let root = ok(
            "# comment\ndatabase:\n  name: phoenix\n  hosts:\n    - a\n    - \"b\"\nflow: {x: 1, y: [2, 3]}\nempty:\n",
        );
        assert_eq!(root.origin, at(2, 1));
        let db = root.get("database").unwrap();
        assert_eq!(db.origin, at(3, 3));
        let entry = &db.entries().unwrap()[0];
        assert_eq!((entry.key.as_str(), &entry.key_origin), ("name", &at(3, 3)));
        assert_eq!(entry.value.origin, at(3, 9));
        assert_eq!(db.entries().unwrap()[1].key_origin, at(4, 3));
        let hosts = db.get("hosts").unwrap();
        assert_eq!(hosts.origin, at(5, 5));
        assert_eq!(items(hosts)[0].origin, at(5, 7));
        assert_eq!(items(hosts)[1].origin, at(6, 7));
        let flow = root.get("flow").unwrap();
        assert_eq!(flow.origin, at(7, 7));
        assert_eq!(flow.entries().unwrap()[0].key_origin, at(7, 8));
        assert_eq!(flow.get("x").unwrap().origin, at(7, 11));
        let list = flow.get("y").unwrap();
        assert_eq!(list.origin, at(7, 17));
        assert_eq!(items(list)[1].origin, at(7, 21));
        assert_eq!(text(&items(list)[1]), ("3", ScalarStyle::Plain));
        // An empty value points at its key.
        assert_eq!(root.get("empty").unwrap().origin, at(8, 6));
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let root = ok("é: ü\nliste: [α, β]\n");
        assert_eq!(root.get("é").unwrap().origin, at(1, 4));
        assert_eq!(items(root.get("liste").unwrap())[1].origin, at(2, 12));
    }

    #[test]
    fn flow_collections() {
        let root = ok("{a: 1, b: [1, 2], c: {}}");
        assert_eq!(keys(&root), ["a", "b", "c"]);
        assert_eq!(items(root.get("b").unwrap()).len(), 2);
        assert_eq!(root.get("c").unwrap().entries().unwrap().len(), 0);
        let list = ok("[1, 2]");
        assert_eq!(text(&items(&list)[1]), ("2", ScalarStyle::Plain));
    }

    #[test]
    fn top_level_scalar_or_list_is_returned_as_is() {
        assert_eq!(text(&ok("just text")), ("just text", ScalarStyle::Plain));
        assert_eq!(items(&ok("- a\n- b\n")).len(), 2);
    }

    #[test]
    fn no_document_is_none() {
        let limits = Limits::default();
        for src in ["", "\n\n", "# only a comment\n  # another\n", "---\n", "...\n", "\u{feff}"] {
            assert_eq!(parse(src.as_bytes(), &path(), &limits), Ok(None), "{src:?}");
        }
        assert_eq!(text(&ok("--- ~\n")), ("~", ScalarStyle::Plain));
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let root = ok("\u{feff}a: 1\n");
        assert_eq!(root.entries().unwrap()[0].key_origin, at(1, 1));
        assert_eq!(root.get("a").unwrap().origin, at(1, 4));
    }

    #[test]
    fn crlf_line_ends() {
        let root = ok("a: 1\r\nb:\r\n  - x\r\n");
        assert_eq!(text(root.get("a").unwrap()).0, "1");
        assert_eq!(items(root.get("b").unwrap())[0].origin, at(3, 5));
    }

    #[test]
    fn invalid_utf8_is_reported_at_its_line_and_column() {
        let issues = errors_with(b"a: 1\nbb: caf\xe9\n", &Limits::default());
        assert_eq!(issues.len(), 1);
        assert_eq!(short(&issues[0]), "2:5: the file is not valid utf-8 here; save it as utf-8");
        let mut bytes = "é: üü".as_bytes().to_vec();
        bytes.push(0xff);
        let issues = errors_with(&bytes, &Limits::default());
        assert_eq!(short(&issues[0]), "1:4: the file is not valid utf-8 here; save it as utf-8");
    }

    #[test]
    fn scan_errors_point_at_the_problem() {
        assert_eq!(error("a:\n\tb: 1\n"), "2:2: a tab is used for indentation; indent with spaces only");
        assert!(error("a:\n  b: 1\n c: 2\n").starts_with("3:2: bad indentation"));
        assert!(error("a: \"abc\nb: 1\n").starts_with("1:4: this quoted value is not closed"));
        assert!(error("a: 'abc\n").starts_with("1:4: this quoted value is not closed"));
        assert!(error("a: [1, 2\n").starts_with("2:1: this `[` list is not closed"));
        // A key on the line after an unclosed `[`: the `:` is what saphyr sees.
        assert!(
            error("server:\n  tags: [a, b\napi_token: x\n")
                .starts_with("3:10: unexpected `:`; a `[` list or `{` map above may not be closed"),
        );
        // The file ends inside a `[` list or `{` map, or a value is `,`.
        for (src, at) in [("pool: [\n", "2:1"), ("a: {b: \n", "2:1"), ("a: [1, \n", "2:1"), ("a: ,\n", "1:4")] {
            assert!(error(src).starts_with(&format!("{at}: a value is missing here; a `[` list")), "{}", error(src));
        }
        assert!(error("a: b: c\n").starts_with("1:4: unexpected `:`"));
        assert!(error("a: ]\n").contains("closing bracket"), "{}", error("a: ]\n"));
    }

    #[test]
    fn errors_inside_a_value_are_shown_at_its_start() {
        // A column inside the value would tell a secret's length up to the
        // bad character.
        assert!(
            error("db:\n  uri: SECRET: x\n").starts_with("2:8: unexpected `:`"),
            "{}",
            error("db:\n  uri: SECRET: x\n")
        );
        let issues = errors_with(b"db:\n  uri: SECRET\xffX\n", &Limits::default());
        assert_eq!(short(&issues[0]), "2:8: the file is not valid utf-8 here; save it as utf-8");
        assert!(error("- - 'SECRET' x\n").starts_with("1:5: unexpected text after the closing quote"));
        assert!(error("\"a key\": SECRET: x\n").starts_with("1:10: unexpected `:`"));
        // Mistakes before the value are still pointed at exactly.
        assert!(error("a:\n  b: 1\n c: 2\n").starts_with("3:2: bad indentation"));
        assert_eq!(value_column("  - key: value"), Some(9));
        assert_eq!(value_column("key:"), Some(4));
        assert_eq!(value_column("- plain"), Some(2));
        assert_eq!(value_column("'k: x': v"), Some(8));
        assert_eq!((value_column("   "), value_column("# c")), (None, None));
        assert_eq!(yaml_lines("a\rb\r\nc\nd").collect::<Vec<_>>(), ["a", "b", "c", "d"]);
    }

    #[test]
    fn rarer_scan_errors_in_words() {
        for (src, expected) in [
            ("a: [1,\n2]\n", "2:1: a `[` list or `{` map that goes on over several lines must indent them deeper"),
            ("a: \"\\x4\"\n", "1:4: a `\\x`, `\\u` or `\\U` escape in a double-quoted value needs 2, 4 or 8"),
            ("a: \"\\u12\"\n", "1:4: a `\\x`, `\\u` or `\\U` escape"),
            ("a: |0\n  x\n", "1:4: the indentation digit after `|` or `>` must be 1 to 9"),
            ("a: |x\n", "1:4: after `|` or `>` only `-` or `+`, an indentation digit and a comment may follow"),
            ("a: \"x\n---\n\"\n", "1:4: a line `---` or `...` inside a quoted value ends the document"),
            ("a: 1 #c\n b\n", "1:4: a comment cannot stand between the lines of a value"),
            ("\u{feff}a: 1\n\u{feff}b: 2\n", "2:1: a byte order mark (U+FEFF) inside the file"),
            ("a: ? b\n", "1:4: unexpected `?`; it starts an explicit key"),
        ] {
            let got = error(src);
            assert!(got.starts_with(expected), "{src:?}: {got}");
            assert!(!got.contains("invalid yaml"), "{src:?}: {got}");
        }
    }

    #[test]
    fn scan_errors_in_words() {
        assert_eq!(
            error("a: 1\nb\nc: 2\n"),
            "3:1: expected `key: value`; a line above holds a key without its `:`, or text that belongs to no key"
        );
        let long = "k".repeat(1100);
        assert!(
            error(&format!("{long}: 1\n"))
                .starts_with("1:1101: a key longer than 1024 characters must be written as an explicit key")
        );
        assert!(error(&format!("a: 1\n{long}: 1\n")).contains("a key longer than 1024 characters"));
        assert_eq!(keys(&ok(&format!("? {long}\n: 1\n"))), [long.as_str()]);
        assert_eq!(error("a: 'x' y\n"), "1:4: unexpected text after the closing quote; quote the whole value");
        assert!(error("a: \"\\q\"\n").starts_with("1:4: unknown escape in a double-quoted value"));
        assert!(error("a: *\n").starts_with("1:4: `&` and `*` start an anchor or an alias"));
        assert!(error("a: @x\n").starts_with("1:4: `@` and `` ` `` are reserved in yaml"), "{}", error("a: @x\n"));
        assert!(error("a: `x`\n").starts_with("1:4: `@` and `` ` `` are reserved"));
    }

    #[test]
    fn duplicate_keys_name_the_key_and_the_first_line() {
        assert_eq!(error("a: 1\nb: 2\na: 3\n"), "3:1: duplicate key `a` (the first is at line 1); remove one of them");
        assert_eq!(error("m: {x: 1, x: 2}"), "1:11: duplicate key `x` (the first is at line 1); remove one of them");
        // Every duplicate is reported, in nested maps too.
        let issues = errors("a: 1\na: 2\nsub:\n  b: 1\n  b: 2\n");
        assert_eq!(issues.len(), 2);
        assert!(short(&issues[1]).starts_with("5:3: duplicate key `b`"));
        // Inside an anchored map (an alias may copy it into a secret): unnamed.
        assert_eq!(error("m: &a {x: 1, x: 2}"), "1:14: duplicate key (the first is at line 1); remove one of them");
        assert_eq!(
            error("m: &a\n  n:\n    x: 1\n    x: 2\n"),
            "4:5: duplicate key (the first is at line 3); remove one of them"
        );
        // Plain null keys keep their text, and are keys like any other.
        let root = ok("~: 1\nnull: 2\n: 3\n");
        assert_eq!(keys(&root), ["~", "null", ""]);
    }

    #[test]
    fn quoted_and_plain_keys_of_same_text_are_duplicates() {
        let issues = errors("'~': 1\n~: 2\n");
        assert!(short(&issues[0]).starts_with("2:1: duplicate key `~`"));
    }

    #[test]
    fn duplicate_keys_in_large_maps() {
        let mut src = String::new();
        for i in 0..200 {
            writeln!(src, "key{i}: {i}").unwrap();
        }
        let root = ok(&src);
        assert_eq!(root.entries().unwrap().len(), 200);
        assert_eq!(text(root.get("key150").unwrap()).0, "150");
        src.push_str("key17: again\n");
        assert_eq!(error(&src), "201:1: duplicate key `key17` (the first is at line 18); remove one of them");
    }

    #[test]
    fn complex_keys_are_errors() {
        assert!(error("[a, b]: 1\n").starts_with("1:1: a map key must be a single value, not a list"));
        assert!(error("? {a: 1}\n: 2\n").starts_with("1:3: a map key must be a single value, not a map"));
    }

    #[test]
    fn aliases_copy_the_anchored_value() {
        let root = ok("base: &b\n  x: 1\n  y: [1, 2]\ncopy: *b\nscalar: &s hello\nagain: *s\n");
        assert_eq!(root.get("copy"), root.get("base"));
        assert_eq!(text(root.get("again").unwrap()), ("hello", ScalarStyle::Plain));
        // The copy keeps where the value was written.
        assert_eq!(root.get("copy").unwrap().get("x").unwrap().origin, at(2, 6));
        // An anchor can be redefined; an alias refers to the latest one.
        let root = ok("a: &x 1\nb: *x\nc: &x 2\nd: *x\n");
        assert_eq!(text(root.get("d").unwrap()).0, "2");
        assert_eq!(text(root.get("b").unwrap()).0, "1");
    }

    #[test]
    fn unknown_and_recursive_aliases_are_errors() {
        assert_eq!(
            error("a: *nope\n"),
            "1:4: this alias (`*name`) refers to no anchor; define `&name` on a value above it, or quote a value \
             that starts with `*`"
        );
        assert!(error("a: &x [1, *x]\n").starts_with("1:11: this alias is inside the value its anchor marks"));
        // The alias's name may be a secret written unquoted: never shown.
        assert!(!error("password: *c4n4ry\n").contains("c4n4ry"));
    }

    #[test]
    fn merge_keys() {
        let src = "base: &base\n  host: localhost\n  port: 5432\n  pool: 5\nextra: &extra\n  port: 1\n  tls: true\n\
                   dev:\n  <<: *base\n  pool: 10\nboth:\n  name: both\n  <<: [*extra, *base]\ninline:\n  <<: {k: v}\n";
        let root = ok(src);
        let dev = root.get("dev").unwrap();
        assert_eq!(keys(dev), ["host", "port", "pool"]);
        assert_eq!(text(dev.get("pool").unwrap()).0, "10");
        assert_eq!(dev.get("pool").unwrap().origin, at(10, 9));
        // Merged entries keep their original origins.
        assert_eq!(dev.get("host").unwrap().origin, at(2, 9));
        assert_eq!(dev.entries().unwrap()[0].key_origin, at(2, 3));
        let both = root.get("both").unwrap();
        assert_eq!(keys(both), ["name", "port", "tls", "host", "pool"]);
        // The earlier source wins.
        assert_eq!(text(both.get("port").unwrap()).0, "1");
        assert_eq!(keys(root.get("inline").unwrap()), ["k"]);
        // An explicit key after `<<` still wins; merged entries go where `<<` was.
        let root = ok("b: &b {x: 1, y: 2}\nm:\n  <<: *b\n  x: 9\n");
        assert_eq!(keys(root.get("m").unwrap()), ["y", "x"]);
        assert_eq!(text(root.get("m").unwrap().get("x").unwrap()).0, "9");
        // A quoted `<<` is an ordinary key.
        assert_eq!(keys(&ok("'<<': 1\n")), ["<<"]);
    }

    #[test]
    fn bad_merge_values_are_errors() {
        assert!(error("a: &a 1\nb:\n  <<: *a\n").starts_with("3:3: the merge key `<<` takes a map or a list of maps"));
        assert!(error("b:\n  <<: [1]\n").contains("the merge key `<<` takes a map"));
        assert!(error("a: &a {x: 1}\nb:\n  <<: *a\n  <<: *a\n").starts_with("4:3: duplicate merge key `<<`"));
    }

    #[test]
    fn an_alias_bomb_fails_fast() {
        let mut src = String::from("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for level in 1..=9 {
            let prev = level - 1;
            let refs = vec![format!("*l{prev}"); 9].join(", ");
            writeln!(src, "l{level}: &l{level} [{refs}]").unwrap();
        }
        // Bounded by the value count, not by time (speed is the benches' job).
        let issues = errors(&src);
        assert_eq!(issues.len(), 1);
        assert!(issues[0].message().contains("more than 100000 values"), "{}", issues[0]);
        // A lower limit stops even earlier.
        let limits = Limits { max_nodes: 50, ..Limits::default() };
        let issues = errors_with(src.as_bytes(), &limits);
        assert!(short(&issues[0]).starts_with("2:25: the file holds more than 50 values"), "{}", issues[0]);
    }

    #[test]
    fn copies_kept_for_aliases_count_against_the_limits() {
        // Anchors keep 2 + 3 + 4 + 5 = 14 values for aliases; the tree
        // holds 10 values, the alias expanded.
        let src = b"a: &a [&b [&c [&d [1]]]]\nz: *d\n";
        let limits = Limits { max_nodes: 14, ..Limits::default() };
        assert!(parse(src, &path(), &limits).is_ok());
        let issues = errors_with(src, &Limits { max_nodes: 13, ..Limits::default() });
        assert!(
            short(&issues[0])
                .starts_with("1:4: anchors (`&name`) keep copies of more than 13 values for their aliases"),
            "{}",
            issues[0]
        );
        // Without any `*`, anchors keep nothing.
        assert!(parse(b"a: &a [&b [&c [&d [1]]]]\n", &path(), &Limits { max_nodes: 7, ..Limits::default() }).is_ok());
        // Text: the anchor keeps 3 bytes, two aliases copy 6: 9 in all.
        let src = b"a: &a xyz\nb: *a\nc: *a\n";
        assert!(parse(src, &path(), &Limits { max_file_bytes: 9, ..Limits::default() }).is_ok());
        let issues = errors_with(src, &Limits { max_file_bytes: 8, ..Limits::default() });
        assert!(
            short(&issues[0]).starts_with("3:4: anchors and aliases copy more than 8 bytes of text"),
            "{}",
            issues[0]
        );
    }

    #[test]
    fn too_many_values_without_aliases() {
        let limits = Limits { max_nodes: 10, ..Limits::default() };
        let src = "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]";
        let issues = errors_with(src.as_bytes(), &limits);
        assert_eq!(short(&issues[0]).split(':').next(), Some("1"));
        assert!(issues[0].message().contains("more than 10 values"));
    }

    #[test]
    fn nesting_deeper_than_the_limit_is_an_error() {
        let limits = Limits { max_depth: 3, ..Limits::default() };
        assert!(parse(b"a: {b: {c: 1}}", &path(), &limits).is_ok());
        let issues = errors_with(b"a: {b: {c: [1]}}", &limits);
        assert_eq!(
            short(&issues[0]),
            "1:12: maps and lists nest deeper than 3 levels; flatten the file, \
             or raise `Limits::max_depth` if the file is trusted"
        );
        // Through an alias too.
        let issues = errors_with(b"x: &x [[1]]\ny:\n  z: *x\n", &limits);
        assert!(short(&issues[0]).starts_with("3:6: maps and lists nest deeper than 3"), "{}", issues[0]);
    }

    #[test]
    fn ten_thousand_levels_fail_without_overflowing_the_stack() {
        let limits = Limits::default();
        for src in ["[".repeat(10_000), "{a: ".repeat(10_000), format!("{}x", "- ".repeat(10_000)), {
            let mut s = "[".repeat(10_000);
            s.push_str(&"]".repeat(10_000));
            s
        }] {
            let issues = errors_with(src.as_bytes(), &limits);
            assert!(issues[0].message().contains("nest deeper than 64 levels"), "{}", issues[0]);
        }
        // Above saphyr's own bound of 255 flow levels.
        let limits = Limits { max_depth: 1000, ..Limits::default() };
        let issues = errors_with("[".repeat(10_000).as_bytes(), &limits);
        assert!(issues[0].message().contains("deeper than 255 levels"), "{}", issues[0]);
        // A block list nested 10,000 levels: the ceiling of 255 applies too.
        let issues = errors_with(format!("{}x", "- ".repeat(10_000)).as_bytes(), &limits);
        assert_eq!(
            short(&issues[0]),
            "1:511: maps and lists nest deeper than 255 levels, the most phoenix-config reads \
             whatever `Limits::max_depth` says; flatten the file"
        );
        // 255 levels are read.
        let limits = Limits { max_depth: 255, ..Limits::default() };
        assert!(parse(format!("{}x", "- ".repeat(255)).as_bytes(), &path(), &limits).is_ok());
        let issues = errors_with(format!("{}x", "- ".repeat(256)).as_bytes(), &limits);
        assert!(issues[0].message().contains("deeper than 255 levels; flatten the file, or raise"), "{}", issues[0]);
    }

    #[test]
    fn long_lines() {
        let long = "x".repeat(1 << 20);
        let root = ok(&format!("a: {long}\nb: \"{long}\"\nc: 1\n"));
        assert_eq!(text(root.get("a").unwrap()).0.len(), 1 << 20);
        assert_eq!(text(root.get("b").unwrap()), (long.as_str(), ScalarStyle::Quoted));
        assert_eq!(root.get("c").unwrap().origin, at(3, 4));
    }

    #[test]
    fn one_document_per_file() {
        assert!(error("a: 1\n---\nb: 2\n").starts_with("2:1: a second document starts here"));
        assert!(error("---\na: 1\n...\n---\nb: 2\n").starts_with("4:1: a second document"));
        assert_eq!(keys(&ok("---\na: 1\n...\n")), ["a"]);
    }

    #[test]
    fn tags() {
        let root = ok(
            "a: !!str 5\nb: !!int 5\nc: !!float '1.5'\nd: !!bool true\ne: !!null ~\nf: !!map {x: 1}\ng: !!seq [1]\nh: ! 5\n",
        );
        assert_eq!(text(root.get("a").unwrap()), ("5", ScalarStyle::Quoted));
        assert_eq!(text(root.get("b").unwrap()), ("5", ScalarStyle::Plain));
        assert_eq!(text(root.get("c").unwrap()), ("1.5", ScalarStyle::Plain));
        assert_eq!(text(root.get("d").unwrap()), ("true", ScalarStyle::Plain));
        assert_eq!(text(root.get("e").unwrap()), ("~", ScalarStyle::Plain));
        assert_eq!(text(root.get("h").unwrap()), ("5", ScalarStyle::Quoted));
        assert_eq!(root.get("a").unwrap().origin, at(1, 4));
        assert!(error("a: !custom x\n").starts_with("1:4: unsupported tag on a single value; remove it"));
        assert!(error("a: !!binary aGk=\n").starts_with("1:4: unsupported tag on a single value"));
        assert!(error("a: !!str [1]\n").starts_with("1:4: unsupported tag on a list"));
        assert!(error("a: !!seq {}\n").starts_with("1:4: unsupported tag on a map"));
        // The tag may be a secret written unquoted: never shown.
        assert!(!error("password: !c4n4ry\n").contains("c4n4ry"));
        assert!(error("password: %c4n4ry\n").contains("unexpected character; quote the value"));
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line_for_every_message() {
        // YAML ends lines at `\r` too (old Mac files); the fuzzer saw lines
        // counted past the last `\n`.
        assert!(error("a: 1\rb: *x\r").starts_with("2:4: this alias (`*name`) refers to no anchor"));
        assert_eq!(short(&errors_with(b"a: 1\rb: caf\xe9\r", &Limits::default())[0]).split(": ").next(), Some("2:4"));
        assert_eq!(short(&errors_with(b"a: 1\r\nb: caf\xe9", &Limits::default())[0]).split(": ").next(), Some("2:4"));
    }

    #[test]
    fn keys_and_tags_in_messages_stay_on_one_line() {
        // Found by the fuzzer: `%0a` in a tag is a line break.
        assert!(error("a: !rr%0a6:%63\nb: 3\n").starts_with("1:4: unsupported tag on a single value"));
        assert!(error("\"a\\nb\": 1\n\"a\\nb\": 2\n").starts_with("2:1: duplicate key `a\\nb`"));
        let long = "k".repeat(100);
        assert!(error(&format!("{long}: 1\n{long}: 2\n")).contains(&format!("`{}…`", "k".repeat(60))));
    }

    #[test]
    fn several_problems_are_reported_together() {
        let issues = errors("a: 1\na: 2\nb: !x 1\n");
        assert_eq!(issues.len(), 2);
    }

    #[test]
    fn the_phoenix_files_parse() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../config");
        for name in ["base", "development", "testing", "production"] {
            let file = format!("{dir}/{name}.yaml");
            let Ok(bytes) = std::fs::read(&file) else { continue };
            let tree = parse(&bytes, &path(), &Limits::default());
            assert!(matches!(tree, Ok(Some(ref n)) if n.entries().is_some()), "{file}: {tree:?}");
        }
    }
}
