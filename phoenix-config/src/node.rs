//! The source tree: every value read from any layer, with its origin.
//!
//! YAML files, `.env`, variables and overrides all become [`Node`]s; the
//! layers are merged into one tree (maps key by key, anything else replaced
//! whole), and the generated code converts each leaf to its field's type.

use std::collections::HashMap;
use std::hash::{BuildHasher as _, RandomState};

use zeroize::Zeroize as _;

use crate::Origin;

/// The text of a key or a scalar.
///
/// Short text (up to [`INLINE`] bytes: most keys and values) sits inside
/// the node, without an allocation; longer text on the heap, sized
/// exactly. Either is wiped when dropped (DESIGN §7: plaintext read on the
/// way does not stay in freed memory), whether or not it was a secret: the
/// tree does not know yet which values are.
#[derive(Clone)]
pub struct Text(Repr);

/// The longest text kept inline (the node stays the size of a `String`).
pub(crate) const INLINE: usize = 22;

#[derive(Clone)]
enum Repr {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Box<str>),
}

impl Text {
    /// The text.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            // Copied from a `str` whole (see `From<&str>`), so always UTF-8.
            Repr::Inline { len, bytes } => {
                std::str::from_utf8(&bytes[..usize::from(*len)]).expect("inline text is copied from a str")
            }
            Repr::Heap(text) => text,
        }
    }

    /// The bytes of the text (no UTF-8 check: for comparisons).
    pub fn as_bytes(&self) -> &[u8] {
        match &self.0 {
            Repr::Inline { len, bytes } => &bytes[..usize::from(*len)],
            Repr::Heap(text) => text.as_bytes(),
        }
    }

    fn inline(text: &str) -> Option<Text> {
        let len = u8::try_from(text.len()).ok().filter(|&len| usize::from(len) <= INLINE)?;
        let mut bytes = [0; INLINE];
        bytes[..text.len()].copy_from_slice(text.as_bytes());
        Some(Text(Repr::Inline { len, bytes }))
    }
}

impl Drop for Text {
    fn drop(&mut self) {
        match &mut self.0 {
            // The whole array (the rest was never written): a wipe of a
            // known size is a few stores, where the text's length makes it
            // a call to `memset`.
            Repr::Inline { bytes, .. } => bytes.as_mut_slice().zeroize(),
            Repr::Heap(text) => text.zeroize(),
        }
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Self {
        Text::inline(text).unwrap_or_else(|| Text(Repr::Heap(text.into())))
    }
}

impl From<String> for Text {
    /// Short text moves inline (the `String` is wiped and freed), longer
    /// text keeps its buffer when it has no spare capacity.
    fn from(mut text: String) -> Self {
        if let Some(inline) = Text::inline(&text) {
            text.zeroize();
            return inline;
        }
        if text.capacity() != text.len() {
            // Shrinking would move the text and leave a copy behind: copy
            // it, and wipe the original.
            let exact = Text(Repr::Heap(text.as_str().into()));
            text.zeroize();
            return exact;
        }
        Text(Repr::Heap(text.into_boxed_str()))
    }
}

impl From<std::borrow::Cow<'_, str>> for Text {
    fn from(text: std::borrow::Cow<'_, str>) -> Self {
        match text {
            std::borrow::Cow::Borrowed(text) => text.into(),
            std::borrow::Cow::Owned(text) => text.into(),
        }
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::borrow::Borrow<str> for Text {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

/// Byte equality, the lengths and the first and last bytes compared before
/// the rest: the keys of a map that are as long as the one looked for
/// mostly differ there, so most comparisons make no call to `memcmp`.
pub(crate) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.first() == b.first() && a.last() == b.last() && a == b
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        same_bytes(self.as_bytes(), other.as_bytes())
    }
}

impl Eq for Text {}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        same_bytes(self.as_bytes(), other.as_bytes())
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        same_bytes(self.as_bytes(), other.as_bytes())
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        same_bytes(self.as_bytes(), other.as_bytes())
    }
}

impl PartialEq<Text> for str {
    fn eq(&self, other: &Text) -> bool {
        same_bytes(self.as_bytes(), other.as_bytes())
    }
}

impl PartialEq<Text> for &str {
    fn eq(&self, other: &Text) -> bool {
        same_bytes(self.as_bytes(), other.as_bytes())
    }
}

impl std::hash::Hash for Text {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a scalar was written; it decides how the text converts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarStyle {
    /// A YAML plain scalar: `5`, `true`, `~` are typed by the YAML core schema
    /// when the target accepts anything, but a `String` keeps the exact text.
    Plain,
    /// A YAML quoted scalar: always a string.
    Quoted,
    /// A YAML block scalar (`|`, `>`): always a string.
    Block,
    /// Text from a variable, `.env`, an override or a secret file: converted
    /// by the field's type (DESIGN §4.3: `a,b,c` lists, `yes`/`no` bools, …).
    Text,
}

/// A map entry, with where its key was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The key text.
    pub key: Text,
    /// Where the key was written (for unknown-key errors).
    pub key_origin: Origin,
    /// The value.
    pub value: Node,
}

/// The shape of a node.
#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    /// A synthetic null (an absent optional value).
    Null,
    /// A scalar, with its exact source text.
    Scalar {
        /// The text as written (after YAML unquoting).
        text: Text,
        /// How it was written.
        style: ScalarStyle,
    },
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in source order; keys are unique.
    Map(Vec<Entry>),
}

/// A value with its origin.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// The value.
    pub kind: NodeKind,
    /// Where it came from.
    pub origin: Origin,
}

impl Node {
    /// A scalar node.
    pub fn scalar(text: impl Into<Text>, style: ScalarStyle, origin: Origin) -> Self {
        Node { kind: NodeKind::Scalar { text: text.into(), style }, origin }
    }

    /// A text node (variables, `.env`, overrides).
    pub fn text(text: impl Into<Text>, origin: Origin) -> Self {
        Node::scalar(text, ScalarStyle::Text, origin)
    }

    /// An empty map.
    pub fn map(origin: Origin) -> Self {
        Node { kind: NodeKind::Map(Vec::new()), origin }
    }

    /// The child of a map node under `key`.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.kind {
            NodeKind::Map(entries) => entries.iter().find(|e| e.key == key).map(|e| &e.value),
            _ => None,
        }
    }

    /// The entries, when this is a map.
    pub fn entries(&self) -> Option<&[Entry]> {
        match &self.kind {
            NodeKind::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// What the node is, in words, for error messages (`a map`, `a list`, `a value`).
    pub fn describe(&self) -> &'static str {
        match &self.kind {
            NodeKind::Null => "nothing",
            NodeKind::Scalar { .. } => "a single value",
            NodeKind::Seq(_) => "a list",
            NodeKind::Map(_) => "a map",
        }
    }

    /// A hash of the value alone (text, style, children; not origins), to
    /// tell whether a reload changed it. Never shown.
    pub fn content_hash(&self) -> u64 {
        use std::hash::Hasher;
        fn feed(node: &Node, h: &mut std::collections::hash_map::DefaultHasher) {
            match &node.kind {
                NodeKind::Null => h.write_u8(0),
                NodeKind::Scalar { text, style } => {
                    h.write_u8(1 + *style as u8);
                    h.write(text.as_bytes());
                    h.write_u8(0xff);
                }
                NodeKind::Seq(items) => {
                    h.write_u8(10);
                    h.write_usize(items.len());
                    for item in items {
                        feed(item, h);
                    }
                }
                NodeKind::Map(entries) => {
                    h.write_u8(11);
                    h.write_usize(entries.len());
                    for e in entries {
                        h.write(e.key.as_bytes());
                        h.write_u8(0xff);
                        feed(&e.value, h);
                    }
                }
            }
        }
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        feed(self, &mut hasher);
        hasher.finish()
    }

    /// Merges a higher layer into this one: maps merge key by key, a list
    /// or a scalar replaces the lower value whole. Linear in the size of
    /// both (large maps find keys through a `KeyIndex`).
    pub fn merge(&mut self, higher: Node) {
        match (&mut self.kind, higher.kind) {
            (NodeKind::Map(lower), NodeKind::Map(upper)) if lower.is_empty() => *lower = upper,
            (NodeKind::Map(lower), NodeKind::Map(upper)) => merge_entries(lower, upper),
            (_, kind) => {
                self.kind = kind;
                self.origin = higher.origin;
            }
        }
    }

    /// Sets the value at a path of map keys, creating maps on the way and
    /// replacing any non-map in between.
    pub fn set_path(&mut self, path: &[&str], value: Node) {
        let mut node = self;
        for key in path {
            node = node.entry_for(key, &value.origin);
        }
        *node = value;
    }

    /// The value of `key`, made a map entry (this node made a map) when
    /// missing: a step of [`set_path`](Node::set_path).
    fn entry_for(&mut self, key: &str, origin: &Origin) -> &mut Node {
        if !matches!(self.kind, NodeKind::Map(_)) {
            self.kind = NodeKind::Map(Vec::new());
        }
        let NodeKind::Map(entries) = &mut self.kind else { unreachable!("made a map above") };
        let at = entries.iter().position(|e| e.key == key).unwrap_or_else(|| {
            let entry = Entry { key: key.into(), key_origin: origin.clone(), value: Node::map(origin.clone()) };
            crate::secret::push_wiped(entries, entry);
            entries.len() - 1
        });
        &mut entries[at].value
    }

    /// Sets several values, each at a path of map keys, exactly as calling
    /// [`set_path`](Node::set_path) for each in order would, in time linear
    /// in their number and the size of the tree (one key lookup per map
    /// entered, through a `KeyIndex` in large maps).
    pub fn set_paths<'p>(&mut self, items: Vec<(&'p [&'p str], Node)>) {
        if items.len() <= ONE_BY_ONE {
            for (path, value) in items {
                self.set_path(path, value);
            }
            return;
        }
        self.set_paths_routed(items);
    }

    /// [`set_paths`](Node::set_paths) for any number of values: routed
    /// down the tree together, one key lookup per map entered.
    pub(crate) fn set_paths_routed<'p>(&mut self, items: Vec<(&'p [&'p str], Node)>) {
        let mut routed: Vec<Routed<'p>> =
            items.into_iter().map(|(path, value)| Routed { at: 0, path, value: Some(value) }).collect();
        set_routed(self, &mut routed);
    }
}

/// Up to this many values, setting each at its path on its own (a scan of
/// each map on the way) costs less than routing them together (a buffer, a
/// sort and a lookup table per map); past it, routing keeps the cost linear
/// in their number. A constant: at most this many scans of any map.
pub(crate) const ONE_BY_ONE: usize = 16;

/// Values to set at paths below a node, exactly as [`Node::set_paths`] sets
/// them (as [`Node::set_path`] for each in order would): the first
/// [`ONE_BY_ONE`] set as they come (no buffer), any more gathered and
/// routed together at the end — setting the first ones, then the rest in
/// order, is setting all of them in order.
pub(crate) struct PathSets<'n, 'p> {
    root: &'n mut Node,
    set: usize,
    gathered: Vec<(&'p [&'p str], Node)>,
}

impl<'n, 'p> PathSets<'n, 'p> {
    /// For values below `root`.
    pub(crate) fn new(root: &'n mut Node) -> Self {
        PathSets { root, set: 0, gathered: Vec::new() }
    }

    /// Sets (or gathers) `value` at `path`.
    pub(crate) fn set(&mut self, path: &'p [&'p str], value: Node) {
        if self.set < ONE_BY_ONE {
            self.set += 1;
            self.root.set_path(path, value);
        } else {
            self.gathered.push((path, value));
        }
    }

    /// Sets the gathered values.
    pub(crate) fn finish(self) {
        if !self.gathered.is_empty() {
            self.root.set_paths_routed(self.gathered);
        }
    }
}

/// A value on its way down [`Node::set_paths`]: the rest of its path, and
/// the entry it goes to in the map being entered. The values are moved
/// around in one buffer, level by level, without a new one per map.
struct Routed<'p> {
    at: usize,
    path: &'p [&'p str],
    /// Taken once set.
    value: Option<Node>,
}

/// Sets `items`, in order, at their paths below `node`.
fn set_routed(node: &mut Node, items: &mut [Routed<'_>]) {
    // A value for this node itself replaces it, and with it every value
    // set below it before; only the last one counts.
    let items = match items.iter().rposition(|item| item.path.is_empty()) {
        Some(last) => {
            *node = items[last].value.take().expect("each value is set once");
            &mut items[last + 1..]
        }
        None => items,
    };
    if let [item] = items {
        node.set_path(item.path, item.value.take().expect("each value is set once"));
        return;
    }
    if items.is_empty() {
        return;
    }
    if !matches!(node.kind, NodeKind::Map(_)) {
        node.kind = NodeKind::Map(Vec::new());
    }
    let NodeKind::Map(entries) = &mut node.kind else { unreachable!("made a map above") };
    route(entries, items);
    // Values for one entry keep their order (a stable sort); values for
    // different entries are independent.
    items.sort_by_key(|item| item.at);
    for group in items.chunk_by_mut(|a, b| a.at == b.at) {
        let at = group[0].at;
        set_routed(&mut entries[at].value, group);
    }
}

/// Finds (or makes, in order) the entry of each item's first key, and
/// takes that key off its path.
fn route(entries: &mut Vec<Entry>, items: &mut [Routed<'_>]) {
    let mut index = KeyIndex::for_lookups(entries, items.len());
    for item in items {
        let (first, rest) = item.path.split_first().expect("paths of this node itself are set above");
        item.at = index.find(entries, first.as_bytes()).unwrap_or_else(|| {
            let origin = item.value.as_ref().expect("each value is set once").origin.clone();
            crate::secret::push_wiped(
                entries,
                Entry { key: (*first).into(), key_origin: origin.clone(), value: Node::map(origin) },
            );
            index.pushed(entries);
            entries.len() - 1
        });
        item.path = rest;
    }
}

/// Moves every entry of `upper` into `lower`, merging those of a key both have.
fn merge_entries(lower: &mut Vec<Entry>, upper: Vec<Entry>) {
    let mut index = KeyIndex::for_lookups(lower, upper.len());
    for entry in upper {
        if let Some(i) = index.find(lower, entry.key.as_bytes()) {
            lower[i].value.merge(entry.value);
        } else {
            crate::secret::push_wiped(lower, entry);
            index.pushed(lower);
        }
    }
}

/// Hashing a key costs about this many key comparisons (a scan compares
/// lengths first): an index pays when the scans would compare more.
const HASH_COST: usize = 8;

/// Finds keys in a map: the hash of a key → the index of the first entry
/// with that hash, for maps large enough that scanning for every key would
/// make a load quadratic. Built only when the lookups to come need it.
pub(crate) struct KeyIndex {
    table: Option<(RandomState, HashMap<u64, usize>)>,
    /// Build the table once the map reaches [`INDEX_FROM`] entries (for a
    /// map being filled, whose size is not known ahead).
    grows: bool,
}

/// The size from which a growing map is indexed.
const INDEX_FROM: usize = 16;

impl KeyIndex {
    /// An index of `entries` when `lookups` scans of them would cost more
    /// than hashing.
    pub(crate) fn for_lookups(entries: &[Entry], lookups: usize) -> KeyIndex {
        let (n, m) = (entries.len(), lookups);
        if n.saturating_mul(m) <= HASH_COST.saturating_mul(n + m) {
            return KeyIndex { table: None, grows: false };
        }
        KeyIndex { table: Some(Self::table(entries, lookups)), grows: false }
    }

    /// An index for a map being filled: scans while it is small, hashes
    /// once it is large.
    pub(crate) fn growing() -> KeyIndex {
        KeyIndex { table: None, grows: true }
    }

    fn table(entries: &[Entry], more: usize) -> (RandomState, HashMap<u64, usize>) {
        let state = RandomState::new();
        let mut first = HashMap::with_capacity(entries.len() + more);
        for (i, entry) in entries.iter().enumerate() {
            first.entry(state.hash_one(entry.key.as_bytes())).or_insert(i);
        }
        (state, first)
    }

    /// The index of the entry with this key (its bytes: a [`Text`] need
    /// not be checked as UTF-8 to be compared).
    pub(crate) fn find(&self, entries: &[Entry], key: &[u8]) -> Option<usize> {
        let scan = || entries.iter().position(|e| same_bytes(e.key.as_bytes(), key));
        let Some((state, first)) = &self.table else { return scan() };
        match first.get(&state.hash_one(key)) {
            None => None,
            Some(&i) if same_bytes(entries[i].key.as_bytes(), key) => Some(i),
            // Two keys with one hash: rare enough for a scan.
            Some(_) => scan(),
        }
    }

    /// Records the entry just pushed at the end of `entries`.
    pub(crate) fn pushed(&mut self, entries: &[Entry]) {
        match &mut self.table {
            Some((state, first)) => {
                let last = entries.len() - 1;
                first.entry(state.hash_one(entries[last].key.as_bytes())).or_insert(last);
            }
            None if self.grows && entries.len() >= INDEX_FROM => self.table = Some(Self::table(entries, entries.len())),
            None => {}
        }
    }
}

/// The plain definitions of [`Node::merge`] and [`Node::set_path`]: one key
/// at a time, found by a scan (quadratic). The unit tests and the `merge`
/// fuzz target compare the indexed ones against them.
#[cfg(any(test, feature = "fuzzing"))]
pub(crate) mod by_scan {
    use super::{Entry, Node, NodeKind};

    /// Merge by the definition: each key of the higher map found by a scan.
    pub(crate) fn merge_by_scan(low: &mut Node, high: Node) {
        match (&mut low.kind, high.kind) {
            (NodeKind::Map(lower), NodeKind::Map(upper)) => {
                for entry in upper {
                    match lower.iter_mut().find(|e| e.key == entry.key) {
                        Some(existing) => merge_by_scan(&mut existing.value, entry.value),
                        None => lower.push(entry),
                    }
                }
            }
            (_, kind) => {
                low.kind = kind;
                low.origin = high.origin;
            }
        }
    }

    /// `set_path` by the definition: one map entered at a time, by scans.
    pub(crate) fn set_by_scan(node: &mut Node, path: &[&str], value: Node) {
        let Some((first, rest)) = path.split_first() else {
            *node = value;
            return;
        };
        if !matches!(node.kind, NodeKind::Map(_)) {
            node.kind = NodeKind::Map(Vec::new());
        }
        let NodeKind::Map(entries) = &mut node.kind else { unreachable!("made a map above") };
        let at = entries.iter().position(|e| e.key == *first).unwrap_or_else(|| {
            let origin = value.origin.clone();
            entries.push(Entry { key: (*first).into(), key_origin: origin.clone(), value: Node::map(origin) });
            entries.len() - 1
        });
        set_by_scan(&mut entries[at].value, rest, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(line: u32) -> Origin {
        Origin::File { path: "f.yaml".into(), line, column: 1 }
    }

    fn map(entries: Vec<(&str, Node)>) -> Node {
        Node {
            kind: NodeKind::Map(
                entries
                    .into_iter()
                    .map(|(k, v)| Entry { key: k.into(), key_origin: v.origin.clone(), value: v })
                    .collect(),
            ),
            origin: file(0),
        }
    }

    #[test]
    fn text_keeps_short_text_inline_and_long_text_exact() {
        assert_eq!(size_of::<Text>(), size_of::<String>());
        let short = "x".repeat(INLINE);
        let long = "y".repeat(INLINE + 1);
        for text in [String::new(), short.clone(), long.clone(), "é😀".to_owned()] {
            for made in
                [Text::from(text.as_str()), Text::from(text.clone()), Text::from(std::borrow::Cow::from(&*text))]
            {
                assert_eq!(made.as_str(), text);
                assert_eq!(made, text.as_str());
                assert_eq!(format!("{made:?}"), format!("{text:?}"));
            }
        }
        assert!(matches!(Text::from(short).0, Repr::Inline { .. }));
        assert!(matches!(Text::from(long.clone()).0, Repr::Heap(_)));
        let mut spare = String::with_capacity(100);
        spare.push_str(&long);
        assert!(matches!(Text::from(spare).0, Repr::Heap(ref t) if **t == *long));
    }

    #[test]
    fn same_bytes_is_byte_equality() {
        let texts: [&[u8]; 8] =
            [b"", b"a", b"b", b"ab", b"max_pool_size", b"min_pool_size", b"max_pool_sizf", b"max_poxl_size"];
        for a in texts {
            for b in texts {
                assert_eq!(same_bytes(a, b), a == b, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn merge_merges_maps_and_replaces_lists_and_scalars() {
        let mut low = map(vec![
            ("a", Node::text("1", file(1))),
            ("list", Node { kind: NodeKind::Seq(vec![Node::text("x", file(2))]), origin: file(2) }),
            ("sub", map(vec![("keep", Node::text("k", file(3))), ("over", Node::text("o", file(4)))])),
        ]);
        let high = map(vec![
            ("list", Node { kind: NodeKind::Seq(vec![]), origin: file(10) }),
            ("sub", map(vec![("over", Node::text("new", file(11)))])),
            ("b", Node::text("2", file(12))),
        ]);
        low.merge(high);
        assert_eq!(low.get("a").unwrap().origin, file(1));
        assert_eq!(low.get("list").unwrap().kind, NodeKind::Seq(vec![]));
        let sub = low.get("sub").unwrap();
        assert_eq!(sub.get("keep").unwrap().origin, file(3));
        assert_eq!(sub.get("over").unwrap().origin, file(11));
        assert!(low.get("b").is_some());
    }

    #[test]
    fn set_path_creates_and_replaces() {
        let mut root = map(vec![("database", Node::text("oops", file(1)))]);
        root.set_path(&["database", "uri"], Node::text("mongodb://x", Origin::Override));
        let uri = root.get("database").unwrap().get("uri").unwrap();
        assert_eq!(uri.origin, Origin::Override);
    }

    use by_scan::{merge_by_scan, set_by_scan};

    /// A map of `n` keys `k{i}` (every `step`-th), values `{tag}{i}`.
    fn wide(n: usize, step: usize, tag: &str, line: u32) -> Node {
        let entries = (0..n)
            .step_by(step)
            .map(|i| Entry {
                key: format!("k{i}").into(),
                key_origin: file(line),
                value: Node::text(format!("{tag}{i}"), file(line)),
            })
            .collect();
        Node { kind: NodeKind::Map(entries), origin: file(0) }
    }

    #[test]
    fn merge_of_large_maps_is_the_merge_by_scan() {
        for (n, step) in [(40, 3), (5_000, 2), (12_000, 7)] {
            let mut fast = wide(n, 1, "low", 1);
            let mut slow = fast.clone();
            fast.merge(wide(n + 50, step, "high", 2));
            merge_by_scan(&mut slow, wide(n + 50, step, "high", 2));
            assert_eq!(fast, slow, "{n} keys");
            let added = (0..n + 50).step_by(step).filter(|&i| i >= n).count();
            assert_eq!(fast.entries().unwrap().len(), n + added);
        }
    }

    #[test]
    fn set_paths_is_set_path_in_order() {
        let paths: Vec<Vec<&str>> = vec![
            vec!["a", "b"],
            vec!["a"],
            vec!["a", "c", "d"],
            vec!["k7"],
            vec!["k7", "x"],
            vec!["new", "deep", "er"],
            vec![],
            vec!["after_root"],
            vec!["a", "b"],
        ];
        for start in [wide(10, 1, "v", 1), wide(3_000, 1, "v", 1), Node::text("scalar", file(1))] {
            for skip in 0..paths.len() {
                let items = numbered(&paths[skip..]);
                let slow = by_scan(&start, &items);
                let mut fast = start.clone();
                fast.set_paths(items.clone());
                assert_eq!(fast, slow, "from {skip}");
                let mut routed = start.clone();
                routed.set_paths_routed(items.clone());
                assert_eq!(routed, slow, "routed, from {skip}");
                assert_eq!(by_path_sets(&start, &items), slow, "path sets, from {skip}");
            }
        }
    }

    /// A text value `s{i}` for each path, in order.
    fn numbered<'p>(paths: &'p [Vec<&'p str>]) -> Vec<(&'p [&'p str], Node)> {
        let value = |i: usize| Node::text(format!("s{i}"), file(100 + u32::try_from(i).unwrap()));
        paths.iter().enumerate().map(|(i, p)| (&p[..], value(i))).collect()
    }

    /// `start` with `items` set one by one, by the definition.
    fn by_scan(start: &Node, items: &[(&[&str], Node)]) -> Node {
        let mut node = start.clone();
        for (path, value) in items.iter().cloned() {
            set_by_scan(&mut node, path, value);
        }
        node
    }

    /// `start` with `items` set through [`PathSets`].
    fn by_path_sets(start: &Node, items: &[(&[&str], Node)]) -> Node {
        let mut node = start.clone();
        let mut each = PathSets::new(&mut node);
        for (path, value) in items.iter().cloned() {
            each.set(path, value);
        }
        each.finish();
        node
    }

    /// Past [`ONE_BY_ONE`] values, the first are set as they come and the
    /// rest routed together: still the values set in order.
    #[test]
    fn path_sets_past_the_first_ones_are_set_path_in_order() {
        let paths: Vec<Vec<String>> = (0..3 * ONE_BY_ONE)
            .map(|i| match i % 5 {
                0 => vec![format!("k{}", i % 7)],
                1 => vec![format!("k{}", i % 7), "x".to_owned()],
                2 => vec!["a".to_owned(), format!("n{}", i % 3), "d".to_owned()],
                3 => Vec::new(),
                _ => vec![format!("new{}", i % 4)],
            })
            .collect();
        let paths: Vec<Vec<&str>> = paths.iter().map(|p| p.iter().map(String::as_str).collect()).collect();
        for start in [wide(10, 1, "v", 1), wide(3_000, 1, "v", 1)] {
            for count in [ONE_BY_ONE - 1, ONE_BY_ONE, ONE_BY_ONE + 1, paths.len()] {
                let items = numbered(&paths[paths.len() - count..]);
                let slow = by_scan(&start, &items);
                assert_eq!(by_path_sets(&start, &items), slow, "{count} values");
                let mut fast = start.clone();
                fast.set_paths(items);
                assert_eq!(fast, slow, "set_paths, {count} values");
            }
        }
    }

    #[test]
    fn set_paths_in_a_large_map_is_set_path_in_order() {
        let keys: Vec<String> = (0..20_000).map(|i| format!("k{}", i * 3)).collect();
        let paths: Vec<[&str; 2]> = keys.iter().map(|k| [k.as_str(), "leaf"]).collect();
        let items: Vec<(&[&str], Node)> = paths.iter().map(|p| (&p[..], Node::text("x", Origin::Override))).collect();
        let mut slow = wide(30_000, 1, "v", 1);
        for (path, value) in items.iter().take(2_000).cloned() {
            set_by_scan(&mut slow, path, value);
        }
        let mut fast = wide(30_000, 1, "v", 1);
        fast.set_paths(items[..2_000].to_vec());
        assert_eq!(fast, slow);
        // All of them (the scan would take seconds): every key is set once.
        let mut all = wide(30_000, 1, "v", 1);
        all.set_paths(items);
        let entries = all.entries().unwrap();
        assert_eq!(entries.len(), 30_000 + 10_000);
        assert!(keys.iter().all(|k| all.get(k).unwrap().get("leaf").is_some()));
    }
}
