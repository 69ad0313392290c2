//! "Did you mean" suggestions for unknown keys and validator names.

/// The candidate closest to `word`, when it is close enough to be a likely
/// typo (at most a third of the letters differ, and at least one may).
pub(crate) fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let word = word.to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for &candidate in candidates {
        let distance = distance(&word, candidate);
        let limit = (candidate.chars().count().max(word.chars().count()) / 3).max(1);
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// The candidates as a readable list: `` `a`, `b` or `c` ``.
pub(crate) fn one_of(candidates: &[&str]) -> String {
    let quoted: Vec<String> = candidates.iter().map(|c| format!("`{c}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// The message for an unknown `word` among `candidates`: a suggestion when
/// one is close, else the whole list. `what` names the kind of word
/// (`` unknown validator `x` ``, `` unknown `config` key `x` ``).
pub(crate) fn unknown(what: &str, word: &str, candidates: &[&str]) -> String {
    match closest(word, candidates) {
        Some(best) => format!("unknown {what} `{word}`, did you mean `{best}`?"),
        None => format!("unknown {what} `{word}`, expected {}", one_of(candidates)),
    }
}

/// Edit distance (insertions, deletions, substitutions, and swaps of two
/// neighbours, the commonest typo) between two words.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Three rows of the table: two rows back, the previous one, this one.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut row = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        row[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            row[j] = (prev[j] + 1).min(row[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                row[j] = row[j].min(before[j - 2] + 1);
            }
        }
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut row);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: &[&str] = &["zipcode", "url", "email", "non_empty", "range"];

    #[test]
    fn distances() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("abc", ""), 3);
        assert_eq!(distance("same", "same"), 0);
        assert_eq!(distance("nesetd", "nested"), 1);
        assert_eq!(distance("ca", "abc"), 3);
    }

    #[test]
    fn suggests_near_misses_only() {
        assert_eq!(closest("zipcod", RULES), Some("zipcode"));
        assert_eq!(closest("Email", RULES), Some("email"));
        assert_eq!(closest("nonempty", RULES), Some("non_empty"));
        assert_eq!(closest("ur", RULES), Some("url"));
        assert_eq!(closest("emial", RULES), Some("email"));
        assert_eq!(closest("something", RULES), None);
    }

    #[test]
    fn messages_suggest_or_list() {
        assert_eq!(unknown("validator", "zipcod", RULES), "unknown validator `zipcod`, did you mean `zipcode`?");
        assert_eq!(
            unknown("`config` key", "foo", &["default", "nested"]),
            "unknown `config` key `foo`, expected `default` or `nested`"
        );
        assert_eq!(one_of(&["a", "b", "c"]), "`a`, `b` or `c`");
        assert_eq!(one_of(&["a"]), "`a`");
    }
}
