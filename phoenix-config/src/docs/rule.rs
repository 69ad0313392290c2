//! `#[validate(...)]` rules as written, read back for documentation.

/// One rule: its name and its arguments as written.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Rule<'a> {
    pub(crate) name: &'a str,
    pub(crate) args: &'a str,
}

impl<'a> Rule<'a> {
    /// Parses `range(min = 1, max = 500)`, `zipcode`, `each(zipcode, length(max = 5))`.
    pub(crate) fn parse(text: &'a str) -> Rule<'a> {
        let text = text.trim();
        match text.find(['(', '=']) {
            Some(i) if text.as_bytes()[i] == b'(' && text.ends_with(')') => {
                Rule { name: text[..i].trim(), args: &text[i + 1..text.len() - 1] }
            }
            Some(i) => Rule { name: text[..i].trim(), args: text[i + 1..].trim() },
            None => Rule { name: text, args: "" },
        }
    }

    /// The value of `key = value` among the arguments.
    pub(crate) fn arg(&self, key: &str) -> Option<&'a str> {
        split_top(self.args).into_iter().find_map(|part| {
            let (k, v) = part.split_once('=')?;
            (k.trim() == key).then_some(v.trim())
        })
    }

    /// The rules inside `each(...)`.
    pub(crate) fn nested(&self) -> Vec<Rule<'a>> {
        split_top(self.args).into_iter().filter(|s| !s.is_empty()).map(Rule::parse).collect()
    }

    /// The string literals of `one_of("a", "b")`.
    pub(crate) fn strings(&self) -> Vec<String> {
        split_top(self.args)
            .into_iter()
            .filter_map(|s| s.strip_prefix('"')?.strip_suffix('"').map(|s| s.replace("\\\"", "\"")))
            .collect()
    }
}

/// Splits at commas outside brackets and string literals.
fn split_top(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start, mut quoted, mut escaped) = (0usize, 0usize, false, false);
    for (i, c) in text.char_indices() {
        if quoted {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => quoted = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => quoted = true,
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                out.push(text[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    let last = text[start..].trim();
    if !last.is_empty() {
        out.push(last);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rules_back() {
        let r = Rule::parse("range(min = 1, max = 500)");
        assert_eq!((r.name, r.arg("min"), r.arg("max")), ("range", Some("1"), Some("500")));
        assert_eq!(Rule::parse("zipcode").name, "zipcode");
        let each = Rule::parse("each(zipcode, length(max = 5))");
        let inner: Vec<&str> = each.nested().iter().map(|r| r.name).collect();
        assert_eq!(inner, ["zipcode", "length"]);
        assert_eq!(Rule::parse(r#"one_of("a,b", "c")"#).strings(), ["a,b", "c"]);
        assert_eq!(Rule::parse("custom = check::it").name, "custom");
    }
}
