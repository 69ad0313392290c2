//! The expansion grammar, shared by `.env` values and config files.
//!
//! ```text
//! $$                 a literal `$`               (.env only; files write `$${` for a literal `${`)
//! $NAME              the variable                (.env only)
//! ${NAME}            the variable
//! ${NAME:-default}   the default when NAME is unset or empty
//! ${NAME-default}    the default when NAME is unset
//! ${NAME:?message}   an error when NAME is unset or empty
//! ${NAME?message}    an error when NAME is unset
//! ${NAME:+alt}       `alt` when NAME is set and not empty, else nothing
//! ${NAME+alt}        `alt` when NAME is set, else nothing
//! ${.database.host}  the value of another key  (files only; `[0]` picks a list item)
//! ```
//!
//! A name is `[A-Za-z_][A-Za-z0-9_]*`. Defaults and alternatives may hold
//! expansions themselves (`${A:-${B}}`), nested at most
//! [`Limits::max_reference_depth`](crate::Limits::max_reference_depth) deep.
//! The grammar is docker compose's (`compose-go/template`); a message given
//! with `:?` / `?` is shown as written, never expanded.
//!
//! Parsing is separate from expanding: [`parse`] turns a text into
//! [`Part`]s, and [`expand`] writes them out through a [`Scope`] that knows
//! the variables (and keys), within a byte budget.

use zeroize::Zeroizing;

use crate::secret::WipedString;

/// Which text is being read: a `.env` value or a config file's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dialect {
    /// docker compose's `.env` grammar: `$$`, `$NAME` and every braced form.
    Dotenv,
    /// Config files: only `${…}` expands (a lone `$` is text), `$${` is a
    /// literal `${`, and `${.key.path}` refers to another key.
    File,
}

/// A piece of a parsed text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Part<'a> {
    /// Text taken as it is.
    Lit(&'a str),
    /// An expansion.
    Ref(Ref<'a>),
}

/// What an expansion names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Target<'a> {
    /// A variable (`${NAME}`).
    Var(&'a str),
    /// Another key, as a dotted path without the leading `.` (`database.host`, `proxies[1].host`).
    Key(&'a str),
}

/// The operators of the braced form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    /// `:-`
    Default,
    /// `-`
    DefaultIfUnset,
    /// `:?`
    Required,
    /// `?`
    RequiredIfUnset,
    /// `:+`
    Alt,
    /// `+`
    AltIfSet,
}

impl Op {
    /// Whether an empty value counts as unset for this operator.
    fn empty_is_unset(self) -> bool {
        matches!(self, Op::Default | Op::Required | Op::Alt)
    }
}

/// An operator and its argument.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Arg<'a> {
    pub(crate) op: Op,
    /// The argument, parsed.
    pub(crate) parts: Vec<Part<'a>>,
    /// The argument as written (the message of `:?`, shown unexpanded).
    pub(crate) raw: &'a str,
}

/// One expansion: `$NAME` or `${…}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Ref<'a> {
    pub(crate) target: Target<'a>,
    pub(crate) arg: Option<Arg<'a>>,
    /// Byte offset of its `$` in the parsed text.
    pub(crate) at: usize,
}

/// Why a text does not parse. Messages say what is expected, never quote the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SyntaxError {
    /// A `${` without its `}`; at the `$`.
    Unterminated(usize),
    /// `${` not followed by a valid name and then `}` or an operator; at the offending byte.
    BadName(usize),
    /// `${.` not followed by a key path; at the offending byte.
    BadKey(usize),
    /// A `$` followed by neither a name, `{` nor `$` (`.env` only); at the `$`.
    BadDollar(usize),
    /// Expansions nested deeper than the limit; at the `$` too deep.
    TooDeep(usize, usize),
}

impl SyntaxError {
    /// Byte offset of the problem in the parsed text.
    pub(crate) fn at(self) -> usize {
        match self {
            SyntaxError::Unterminated(at)
            | SyntaxError::BadName(at)
            | SyntaxError::BadKey(at)
            | SyntaxError::BadDollar(at)
            | SyntaxError::TooDeep(at, _) => at,
        }
    }

    /// What is wrong and what to write instead.
    pub(crate) fn message(self, dialect: Dialect) -> String {
        let literal = match dialect {
            Dialect::Dotenv => "`$$` for a literal `$`",
            Dialect::File => "`$${` for a literal `${`",
        };
        match self {
            SyntaxError::Unterminated(_) => {
                format!("this `${{` is never closed; add the closing `}}`, or write {literal}")
            }
            SyntaxError::BadName(_) => format!(
                "expected a variable name after `${{` (a letter or `_`, then letters, digits or `_`), then `}}` \
                 or one of `:-` `-` `:?` `?` `:+` `+`; write {literal}"
            ),
            SyntaxError::BadKey(_) => {
                "expected a key path after `${.` (keys joined by `.`, list items as `[0]`), then `}` or an operator"
                    .to_owned()
            }
            SyntaxError::BadDollar(_) => {
                "a `$` starts a variable: write `$NAME` or `${NAME}`, or `$$` (or `\\$`) for a literal `$`".to_owned()
            }
            SyntaxError::TooDeep(_, limit) => {
                format!("expansions nest more than {limit} deep; nest fewer, or raise `Limits::max_reference_depth`")
            }
        }
    }
}

/// Whether `text` holds anything [`parse`] would expand (a fast path: most
/// values hold no `$` at all).
pub(crate) fn has_expansion(text: &str, dialect: Dialect) -> bool {
    match dialect {
        Dialect::Dotenv => text.contains('$'),
        Dialect::File => text.contains("${"),
    }
}

/// Parses `src`; `max_depth` bounds how deep expansions nest.
pub(crate) fn parse(src: &str, dialect: Dialect, max_depth: usize) -> Result<Vec<Part<'_>>, SyntaxError> {
    let parser = Parser { src, bytes: src.as_bytes(), dialect, max_depth };
    let (parts, end) = parser.parts(0, 0, false)?;
    debug_assert_eq!(end, src.len());
    Ok(parts)
}

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_name(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

struct Parser<'a> {
    src: &'a str,
    bytes: &'a [u8],
    dialect: Dialect,
    max_depth: usize,
}

impl<'a> Parser<'a> {
    /// Parts from `i` to the end, or (`in_braces`) to the `}` closing an
    /// argument; returns them and where they stop (at the `}`).
    fn parts(&self, mut i: usize, depth: usize, in_braces: bool) -> Result<(Vec<Part<'a>>, usize), SyntaxError> {
        let mut parts = Vec::new();
        let mut lit = i;
        while i < self.bytes.len() {
            match self.bytes[i] {
                b'}' if in_braces => break,
                b'$' => {
                    let (part, next) = self.dollar(i, depth)?;
                    if let Some(part) = part {
                        push_lit(&mut parts, &self.src[lit..i]);
                        parts.push(part);
                        lit = next;
                    }
                    i = next;
                }
                _ => i += 1,
            }
        }
        push_lit(&mut parts, &self.src[lit..i]);
        Ok((parts, i))
    }

    /// What a `$` at `at` starts: a part (`None`: stays text, in files) and
    /// where the text goes on.
    fn dollar(&self, at: usize, depth: usize) -> Result<(Option<Part<'a>>, usize), SyntaxError> {
        let next = self.bytes.get(at + 1).copied();
        match (self.dialect, next) {
            (_, Some(b'{')) => self.braced(at, depth).map(|(r, end)| (Some(Part::Ref(r)), end)),
            (Dialect::Dotenv, Some(b'$')) => Ok((Some(Part::Lit(&self.src[at..=at])), at + 2)),
            (Dialect::File, Some(b'$')) if self.bytes.get(at + 2) == Some(&b'{') => {
                Ok((Some(Part::Lit(&self.src[at + 1..at + 3])), at + 3))
            }
            (Dialect::Dotenv, Some(b)) if is_name_start(b) => {
                let end = self.name_end(at + 1);
                Ok((Some(Part::Ref(Ref { target: Target::Var(&self.src[at + 1..end]), arg: None, at })), end))
            }
            (Dialect::Dotenv, _) => Err(SyntaxError::BadDollar(at)),
            (Dialect::File, _) => Ok((None, at + 1)),
        }
    }

    fn name_end(&self, mut i: usize) -> usize {
        while i < self.bytes.len() && is_name(self.bytes[i]) {
            i += 1;
        }
        i
    }

    /// `${…}` at `at`; returns it and the offset after its `}`.
    fn braced(&self, at: usize, depth: usize) -> Result<(Ref<'a>, usize), SyntaxError> {
        if depth >= self.max_depth {
            return Err(SyntaxError::TooDeep(at, self.max_depth));
        }
        let start = at + 2;
        let (target, i) = self.target(at, start)?;
        match self.bytes.get(i) {
            None => Err(SyntaxError::Unterminated(at)),
            Some(b'}') => Ok((Ref { target, arg: None, at }, i + 1)),
            Some(_) => {
                let Some((op, len)) = self.op(i) else {
                    return Err(match target {
                        Target::Var(_) => SyntaxError::BadName(i),
                        Target::Key(_) => SyntaxError::BadKey(i),
                    });
                };
                let (parts, end) = self.parts(i + len, depth + 1, true)?;
                if end >= self.bytes.len() {
                    return Err(SyntaxError::Unterminated(at));
                }
                let arg = Arg { op, parts, raw: &self.src[i + len..end] };
                Ok((Ref { target, arg: Some(arg), at }, end + 1))
            }
        }
    }

    /// The name or key path starting at `start` (just after `${`).
    fn target(&self, at: usize, start: usize) -> Result<(Target<'a>, usize), SyntaxError> {
        match self.bytes.get(start) {
            None => Err(SyntaxError::Unterminated(at)),
            Some(b'.') if self.dialect == Dialect::File => {
                let end = self.key_end(start)?;
                Ok((Target::Key(&self.src[start + 1..end]), end))
            }
            Some(&b) if is_name_start(b) => {
                let end = self.name_end(start);
                Ok((Target::Var(&self.src[start..end]), end))
            }
            Some(_) => Err(SyntaxError::BadName(start)),
        }
    }

    /// The end of a key path `.a.b[1].c` starting at the `.` at `i`.
    fn key_end(&self, mut i: usize) -> Result<usize, SyntaxError> {
        loop {
            match self.bytes.get(i) {
                Some(b'.') => {
                    let end = self.name_end(i + 1);
                    if end == i + 1 {
                        return Err(SyntaxError::BadKey(i + 1));
                    }
                    i = end;
                }
                Some(b'[') => {
                    let mut end = i + 1;
                    while self.bytes.get(end).is_some_and(u8::is_ascii_digit) {
                        end += 1;
                    }
                    if end == i + 1 || self.bytes.get(end) != Some(&b']') {
                        return Err(SyntaxError::BadKey(end));
                    }
                    i = end + 1;
                }
                _ => return Ok(i),
            }
        }
    }

    /// The operator at `i`, with its length.
    fn op(&self, i: usize) -> Option<(Op, usize)> {
        let op = match (self.bytes[i], self.bytes.get(i + 1)) {
            (b':', Some(b'-')) => (Op::Default, 2),
            (b':', Some(b'?')) => (Op::Required, 2),
            (b':', Some(b'+')) => (Op::Alt, 2),
            (b'-', _) => (Op::DefaultIfUnset, 1),
            (b'?', _) => (Op::RequiredIfUnset, 1),
            (b'+', _) => (Op::AltIfSet, 1),
            _ => return None,
        };
        Some(op)
    }
}

fn push_lit<'a>(parts: &mut Vec<Part<'a>>, text: &'a str) {
    if !text.is_empty() {
        parts.push(Part::Lit(text));
    }
}

/// Why an expansion stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Stop {
    /// `${NAME:?message}` / `${NAME?message}` with NAME unset (or empty):
    /// the target as written (`NAME`, `.a.b`), the message as written, the `$`.
    Required { target: String, message: String, at: usize },
    /// The text grew past the budget; at the `$` whose value overflowed.
    TooLarge { at: usize },
    /// The scope reported the problem itself (and stops the expansion).
    Reported,
}

/// What an expansion reads names from.
pub(crate) trait Scope {
    /// The value of a variable or key; `None` when it is unset. It may be
    /// a secret: the copy is wiped when the expansion drops it.
    fn lookup(&mut self, target: Target<'_>, at: usize) -> Result<Option<Zeroizing<String>>, Stop>;

    /// A plain `${NAME}` (or `$NAME`) whose name is unset: `Ok` expands it
    /// to nothing, `Err` stops.
    fn unset(&mut self, target: Target<'_>, at: usize) -> Result<(), Stop>;

    /// How many bytes the expansions may still write (shared by every value
    /// of a load), so a value that would grow to gigabytes stops there.
    fn budget(&mut self) -> &mut usize;
}

/// Writes `parts` to `out` through `scope`, within the scope's budget
/// (`out` may hold a secret: it is wiped as it grows and when dropped).
pub(crate) fn expand(parts: &[Part<'_>], scope: &mut dyn Scope, out: &mut WipedString) -> Result<(), Stop> {
    for part in parts {
        match part {
            Part::Lit(text) => out.push_str(text),
            Part::Ref(r) => expand_ref(r, scope, out)?,
        }
    }
    Ok(())
}

fn write(scope: &mut dyn Scope, out: &mut WipedString, value: &str, at: usize) -> Result<(), Stop> {
    let budget = scope.budget();
    *budget = budget.checked_sub(value.len()).ok_or(Stop::TooLarge { at })?;
    out.push_str(value);
    Ok(())
}

fn expand_ref(r: &Ref<'_>, scope: &mut dyn Scope, out: &mut WipedString) -> Result<(), Stop> {
    let value = scope.lookup(r.target, r.at)?;
    let Some(arg) = &r.arg else {
        return match value {
            Some(value) => write(scope, out, &value, r.at),
            None => scope.unset(r.target, r.at),
        };
    };
    let set = value.as_ref().is_some_and(|v| !(arg.op.empty_is_unset() && v.is_empty()));
    match (arg.op, set) {
        (Op::Default | Op::DefaultIfUnset, false) | (Op::Alt | Op::AltIfSet, true) => expand(&arg.parts, scope, out),
        (Op::Alt | Op::AltIfSet, false) => Ok(()),
        (Op::Required | Op::RequiredIfUnset, false) => {
            let target = match r.target {
                Target::Var(name) => name.to_owned(),
                Target::Key(path) => format!(".{path}"),
            };
            Err(Stop::Required { target, message: arg.raw.to_owned(), at: r.at })
        }
        (_, true) => write(scope, out, value.as_deref().map_or("", String::as_str), r.at),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    /// Variables for the tests: `FOO=first`, `BAR=` (set, empty); keys `a.b=key`.
    struct Vars(HashMap<&'static str, &'static str>, Vec<String>, usize);

    impl Vars {
        fn new() -> Self {
            Vars::with_budget(1000)
        }

        fn with_budget(budget: usize) -> Self {
            let vars = HashMap::from([("FOO", "first"), ("BAR", ""), ("a.b", "key"), ("list[1]", "item")]);
            Vars(vars, Vec::new(), budget)
        }
    }

    impl Scope for Vars {
        fn lookup(&mut self, target: Target<'_>, _at: usize) -> Result<Option<Zeroizing<String>>, Stop> {
            let name = match target {
                Target::Var(name) | Target::Key(name) => name,
            };
            Ok(self.0.get(name).map(|v| Zeroizing::new((*v).to_owned())))
        }

        fn unset(&mut self, target: Target<'_>, _at: usize) -> Result<(), Stop> {
            self.1.push(format!("{target:?}"));
            Ok(())
        }

        fn budget(&mut self) -> &mut usize {
            &mut self.2
        }
    }

    fn run(src: &str, dialect: Dialect) -> Result<String, String> {
        let parts = parse(src, dialect, 8).map_err(|e| format!("{}@{}", e.message(dialect), e.at()))?;
        let mut out = WipedString::default();
        expand(&parts, &mut Vars::new(), &mut out).map_err(|e| format!("{e:?}"))?;
        Ok(out.as_str().to_owned())
    }

    fn env(src: &str) -> String {
        run(src, Dialect::Dotenv).unwrap_or_else(|e| panic!("{src}: {e}"))
    }

    fn file(src: &str) -> String {
        run(src, Dialect::File).unwrap_or_else(|e| panic!("{src}: {e}"))
    }

    fn env_error_at(src: &str) -> usize {
        parse(src, Dialect::Dotenv, 8).expect_err(src).at()
    }

    #[test]
    fn every_form_expands_as_compose_does() {
        // compose-go template_test.go: FOO=first, BAR="" (set, empty).
        let cases = [
            ("$FOO", "first"),
            ("${FOO}", "first"),
            ("This $FOO var", "This first var"),
            ("$FOO-bar", "first-bar"),
            ("This ${missing} var", "This  var"),
            ("This ${BAR} var", "This  var"),
            ("ok ${missing:-def}", "ok def"),
            ("ok ${missing-def}", "ok def"),
            ("ok ${BAR:-def}", "ok def"),
            ("ok ${FOO:-def}", "ok first"),
            ("ok ${BAR-def}", "ok "),
            ("ok ${BAR:-/non:-alphanumeric}", "ok /non:-alphanumeric"),
            ("ok ${UNSET_VAR-$FOO}", "ok first"),
            ("ok ${UNSET_VAR-${FOO}}", "ok first"),
            ("ok ${UNSET_VAR-${FOO} ${FOO}}", "ok first first"),
            ("ok ${BAR:-${FOO} ${FOO}}", "ok first first"),
            ("ok ${FOO:?err}", "ok first"),
            ("ok ${FOO?err}", "ok first"),
            ("ok ${BAR?err}", "ok "),
            ("${UNSET_VAR-myerror?msg}", "myerror?msg"),
            ("${FOO?bar-baz}", "first"),
            ("${FOO:+alt}", "alt"),
            ("${BAR:+alt}", ""),
            ("${BAR+alt}", "alt"),
            ("${missing+alt}", ""),
            ("${missing:+alt}", ""),
            ("$${foo}", "${foo}"),
            ("$$FOO", "$FOO"),
            ("a$$", "a$"),
            ("${A:-{x}}", "{x}"),
            ("no dollar", "no dollar"),
            ("", ""),
        ];
        for (src, want) in cases {
            assert_eq!(env(src), want, "{src}");
        }
    }

    #[test]
    fn required_forms_stop_with_the_message_as_written() {
        for (src, target, message) in [
            ("not ok ${UNSET_VAR:?Mandatory Variable Unset}", "UNSET_VAR", "Mandatory Variable Unset"),
            ("not ok ${BAR:?Mandatory Variable Empty}", "BAR", "Mandatory Variable Empty"),
            ("not ok ${UNSET_VAR:?}", "UNSET_VAR", ""),
            ("not ok ${UNSET_VAR?Mandatory ${FOO}}", "UNSET_VAR", "Mandatory ${FOO}"),
            ("${UNSET_VAR?bar-baz}", "UNSET_VAR", "bar-baz"),
        ] {
            let parts = parse(src, Dialect::Dotenv, 8).unwrap();
            let err = expand(&parts, &mut Vars::new(), &mut WipedString::default()).unwrap_err();
            let at = src.find("${").unwrap();
            assert_eq!(err, Stop::Required { target: target.into(), message: message.into(), at }, "{src}");
        }
    }

    #[test]
    fn invalid_templates_are_errors_at_their_place() {
        // compose-go TestInvalid: "${", "$}", "${}", "${ }", "${ foo}", "${foo }", "${foo!}".
        assert_eq!(parse("${", Dialect::Dotenv, 8), Err(SyntaxError::Unterminated(0)));
        assert_eq!(parse("$}", Dialect::Dotenv, 8), Err(SyntaxError::BadDollar(0)));
        assert_eq!(parse("${}", Dialect::Dotenv, 8), Err(SyntaxError::BadName(2)));
        assert_eq!(parse("${ }", Dialect::Dotenv, 8), Err(SyntaxError::BadName(2)));
        assert_eq!(parse("${ foo}", Dialect::Dotenv, 8), Err(SyntaxError::BadName(2)));
        assert_eq!(parse("${foo }", Dialect::Dotenv, 8), Err(SyntaxError::BadName(5)));
        assert_eq!(parse("${foo!}", Dialect::Dotenv, 8), Err(SyntaxError::BadName(5)));
        assert_eq!(env_error_at("ab${FOO"), 2);
        assert_eq!(env_error_at("ab${FOO:-x"), 2);
        assert_eq!(env_error_at("x${FOO:-${BAR}"), 1);
        assert_eq!(env_error_at("a$"), 1);
        assert_eq!(env_error_at("a$ b"), 1);
        assert_eq!(env_error_at("$1"), 0);
        assert_eq!(env_error_at("${1A}"), 2);
        assert_eq!(env_error_at("${A.B}"), 3);
        assert_eq!(env_error_at("${.a}"), 2, "no key references in .env");
    }

    #[test]
    fn messages_quote_nothing_of_the_text() {
        for src in ["${", "${ hunter2}", "hunter2$", "${.hunter2..b}", "${x:-${y:-${hunter2"] {
            for dialect in [Dialect::Dotenv, Dialect::File] {
                if let Err(e) = parse(src, dialect, 2) {
                    let message = e.message(dialect);
                    assert!(!message.contains("hunter2"), "{message}");
                    assert!(!message.ends_with('.') && message.starts_with(char::is_lowercase), "{message}");
                }
            }
        }
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = format!("{}x{}", "${A:-".repeat(9), "}".repeat(9));
        assert_eq!(parse(&deep, Dialect::Dotenv, 8), Err(SyntaxError::TooDeep(8 * 5, 8)));
        let ok = format!("{}x{}", "${A:-".repeat(8), "}".repeat(8));
        assert_eq!(env(&ok), "x");
        let deep = "${A:-".repeat(100_000);
        assert!(matches!(parse(&deep, Dialect::File, 64), Err(SyntaxError::TooDeep(_, 64))));
    }

    #[test]
    fn files_expand_only_braces_and_keys() {
        assert_eq!(file("$FOO and ${FOO}"), "$FOO and first");
        assert_eq!(file("pa$$word $"), "pa$$word $");
        assert_eq!(file("$${FOO} is written ${FOO}"), "${FOO} is written first");
        assert_eq!(file("${.a.b}/${.list[1]}"), "key/item");
        assert_eq!(file("${.x:-none}"), "none");
        assert_eq!(file("${PORT:-8080}"), "8080");
        for (src, at) in [("${.}", 3), ("${.a.}", 5), ("${.a[x]}", 5), ("${.a[1}", 6), ("${.a b}", 4), ("${", 0)] {
            assert_eq!(parse(src, Dialect::File, 8).expect_err(src).at(), at, "{src}");
        }
    }

    #[test]
    fn unset_plain_names_ask_the_scope() {
        let parts = parse("${missing}$gone", Dialect::Dotenv, 8).unwrap();
        let mut vars = Vars::new();
        expand(&parts, &mut vars, &mut WipedString::default()).unwrap();
        assert_eq!(vars.1, ["Var(\"missing\")", "Var(\"gone\")"]);
    }

    #[test]
    fn the_budget_stops_growth() {
        let src = "$FOO".repeat(100);
        let parts = parse(&src, Dialect::Dotenv, 8).unwrap();
        let err = expand(&parts, &mut Vars::with_budget(5 * 10), &mut WipedString::default()).unwrap_err();
        assert_eq!(err, Stop::TooLarge { at: 10 * 4 });
    }
}
