//! Defense in depth: every secret value a load knows, scrubbed from every
//! text the load emits (issues, warnings, and so tracing events, `Loaded`,
//! the watcher's status and reload events, the command line).
//!
//! The crate's own messages never hold a secret; this catches what it
//! does not write itself — a user's `#[config(validate = …)]` rule that
//! formats a secret field, a message quoting a value it did not know to be
//! secret.
//!
//! What counts as known: the text of every scalar of a secret leaf, as read
//! from its source (YAML, `.env`, a variable, a secret file, an override),
//! its decoded plaintext (`base64:`, `enc:v1:`), and the key variables. Each
//! is matched as written, as messages escape it (control characters as
//! `\n`, `\u{1b}`), on one line (line breaks as spaces), line by line, and
//! cut as a quote cuts it.
//!
//! Limits: values shorter than [`MIN_LEN`] characters are not scrubbed
//! (they would redact ordinary words and numbers: a 3-digit PIN cannot be
//! told from a port), and a message that transforms a secret (upper-cases
//! it, hashes it, prints every other character) is not recognized.

use std::borrow::Cow;
use std::fmt::Write as _;

use zeroize::Zeroizing;

use super::KeyRing;
use crate::message::{QUOTE_MAX, shorten};
use crate::node::{Node, NodeKind, Text};
use crate::{Issue, Origin};

/// The shortest value scrubbed, in characters.
pub(crate) const MIN_LEN: usize = 4;

/// What replaces a secret in a text.
const REDACTED: &str = "[REDACTED]";

/// A buffer for a form of `value`, large enough never to grow (a grown
/// buffer would free its first block unwiped): escaping writes at most
/// 10 characters (`\u{10ffff}`) for one, plus quotes.
fn sized(value: &str) -> Zeroizing<String> {
    Zeroizing::new(String::with_capacity(value.len() * 10 + 2))
}

/// The secret values of one load, wiped when dropped.
///
/// A value is kept as read, as a [`Text`] (inline when short: most secret
/// values cost no allocation; wiped when dropped); the forms a message may
/// show it in are built only when a text must be scrubbed (a load without
/// issues or warnings never builds them).
#[derive(Default)]
pub(crate) struct Known {
    values: Vec<Text>,
    needles: Vec<Zeroizing<String>>,
}

impl std::fmt::Debug for Known {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Known([REDACTED])")
    }
}

impl Known {
    /// Remembers a secret value (its forms are built when a text is scrubbed).
    pub(crate) fn add(&mut self, value: &str) {
        if value.chars().nth(MIN_LEN - 1).is_none() {
            return;
        }
        if !self.values.iter().any(|v| v == value) {
            if self.values.is_empty() {
                // A load usually knows a few: one allocation for them.
                self.values.reserve(8);
            }
            self.values.push(Text::from(value));
        }
    }

    /// Builds the forms of every value remembered since the last call.
    fn expand(&mut self) {
        for value in std::mem::take(&mut self.values) {
            self.forms(&value);
        }
    }

    /// Remembers a secret value in every form a message may show it.
    fn forms(&mut self, value: &str) {
        if value.chars().nth(MIN_LEN - 1).is_none() {
            return;
        }
        // Every form is built in a buffer wiped on drop: no copy is freed unwiped.
        self.push(value);
        self.push(&Zeroizing::new(shorten(value, usize::MAX).into_owned()));
        // As `{:?}` writes it (a rule formatting the value with `{:?}`).
        let mut debug = sized(value);
        let _ = write!(debug, "{value:?}");
        self.push(&debug[1..debug.len() - 1]);
        let mut escaped = sized(value);
        let _ = write!(escaped, "{}", value.escape_default());
        self.push(&escaped);
        let cut = Zeroizing::new(shorten(value, QUOTE_MAX).into_owned());
        self.push(cut.trim_end_matches('…'));
        if value.contains(['\n', '\r']) {
            // As one line: `\r\n`, `\n` and `\r` each a space.
            let mut one_line = sized(value);
            let mut previous = '\0';
            for c in value.chars() {
                match c {
                    '\n' if previous == '\r' => {}
                    '\n' | '\r' => one_line.push(' '),
                    c => one_line.push(c),
                }
                previous = c;
            }
            self.push(&one_line);
            for line in value.split(['\n', '\r']) {
                self.push(line.trim());
                self.push(&Zeroizing::new(shorten(line.trim(), usize::MAX).into_owned()));
            }
        }
        let trimmed = value.trim();
        if trimmed.len() != value.len() {
            self.forms(trimmed);
        }
    }

    fn push(&mut self, needle: &str) {
        let needle = needle.trim_end_matches('…');
        if needle.chars().nth(MIN_LEN - 1).is_none() || self.needles.iter().any(|n| n.as_str() == needle) {
            return;
        }
        // Longest first, so a longer form is replaced whole before a shorter one inside it:
        // inserted in place (after those of its length), as a stable sort would put it.
        let at = self.needles.partition_point(|n| n.len() >= needle.len());
        self.needles.insert(at, Zeroizing::new(needle.to_owned()));
    }

    /// Remembers every scalar of a secret leaf's node, and the plaintext of
    /// the encoded ones.
    pub(crate) fn add_node(&mut self, node: &Node, keys: &KeyRing) {
        match &node.kind {
            NodeKind::Null => {}
            NodeKind::Scalar { text, .. } => {
                let text = text.as_str();
                self.add(text);
                if let Ok(Some(plain)) = super::decode_text(text, keys) {
                    self.add(&plain);
                }
            }
            NodeKind::Seq(items) => items.iter().for_each(|item| self.add_node(item, keys)),
            NodeKind::Map(entries) => entries.iter().for_each(|entry| self.add_node(&entry.value, keys)),
        }
    }

    /// `text` with every known secret replaced by `[REDACTED]`.
    pub(crate) fn scrub<'t>(&mut self, text: &'t str) -> Cow<'t, str> {
        self.expand();
        let mut out = Cow::Borrowed(text);
        for needle in &self.needles {
            if out.contains(needle.as_str()) {
                let mut replaced = Zeroizing::new(out.replace(needle.as_str(), REDACTED));
                out = Cow::Owned(std::mem::take(&mut *replaced));
            }
        }
        out
    }

    /// An issue with its message (and a file origin's path) scrubbed.
    pub(crate) fn scrub_issue(&mut self, issue: Issue) -> Issue {
        self.expand();
        if self.needles.is_empty() {
            return issue;
        }
        let message = self.scrub(issue.message());
        if matches!(message, Cow::Borrowed(_)) {
            return issue;
        }
        let origin: Option<Origin> = issue.origin().cloned();
        Issue::new(issue.kind(), issue.path(), message.into_owned()).with_origin_opt(origin)
    }

    /// Every issue scrubbed.
    pub(crate) fn scrub_issues(&mut self, issues: Vec<Issue>) -> Vec<Issue> {
        if issues.is_empty() {
            return issues;
        }
        issues.into_iter().map(|issue| self.scrub_issue(issue)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::IssueKind;

    #[test]
    fn scrubs_every_form_a_message_shows() {
        let mut known = Known::default();
        known.add("s3cr\"et\nline-two\u{1b}[31m");
        known.add("lone\rcarriage\rreturns");
        let shown = [
            "rule: s3cr\"et\nline-two\u{1b}[31m leaked",
            "one line: s3cr\"et line-two\u{1b}[31m",
            "escaped: `s3cr\"et\\nline-two\\u{1b}[31m`",
            "a line alone: s3cr\"et",
        ];
        for text in shown {
            let scrubbed = known.scrub(text);
            assert!(!scrubbed.contains("s3cr"), "{scrubbed}");
            assert!(scrubbed.contains(REDACTED));
        }
        assert_eq!(known.scrub("nothing here"), "nothing here");
    }

    #[test]
    fn a_long_value_cut_by_a_quote_is_still_scrubbed() {
        let mut known = Known::default();
        let long = "k".repeat(200);
        known.add(&long);
        let quoted = crate::message::quote(&long);
        assert_eq!(known.scrub(&quoted), format!("`{REDACTED}…`"));
    }

    #[test]
    fn short_values_are_not_scrubbed() {
        let mut known = Known::default();
        known.add("abc");
        assert_eq!(known.scrub("abc def"), "abc def");
        assert!(known.needles.is_empty() && known.values.is_empty());
    }

    #[test]
    fn issues_keep_kind_path_and_origin() {
        let mut known = Known::default();
        known.add("hunter22");
        let issue = Issue::new(IssueKind::Validation, "db", "password hunter22 is weak").with_origin(Origin::Default);
        let scrubbed = known.scrub_issue(issue);
        assert_eq!(scrubbed.message(), "password [REDACTED] is weak");
        assert_eq!(
            (scrubbed.kind(), scrubbed.path(), scrubbed.origin()),
            (IssueKind::Validation, "db", Some(&Origin::Default))
        );
    }
}
