//! Rotation: re-encrypting the `enc:v1:` values of a YAML or `.env` file
//! under the current key, everything else kept byte for byte.

use super::keys::{ENC_PREFIX, KeyRing, SecretError, decrypt_v1, encrypt_with, is_id_byte, is_key_id};

/// The result of [`rotate`]: the new text and what was done.
///
/// ```
/// use phoenix_config::secret::{KeyRing, keygen, rotate};
///
/// let key = keygen("k1")?;
/// let keys = KeyRing::from_vars([("PHOENIX_CONFIG_KEY", key.expose())])?;
/// let rotation = rotate("port: 5 # no secrets here\n", &keys)?;
/// assert_eq!((rotation.rewritten, rotation.kept), (0, 0));
/// assert_eq!(rotation.text, "port: 5 # no secrets here\n");
/// # Ok::<(), phoenix_config::secret::SecretError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Rotation {
    /// The rotated file text.
    pub text: String,
    /// How many values were re-encrypted under the current key.
    pub rewritten: usize,
    /// How many values were already under the current key and were kept
    /// as they are (after checking that they decrypt).
    pub kept: usize,
}

/// Re-encrypts every `enc:v1:<key-id>:<base64>` value of a YAML or `.env`
/// file's text under the current key of `keys`, keeping every other byte —
/// comments, quotes, indentation, line endings — as it is.
///
/// - A value already under the current key is checked and kept unchanged,
///   so rotating twice changes nothing the second time.
/// - Lines whose first non-blank character is `#` (comments in YAML and
///   `.env`) are left alone, old values included.
/// - If any value does not decrypt (unknown key id, wrong key, altered
///   text), nothing is rotated: the error lists every such value by line,
///   naming its key id and never its value.
///
/// ```
/// use phoenix_config::secret::{KeyRing, encrypt, keygen, rotate};
///
/// let old = keygen("old")?;
/// let new = keygen("new")?;
/// let before = KeyRing::from_vars([("PHOENIX_CONFIG_KEY", old.expose())])?;
/// let env = format!("# api\nAPI_TOKEN=\"{}\"\r\nPLAIN=1\r\n", encrypt("t0k3n", &before)?);
///
/// let keys = KeyRing::from_vars([
///     ("PHOENIX_CONFIG_KEY", new.expose()),
///     ("PHOENIX_CONFIG_PREVIOUS_KEYS", old.expose()),
/// ])?;
/// let rotated = rotate(&env, &keys)?;
/// assert_eq!((rotated.rewritten, rotated.kept), (1, 0));
/// assert!(rotated.text.starts_with("# api\nAPI_TOKEN=\"enc:v1:new:"));
/// assert!(rotated.text.ends_with("\"\r\nPLAIN=1\r\n"));
/// assert_eq!(rotate(&rotated.text, &keys)?.text, rotated.text);
/// # Ok::<(), phoenix_config::secret::SecretError>(())
/// ```
pub fn rotate(text: &str, keys: &KeyRing) -> Result<Rotation, SecretError> {
    let current = keys.current().ok_or_else(|| {
        SecretError::new(format!("no current key to rotate to: set {} (make one with `keygen`)", keys.variables().0))
    })?;
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let (mut rewritten, mut kept) = (0, 0);
    let mut errors = Vec::new();
    for (index, line) in text.split_inclusive('\n').enumerate() {
        if line.trim_start().starts_with('#') {
            out.push_str(line);
            continue;
        }
        let mut last = 0;
        for token in tokens(line) {
            out.push_str(&line[last..token.start]);
            let original = &line[token.start..token.end];
            let replacement = match decrypt_v1(&original[ENC_PREFIX.len()..], keys) {
                Ok(_) if token.id == current.id => {
                    kept += 1;
                    None
                }
                Ok(plain) => match encrypt_with(current, plain.as_bytes()) {
                    Ok(new) => {
                        rewritten += 1;
                        Some(new)
                    }
                    Err(e) => {
                        errors.push(format!("line {}: {e}", index + 1));
                        None
                    }
                },
                Err(message) => {
                    errors.push(format!("line {}: {message}", index + 1));
                    None
                }
            };
            out.push_str(replacement.as_deref().unwrap_or(original));
            last = token.end;
        }
        out.push_str(&line[last..]);
    }
    match errors.as_slice() {
        [] => Ok(Rotation { text: out, rewritten, kept }),
        [one] => Err(SecretError::new(format!("cannot rotate: {one}"))),
        many => Err(SecretError::new(format!("cannot rotate {} values:\n  - {}", many.len(), many.join("\n  - ")))),
    }
}

/// An `enc:v1:<id>:<base64>` token of a line.
struct Token<'a> {
    start: usize,
    end: usize,
    id: &'a str,
}

/// Every well-formed `enc:v1:<id>:<base64>` of a line that does not follow
/// a letter, digit or `_` (so `xenc:v1:…` is not one).
/// Tokens never overlap: in `enc:v1:enc:v1:k:AAAA` the first wins (and
/// fails to decrypt, a clear error) rather than the second being cut out
/// of it.
fn tokens(line: &str) -> Vec<Token<'_>> {
    let bytes = line.as_bytes();
    let mut taken = 0;
    line.match_indices(ENC_PREFIX)
        .filter_map(|(start, _)| {
            if start < taken {
                return None;
            }
            if start > 0 && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_') {
                return None;
            }
            let id_start = start + ENC_PREFIX.len();
            let colon = id_start + bytes[id_start..].iter().take_while(|b| is_id_byte(**b)).count();
            let id = &line[id_start..colon];
            if !is_key_id(id) || bytes.get(colon) != Some(&b':') {
                return None;
            }
            let payload = colon + 1;
            let end = payload
                + bytes[payload..]
                    .iter()
                    .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
                    .count();
            (end > payload).then(|| {
                taken = end;
                Token { start, end, id }
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::keys::{KEY_VAR, PREVIOUS_KEYS_VAR, decode_text, encrypt, keygen};

    fn key(id: &str) -> String {
        keygen(id).unwrap().expose_unaudited().clone()
    }

    fn ring(vars: &[(&str, &str)]) -> KeyRing {
        KeyRing::from_vars(vars.iter().copied()).unwrap()
    }

    #[test]
    fn rewrites_old_values_and_keeps_everything_else() {
        let (old, new) = (key("old"), key("new"));
        let before = ring(&[(KEY_VAR, &old)]);
        let a = encrypt("alpha", &before).unwrap();
        let b = encrypt("beta", &before).unwrap();
        let yaml = format!(
            "# settings\ndatabase:\n  uri: \"{a}\"   # the uri\n  password: {b}\n  # old: {a}\n  list: [{a}, plain]\nport: 5\n"
        );
        let keys = ring(&[(KEY_VAR, &new), (PREVIOUS_KEYS_VAR, &old)]);
        let rotated = rotate(&yaml, &keys).unwrap();
        assert_eq!(rotated.rewritten, 3);
        assert_eq!(rotated.kept, 0);
        // Same text once every token is blanked out.
        let blank = |text: &str| {
            let mut out = String::new();
            for line in text.split_inclusive('\n') {
                let mut last = 0;
                let mut l = String::new();
                for t in if line.trim_start().starts_with('#') { Vec::new() } else { tokens(line) } {
                    l.push_str(&line[last..t.start]);
                    l.push_str("<TOKEN>");
                    last = t.end;
                }
                l.push_str(&line[last..]);
                out.push_str(&l);
            }
            out
        };
        assert_eq!(blank(&rotated.text), blank(&yaml));
        assert!(rotated.text.contains(&format!("  # old: {a}\n")));
        let values: Vec<String> = rotated
            .text
            .lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .flat_map(|l| tokens(l).into_iter().map(|t| l[t.start..t.end].to_owned()).collect::<Vec<_>>())
            .collect();
        assert_eq!(values.len(), 3);
        let only_new = ring(&[(KEY_VAR, &new)]);
        let plain: Vec<String> =
            values.iter().map(|v| decode_text(v, &only_new).unwrap().unwrap().as_str().to_owned()).collect();
        assert_eq!(plain, ["alpha", "beta", "alpha"]);

        let again = rotate(&rotated.text, &keys).unwrap();
        assert_eq!((again.rewritten, again.kept), (0, 3));
        assert_eq!(again.text, rotated.text);
    }

    #[test]
    fn reports_every_value_it_cannot_decrypt_and_rotates_nothing() {
        let (gone, new) = (key("gone"), key("new"));
        let lost = encrypt("canary-lost", &ring(&[(KEY_VAR, &gone)])).unwrap();
        let text = format!("A={lost}\nB=plain\nC=enc:v1:new:AAAA\n");
        let err = rotate(&text, &ring(&[(KEY_VAR, &new)])).unwrap_err().to_string();
        assert_eq!(
            err,
            "cannot rotate 2 values:\n  - line 1: cannot decrypt the value: no key with id `gone` (known: `new`); \
             add it to PHOENIX_CONFIG_PREVIOUS_KEYS\n  - line 3: the encrypted value for key `new` is too short to be one"
        );
        assert!(rotate("x", &KeyRing::default()).unwrap_err().to_string().starts_with("no current key to rotate to"));
    }

    #[test]
    fn without_a_current_key_names_the_key_variable_of_the_crates_prefix() {
        let names =
            [("APP_CONFIG_KEY", "APP_CONFIG_KEY_FILE"), ("APP_CONFIG_PREVIOUS_KEYS", "APP_CONFIG_PREVIOUS_KEYS_FILE")];
        let keys = KeyRing::from_lookup_named(names, |_| None).unwrap();
        let err = rotate("x: 1\n", &keys).unwrap_err().to_string();
        assert_eq!(err, "no current key to rotate to: set APP_CONFIG_KEY (make one with `keygen`)");
    }

    #[test]
    fn a_value_holding_another_enc_prefix_is_an_error_not_a_panic() {
        let keys = ring(&[(KEY_VAR, &key("k"))]);
        for text in ["enc:v1:enc:v1:k:AAAA", "x: enc:v1:k:AAA/enc:v1:k:BBBB", "enc:v1:a:enc:v1:b:enc:v1:c:QQ=="] {
            let err = rotate(text, &keys).unwrap_err().to_string();
            assert!(err.starts_with("cannot rotate"), "{text}: {err}");
            assert!(!err.contains("AAAA") && !err.contains("BBBB"), "{err}");
        }
        assert_eq!(tokens("enc:v1:enc:v1:k:AAAA").len(), 1);
    }

    #[test]
    fn finds_only_well_formed_tokens() {
        let line = "a: enc:v1:k1:QUJD, xenc:v1:k1:QUJD enc:v1:<id>:... enc:v1:k1: \"enc:v1:k-2.x:QQ==\"";
        let found: Vec<&str> = tokens(line).iter().map(|t| &line[t.start..t.end]).collect();
        assert_eq!(found, ["enc:v1:k1:QUJD", "enc:v1:k-2.x:QQ=="]);
    }
}
