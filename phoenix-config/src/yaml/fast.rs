//! The fast path: the YAML that configuration files are made of, read line
//! by line without the general parser.
//!
//! Most configuration files use a small part of YAML: block maps with plain
//! keys, block lists of single values, one-line scalars (plain, `'single'`
//! or `"double"` quoted), one-line flow lists of scalars (`[a, 'b']`), `{}`
//! and `[]`, and comments. This module reads exactly that, and builds the
//! same tree — texts, styles, lines and columns — that the general path
//! builds from saphyr-parser's events, several times faster. Anything else
//! (anchors, aliases, tags, block scalars, multi-line scalars, quoted or
//! complex keys, flow maps with entries, several documents, tabs, non-ASCII
//! text outside comment lines, duplicate keys, anything malformed) makes [`parse`] answer `None`,
//! and the caller reads the file with the general path, which also reports
//! every error. So this path never rejects a file and never accepts one the
//! general path would reject; the tests in `mod.rs` check both directions
//! on many generated files.

use std::sync::Arc;

use crate::Origin;
use crate::limits::{DEPTH_CEILING, Limits};
use crate::node::{Entry, KeyIndex, Node, NodeKind, ScalarStyle, Text};

/// One line that holds something: its number, indentation and content
/// (after the indentation, with trailing spaces kept).
struct Line<'a> {
    number: u32,
    /// On the first line of a block, the first line of the block that was
    /// open when it opened ([`NO_LINE`] for none), while siblings are counted.
    up: u32,
    indent: usize,
    text: &'a str,
    /// On the first line of a block, how many of the lines that follow
    /// (itself included) sit at its indentation before one sits left of it:
    /// at most the block's entries or items (its `Vec` is sized once).
    siblings: usize,
}

/// The lines of one parse, in a buffer this thread keeps between parses
/// (one allocation less per file): given back emptied when dropped, unless
/// it grew past [`KEPT_LINES`]. Lines hold where the text is, never the
/// text itself.
struct Lines<'a>(Vec<Line<'a>>);

/// The most lines whose buffer is kept for the next parse.
const KEPT_LINES: usize = 4096;

thread_local! {
    /// The buffer of lines between parses: empty.
    static SPARE_LINES: std::cell::Cell<Vec<Line<'static>>> = const { std::cell::Cell::new(Vec::new()) };
}

impl Lines<'_> {
    /// The thread's buffer (a new one when it is in use, or when more
    /// than it keeps are expected), with room for `guess` lines.
    fn take(guess: usize) -> Self {
        if guess > KEPT_LINES {
            return Lines(Vec::with_capacity(guess));
        }
        let mut lines = recycle(SPARE_LINES.take());
        lines.reserve(guess);
        Lines(lines)
    }
}

impl Drop for Lines<'_> {
    fn drop(&mut self) {
        let lines = recycle(std::mem::take(&mut self.0));
        if lines.capacity() <= KEPT_LINES {
            SPARE_LINES.set(lines);
        }
    }
}

impl<'a> std::ops::Deref for Lines<'a> {
    type Target = Vec<Line<'a>>;
    fn deref(&self) -> &Vec<Line<'a>> {
        &self.0
    }
}

impl std::ops::DerefMut for Lines<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

/// `lines` emptied, as a buffer for lines of another text: collecting an
/// empty `Vec` into one of a type of the same layout keeps its allocation.
fn recycle<'b>(mut lines: Vec<Line<'_>>) -> Vec<Line<'b>> {
    lines.clear();
    lines.into_iter().map(|line| Line { text: "", ..line }).collect()
}

struct Reader<'a> {
    lines: Lines<'a>,
    at: usize,
    path: &'a Arc<str>,
    nodes: usize,
    max_nodes: usize,
    max_depth: usize,
}

/// The file is not in the subset this path reads: the general path reads it.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Unsupported;

/// The tree of `src` (`None` for a file with no document: empty, or only
/// comments), or [`Unsupported`] when the general path must read the file.
pub(super) fn parse(src: &str, path: &Arc<str>, limits: &Limits) -> Result<Option<Node>, Unsupported> {
    // Tabs and carriage returns are for the general path: the checks
    // below refuse them (neither is printable ASCII nor `printable`).
    // Sized by a guess, not a count (a pass of its own): lines of
    // configuration files hold 16 bytes or more on average (the Phoenix
    // files: 20); a file of shorter lines grows it.
    let mut lines = Lines::take(src.len() / 16 + 1);
    for (i, (raw, ascii)) in lines_of(src).enumerate() {
        let content = skip_spaces(raw);
        if content.is_empty() || content.starts_with('#') {
            // YAML refuses unprintable characters even in comments.
            if !ascii && !printable_text(content) {
                return Err(Unsupported);
            }
            continue;
        }
        // Columns count characters and the scanners read bytes: a line
        // with content must be printable ASCII (comment lines may hold
        // any printable character).
        if !ascii || raw.starts_with("---") || raw.starts_with("...") || raw.starts_with('%') {
            return Err(Unsupported);
        }
        let number = u32::try_from(i + 1).map_err(|_| Unsupported)?;
        lines.push(Line { number, up: NO_LINE, indent: raw.len() - content.len(), text: content, siblings: 0 });
    }
    if lines.is_empty() {
        return Ok(None);
    }
    count_siblings(&mut lines);
    let mut reader = Reader {
        lines,
        at: 0,
        path,
        nodes: 0,
        max_nodes: limits.max_nodes,
        max_depth: limits.max_depth.min(DEPTH_CEILING),
    };
    let indent = reader.lines[0].indent;
    let root = reader.block(indent, 1).ok_or(Unsupported)?;
    if reader.at == reader.lines.len() { Ok(Some(root)) } else { Err(Unsupported) }
}

/// The lines of `src` (cut at each `\n`, as `str::split` cuts), each with
/// whether it is printable ASCII throughout. One scan per line finds both:
/// the `\n` is the first byte that is not printable ASCII.
fn lines_of(src: &str) -> impl Iterator<Item = (&str, bool)> {
    let mut rest = Some(src);
    std::iter::from_fn(move || {
        let text = rest?;
        let bytes = text.as_bytes();
        let stop = printable_ascii_prefix(bytes);
        let (end, ascii) = match bytes.get(stop) {
            None | Some(b'\n') => (stop, true),
            Some(_) => (bytes[stop..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |i| stop + i), false),
        };
        rest = text.get(end + 1..);
        Some((&text[..end], ascii))
    })
}

/// How many bytes at the start of `bytes` are printable ASCII, read eight
/// at a time (a line of 20 bytes is three words instead of 20 bytes).
fn printable_ascii_prefix(bytes: &[u8]) -> usize {
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let Ok(word) = <[u8; 8]>::try_from(chunk) else { break };
        let unprintable = unprintable_bytes(u64::from_le_bytes(word));
        if unprintable != 0 {
            // The lowest flagged byte is the first in memory (little-endian).
            return at + (unprintable.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    let rest = chunks.remainder();
    at + rest.iter().position(|&b| !printable_ascii(b)).unwrap_or(rest.len())
}

/// The high bit of each byte of `word` that is not printable ASCII
/// (`0x20..=0x7e`): set when the byte has its own high bit set, is below
/// `0x20` (adding `0x60` does not reach `0x80`) or is `0x7f` (adding 1
/// does). The high bits are cleared before adding, so no sum carries into
/// the next byte.
fn unprintable_bytes(word: u64) -> u64 {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let low = word & !HIGH;
    let at_least_space = low + 0x6060_6060_6060_6060;
    let delete = low + 0x0101_0101_0101_0101;
    (word | !at_least_space | delete) & HIGH
}

/// Sets [`Line::siblings`] on the first line of every block, in one pass:
/// the blocks still open are a stack, linked through their first lines
/// (no allocation).
fn count_siblings(lines: &mut [Line<'_>]) {
    // The innermost open block's first line; each first line links to the
    // block that was open when it opened (`up`): the stack, in the lines.
    let mut top = NO_LINE;
    for i in 0..lines.len() {
        let indent = lines[i].indent;
        while top != NO_LINE && lines[top as usize].indent > indent {
            top = lines[top as usize].up;
        }
        if top != NO_LINE && lines[top as usize].indent == indent {
            lines[top as usize].siblings += 1;
        } else {
            lines[i].up = top;
            lines[i].siblings = 1;
            // Below `u32::MAX`: every line number is a `u32`.
            top = u32::try_from(i).unwrap_or(NO_LINE);
        }
    }
}

/// No line (for [`Line::up`]).
const NO_LINE: u32 = u32::MAX;

impl Reader<'_> {
    fn origin(&self, line: u32, column: usize) -> Option<Origin> {
        Some(Origin::File { path: self.path.clone(), line, column: u32::try_from(column + 1).ok()? })
    }

    fn count(&mut self) -> Option<()> {
        self.nodes += 1;
        (self.nodes <= self.max_nodes).then_some(())
    }

    /// A block map or list whose lines start at `indent`.
    fn block(&mut self, indent: usize, depth: usize) -> Option<Node> {
        if depth > self.max_depth {
            return None;
        }
        self.count()?;
        let first = &self.lines[self.at];
        if first.text == "-" || first.text.starts_with("- ") {
            self.list(indent, depth)
        } else {
            self.map(indent, depth)
        }
    }

    fn list(&mut self, indent: usize, depth: usize) -> Option<Node> {
        let first = &self.lines[self.at];
        let origin = self.origin(first.number, first.indent)?;
        let mut items = Vec::with_capacity(first.siblings);
        while let Some(line) = self.lines.get(self.at) {
            if line.indent < indent {
                break;
            }
            if line.indent > indent || !line.text.starts_with("- ") {
                return None;
            }
            let (number, column) = (line.number, line.indent + 2);
            let rest = skip_spaces(&line.text[2..]);
            let column = column + (line.text.len() - 2 - rest.len());
            // `- key: value` (a map in a list) and `- - x` are for the
            // general path (a plain scalar refuses a `: ` in it).
            if rest.is_empty() || rest.starts_with("- ") || rest == "-" {
                return None;
            }
            self.at += 1;
            crate::secret::push_wiped(&mut items, self.inline(rest, number, column, depth + 1)?);
            if self.lines.get(self.at).is_some_and(|next| next.indent > indent) {
                return None;
            }
        }
        Some(Node { kind: NodeKind::Seq(items), origin })
    }

    fn map(&mut self, indent: usize, depth: usize) -> Option<Node> {
        let first = &self.lines[self.at];
        let origin = self.origin(first.number, first.indent)?;
        let mut entries: Vec<Entry> = Vec::with_capacity(first.siblings);
        let mut index = KeyIndex::growing();
        while let Some(line) = self.lines.get(self.at) {
            if line.indent < indent {
                break;
            }
            if line.indent > indent {
                return None;
            }
            let (number, text) = (line.number, line.text);
            let colon = key_end(text)?;
            let key = &text[..colon];
            if index.find(&entries, key.as_bytes()).is_some() || key == "<<" {
                return None;
            }
            // A key is a value too, as the general path counts them.
            self.count()?;
            let key_origin = self.origin(number, indent)?;
            let after = &text[colon + 1..];
            let rest = skip_spaces(after);
            let rest_column = indent + colon + 1 + (after.len() - rest.len());
            self.at += 1;
            let value = self.map_value(indent, (number, indent + colon), (rest, rest_column), depth)?;
            crate::secret::push_wiped(&mut entries, Entry { key: key.into(), key_origin, value });
            index.pushed(&entries);
        }
        Some(Node { kind: NodeKind::Map(entries), origin })
    }

    /// The value of a map key: the block below it, the value after it on
    /// its line, or an empty plain scalar at the colon. `colon` is the
    /// line and column of the colon, `rest` what follows it and its column.
    fn map_value(&mut self, indent: usize, colon: (u32, usize), rest: (&str, usize), depth: usize) -> Option<Node> {
        let ((number, colon_column), (rest, rest_column)) = (colon, rest);
        if !(rest.is_empty() || rest.starts_with('#')) {
            // A map on one line (`a: b: c`) is for the general path: a
            // plain scalar refuses a `: ` in it, or a `:` at its end.
            let value = self.inline(rest, number, rest_column, depth + 1)?;
            let nested = self.lines.get(self.at).is_some_and(|next| next.indent > indent);
            return (!nested).then_some(value);
        }
        match self.lines.get(self.at) {
            Some(next) if next.indent > indent => {
                let child = next.indent;
                self.block(child, depth + 1)
            }
            // `key: # comment` or `key:`: an empty plain scalar at the colon.
            _ => {
                self.count()?;
                Some(Node { kind: empty(), origin: self.origin(number, colon_column)? })
            }
        }
    }

    /// A value that sits on its line: a scalar, a flow list of scalars,
    /// `{}` or `[]`, then at most a comment. `depth` is its depth if it is
    /// a list or a map.
    fn inline(&mut self, text: &str, line: u32, column: usize, depth: usize) -> Option<Node> {
        self.count()?;
        if text.starts_with(['[', '{']) && depth > self.max_depth {
            return None;
        }
        let origin = self.origin(line, column)?;
        let (kind, rest) = match text.as_bytes()[0] {
            b'[' => {
                let (items, rest) = self.flow_list(&text[1..], line, column + 1)?;
                (NodeKind::Seq(items), rest)
            }
            b'{' => {
                let rest = skip_spaces(&text[1..]).strip_prefix('}')?;
                (NodeKind::Map(Vec::new()), rest)
            }
            _ => {
                let (kind, used) = scalar(text, false)?;
                (kind, &text[used..])
            }
        };
        end_of_line(rest).then_some(Node { kind, origin })
    }

    /// The items of a one-line flow list after its `[`, and what follows `]`.
    fn flow_list<'t>(&mut self, mut text: &'t str, line: u32, mut column: usize) -> Option<(Vec<Node>, &'t str)> {
        let mut items = Vec::new();
        loop {
            let trimmed = skip_spaces(text);
            column += text.len() - trimmed.len();
            text = trimmed;
            if let Some(rest) = text.strip_prefix(']') {
                // `[a, ]` and `[]` are fine; `[,]` is not (caught below).
                return Some((items, rest));
            }
            let (kind, used) = scalar(text, true)?;
            self.count()?;
            crate::secret::push_wiped(&mut items, Node { kind, origin: self.origin(line, column)? });
            text = &text[used..];
            column += used;
            let trimmed = skip_spaces(text);
            column += text.len() - trimmed.len();
            text = trimmed;
            if let Some(rest) = text.strip_prefix(',') {
                text = rest;
                column += 1;
            } else if !text.starts_with(']') {
                return None;
            }
        }
    }
}

/// `text` after its leading spaces (a byte loop: faster than a trim by
/// pattern on short lines).
fn skip_spaces(text: &str) -> &str {
    let spaces = text.bytes().take_while(|&b| b == b' ').count();
    &text[spaces..]
}

/// A character YAML allows in a file (its `c-printable`), less the
/// byte-order mark, which only the general path places.
fn printable(c: char) -> bool {
    matches!(c, ' '..='~' | '\u{85}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
        && c != '\u{FEFF}'
}

/// Whether every character of `text` is [`printable`]: runs of printable
/// ASCII skipped eight bytes at a time, the other characters tested one by one.
fn printable_text(text: &str) -> bool {
    let mut rest = text;
    loop {
        // Every byte before the first that is not printable ASCII is ASCII:
        // a character boundary.
        rest = &rest[printable_ascii_prefix(rest.as_bytes())..];
        let mut chars = rest.chars();
        match chars.next() {
            None => return true,
            Some(c) if printable(c) => rest = chars.as_str(),
            Some(_) => return false,
        }
    }
}

/// Printable ASCII: what a line with content may hold.
fn printable_ascii(b: u8) -> bool {
    (0x20..=0x7e).contains(&b)
}

fn empty() -> NodeKind {
    NodeKind::Scalar { text: "".into(), style: ScalarStyle::Plain }
}

/// Where a plain key ends (its `:`), for keys of letters, digits, `_`, `-`
/// and `.` followed by `:` and a space or the end of the line.
fn key_end(text: &str) -> Option<usize> {
    // The first byte that cannot be in a key is the first `:` exactly when
    // every byte before that `:` can be: one pass finds both.
    let colon = text.bytes().position(|b| !KEY_BYTES[usize::from(b)])?;
    if text.as_bytes()[colon] != b':' {
        return None;
    }
    let key = &text[..colon];
    let simple = !key.is_empty() && !key.starts_with('-');
    let after = &text[colon + 1..];
    // Longer keys need `? key` in YAML: the general path says so.
    let short = colon < super::LONGEST_KEY / 2;
    (simple && short && (after.is_empty() || after.starts_with(' '))).then_some(colon)
}

/// The bytes of a plain key: letters, digits, `_`, `-` and `.`.
const KEY_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0_u8;
    loop {
        table[byte as usize] = byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'-' | b'.');
        if byte == u8::MAX {
            break table;
        }
        byte += 1;
    }
};

/// Nothing but spaces and a comment left on the line.
fn end_of_line(rest: &str) -> bool {
    let trimmed = skip_spaces(rest);
    // A comment needs a space before its `#`.
    trimmed.is_empty() || (trimmed.starts_with('#') && trimmed.len() < rest.len())
}

/// A scalar at the start of `text`: its kind and how many bytes it used.
/// In a flow list, plain scalars stop at `,` and `]`, and may not hold
/// `[ ] { }`.
fn scalar(text: &str, in_flow: bool) -> Option<(NodeKind, usize)> {
    let first = *text.as_bytes().first()?;
    match first {
        b'"' => double_quoted(text),
        b'\'' => single_quoted(text),
        _ => plain(text, in_flow),
    }
}

fn plain(text: &str, in_flow: bool) -> Option<(NodeKind, usize)> {
    let bytes = text.as_bytes();
    // Indicators that cannot start a plain scalar (or that start something
    // this path does not read).
    if matches!(
        bytes[0],
        b'&' | b'*' | b'!' | b'|' | b'>' | b'%' | b'@' | b'`' | b'#' | b',' | b'[' | b']' | b'{' | b'}'
    ) || (matches!(bytes[0], b'-' | b'?' | b':') && bytes.get(1).is_none_or(|&b| b == b' ' || b == b','))
    {
        return None;
    }
    let mut end = bytes.len();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'#' if i > 0 && bytes[i - 1] == b' ' => {
                end = i;
                break;
            }
            b',' | b']' if in_flow => {
                end = i;
                break;
            }
            b'[' | b'{' | b'}' if in_flow => return None,
            b':' if bytes.get(i + 1).is_none_or(|&n| n == b' ' || (in_flow && matches!(n, b',' | b']'))) => {
                return None;
            }
            _ => {}
        }
    }
    let value = text[..end].trim_end_matches(' ');
    if value.is_empty() {
        return None;
    }
    Some((NodeKind::Scalar { text: value.into(), style: ScalarStyle::Plain }, value.len()))
}

fn quoted(text: impl Into<Text>) -> NodeKind {
    NodeKind::Scalar { text: text.into(), style: ScalarStyle::Quoted }
}

fn single_quoted(text: &str) -> Option<(NodeKind, usize)> {
    let bytes = text.as_bytes();
    // Without a `''` inside, the text is what the quotes hold (no copy to build).
    let close = 1 + text[1..].bytes().position(|b| b == b'\'')?;
    if bytes.get(close + 1) != Some(&b'\'') {
        return Some((quoted(&text[1..close]), close + 1));
    }
    // Escapes only shrink the text: sized once, the buffer never grows (a
    // growing `String` frees its old block unwiped).
    let mut out = String::with_capacity(text.len());
    let mut i = 1;
    loop {
        match bytes.get(i)? {
            b'\'' if bytes.get(i + 1) == Some(&b'\'') => {
                out.push('\'');
                i += 2;
            }
            b'\'' => return Some((quoted(out), i + 1)),
            &b => {
                out.push(char::from(b));
                i += 1;
            }
        }
    }
}

fn double_quoted(text: &str) -> Option<(NodeKind, usize)> {
    let bytes = text.as_bytes();
    // Without an escape inside, the text is what the quotes hold.
    let stop = 1 + text[1..].bytes().position(|b| b == b'"' || b == b'\\')?;
    if bytes[stop] == b'"' {
        return Some((quoted(&text[1..stop]), stop + 1));
    }
    // Escapes only shrink the text: sized once, the buffer never grows (a
    // growing `String` frees its old block unwiped).
    let mut out = String::with_capacity(text.len());
    let mut i = 1;
    loop {
        match bytes.get(i)? {
            b'"' => return Some((quoted(out), i + 1)),
            b'\\' => {
                out.push(match bytes.get(i + 1)? {
                    b'\\' => '\\',
                    b'"' => '"',
                    b'/' => '/',
                    b'n' => '\n',
                    b't' => '\t',
                    b'r' => '\r',
                    b'0' => '\0',
                    // Other escapes (`\x`, `\u`, line folding…) are for the general path.
                    _ => return None,
                });
                i += 2;
            }
            &b => {
                out.push(char::from(b));
                i += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn general(src: &str, limits: &Limits) -> Result<Option<Node>, Vec<crate::Issue>> {
        let path: Arc<str> = "f.yaml".into();
        super::super::Builder::new(src, &path, limits).run()
    }

    fn fast(src: &str) -> Result<Option<Node>, Unsupported> {
        parse(src, &"f.yaml".into(), &Limits::default())
    }

    /// The property of the whole module: when the fast path answers, the
    /// general path gives the very same tree — with the default limits and
    /// with small ones (so both count values and depth alike).
    fn agree(src: &str) -> bool {
        let small = Limits::default().with_max_nodes(6).with_max_depth(2);
        let tiny = Limits::default().with_max_nodes(3).with_max_depth(1);
        for limits in [tiny, small, Limits::default()] {
            if let Ok(tree) = parse(src, &"f.yaml".into(), &limits) {
                assert_eq!(Ok(tree), general(src, &limits), "the paths disagree ({limits:?}) on:\n{src}");
            }
        }
        fast(src).is_ok()
    }

    #[test]
    fn siblings_are_counted_on_the_first_line_of_each_block() {
        let indents = [0, 2, 2, 4, 2, 0, 2, 2, 2, 0, 1, 1];
        let mut lines: Vec<Line<'_>> = (0..indents.len())
            .map(|i| Line { number: 1, up: NO_LINE, indent: indents[i], text: "", siblings: 0 })
            .collect();
        count_siblings(&mut lines);
        let counted: Vec<usize> = lines.iter().map(|line| line.siblings).collect();
        assert_eq!(counted, [3, 3, 0, 1, 0, 0, 3, 0, 0, 0, 2, 0]);
    }

    #[test]
    fn the_buffer_of_lines_is_kept_between_parses_unless_it_grew_large() {
        drop(fast("a: 1\nb: 2\n"));
        let kept = SPARE_LINES.take();
        let (at, capacity) = (kept.as_ptr(), kept.capacity());
        assert!(kept.is_empty() && capacity >= 2, "kept, empty");
        SPARE_LINES.set(kept);
        assert!(fast("c: 3\n").unwrap().unwrap().get("c").is_some());
        let again = SPARE_LINES.take();
        assert_eq!((again.as_ptr(), again.capacity()), (at, capacity), "and used again");
        SPARE_LINES.set(again);
        // Expected large (16 bytes a line or more): a buffer of its own.
        let long = (0..=KEPT_LINES).map(|i| format!("key_{i:08}: value\n")).collect::<Vec<_>>().concat();
        assert!(fast(&long).is_ok());
        let after = SPARE_LINES.take();
        assert_eq!((after.as_ptr(), after.capacity()), (at, capacity), "the kept one is left alone");
        SPARE_LINES.set(after);
        // Short lines: the kept buffer grows past the cap, and is let go.
        let short = (0..=KEPT_LINES).map(|i| format!("k{i}: v\n")).collect::<Vec<_>>().concat();
        assert!(fast(&short).is_ok());
        assert_eq!(SPARE_LINES.take().capacity(), 0, "a large one is not kept");
    }

    #[test]
    fn reads_the_phoenix_files_like_the_general_path() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../config");
        for name in ["base.yaml", "development.yaml", "testing.yaml", "production.yaml"] {
            let src = std::fs::read_to_string(format!("{dir}/{name}")).unwrap();
            assert!(agree(&src), "{name} takes the fast path");
        }
    }

    #[test]
    fn reads_the_subset_like_the_general_path() {
        for src in [
            "a: 1\n",
            "a: 1 # note\nb: 'it''s'\nc: \"q\\\"\\n\"\n",
            "a:\n  b:\n    c: x\n  d: [1, 'two', \"3\", ]\ne: {}\nf: []\ng: [ ]\n",
            "list:\n  - 1\n  - '2'\n  - [a, b]\n  - {}\nafter: x\n",
            "empty:\nnext: 1\n",
            "trailing:   \nnext: 1\n",
            "comment: # here\nnext: 1\n",
            "  indented: root\n  second: 2\n",
            "url: http://localhost:11434/x?y=1#frag\n",
            "neg: -5\ntilde: ~\nzip: 02134\nver: 1.10\n",
            "# only a comment\n",
            "# caf\u{e9} \u{1F600}\na: 1 # note\n",
            "",
        ] {
            assert!(agree(src), "{src:?} takes the fast path");
        }
    }

    #[test]
    fn lines_are_cut_as_split_cuts_them_and_flagged_printable_ascii() {
        for src in ["", "a", "a\n", "a\n\nb", "\n", "caf\u{e9}\nx\ty\n\u{1}\n", "\u{7f}"] {
            let ours: Vec<&str> = lines_of(src).map(|(line, _)| line).collect();
            assert_eq!(ours, src.split('\n').collect::<Vec<_>>(), "{src:?}");
        }
        let flags: Vec<bool> = lines_of("ok\ncaf\u{e9}\na\tb\n~\u{7f}").map(|(_, ascii)| ascii).collect();
        assert_eq!(flags, [true, false, false, false]);
    }

    #[test]
    fn comment_text_is_printable_as_each_character_is() {
        for text in ["", "# plain", "# caf\u{e9} \u{2014} \u{2192} ok", "# \u{10000}x", "\u{e9}"] {
            assert_eq!(printable_text(text), text.chars().all(printable), "{text:?}");
        }
        for bad in ["# \u{7f}", "# caf\u{e9}\u{1}", "\u{feff}", "# \u{e9}\u{fffe}", "# \t"] {
            assert!(!printable_text(bad) && !bad.chars().all(printable), "{bad:?}");
        }
    }

    #[test]
    fn a_key_ends_at_its_colon_when_every_byte_before_it_is_a_key_byte() {
        let cases = [
            ("key: v", Some(3)),
            ("a.b-c_d9:", Some(8)),
            ("key:v", None),
            ("-key: v", None),
            (": v", None),
            ("ke y: v", None),
            ("k\u{e9}y: v", None),
            ("key", None),
            ("key # c: d", None),
        ];
        for (text, end) in cases {
            assert_eq!(key_end(text), end, "{text:?}");
        }
    }

    /// Eight bytes at a time, every byte value at every position of a word
    /// (and in the tail after the last whole word) is judged as one byte is.
    #[test]
    fn the_word_scan_agrees_with_the_byte_test() {
        for len in [1, 7, 8, 9, 16, 23] {
            for at in 0..len {
                for b in 0..=255u8 {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = b;
                    let expected = if printable_ascii(b) { len } else { at };
                    assert_eq!(printable_ascii_prefix(&bytes), expected, "byte {b:#x} at {at} of {len}");
                }
            }
        }
        assert_eq!(printable_ascii_prefix(b""), 0);
    }

    /// One map of 40,000 keys (and a list of as many items): read by the
    /// fast path like the general path, a duplicate found even at the end.
    #[test]
    fn reads_large_maps_and_lists() {
        use std::fmt::Write as _;
        let mut src = String::new();
        (0..40_000).for_each(|i| writeln!(src, "key{i}: v{i}").unwrap());
        src.push_str("list:\n");
        (0..40_000).for_each(|i| writeln!(src, "  - {i}").unwrap());
        let limits = Limits::default().with_max_nodes(1_000_000);
        let tree = parse(&src, &"f.yaml".into(), &limits).expect("the fast path reads it").expect("a document");
        assert_eq!(tree.entries().unwrap().len(), 40_001);
        assert_eq!(Ok(Some(tree)), general(&src, &limits));
        src.push_str("key39999: again\n");
        assert_eq!(parse(&src, &"f.yaml".into(), &limits), Err(Unsupported));
    }

    #[test]
    fn leaves_everything_else_to_the_general_path() {
        for src in [
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "a: |\n  block\n",
            "a: plain\n  continued\n",
            "'quoted key': 1\n",
            "a: {b: 1}\n",
            "a: 1\na: 2\n",
            "---\na: 1\n",
            "a:\t1\n",
            "a: b: c\n",
            "- a: 1\n",
            "a:\n- 1\n",
            "a: [1,\n  2]\n",
            "a: \"\\u00e9\"\n",
            "a: 'x'#c\n",
            "a: \u{e9}\n",
            "<<: {a: 1}\n",
            "a: 1\n b: 2\n",
            "a: [b, [c]]\n",
            "a: @x\n",
            // Found by the fuzzer: an unprintable character in a comment.
            "#\u{1}\u{0}in5in",
            "a: 1 # \u{7f}\n",
            "# \u{9f}\na: 1\n",
        ] {
            assert_eq!(fast(src), Err(Unsupported), "{src:?} must take the general path");
        }
    }

    /// Random files from YAML-ish fragments: whenever the fast path answers,
    /// the general path agrees (and accepts the file).
    #[test]
    fn agrees_with_the_general_path_on_generated_files() {
        const PIECES: &[&str] = &[
            "a",
            "b",
            "key_1",
            "x.y",
            "-",
            "- ",
            ": ",
            ":",
            " ",
            "  ",
            "    ",
            "#",
            " #",
            "\n",
            "\n",
            "\n",
            "'",
            "''",
            "\"",
            "\\\"",
            "\\n",
            "\\x",
            "[",
            "]",
            ",",
            ", ",
            "{",
            "}",
            "&a",
            "*a",
            "!",
            "|",
            ">",
            "1",
            "-5",
            "02134",
            "1.10",
            "~",
            "null",
            "http://h:80/p",
            "a b",
            "?",
            "%",
            "@",
            "`",
            "--- ",
            "...",
        ];
        let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let (mut fast_count, total) = (0, 30_000);
        for _ in 0..total {
            let len = 1 + next() % 24;
            let src: String =
                (0..len).map(|_| PIECES[usize::try_from(next() % PIECES.len() as u64).unwrap()]).collect();
            if agree(&src) {
                fast_count += 1;
            }
        }
        // The generator must reach the fast path often enough to mean something.
        assert!(fast_count > total / 50, "only {fast_count} of {total} generated files took the fast path");
    }

    /// Random files shaped like configuration files (indented keys, lists,
    /// tricky values): the same property, on inputs that reach deeper.
    #[test]
    fn agrees_with_the_general_path_on_generated_config_files() {
        const KEYS: &[&str] = &["a", "b", "c_d", "x.y", "k-1", "n", "a", "a b", "-a", "?k"];
        const VALUES: &[&str] = &[
            "",
            "1",
            "-1",
            "02134",
            "1.10",
            "~",
            "null",
            "true",
            "x y",
            "a#b",
            "a #c",
            "'q'",
            "'it''s'",
            "'open",
            "\"d\\\"q\"",
            "\"\\t\"",
            "\"open",
            "[]",
            "[ ]",
            "[a, 'b', \"c\"]",
            "[a,]",
            "[,]",
            "[a b, c]",
            "{}",
            "{ }",
            "{a: 1}",
            "a: b",
            "a:",
            ":a",
            "http://h:80/p",
            "- x",
            "-",
            "-x",
            "@x",
            "&a x",
            "*a",
            "!t x",
            "|",
            "'x' # c",
            "x   ",
            "'x'#c",
            "[a] #c",
            "[a]x",
            "#c",
        ];
        let mut seed = 0x2545_F491_4F6C_DD1D_u64;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            usize::try_from(seed % n as u64).unwrap()
        };
        let (mut fast_count, total) = (0, 30_000);
        for _ in 0..total {
            let mut src = String::new();
            for _ in 0..=next(8) {
                src.push_str(&" ".repeat([0, 0, 2, 2, 4, 1, 3][next(7)]));
                let value = VALUES[next(VALUES.len())];
                match next(4) {
                    0 => src.push_str(&["- ", value].concat()),
                    1 => src.push_str(&[KEYS[next(KEYS.len())], ":"].concat()),
                    2 => src.push_str(["# comment", "# caf\u{e9}", "# \u{2}", "# \u{85}x", "#"][next(5)]),
                    _ => src.push_str(&[KEYS[next(KEYS.len())], ": ", value].concat()),
                }
                src.push('\n');
            }
            if agree(&src) {
                fast_count += 1;
            }
        }
        assert!(fast_count > total / 20, "only {fast_count} of {total} generated files took the fast path");
    }
}
