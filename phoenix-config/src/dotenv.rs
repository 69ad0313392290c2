//! `.env` files → variables with their line numbers.
//!
//! Our own parser rather than `dotenvy`: dotenvy's iterator gives no line
//! numbers (an error could not say `.env:3 MONGODB_URI`), and it expands
//! `$VAR` from the process environment, which would bypass the variables
//! injected with [`ConfigLoader::env_vars`](crate::ConfigLoader::env_vars).
//! Nothing here reads or changes the process environment.
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
//! ```
//!
//! Names are `[A-Za-z_][A-Za-z0-9_.]*`. `$VAR` is never expanded: the text is
//! kept as written. A leading byte-order mark is skipped and CRLF line ends
//! are accepted (a CRLF inside a quoted value becomes `\n`). A bad line — no
//! `=`, a bad name, an unknown escape, text after a closing quote, a NUL
//! byte, invalid UTF-8, a quote never closed — is an [`Issue`] at its line
//! and column, and parsing carries on with the next line.

use std::sync::Arc;

use crate::limits::Limits;
use crate::{Issue, IssueKind, Origin};

/// One `NAME=value` entry of a `.env` file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct DotenvEntry {
    pub(crate) name: String,
    pub(crate) value: String,
    /// 1-based line where the entry starts.
    pub(crate) line: u32,
}

/// Parses a `.env` file: every valid entry, and an issue for every bad line.
///
/// The file size is bounded by the loader (`Limits::max_file_bytes`); the
/// parse itself is linear in the size of the file.
pub(crate) fn parse(bytes: &[u8], path: &Arc<str>, _limits: &Limits) -> (Vec<DotenvEntry>, Vec<Issue>) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut parser =
        DotenvParser { bytes, path, pos: 0, line: 1, bad_lines: Vec::new(), entries: Vec::new(), issues: Vec::new() };
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
    (parser.entries, issues.into_iter().map(|(_, issue)| issue).collect())
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

/// Text from bytes cut at ASCII positions of valid UTF-8 lines.
fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
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
    issues: Vec<(u32, Issue)>,
}

impl DotenvParser<'_> {
    /// Reports every line with invalid UTF-8 or a NUL byte; the parse skips them.
    fn find_bad_lines(&mut self) {
        let bytes = self.bytes;
        if std::str::from_utf8(bytes).is_ok() && !bytes.contains(&0) {
            return;
        }
        for (index, line) in bytes.split(|&b| b == b'\n').enumerate() {
            let number = to_u32(index + 1);
            let (at, message) = match std::str::from_utf8(line) {
                Err(e) => (
                    e.valid_up_to(),
                    format!(
                        "the line is not valid utf-8 (byte 0x{:02x}); save the file as utf-8",
                        line[e.valid_up_to()]
                    ),
                ),
                Ok(_) => match line.iter().position(|&b| b == 0) {
                    Some(at) => (at, "the line holds a NUL byte; remove it".to_owned()),
                    None => continue,
                },
            };
            let column = Self::column_in(line, at);
            self.bad_lines.push(number);
            self.issue_at(number, column, message);
        }
    }

    /// 1-based column (in characters) of byte `at` of `line`.
    fn column_in(line: &[u8], at: usize) -> u32 {
        to_u32(line[..at].iter().filter(|&&b| b & 0xC0 != 0x80).count() + 1)
    }

    fn issue_at(&mut self, line: u32, column: u32, message: impl Into<String>) {
        let origin = Origin::File { path: self.path.clone(), line, column };
        self.issues.push((line, Issue::new(IssueKind::Syntax, "", message).with_origin(origin)));
    }

    /// An issue at byte `at` of the line starting at `line_start`.
    fn issue(&mut self, line: u32, line_start: usize, at: usize, message: impl Into<String>) {
        let column = Self::column_in(&self.bytes[line_start..], at - line_start);
        self.issue_at(line, column, message);
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
        let bytes = self.bytes;
        let (line, start) = (self.line, self.pos);
        let eol = self.eol(start);
        let end = self.content_end(start, eol);
        let mut i = self.skip_blanks(start, end);
        if i == end || bytes[i] == b'#' {
            self.next_line(eol);
            return;
        }
        if bytes[i..end].starts_with(b"export") && bytes.get(i + 6).is_some_and(|&b| is_blank(b)) {
            i = self.skip_blanks(i + 6, end);
        }
        let name_start = i;
        if i == end || !is_name_start(bytes[i]) {
            self.issue(line, start, i, "expected `NAME=value`; a name starts with a letter or `_`");
            self.next_line(eol);
            return;
        }
        while i < end && is_name(bytes[i]) {
            i += 1;
        }
        let name = text(&bytes[name_start..i]);
        i = self.skip_blanks(i, end);
        if i == end || bytes[i] != b'=' {
            let message = if i < end && !is_blank(bytes[i]) && i == name_start + name.len() {
                format!(
                    "expected `NAME=value`; a name holds only letters, digits, `_` and `.` (found `{}` after `{name}`)",
                    char::from(bytes[i]).escape_default()
                )
            } else {
                format!("expected `=` after `{name}`; lines have the form `NAME=value`")
            };
            self.issue(line, start, i, message);
            self.next_line(eol);
            return;
        }
        let after_equals = i + 1;
        i = self.skip_blanks(after_equals, end);
        let value = match bytes.get(i) {
            Some(&quote @ (b'"' | b'\'')) if i < end => {
                self.quoted(name, line, start, i, quote == b'"');
                return;
            }
            _ => {
                // An unquoted value ends at a `#` that follows a blank.
                let mut cut = end;
                for j in i..end {
                    if bytes[j] == b'#' && j > after_equals && is_blank(bytes[j - 1]) {
                        cut = j;
                        break;
                    }
                }
                while cut > i && is_blank(bytes[cut - 1]) {
                    cut -= 1;
                }
                text(&bytes[i..cut])
            }
        };
        self.entries.push(DotenvEntry { name, value, line });
        self.next_line(eol);
    }

    /// A quoted value opening at `open`, maybe over several lines; pushes the
    /// entry whose name was just read, or reports why it cannot.
    fn quoted(&mut self, name: String, line: u32, start: usize, open: usize, double: bool) {
        let bytes = self.bytes;
        let mut value = Vec::new();
        let mut bad_escape: Option<(u32, usize, usize)> = None;
        let (mut cur_line, mut cur_start) = (line, start);
        let mut i = open + 1;
        let close = loop {
            let Some(&b) = bytes.get(i) else { break None };
            match b {
                b'\'' if !double => break Some(i),
                b'"' if double => break Some(i),
                b'\\' if double => {
                    let escaped = match bytes.get(i + 1) {
                        Some(b'n') => Some(b'\n'),
                        Some(b't') => Some(b'\t'),
                        Some(b'r') => Some(b'\r'),
                        Some(&c @ (b'"' | b'\\' | b'$')) => Some(c),
                        _ => None,
                    };
                    if let Some(c) = escaped {
                        value.push(c);
                        i += 2;
                    } else {
                        bad_escape.get_or_insert((cur_line, cur_start, i));
                        i += 1;
                    }
                    continue;
                }
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {}
                b'\n' => {
                    value.push(b'\n');
                    cur_line += 1;
                    cur_start = i + 1;
                }
                _ => value.push(b),
            }
            i += 1;
        };
        let quote = if double { '"' } else { '\'' };
        let Some(close) = close else {
            self.issue(line, start, open, format!("this {quote} quote is never closed; add the closing {quote}"));
            let eol = self.eol(start);
            self.next_line(eol);
            return;
        };
        // The rest of the closing line: blanks, then maybe a comment.
        let eol = self.eol(close);
        let end = self.content_end(cur_start, eol);
        let rest = self.skip_blanks(close + 1, end);
        // `bad_lines` is sorted: a binary search keeps files of many bad
        // lines and many quoted values linear.
        let next_bad = self.bad_lines.partition_point(|&bad| bad <= line);
        let crosses_bad_line = self.bad_lines.get(next_bad).is_some_and(|&bad| bad <= cur_line);
        if crosses_bad_line {
            // Already reported.
        } else if let Some((esc_line, esc_start, at)) = bad_escape {
            let message = match bytes.get(at + 1) {
                Some(&c) if c != b'\n' && c != b'\r' => format!(
                    "unknown escape `\\{}` in a double-quoted value; the escapes are \\n \\t \\r \\\" \\\\ \\$ \
                     (write `\\\\` for a backslash, or use single quotes)",
                    char::from(c).escape_default()
                ),
                _ => "a backslash ends the line in a double-quoted value; write `\\\\` for a backslash \
                      (a quoted value may simply go on over several lines)"
                    .to_owned(),
            };
            self.issue(esc_line, esc_start, at, message);
        } else if rest < end && bytes[rest] != b'#' {
            self.issue(
                cur_line,
                cur_start,
                rest,
                "unexpected text after the closing quote; quote the whole value, or start a comment with ` #`",
            );
        } else {
            let value = String::from_utf8(value).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
            self.entries.push(DotenvEntry { name, value, line });
        }
        self.line = cur_line;
        self.next_line(eol);
    }
}

#[cfg(test)]
mod tests {
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
        entries.into_iter().map(|e| (e.name, e.value, e.line)).collect()
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

    #[test]
    fn variables_are_not_expanded() {
        assert_eq!(
            ok("A=$HOME\nB=\"${HOME}/x\"\nC=pre$PATH"),
            [e("A", "$HOME", 1), e("B", "${HOME}/x", 2), e("C", "pre$PATH", 3)]
        );
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

    #[test]
    fn bad_lines_are_reported_and_the_rest_parses() {
        let src = b"A=1\nnot an entry\nB=2\n=3\n9X=4\nC x=5\nD-E=6\nF=\"bad \\q escape\"\nG='x' trailing\nH=8\n";
        let (entries, _) = run(src);
        let names: Vec<_> = entries.iter().map(|e| (e.name.as_str(), e.line)).collect();
        assert_eq!(names, [("A", 1), ("B", 3), ("H", 10)]);
        assert_eq!(
            problems(src),
            [
                "2:5: expected `=` after `not`; lines have the form `NAME=value`",
                "4:1: expected `NAME=value`; a name starts with a letter or `_`",
                "5:1: expected `NAME=value`; a name starts with a letter or `_`",
                "6:3: expected `=` after `C`; lines have the form `NAME=value`",
                "7:2: expected `NAME=value`; a name holds only letters, digits, `_` and `.` (found `-` after `D`)",
                "8:8: unknown escape `\\q` in a double-quoted value; the escapes are \\n \\t \\r \\\" \\\\ \\$ \
                 (write `\\\\` for a backslash, or use single quotes)",
                "9:7: unexpected text after the closing quote; quote the whole value, or start a comment with ` #`",
            ]
        );
    }

    #[test]
    fn an_unclosed_quote_is_reported_at_its_opening_line() {
        let src = b"A=1\nB=\"never closed\nC=3\nD='also\n";
        let (entries, _) = run(src);
        let names: Vec<_> = entries.iter().map(|e| (e.name.as_str(), e.line)).collect();
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
        assert!(problems(src)[0].starts_with("2:5: unknown escape `\\x`"));
    }

    #[test]
    fn nul_bytes_and_invalid_utf8_spoil_only_their_line() {
        let src = b"A=1\nB=x\0y\nC=caf\xe9\nD=\"ok\"\n\xff\nE=\xc3\xa9t\xc3\xa9 \xff\n";
        let (entries, _) = run(src);
        let names: Vec<_> = entries.iter().map(|e| (e.name.as_str(), e.value.as_str(), e.line)).collect();
        assert_eq!(names, [("A", "1", 1), ("D", "ok", 4)]);
        assert_eq!(
            problems(src),
            [
                "2:4: the line holds a NUL byte; remove it",
                "3:6: the line is not valid utf-8 (byte 0xe9); save the file as utf-8",
                "5:1: the line is not valid utf-8 (byte 0xff); save the file as utf-8",
                "6:7: the line is not valid utf-8 (byte 0xff); save the file as utf-8",
            ]
        );
    }

    #[test]
    fn a_bad_line_inside_a_quoted_value_drops_the_entry() {
        let src = b"A=\"one\nt\xffwo\"\nB=1\nC=2\n";
        let (entries, _) = run(src);
        assert_eq!(entries.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(), ["B", "C"]);
        assert_eq!(problems(src), ["2:2: the line is not valid utf-8 (byte 0xff); save the file as utf-8"]);
    }

    #[test]
    fn unicode_values_and_columns() {
        assert_eq!(one("A=héllo wörld"), "héllo wörld");
        assert_eq!(
            problems("A=\"é\\q\"".as_bytes()),
            ["1:5: unknown escape `\\q` in a double-quoted value; the escapes are \\n \\t \\r \\\" \\\\ \\$ \
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
