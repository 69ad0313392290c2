//! `.env` files → variables with their line numbers, expanded as docker
//! compose expands them.
//!
//! Our own parser rather than `dotenvy`: dotenvy's iterator gives no line
//! numbers (an error could not say `.env:3 MONGODB_URI`), and it expands
//! `$VAR` from the process environment, which would bypass the variables
//! injected with [`ConfigLoader::env_vars`](crate::ConfigLoader::env_vars).
//! Nothing here reads or changes the process environment: the loader hands
//! in the variables to expand from.
//!
//! The syntax:
//!
//! ```text
//! # a comment; blank lines are skipped
//! NAME=value                 # unquoted: trimmed, ends at ` #` (a comment)
//! export NAME = value        # optional `export `, spaces around `=`
//! NAME='literal $HOME \n'    # single quotes: taken as written
//! NAME="tab\there"           # double quotes: \n \t \r \" \\ \$ (others are errors)
//! NAME="first line
//! second line"               # quoted values may span lines
//! URI=mongodb://${DB_HOST:-localhost}:$DB_PORT/x   # expanded (unquoted and double-quoted)
//! ```
//!
//! Names are `[A-Za-z_][A-Za-z0-9_.]*`. Unquoted and double-quoted values
//! expand `$NAME`, `${NAME}`, `${NAME:-default}`, `${NAME-default}`,
//! `${NAME:?message}`, `${NAME?message}`, `${NAME:+alt}` and `${NAME+alt}`
//! (the grammar of [`crate::interpolate`]); `$$` and `\$` are a literal `$`;
//! single-quoted values are never expanded. A name resolves against the
//! loader's variables first, then the entries above it. A plain `$NAME`
//! that is unset expands to nothing, with a warning.
//!
//! A leading byte-order mark is skipped and CRLF line ends are accepted (a
//! CRLF inside a quoted value becomes `\n`). A bad line — no `=`, a bad
//! name, an unknown escape, text after a closing quote, a NUL byte, invalid
//! UTF-8, a quote never closed, a bad expansion — is an [`Issue`] at its line
//! and column, and parsing carries on with the next line. No message quotes
//! the line (a line that is not an entry may be a pasted secret).
//!
//! Every buffer that holds a value (as read, expanded, or looked up for an
//! expansion) is wiped when dropped, and none is grown in place (a growing
//! `String` frees its old block unwiped): any entry may be a secret.

use std::sync::Arc;

use zeroize::{Zeroize as _, Zeroizing};

use crate::interpolate::grammar::{self, Dialect, Scope, Stop, Target};
use crate::limits::{DEPTH_CEILING, Limits};
use crate::message::shorten;
use crate::node::Text;
use crate::secret::WipedString;
use crate::{Issue, IssueKind, Origin};

/// One `NAME=value` entry of a `.env` file.
#[derive(Clone, Debug)]
pub(crate) struct DotenvEntry {
    /// The name, shared with the maps that index the entries and with the
    /// origins of the values taken from it.
    pub(crate) name: Arc<str>,
    /// The value, expanded (wiped when dropped).
    pub(crate) value: Text,
    /// 1-based line where the entry starts.
    pub(crate) line: u32,
    /// Where the expansions of the value came from (variables, entries above).
    pub(crate) via: Vec<Origin>,
    /// The names the value was built from, and through them the names the
    /// entries above were built from: a value built from a secret is a secret.
    pub(crate) refs: Arc<Refs>,
}

/// The names a `.env` value was built from: its own, and (shared, not
/// copied, so a chain of entries stays linear) those of the entries it took.
#[derive(Default)]
pub(crate) struct Refs {
    /// The names the value expanded (variables and entries above).
    pub(crate) names: Vec<Arc<str>>,
    /// The names of the entries above that it took.
    pub(crate) through: Vec<Arc<Refs>>,
}

/// Shallow: the names, and how many sets it goes through.
impl std::fmt::Debug for Refs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Refs").field("names", &self.names).field("through", &self.through.len()).finish()
    }
}

/// Drops a long chain of shared sets without a recursion per link.
impl Drop for Refs {
    fn drop(&mut self) {
        let mut todo = std::mem::take(&mut self.through);
        while let Some(refs) = todo.pop() {
            if let Some(mut refs) = Arc::into_inner(refs) {
                todo.append(&mut refs.through);
            }
        }
    }
}

impl Refs {
    /// No names: one set shared by every value that expands nothing (a
    /// value is not an allocation of its own for that).
    fn none() -> Arc<Refs> {
        static NONE: std::sync::OnceLock<Arc<Refs>> = std::sync::OnceLock::new();
        NONE.get_or_init(Arc::default).clone()
    }

    /// Whether the value expanded nothing.
    pub(crate) fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The first name, here or through entries above, that `is_secret` says
    /// is a secret. Each shared set is walked once.
    pub(crate) fn find(&self, is_secret: &dyn Fn(&str) -> bool) -> Option<Arc<str>> {
        let mut seen = std::collections::HashSet::new();
        let mut todo = vec![self];
        while let Some(refs) = todo.pop() {
            if !seen.insert(std::ptr::from_ref(refs)) {
                continue;
            }
            if let Some(name) = refs.names.iter().find(|name| is_secret(name)) {
                return Some(name.clone());
            }
            todo.extend(refs.through.iter().map(|r| &**r));
        }
        None
    }
}

/// The variables a `.env` file expands from: a name's value, `None` when
/// unset, `Some(Err(()))` when set but not UTF-8.
pub(crate) type Lookup<'a> = &'a dyn Fn(&str) -> Option<Result<String, ()>>;

/// A `.env` file read: its entries, its problems, and its warnings (names
/// that expand to nothing because they are unset).
pub(crate) struct Parsed {
    pub(crate) entries: Vec<DotenvEntry>,
    /// Entry names → the index in `entries` of the last entry of the name.
    pub(crate) index: crate::name_hash::NameMap<usize, Arc<str>>,
    pub(crate) issues: Vec<Issue>,
    pub(crate) warnings: Vec<Issue>,
}

/// Parses a `.env` file with no variables to expand from (names resolve
/// against the entries above only): every valid entry, and an issue for
/// every bad line.
#[cfg_attr(not(feature = "fuzzing"), allow(dead_code))]
pub(crate) fn parse(bytes: &[u8], path: &Arc<str>, limits: &Limits) -> (Vec<DotenvEntry>, Vec<Issue>) {
    let parsed = read(bytes, path, limits, &|_| None);
    (parsed.entries, parsed.issues)
}

/// Parses a `.env` file, expanding from `vars` then the entries above.
///
/// The file size is bounded by the loader (`Limits::max_file_bytes`), the
/// text the expansions write by `Limits::max_expanded_bytes`; the parse
/// itself is linear in the size of the file.
pub(crate) fn read(bytes: &[u8], path: &Arc<str>, limits: &Limits, vars: Lookup<'_>) -> Parsed {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut parser = DotenvParser {
        bytes,
        path,
        pos: 0,
        line: 1,
        bad_lines: Vec::new(),
        entries: Vec::new(),
        index: crate::name_hash::NameMap::default(),
        issues: Vec::new(),
        warnings: Vec::new(),
        vars,
        limits,
        budget: limits.max_expanded_bytes,
    };
    parser.find_bad_lines();
    let sort = !parser.bad_lines.is_empty();
    while parser.pos < bytes.len() {
        if parser.bad_lines.binary_search(&parser.line).is_ok() {
            let eol = parser.eol(parser.pos);
            parser.next_line(eol);
        } else {
            parser.entry();
        }
    }
    let mut issues = parser.issues;
    if sort {
        issues.sort_by_key(|(line, _)| *line);
    }
    Parsed {
        entries: parser.entries,
        index: parser.index,
        issues: issues.into_iter().map(|(_, issue)| issue).collect(),
        warnings: parser.warnings,
    }
}

/// The parser's issues of the file `bytes` as a load shows them: each at
/// its value's start (see [`at_value_start`]).
pub(crate) fn shown_at_values(bytes: &[u8], issues: Vec<Issue>) -> impl Iterator<Item = Issue> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let lines: Vec<&[u8]> = if issues.is_empty() { Vec::new() } else { bytes.split(|&b| b == b'\n').collect() };
    issues.into_iter().map(move |issue| at_value_start(issue, &lines))
}

/// A `.env` syntax error inside or after a value is shown at the value's
/// start, as YAML's are: its column would tell a secret's length, or where
/// in it the bad character is. A line that is not an entry's `NAME=` line
/// (inside a multi-line value) is shown from its start.
fn at_value_start(issue: Issue, lines: &[&[u8]]) -> Issue {
    let Some(Origin::File { path, line, column }) = issue.origin() else { return issue };
    let text = lines.get(usize::try_from(*line).unwrap_or(usize::MAX).saturating_sub(1));
    let value = text.map_or(Some(0), |text| dotenv_value_column(text)).unwrap_or(0);
    let shown = u32::try_from(value + 1).unwrap_or(u32::MAX);
    if shown >= *column {
        return issue;
    }
    let origin = Origin::File { path: path.clone(), line: *line, column: shown };
    Issue::new(issue.kind(), issue.path(), issue.message()).with_origin(origin)
}

/// The 0-based column (in characters) where the value of a `NAME=value`
/// line (`export NAME = value`) starts; `None` for another line.
fn dotenv_value_column(line: &[u8]) -> Option<usize> {
    let blanks = |from: usize| line[from..].iter().take_while(|b| matches!(b, b' ' | b'\t')).count();
    let mut at = blanks(0);
    if line[at..].starts_with(b"export") && line.get(at + 6).is_some_and(|b| matches!(b, b' ' | b'\t')) {
        at += 6 + blanks(at + 6);
    }
    let name = line[at..].iter().take_while(|b| b.is_ascii_alphanumeric() || **b == b'_').count();
    at += name;
    at += blanks(at);
    (name > 0 && line.get(at) == Some(&b'=')).then(|| {
        let value = at + 1 + blanks(at + 1);
        line[..value].iter().filter(|&&b| b & 0xC0 != 0x80).count()
    })
}

fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_name(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'.'
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// `String::from_utf8_lossy`, with the check of valid text (every line the
/// parse reads is) done by `str::from_utf8`, several times cheaper on short text.
fn lossy(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    std::str::from_utf8(bytes).map_or_else(|_| String::from_utf8_lossy(bytes), std::borrow::Cow::Borrowed)
}

/// Text from bytes cut at ASCII positions of valid UTF-8 lines, with `\$`
/// written `$$` (the same length, so offsets still line up): the bytes
/// themselves when they hold no `\$`, else a buffer of its final size that
/// is wiped when dropped.
fn text(bytes: &[u8]) -> RawText<'_> {
    let text = lossy(bytes);
    if let std::borrow::Cow::Borrowed(written) = text
        && !bytes.windows(2).any(|pair| pair == b"\\$")
    {
        return RawText::Written(written);
    }
    let mut out = Zeroizing::new(String::with_capacity(bytes.len()));
    let mut pieces = text.split("\\$");
    out.push_str(pieces.next().unwrap_or_default());
    for piece in pieces {
        out.push_str("$$");
        out.push_str(piece);
    }
    RawText::Built(out)
}

/// The bytes of a quoted value as text, in the same buffer. Invalid UTF-8
/// comes only from a bad line, already reported, whose entry is dropped:
/// then the text is empty (and the bytes wiped).
fn utf8(mut bytes: Zeroizing<Vec<u8>>) -> RawText<'static> {
    match String::from_utf8(std::mem::take(&mut *bytes)) {
        Ok(text) => RawText::Built(Zeroizing::new(text)),
        Err(e) => {
            e.into_bytes().zeroize();
            RawText::Written("")
        }
    }
}

/// A value as read, before expansion: the text for the grammar, and where
/// its bytes were in the file.
struct Raw<'a> {
    /// The value; in an expanded value a literal `$` (from `\$`) is `$$`.
    text: RawText<'a>,
    /// Whether the value expands (unquoted, double-quoted).
    expands: bool,
    /// The file offset of the text's first byte.
    start: usize,
    /// `(offset in text, offset in the file)` wherever the two stop moving
    /// together after the start (after an escape or a CRLF).
    anchors: Vec<(usize, usize)>,
}

/// The text of a value as read: the file's own bytes (the file buffer is
/// wiped), or built from them (unescaped) in a buffer wiped when dropped.
enum RawText<'a> {
    Written(&'a str),
    Built(Zeroizing<String>),
}

impl std::ops::Deref for RawText<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            RawText::Written(text) => text,
            RawText::Built(text) => text,
        }
    }
}

impl Raw<'_> {
    fn new(start: usize, expands: bool) -> Self {
        Raw { text: RawText::Written(""), expands, start, anchors: Vec::new() }
    }

    /// The file offset of byte `at` of the text.
    fn file_offset(&self, at: usize) -> usize {
        let i = self.anchors.partition_point(|&(text, _)| text <= at);
        let (text, file) = i.checked_sub(1).map_or((0, self.start), |i| self.anchors[i]);
        file + (at - text)
    }
}

/// What a double-quoted value's scan found.
struct QuotedScan {
    raw: Raw<'static>,
    /// The closing quote, if any.
    close: Option<usize>,
    /// The first bad escape: its line, the start of that line, its offset.
    bad_escape: Option<(u32, usize, usize)>,
    /// The line of the closing quote, and where that line starts.
    end_line: u32,
    end_line_start: usize,
}

/// Where an entry starts: its line and the offset of the line.
#[derive(Clone, Copy)]
struct At {
    line: u32,
    start: usize,
}

struct DotenvParser<'a> {
    bytes: &'a [u8],
    path: &'a Arc<str>,
    /// Start of the current line.
    pos: usize,
    /// The current line, 1-based.
    line: u32,
    /// Lines with invalid UTF-8 or a NUL byte, already reported, in order.
    bad_lines: Vec<u32>,
    entries: Vec<DotenvEntry>,
    /// Entry names → their index in `entries` (the last entry of a name).
    index: crate::name_hash::NameMap<usize, Arc<str>>,
    issues: Vec<(u32, Issue)>,
    warnings: Vec<Issue>,
    vars: Lookup<'a>,
    limits: &'a Limits,
    /// Bytes the expansions may still write.
    budget: usize,
}

impl<'a> DotenvParser<'a> {
    /// Reports every line with invalid UTF-8 or a NUL byte; the parse skips them.
    /// The messages name neither the byte nor the text (it may be a secret).
    fn find_bad_lines(&mut self) {
        let bytes = self.bytes;
        if std::str::from_utf8(bytes).is_ok() && !bytes.contains(&0) {
            return;
        }
        for (index, line) in bytes.split(|&b| b == b'\n').enumerate() {
            let number = to_u32(index + 1);
            let (at, message) = match std::str::from_utf8(line) {
                Err(e) => (e.valid_up_to(), "the line is not valid utf-8; save the file as utf-8"),
                Ok(_) => match line.iter().position(|&b| b == 0) {
                    Some(at) => (at, "the line holds a NUL byte; remove it"),
                    None => continue,
                },
            };
            let column = Self::column_in(line, at);
            self.bad_lines.push(number);
            self.issue_at(IssueKind::Syntax, number, column, message);
        }
    }

    /// 1-based column (in characters) of byte `at` of `line`.
    fn column_in(line: &[u8], at: usize) -> u32 {
        to_u32(line[..at].iter().filter(|&&b| b & 0xC0 != 0x80).count() + 1)
    }

    fn file_origin(&self, line: u32, column: u32) -> Origin {
        Origin::File { path: self.path.clone(), line, column }
    }

    fn issue_at(&mut self, kind: IssueKind, line: u32, column: u32, message: impl Into<String>) {
        let origin = self.file_origin(line, column);
        self.issues.push((line, Issue::new(kind, "", message).with_origin(origin)));
    }

    /// An issue at byte `at` of the line starting at `line_start`.
    fn issue(&mut self, line: u32, line_start: usize, at: usize, message: impl Into<String>) {
        let column = Self::column_in(&self.bytes[line_start..], at - line_start);
        self.issue_at(IssueKind::Syntax, line, column, message);
    }

    /// Line and column of file offset `at`, inside the entry starting at `from`.
    fn position(&self, from: At, at: usize) -> (u32, u32) {
        let before = &self.bytes[from.start..at];
        let newlines = before.iter().fold(0, |n, &b| n + usize::from(b == b'\n'));
        let line_start = before.iter().rposition(|&b| b == b'\n').map_or(from.start, |i| from.start + i + 1);
        (from.line + to_u32(newlines), Self::column_in(&self.bytes[line_start..], at - line_start))
    }

    /// The index of the `\n` ending the line that holds `from`, or the end of the file.
    fn eol(&self, from: usize) -> usize {
        self.bytes[from..].iter().position(|&b| b == b'\n').map_or(self.bytes.len(), |i| from + i)
    }

    /// The end of a line's content: before its `\r\n` or `\n`.
    fn content_end(&self, start: usize, eol: usize) -> usize {
        if eol > start && self.bytes[eol - 1] == b'\r' { eol - 1 } else { eol }
    }

    fn skip_blanks(&self, mut i: usize, end: usize) -> usize {
        while i < end && is_blank(self.bytes[i]) {
            i += 1;
        }
        i
    }

    /// Moves to the line after the one ending at `eol`.
    fn next_line(&mut self, eol: usize) {
        self.pos = eol + 1;
        self.line += 1;
    }

    /// Reads the entry (or blank line, or comment) starting at the current line.
    fn entry(&mut self) {
        let from = At { line: self.line, start: self.pos };
        let eol = self.eol(from.start);
        let end = self.content_end(from.start, eol);
        let i = self.skip_blanks(from.start, end);
        if i == end || self.bytes[i] == b'#' {
            self.next_line(eol);
            return;
        }
        let Some((name, after_equals)) = self.name(from, i, end) else {
            self.next_line(eol);
            return;
        };
        let i = self.skip_blanks(after_equals, end);
        match self.bytes.get(i) {
            Some(&quote @ (b'"' | b'\'')) if i < end => self.quoted(name, from, i, quote == b'"'),
            _ => {
                let raw = self.unquoted(i, after_equals, end);
                self.finish(name, from, &raw);
                self.next_line(eol);
            }
        }
    }

    /// The name of the entry at `i` (after blanks) and the offset after its
    /// `=`; `None` (reported) when the line is not `NAME=`. The messages
    /// never quote the line: it may be a pasted secret.
    fn name(&mut self, from: At, mut i: usize, end: usize) -> Option<(Arc<str>, usize)> {
        let bytes = self.bytes;
        if bytes[i..end].starts_with(b"export") && bytes.get(i + 6).is_some_and(|&b| is_blank(b)) {
            i = self.skip_blanks(i + 6, end);
        }
        let name_start = i;
        if i == end || !is_name_start(bytes[i]) {
            self.issue(from.line, from.start, i, "expected `NAME=value`; a name starts with a letter or `_`");
            return None;
        }
        while i < end && is_name(bytes[i]) {
            i += 1;
        }
        let name_end = i;
        i = self.skip_blanks(i, end);
        if i < end && bytes[i] == b'=' {
            return Some((lossy(&bytes[name_start..name_end]).into(), i + 1));
        }
        let message = if i < end && i == name_end {
            "expected `=` here; a name holds only letters, digits, `_` and `.`"
        } else {
            "expected `=` after the name; lines have the form `NAME=value` (quote a value that spans lines)"
        };
        self.issue(from.line, from.start, i, message);
        None
    }

    /// An unquoted value from `i` to the end of the line: it ends at a `#`
    /// that follows a blank, trimmed; `\$` is a literal `$`.
    fn unquoted(&self, i: usize, after_equals: usize, end: usize) -> Raw<'a> {
        let bytes = self.bytes;
        let mut cut = (i..end).find(|&j| bytes[j] == b'#' && j > after_equals && is_blank(bytes[j - 1])).unwrap_or(end);
        while cut > i && is_blank(bytes[cut - 1]) {
            cut -= 1;
        }
        let mut raw = Raw::new(i, true);
        raw.text = text(&bytes[i..cut]);
        raw
    }

    /// A quoted value opening at `open`, maybe over several lines; pushes the
    /// entry whose name was just read, or reports why it cannot.
    fn quoted(&mut self, name: Arc<str>, from: At, open: usize, double: bool) {
        let scan = self.scan_quoted(from, open, double);
        let quote = if double { '"' } else { '\'' };
        let Some(close) = scan.close else {
            self.issue(
                from.line,
                from.start,
                open,
                format!("this {quote} quote is never closed; add the closing {quote}"),
            );
            let eol = self.eol(from.start);
            self.next_line(eol);
            return;
        };
        // The rest of the closing line: blanks, then maybe a comment.
        let eol = self.eol(close);
        let end = self.content_end(scan.end_line_start, eol);
        let rest = self.skip_blanks(close + 1, end);
        // `bad_lines` is sorted: a binary search keeps files of many bad
        // lines and many quoted values linear.
        let next_bad = self.bad_lines.partition_point(|&bad| bad <= from.line);
        let crosses_bad_line = self.bad_lines.get(next_bad).is_some_and(|&bad| bad <= scan.end_line);
        if crosses_bad_line {
            // Already reported.
        } else if let Some((line, line_start, at)) = scan.bad_escape {
            self.bad_escape(line, line_start, at);
        } else if rest < end && self.bytes[rest] != b'#' {
            self.issue(
                scan.end_line,
                scan.end_line_start,
                rest,
                "unexpected text after the closing quote; quote the whole value, or start a comment with ` #`",
            );
        } else {
            self.finish(name, from, &scan.raw);
        }
        self.line = scan.end_line;
        self.next_line(eol);
    }

    /// Reports an unknown escape (or a backslash ending a line) without
    /// naming the character: it may be part of a secret.
    fn bad_escape(&mut self, line: u32, line_start: usize, at: usize) {
        let message = match self.bytes.get(at + 1) {
            Some(&c) if c != b'\n' && c != b'\r' => {
                "unknown escape in a double-quoted value; the escapes are \\n \\t \\r \\\" \\\\ \\$ \
                 (write `\\\\` for a backslash, or use single quotes)"
            }
            _ => {
                "a backslash ends the line in a double-quoted value; write `\\\\` for a backslash \
                 (a quoted value may simply go on over several lines)"
            }
        };
        self.issue(line, line_start, at, message);
    }

    /// Reads a quoted value up to its closing quote (or the end of the file).
    fn scan_quoted(&self, from: At, open: usize, double: bool) -> QuotedScan {
        let bytes = self.bytes;
        let quote = if double { b'"' } else { b'\'' };
        let mut scan = QuotedScan {
            raw: Raw::new(open + 1, double),
            close: None,
            bad_escape: None,
            end_line: from.line,
            end_line_start: from.start,
        };
        // Escapes and CRLFs never make the value longer than its bytes in
        // the file: sized once, it never grows (and frees no copy).
        let mut value = Zeroizing::new(Vec::with_capacity(self.quoted_len(open, double)));
        let mut i = open + 1;
        while let Some(&b) = bytes.get(i) {
            i += match b {
                _ if b == quote => {
                    scan.close = Some(i);
                    break;
                }
                b'\\' if double => self.escape(i, &mut value, &mut scan),
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                    scan.raw.anchors.push((value.len(), i + 1));
                    1
                }
                b'\n' => {
                    value.push(b'\n');
                    scan.end_line += 1;
                    scan.end_line_start = i + 1;
                    1
                }
                _ => {
                    value.push(b);
                    1
                }
            };
        }
        scan.raw.text = utf8(value);
        scan
    }

    /// How many bytes a quoted value opening at `open` spans in the file,
    /// up to its closing quote (or the end of the file).
    fn quoted_len(&self, open: usize, double: bool) -> usize {
        let quote = if double { b'"' } else { b'\'' };
        let mut i = open + 1;
        while let Some(&b) = self.bytes.get(i) {
            match b {
                _ if b == quote => break,
                // An escape: the next byte is never the closing quote.
                b'\\' if double => i += 2,
                _ => i += 1,
            }
        }
        i.min(self.bytes.len()) - (open + 1)
    }

    /// The escape at `i` of a double-quoted value: appends what it stands
    /// for (`\$` stands for `$$`, a literal `$` to the grammar) and returns
    /// how many bytes it takes; a bad one is remembered, the first only.
    fn escape(&self, i: usize, value: &mut Zeroizing<Vec<u8>>, scan: &mut QuotedScan) -> usize {
        let escaped: &[u8] = match self.bytes.get(i + 1) {
            Some(b'n') => b"\n",
            Some(b't') => b"\t",
            Some(b'r') => b"\r",
            Some(b'"') => b"\"",
            Some(b'\\') => b"\\",
            Some(b'$') => b"$$",
            _ => {
                scan.bad_escape.get_or_insert((scan.end_line, scan.end_line_start, i));
                return 1;
            }
        };
        value.extend_from_slice(escaped);
        scan.raw.anchors.push((value.len(), i + 2));
        2
    }

    /// Expands a value read and pushes its entry, or reports why it cannot.
    fn finish(&mut self, name: Arc<str>, from: At, raw: &Raw) {
        let line = from.line;
        if !raw.expands || !grammar::has_expansion(&raw.text, Dialect::Dotenv) {
            let value = Text::from(&*raw.text);
            self.push(DotenvEntry { name, value, line, via: Vec::new(), refs: Refs::none() });
            return;
        }
        let parts =
            match grammar::parse(&raw.text, Dialect::Dotenv, self.limits.max_reference_depth.clamp(1, DEPTH_CEILING)) {
                Ok(parts) => parts,
                Err(e) => {
                    let (line, column) = self.position(from, raw.file_offset(e.at()));
                    self.issue_at(IssueKind::Syntax, line, column, e.message(Dialect::Dotenv));
                    return;
                }
            };
        let mut scope = EntryScope {
            parser: &*self,
            via: Vec::new(),
            refs: Refs::default(),
            unset: Vec::new(),
            bad: None,
            budget: self.budget,
        };
        let mut value = WipedString::with_capacity(raw.text.len());
        let result = grammar::expand(&parts, &mut scope, &mut value);
        let EntryScope { via, refs, unset, bad, budget, .. } = scope;
        self.budget = budget;
        for (unset, at) in unset {
            let (line, column) = self.position(from, raw.file_offset(at));
            let message = format!(
                "variable {unset} is not set and expands to nothing; set it, or write `${{{unset}:-}}` to say so"
            );
            self.warnings.push(Issue::new(IssueKind::Missing, "", message).with_origin(self.file_origin(line, column)));
        }
        match result {
            Ok(()) => {
                let value = Text::from(value.as_str());
                self.push(DotenvEntry { name, value, line, via, refs: Arc::new(refs) });
            }
            Err(stop) => self.stopped(from, raw, &stop, bad),
        }
    }

    /// Reports an expansion that stopped.
    fn stopped(&mut self, from: At, raw: &Raw, stop: &Stop, bad: Option<(String, usize)>) {
        let (kind, at, message) = match stop {
            Stop::Required { target, message, at } => (IssueKind::Missing, *at, required_message(target, message)),
            Stop::TooLarge { at } => (
                IssueKind::Invalid,
                *at,
                format!(
                    "the expanded values grow past the limit of {} bytes; raise `Limits::max_expanded_bytes`",
                    self.limits.max_expanded_bytes
                ),
            ),
            Stop::Reported => {
                let (name, at) = bad.unwrap_or_default();
                (IssueKind::Invalid, at, format!("variable {name} is not valid UTF-8"))
            }
        };
        let (line, column) = self.position(from, raw.file_offset(at));
        self.issue_at(kind, line, column, message);
    }

    fn push(&mut self, entry: DotenvEntry) {
        self.index.insert(entry.name.clone(), self.entries.len());
        crate::secret::push_wiped(&mut self.entries, entry);
    }
}

/// The message of `${NAME:?message}` with NAME unset: the message as
/// written (shortened), never a value.
pub(crate) fn required_message(target: &str, message: &str) -> String {
    if message.is_empty() {
        format!("required variable {target} is not set")
    } else {
        format!("required variable {target} is not set: {}", shorten(message, 120))
    }
}

/// Names for one entry's expansion: the variables, then the entries above.
struct EntryScope<'p, 'a> {
    parser: &'p DotenvParser<'a>,
    via: Vec<Origin>,
    refs: Refs,
    unset: Vec<(String, usize)>,
    /// A variable that is set but not UTF-8, and where it was named.
    bad: Option<(String, usize)>,
    budget: usize,
}

impl Scope for EntryScope<'_, '_> {
    fn lookup(&mut self, target: Target<'_>, at: usize) -> Result<Option<Zeroizing<String>>, Stop> {
        let (Target::Var(name) | Target::Key(name)) = target;
        match (self.parser.vars)(name) {
            Some(Ok(value)) => {
                let value = Zeroizing::new(value);
                let name: Arc<str> = name.into();
                self.via.push(Origin::Env { name: name.clone(), alias_of: None });
                self.refs.names.push(name);
                return Ok(Some(value));
            }
            Some(Err(())) => {
                self.bad = Some((name.to_owned(), at));
                return Err(Stop::Reported);
            }
            None => {}
        }
        let Some(&index) = self.parser.index.get(name) else { return Ok(None) };
        let entry = &self.parser.entries[index];
        let origin = Origin::Dotenv { path: self.parser.path.clone(), line: entry.line, name: name.into() };
        self.via.push(origin);
        self.refs.names.push(name.into());
        if !entry.refs.is_empty() {
            self.refs.through.push(entry.refs.clone());
        }
        Ok(Some(Zeroizing::new(entry.value.as_str().to_owned())))
    }

    fn unset(&mut self, target: Target<'_>, at: usize) -> Result<(), Stop> {
        let (Target::Var(name) | Target::Key(name)) = target;
        self.unset.push((name.to_owned(), at));
        Ok(())
    }

    fn budget(&mut self) -> &mut usize {
        &mut self.budget
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn run(src: &[u8]) -> (Vec<DotenvEntry>, Vec<Issue>) {
        let (entries, issues) = parse(src, &".env".into(), &Limits::default());
        for issue in &issues {
            assert_eq!(issue.kind(), IssueKind::Syntax);
            assert!(!issue.message().ends_with('.'), "{issue}");
            assert!(!issue.message().starts_with(char::is_uppercase), "{issue}");
        }
        (entries, issues)
    }

    /// `(name, value, line)` of every entry, checking there is no issue.
    fn ok(src: &str) -> Vec<(String, String, u32)> {
        let (entries, issues) = run(src.as_bytes());
        assert!(issues.is_empty(), "{issues:?}");
        entries.into_iter().map(|e| (e.name.to_string(), e.value.to_string(), e.line)).collect()
    }

    fn one(src: &str) -> String {
        let entries = ok(src);
        assert_eq!(entries.len(), 1, "{entries:?}");
        entries.into_iter().next().unwrap().1
    }

    /// Every issue as `line:column: message`.
    fn problems(src: &[u8]) -> Vec<String> {
        run(src).1.iter().map(|i| i.to_string().trim_start_matches(".env:").to_owned()).collect()
    }

    fn e(name: &str, value: &str, line: u32) -> (String, String, u32) {
        (name.to_owned(), value.to_owned(), line)
    }

    #[test]
    fn entries_with_their_lines() {
        let src = "# comment\n\nA=1\n  B = two words  \nexport C=3\nexport\tD =\nE=x # comment\nF=a#b\nG= #only comment\nH=#x\n";
        assert_eq!(
            ok(src),
            [
                e("A", "1", 3),
                e("B", "two words", 4),
                e("C", "3", 5),
                e("D", "", 6),
                e("E", "x", 7),
                e("F", "a#b", 8),
                e("G", "", 9),
                e("H", "#x", 10),
            ]
        );
    }

    #[test]
    fn names() {
        assert_eq!(ok("_a.b_C9=1\nexport=2\n"), [e("_a.b_C9", "1", 1), e("export", "2", 2)]);
    }

    #[test]
    fn quotes() {
        assert_eq!(one("A='it is $HOME \\n'"), "it is $HOME \\n");
        assert_eq!(one("A=\"a\\tb\\nc\\rd\\\"e\\\\f\\$g\""), "a\tb\nc\rd\"e\\f$g");
        assert_eq!(one("A = \"  padded  \"  # comment"), "  padded  ");
        assert_eq!(one("A='x'#c"), "x");
        assert_eq!(one("A=\"\""), "");
        assert_eq!(one("A=it's"), "it's");
    }

    /// Parses with these variables, checking there is no issue: `(name, value)` of every entry.
    fn expanded(src: &str, vars: &[(&str, &str)]) -> Vec<(String, String)> {
        let parsed = with_vars(src, vars);
        assert!(parsed.issues.is_empty(), "{src}: {:?}", parsed.issues);
        parsed.entries.into_iter().map(|e| (e.name.to_string(), e.value.to_string())).collect()
    }

    fn with_vars(src: &str, vars: &[(&str, &str)]) -> Parsed {
        let vars: HashMap<String, String> = vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        read(src.as_bytes(), &".env".into(), &Limits::default(), &|name| vars.get(name).cloned().map(Ok))
    }

    fn value_of(src: &str, vars: &[(&str, &str)], name: &str) -> String {
        expanded(src, vars).into_iter().rev().find(|(n, _)| n == name).unwrap_or_else(|| panic!("{src}: no {name}")).1
    }

    /// Cases of docker compose's `.env` reader with the values it gives,
    /// from compose-go: `dotenv/godotenv_test.go` (`TestExpanding`,
    /// `TestSubstitutions` with `fixtures/substitutions.env`),
    /// `dotenv/godotenv_var_expansion_test.go` (`EMPTY_VAR=""`,
    /// `TEST_VAR="Test Value"`, `UNSET_VAR` unset) and
    /// `template/template_test.go`.
    #[test]
    fn expands_as_docker_compose_does() {
        let vars = [("EMPTY_VAR", ""), ("TEST_VAR", "Test Value")];
        let cases: &[(&str, &str, &str)] = &[
            ("FOO=test\nBAR=$FOO", "BAR", "test"),
            ("FOO=test\nBAR=${FOO}bar", "BAR", "testbar"),
            ("BAR=$FOO", "BAR", ""),
            ("FOO=test\nBAR=\"quote $FOO\"", "BAR", "quote test"),
            ("BAR='quote $FOO'", "BAR", "quote $FOO"),
            (r#"FOO="foo\$BAR""#, "FOO", "foo$BAR"),
            (r#"FOO="foo\${BAR}""#, "FOO", "foo${BAR}"),
            ("FOO=test\nBAR=\"foo\\${FOO} ${FOO}\"", "BAR", "foo${FOO} test"),
            ("OPTION_A=1\nOPTION_B=${OPTION_A}", "OPTION_B", "1"),
            ("OPTION_A=1\nOPTION_C=$OPTION_A", "OPTION_C", "1"),
            ("OPTION_A=1\nOPTION_B=${OPTION_A}\nOPTION_D=${OPTION_A}${OPTION_B}", "OPTION_D", "11"),
            ("OPTION_E=${OPTION_NOT_DEFINED}", "OPTION_E", ""),
            ("OPTION_A=${OPTION_A:-1}\nOPTION_D=${OPTION_A}_${OPTION_A}", "OPTION_D", "1_1"),
            ("RESULT=${UNSET_VAR:-Default Value}", "RESULT", "Default Value"),
            ("RESULT=${EMPTY_VAR:-Default Value}", "RESULT", "Default Value"),
            ("RESULT=${TEST_VAR:-Default Value}", "RESULT", "Test Value"),
            ("RESULT=${UNSET_VAR-Default Value}", "RESULT", "Default Value"),
            ("RESULT=${EMPTY_VAR-Default Value}", "RESULT", ""),
            ("RESULT=${TEST_VAR-Default Value}", "RESULT", "Test Value"),
            ("RESULT=${EMPTY_VAR?Test error}", "RESULT", ""),
            ("RESULT=${TEST_VAR?Default Value}", "RESULT", "Test Value"),
            ("RESULT=${TEST_VAR:?Default Value}", "RESULT", "Test Value"),
            ("RESULT=${TEST_VAR:+alt}", "RESULT", "alt"),
            ("RESULT=${EMPTY_VAR:+alt}", "RESULT", ""),
            ("RESULT=${EMPTY_VAR+alt}", "RESULT", "alt"),
            ("RESULT=${UNSET_VAR+alt}", "RESULT", ""),
            ("RESULT=\"${UNSET_VAR:-${TEST_VAR} ${TEST_VAR}}\"", "RESULT", "Test Value Test Value"),
            ("RESULT=$${TEST_VAR}", "RESULT", "${TEST_VAR}"),
            ("URI=mongodb://${DB_HOST:-db}:${DB_PORT:-27017}/x", "URI", "mongodb://db:27017/x"),
        ];
        for &(src, name, want) in cases {
            assert_eq!(value_of(src, &vars, name), want, "{src}");
        }
    }

    #[test]
    fn variables_come_before_entries_above_and_never_after() {
        let src = "A=file\nB=$A\nC=$D\nD=later\n";
        assert_eq!(value_of(src, &[("A", "var")], "B"), "var", "a variable beats an entry");
        assert_eq!(value_of(src, &[], "B"), "file");
        assert_eq!(value_of(src, &[], "C"), "", "only entries above count");
        let parsed = with_vars(src, &[]);
        assert_eq!(parsed.warnings.len(), 1);
        assert_eq!(
            parsed.warnings[0].to_string(),
            ".env:3:3: variable D is not set and expands to nothing; set it, or write `${D:-}` to say so"
        );
    }

    #[test]
    fn expansions_record_where_they_came_from() {
        let parsed = with_vars("A=1\nB=${A}-${V}\nC=$B\n", &[("V", "v")]);
        let b = &parsed.entries[1];
        assert_eq!(b.value, "1-v");
        assert_eq!(b.via.iter().map(ToString::to_string).collect::<Vec<_>>(), [".env:1 A", "env V"]);
        let c = &parsed.entries[2];
        assert_eq!(c.refs.names, [Arc::from("B")]);
        assert_eq!(c.refs.through[0].names, [Arc::from("A"), Arc::from("V")]);
        assert_eq!(c.refs.find(&|name| name == "V").as_deref(), Some("V"), "found through B");
        assert_eq!(c.refs.find(&|name| name == "C"), None);
    }

    #[test]
    fn a_long_chain_of_entries_stays_linear() {
        use std::fmt::Write as _;
        let mut src = String::from("A0=$SECRET\n");
        for i in 1..50_000 {
            let _ = writeln!(src, "A{i}=${{A{}}}", i - 1);
        }
        let parsed = with_vars(&src, &[("SECRET", "s")]);
        let last = parsed.entries.last().unwrap();
        assert_eq!(last.value, "s");
        assert_eq!(last.refs.find(&|name| name == "SECRET").as_deref(), Some("SECRET"));
    }

    #[test]
    fn single_quotes_and_escapes_stay_literal() {
        assert_eq!(value_of("A='$HOME ${X:?boom} $'", &[("HOME", "/h")], "A"), "$HOME ${X:?boom} $");
        assert_eq!(value_of("A=a\\$HOME", &[("HOME", "/h")], "A"), "a$HOME");
        assert_eq!(value_of("A=$$HOME", &[("HOME", "/h")], "A"), "$HOME");
        assert_eq!(value_of("A=\"\\\\$HOME\"", &[("HOME", "/h")], "A"), "\\/h");
        assert_eq!(value_of("A=\"tab\\t$HOME\"", &[("HOME", "/h")], "A"), "tab\t/h");
    }

    #[test]
    fn bad_expansions_are_issues_at_their_line_and_column() {
        let src = "A=1\nB=${X:?set X first}\nC=\"x\\t${\"\nD=ab$\nE=\"one\ntwo ${ bad}\"\nF=${X:?}\nG=2\n";
        let parsed = with_vars(src, &[]);
        let names: Vec<_> = parsed.entries.iter().map(|e| &*e.name).collect();
        assert_eq!(names, ["A", "G"]);
        let found: Vec<(IssueKind, String)> = parsed.issues.iter().map(|i| (i.kind(), i.to_string())).collect();
        assert_eq!(
            found,
            [
                (IssueKind::Missing, ".env:2:3: required variable X is not set: set X first".to_owned()),
                (
                    IssueKind::Syntax,
                    ".env:3:7: this `${` is never closed; add the closing `}`, or write `$$` for a literal `$`".to_owned()
                ),
                (
                    IssueKind::Syntax,
                    ".env:4:5: a `$` starts a variable: write `$NAME` or `${NAME}`, or `$$` (or `\\$`) for a literal `$`"
                        .to_owned()
                ),
                (
                    IssueKind::Syntax,
                    ".env:6:7: expected a variable name after `${` (a letter or `_`, then letters, digits or `_`), \
                     then `}` or one of `:-` `-` `:?` `?` `:+` `+`; write `$$` for a literal `$`"
                        .to_owned()
                ),
                (IssueKind::Missing, ".env:7:3: required variable X is not set".to_owned()),
            ]
        );
    }

    #[test]
    fn a_value_expanding_past_the_limit_stops() {
        let src = format!("A={}\nB={}\nC=ok\n", "x".repeat(1000), "$A".repeat(1000));
        let limits = Limits::default().with_max_expanded_bytes(10_000);
        let parsed = read(src.as_bytes(), &".env".into(), &limits, &|_| None);
        assert_eq!(parsed.entries.iter().map(|e| &*e.name).collect::<Vec<_>>(), ["A", "C"]);
        assert_eq!(parsed.issues.len(), 1);
        assert_eq!(
            parsed.issues[0].to_string(),
            ".env:2:23: the expanded values grow past the limit of 10000 bytes; raise `Limits::max_expanded_bytes`"
        );
    }

    #[test]
    fn messages_never_quote_a_line_that_is_not_an_entry() {
        let pem = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n";
        let src = format!("A=1\n{pem}hunter2 word\nB=\"x\\qhunter2\"\nhun-ter2=1\n");
        for issue in run(src.as_bytes()).1 {
            let text = issue.to_string();
            assert!(!text.contains("MIIE") && !text.contains("hunter") && !text.contains("hun"), "{text}");
            assert!(!text.contains("\\q"), "{text}");
        }
    }

    #[test]
    fn multi_line_values() {
        let src = "A=\"line one\nline two\"\nB='x\r\ny' # c\r\nC=3\n";
        assert_eq!(ok(src), [e("A", "line one\nline two", 1), e("B", "x\ny", 3), e("C", "3", 5)]);
    }

    #[test]
    fn crlf_and_bom() {
        assert_eq!(ok("\u{feff}A=1\r\nB=\"2\"\r\n\r\nC=3 \r\n"), [e("A", "1", 1), e("B", "2", 2), e("C", "3", 4)]);
    }

    #[test]
    fn empty_and_comment_only_files() {
        assert!(ok("").is_empty());
        assert!(ok("# a\n   # b\n\n").is_empty());
    }

    /// A load shows an error inside or after a value at the value's start
    /// (a column inside it would tell a secret's length), counting no BOM.
    #[test]
    fn a_load_shows_errors_at_the_values_start() {
        let src = "\u{feff}F=\"bad \\q\"\n  export G = 'x' junk\nnot an entry\n";
        let shown: Vec<String> = shown_at_values(src.as_bytes(), run(src.as_bytes()).1)
            .map(|i| i.to_string().split(": ").next().unwrap().to_owned())
            .collect();
        assert_eq!(shown, [".env:1:3", ".env:2:14", ".env:3:1"]);
    }

    #[test]
    fn bad_lines_are_reported_and_the_rest_parses() {
        let src = b"A=1\nnot an entry\nB=2\n=3\n9X=4\nC x=5\nD-E=6\nF=\"bad \\q escape\"\nG='x' trailing\nH=8\n";
        let (entries, _) = run(src);
        let names: Vec<_> = entries.iter().map(|e| (&*e.name, e.line)).collect();
        assert_eq!(names, [("A", 1), ("B", 3), ("H", 10)]);
        assert_eq!(
            problems(src),
            [
                "2:5: expected `=` after the name; lines have the form `NAME=value` (quote a value that spans lines)",
                "4:1: expected `NAME=value`; a name starts with a letter or `_`",
                "5:1: expected `NAME=value`; a name starts with a letter or `_`",
                "6:3: expected `=` after the name; lines have the form `NAME=value` (quote a value that spans lines)",
                "7:2: expected `=` here; a name holds only letters, digits, `_` and `.`",
                "8:8: unknown escape in a double-quoted value; the escapes are \\n \\t \\r \\\" \\\\ \\$ \
                 (write `\\\\` for a backslash, or use single quotes)",
                "9:7: unexpected text after the closing quote; quote the whole value, or start a comment with ` #`",
            ]
        );
    }

    #[test]
    fn an_unclosed_quote_is_reported_at_its_opening_line() {
        let src = b"A=1\nB=\"never closed\nC=3\nD='also\n";
        let (entries, _) = run(src);
        let names: Vec<_> = entries.iter().map(|e| (&*e.name, e.line)).collect();
        assert_eq!(names, [("A", 1), ("C", 3)]);
        assert_eq!(
            problems(src),
            [
                "2:3: this \" quote is never closed; add the closing \"",
                "4:3: this ' quote is never closed; add the closing '"
            ]
        );
    }

    #[test]
    fn an_escape_error_in_a_multi_line_value_points_at_its_line() {
        let src = b"A=\"one\ntwo \\x\nthree\"\nB=1\n";
        assert_eq!(run(src).0.len(), 1);
        assert!(problems(src)[0].starts_with("2:5: unknown escape in a double-quoted value"));
    }

    #[test]
    fn nul_bytes_and_invalid_utf8_spoil_only_their_line() {
        let src = b"A=1\nB=x\0y\nC=caf\xe9\nD=\"ok\"\n\xff\nE=\xc3\xa9t\xc3\xa9 \xff\n";
        let (entries, _) = run(src);
        let names: Vec<_> = entries.iter().map(|e| (&*e.name, e.value.as_str(), e.line)).collect();
        assert_eq!(names, [("A", "1", 1), ("D", "ok", 4)]);
        assert_eq!(
            problems(src),
            [
                "2:4: the line holds a NUL byte; remove it",
                "3:6: the line is not valid utf-8; save the file as utf-8",
                "5:1: the line is not valid utf-8; save the file as utf-8",
                "6:7: the line is not valid utf-8; save the file as utf-8",
            ]
        );
    }

    #[test]
    fn a_bad_line_inside_a_quoted_value_drops_the_entry() {
        let src = b"A=\"one\nt\xffwo\"\nB=1\nC=2\n";
        let (entries, _) = run(src);
        assert_eq!(entries.iter().map(|e| &*e.name).collect::<Vec<_>>(), ["B", "C"]);
        assert_eq!(problems(src), ["2:2: the line is not valid utf-8; save the file as utf-8"]);
    }

    #[test]
    fn unicode_values_and_columns() {
        assert_eq!(one("A=héllo wörld"), "héllo wörld");
        assert_eq!(
            problems("A=\"é\\q\"".as_bytes()),
            ["1:5: unknown escape in a double-quoted value; the escapes are \\n \\t \\r \\\" \\\\ \\$ \
             (write `\\\\` for a backslash, or use single quotes)"]
        );
    }

    #[test]
    fn long_values() {
        let long = "v".repeat(1 << 20);
        let src = format!("A={long}\nB=\"{long}\"\nC=1\n");
        let entries = ok(&src);
        assert_eq!(entries[0].1.len(), 1 << 20);
        assert_eq!(entries[1].1, long);
        assert_eq!(entries[2], e("C", "1", 3));
    }

    #[test]
    fn no_trailing_newline() {
        assert_eq!(ok("A=1\nB=2"), [e("A", "1", 1), e("B", "2", 2)]);
        assert_eq!(ok("A=\"x\""), [e("A", "x", 1)]);
    }
}
