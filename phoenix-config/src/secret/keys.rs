//! Keys, and the `base64:` and `enc:v1:` encodings.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use base64::Engine as _;
#[cfg(feature = "encryption")]
use base64::engine::general_purpose::STANDARD;
use base64::engine::general_purpose::STANDARD_PAD_INDIFFERENT;
#[cfg(feature = "encryption")]
use chacha20poly1305::aead::{Aead, Generate, Payload};
#[cfg(feature = "encryption")]
use chacha20poly1305::{KeyInit, XChaCha20Poly1305, XNonce};
use zeroize::{Zeroize, Zeroizing};

use super::Secret;
use super::file::read_secret_file;
use crate::limits::Limits;

/// The variable holding the current key, `<key-id>:<base64 of 32 bytes>`
/// (or `PHOENIX_CONFIG_KEY_FILE`, a file holding it). New values are
/// encrypted with it; it decrypts values written with its id.
///
/// ```
/// # #[cfg(feature = "encryption")]
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use phoenix_config::secret::{KEY_VAR, KeyRing, keygen};
///
/// let key = keygen("k1")?;
/// let keys = KeyRing::from_vars([(KEY_VAR, key.expose())])?;
/// assert_eq!(keys.current_id(), Some("k1"));
/// # Ok(())
/// # }
/// # #[cfg(not(feature = "encryption"))]
/// # fn main() {}
/// ```
pub const KEY_VAR: &str = "PHOENIX_CONFIG_KEY";

/// The key variables and their `_FILE` forms, as every load reads them
/// (named once here, not formatted per load).
pub(crate) const KEY_VARS: [(&str, &str); 2] =
    [(KEY_VAR, "PHOENIX_CONFIG_KEY_FILE"), (PREVIOUS_KEYS_VAR, "PHOENIX_CONFIG_PREVIOUS_KEYS_FILE")];

/// The variable holding previous keys, `<key-id>:<key>` separated by commas
/// or whitespace (or `PHOENIX_CONFIG_PREVIOUS_KEYS_FILE`, a file holding
/// them). They only decrypt, so values written before a rotation still load.
///
/// ```
/// # #[cfg(feature = "encryption")]
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use phoenix_config::secret::{KEY_VAR, KeyRing, PREVIOUS_KEYS_VAR, keygen};
///
/// let (a, b, c) = (keygen("a")?, keygen("b")?, keygen("c")?);
/// let previous = format!("{}, {}", b.expose(), c.expose());
/// let keys = KeyRing::from_vars([(KEY_VAR, a.expose()), (PREVIOUS_KEYS_VAR, &previous)])?;
/// assert_eq!(keys.ids().collect::<Vec<_>>(), ["a", "b", "c"]);
/// # Ok(())
/// # }
/// # #[cfg(not(feature = "encryption"))]
/// # fn main() {}
/// ```
pub const PREVIOUS_KEYS_VAR: &str = "PHOENIX_CONFIG_PREVIOUS_KEYS";

pub(super) const BASE64_PREFIX: &str = "base64:";
pub(super) const ENC_PREFIX: &str = "enc:v1:";
#[cfg(feature = "encryption")]
const NONCE_LEN: usize = 24;
#[cfg(feature = "encryption")]
const TAG_LEN: usize = 16;
const KEY_LEN: usize = 32;
const MAX_ID_LEN: usize = 64;
const KEY_SHAPE: &str = "`<key-id>:<base64 of 32 bytes>` (make one with `keygen`)";
const ID_RULE: &str = "a key id is 1 to 64 ASCII letters, digits, `.`, `_` or `-`";

/// A failure of the key tooling ([`keygen`], [`encrypt`], [`decrypt`],
/// [`rotate`](super::rotate), [`KeyRing`] constructors). The message is
/// lowercase and never holds a secret value or key.
///
/// ```
/// # #[cfg(feature = "encryption")]
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use phoenix_config::secret::{KeyRing, encrypt};
///
/// let err = encrypt("x", &KeyRing::default()).unwrap_err();
/// assert!(err.to_string().starts_with("no current key"));
/// # Ok(())
/// # }
/// # #[cfg(not(feature = "encryption"))]
/// # fn main() {}
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretError {
    message: String,
}

impl SecretError {
    pub(super) fn new(message: impl Into<String>) -> Self {
        SecretError { message: message.into() }
    }

    /// What went wrong.
    ///
    /// ```
    /// # #[cfg(feature = "encryption")]
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use phoenix_config::secret::keygen;
    ///
    /// assert!(keygen("no spaces").unwrap_err().message().contains("key id"));
    /// # Ok(())
    /// # }
    /// # #[cfg(not(feature = "encryption"))]
    /// # fn main() {}
    /// ```
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for SecretError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SecretError {}

/// One key of a [`KeyRing`]: its id and a cipher holding it (wiped on drop).
pub(super) struct RingKey {
    pub(super) id: String,
    #[cfg(feature = "encryption")]
    cipher: XChaCha20Poly1305,
    /// The key in base64, only to scrub it from messages (wiped on drop).
    encoded: Zeroizing<String>,
}

impl RingKey {
    #[cfg(feature = "encryption")]
    fn new(id: String, key: &[u8; KEY_LEN]) -> Self {
        let encoded = Zeroizing::new(STANDARD.encode(key));
        RingKey { id, cipher: XChaCha20Poly1305::new(key.into()), encoded }
    }

    /// Without the `encryption` feature a key is checked and its id kept
    /// (the key itself is wiped by the caller): nothing can decrypt.
    #[cfg(not(feature = "encryption"))]
    fn new(id: String, key: &[u8; KEY_LEN]) -> Self {
        RingKey { id, encoded: Zeroizing::new(base64::Engine::encode(&base64::engine::general_purpose::STANDARD, key)) }
    }
}

/// The keys that decrypt `enc:v1:` values: the current key (which also
/// encrypts) and previous keys, each with an id. See the
/// [module documentation](super#keys) for the variables.
///
/// Its `Debug` shows the key ids only; the keys are wiped when it is dropped.
///
/// ```
/// # #[cfg(feature = "encryption")]
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use phoenix_config::secret::{KeyRing, keygen};
///
/// let current = keygen("2025-06")?;
/// let previous = keygen("2024-11")?;
/// let keys = KeyRing::from_vars([
///     ("PHOENIX_CONFIG_KEY", current.expose().as_str()),
///     ("PHOENIX_CONFIG_PREVIOUS_KEYS", previous.expose().as_str()),
/// ])?;
/// assert_eq!(keys.current_id(), Some("2025-06"));
/// assert_eq!(keys.ids().collect::<Vec<_>>(), ["2025-06", "2024-11"]);
/// assert_eq!(format!("{keys:?}"), r#"KeyRing { current: Some("2025-06"), previous: ["2024-11"] }"#);
/// # Ok(())
/// # }
/// # #[cfg(not(feature = "encryption"))]
/// # fn main() {}
/// ```
#[derive(Default)]
pub struct KeyRing {
    current: Option<RingKey>,
    previous: Vec<RingKey>,
    /// The key variables it was read from, when not the Phoenix ones (for messages).
    vars: Option<Box<(String, String)>>,
}

/// A ring without keys, for conversions that have none (text defaults).
pub(crate) static NO_KEYS: KeyRing = KeyRing { current: None, previous: Vec::new(), vars: None };

// `vars` only names variables in messages; the ids are what tell rings apart.
#[allow(clippy::missing_fields_in_debug)]
impl fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyRing")
            .field("current", &self.current_id())
            .field("previous", &self.previous.iter().map(|k| k.id.as_str()).collect::<Vec<_>>())
            .finish()
    }
}

impl KeyRing {
    /// The variables it was read from, for messages: `<P>_CONFIG_KEY` and
    /// `<P>_CONFIG_PREVIOUS_KEYS` of the root's prefix, else the Phoenix ones.
    #[cfg(feature = "encryption")]
    pub(crate) fn variables(&self) -> (&str, &str) {
        self.vars.as_deref().map_or((KEY_VAR, PREVIOUS_KEYS_VAR), |(k, p)| (k, p))
    }

    /// The key ring of the process environment ([`KEY_VAR`],
    /// [`PREVIOUS_KEYS_VAR`], or their `_FILE` variants). Empty when none
    /// is set. Variables that are not valid UTF-8 count as unset.
    ///
    /// ```
    /// # #[cfg(feature = "encryption")]
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use phoenix_config::secret::{KeyRing, encrypt};
    ///
    /// let keys = KeyRing::from_env()?;
    /// if keys.current_id().is_some() {
    ///     println!("{}", encrypt("a value", &keys)?);
    /// }
    /// # Ok(())
    /// # }
    /// # #[cfg(not(feature = "encryption"))]
    /// # fn main() {}
    /// ```
    pub fn from_env() -> Result<KeyRing, SecretError> {
        KeyRing::from_lookup(|name| std::env::var(name).ok()).map_err(SecretError::new)
    }

    /// The key ring of these variables instead of the process environment.
    ///
    /// ```
    /// use phoenix_config::secret::KeyRing;
    ///
    /// let err = KeyRing::from_vars([("PHOENIX_CONFIG_KEY", "k1:too-short")]).unwrap_err();
    /// assert_eq!(err.to_string(), "PHOENIX_CONFIG_KEY: key `k1` is not valid standard base64");
    /// assert!(KeyRing::from_vars([("OTHER", "x")])?.is_empty());
    /// # Ok::<(), phoenix_config::secret::SecretError>(())
    /// ```
    pub fn from_vars<K, V>(vars: impl IntoIterator<Item = (K, V)>) -> Result<KeyRing, SecretError>
    where
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let vars: HashMap<String, Zeroizing<String>> =
            vars.into_iter().map(|(k, v)| (k.as_ref().to_owned(), Zeroizing::new(v.as_ref().to_owned()))).collect();
        KeyRing::from_lookup(|name| vars.get(name).map(|v| String::clone(v))).map_err(SecretError::new)
    }

    /// The key ring configured by variables, looked up with `lookup`. The
    /// error names the variable and the key id, never key material.
    pub(crate) fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<KeyRing, String> {
        KeyRing::from_lookup_named(KEY_VARS, lookup)
    }

    /// Like `from_lookup`, with the key variables of a crate's own prefix
    /// (`[(APP_CONFIG_KEY, APP_CONFIG_KEY_FILE), (APP_CONFIG_PREVIOUS_KEYS, …_FILE)]`).
    pub(crate) fn from_lookup_named(
        names: [(&str, &str); 2],
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<KeyRing, String> {
        KeyRing::from_dyn_lookup(names, &lookup).map_err(|mut errors| errors.swap_remove(0).message)
    }

    /// Like [`from_lookup_named`](KeyRing::from_lookup_named), with one
    /// error per broken variable, each saying which of `names` it is about,
    /// for a load that reports every problem at once.
    pub(crate) fn from_lookup_all_named(
        names: [(&str, &str); 2],
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<KeyRing, Vec<KeyError>> {
        KeyRing::from_dyn_lookup(names, &lookup)
    }

    /// [`from_lookup_all_named`](KeyRing::from_lookup_all_named) compiled
    /// once, not once per caller's closure. Never an empty error list.
    fn from_dyn_lookup(
        names: [(&str, &str); 2],
        lookup: &dyn Fn(&str) -> Option<String>,
    ) -> Result<KeyRing, Vec<KeyError>> {
        let [(key_var, key_file), (previous_var, previous_file)] = names;
        let current = read_key_var(lookup, key_var, key_file)
            .and_then(|text| parse_current(text.as_ref().map(|t| t.as_str()), key_var));
        let previous = read_key_var(lookup, previous_var, previous_file)
            .and_then(|text| parse_previous(text.as_ref().map(|t| t.as_str()), previous_var));
        let (current, previous) = match (current, previous) {
            (Ok(current), Ok(previous)) => (current, previous),
            (current, previous) => {
                let current = current.err().map(|message| KeyError { pair: Some(0), message });
                let previous = previous.err().map(|message| KeyError { pair: Some(1), message });
                return Err(current.into_iter().chain(previous).collect());
            }
        };
        let mut ring = KeyRing::default();
        if key_var != KEY_VAR {
            ring.vars = Some(Box::new((key_var.to_owned(), previous_var.to_owned())));
        }
        let mut seen: Vec<(String, Zeroizing<[u8; KEY_LEN]>)> = Vec::new();
        let tagged = current.into_iter().map(|k| (true, k)).chain(previous.into_iter().map(|k| (false, k)));
        for (is_current, (id, key)) in tagged {
            if let Some((_, other)) = seen.iter().find(|(seen_id, _)| *seen_id == id) {
                if other[..] == key[..] {
                    continue;
                }
                let message = format!(
                    "key id `{id}` is given twice with different keys ({key_var}, {previous_var}); \
                     every key needs its own id"
                );
                return Err(vec![KeyError { pair: None, message }]);
            }
            let ring_key = RingKey::new(id.clone(), &key);
            if is_current {
                ring.current = Some(ring_key);
            } else {
                ring.previous.push(ring_key);
            }
            seen.push((id, key));
        }
        Ok(ring)
    }

    /// The id of the current key, the one [`encrypt`] uses.
    ///
    /// ```
    /// # #[cfg(feature = "encryption")]
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use phoenix_config::secret::{KeyRing, keygen};
    ///
    /// let old = keygen("old")?;
    /// let keys = KeyRing::from_vars([("PHOENIX_CONFIG_PREVIOUS_KEYS", old.expose())])?;
    /// assert_eq!(keys.current_id(), None); // decrypts, cannot encrypt
    /// # Ok(())
    /// # }
    /// # #[cfg(not(feature = "encryption"))]
    /// # fn main() {}
    /// ```
    pub fn current_id(&self) -> Option<&str> {
        self.current.as_ref().map(|k| k.id.as_str())
    }

    /// Every key id, the current one first.
    ///
    /// ```
    /// use phoenix_config::secret::KeyRing;
    ///
    /// assert_eq!(KeyRing::default().ids().count(), 0);
    /// ```
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.current.iter().chain(&self.previous).map(|k| k.id.as_str())
    }

    /// Whether the ring holds no key at all.
    ///
    /// ```
    /// use phoenix_config::secret::KeyRing;
    ///
    /// assert!(KeyRing::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.current.is_none() && self.previous.is_empty()
    }

    #[cfg(feature = "encryption")]
    pub(super) fn current(&self) -> Option<&RingKey> {
        self.current.as_ref()
    }

    /// Adds every key's material to the values scrubbed from messages.
    pub(crate) fn remember(&self, known: &mut super::Known) {
        for key in self.current.iter().chain(&self.previous) {
            known.add(&key.encoded);
            known.add(key.encoded.trim_end_matches('='));
        }
    }

    #[cfg(feature = "encryption")]
    fn find(&self, id: &str) -> Option<&RingKey> {
        self.current.iter().chain(&self.previous).find(|k| k.id == id)
    }
}

/// A key variable, or the file its `_FILE` variant names.
fn read_key_var(
    lookup: &dyn Fn(&str) -> Option<String>,
    var: &str,
    file_var: &str,
) -> Result<Option<Zeroizing<String>>, String> {
    match (lookup(var).map(Zeroizing::new), lookup(file_var)) {
        (Some(_), Some(_)) => Err(format!("both {var} and {file_var} are set; unset one of them")),
        (Some(value), None) => Ok(Some(value)),
        (None, Some(path)) => read_secret_file(Path::new(&path), &Limits::default())
            .map(|text| Some(Zeroizing::new(text)))
            .map_err(|e| format!("{file_var}: {e}")),
        (None, None) => Ok(None),
    }
}

/// The current key's text (blank is no key), parsed.
fn parse_current(text: Option<&str>, var: &str) -> Result<Option<ParsedKey>, String> {
    text.map(str::trim).filter(|t| !t.is_empty()).map(|t| parse_key(t, var)).transpose()
}

/// The previous keys' text (split on commas and blanks), parsed; the
/// first broken one is the variable's error.
fn parse_previous(text: Option<&str>, var: &str) -> Result<Vec<ParsedKey>, String> {
    let texts = text.into_iter().flat_map(|t| t.split(|c: char| c == ',' || c.is_whitespace()));
    texts.filter(|t| !t.is_empty()).map(|t| parse_key(t, var)).collect()
}

/// Why the key ring could not be read from its variables.
pub(crate) struct KeyError {
    /// Which of the two `(NAME, NAME_FILE)` pairs it is about (0: the
    /// current key, 1: the previous keys); `None` when about both.
    pub(crate) pair: Option<usize>,
    /// The message: variable names and key ids, never key material.
    pub(crate) message: String,
}

/// A key's id and its bytes (wiped on drop).
type ParsedKey = (String, Zeroizing<[u8; KEY_LEN]>);

/// `<id>:<base64 of 32 bytes>`.
fn parse_key(text: &str, var: &str) -> Result<(String, Zeroizing<[u8; KEY_LEN]>), String> {
    let Some((id, encoded)) = text.split_once(':') else {
        return Err(format!("{var} must hold keys written {KEY_SHAPE}"));
    };
    if !is_key_id(id) {
        return Err(format!("{var}: {ID_RULE}; keys are written {KEY_SHAPE}"));
    }
    let bytes = Zeroizing::new(
        STANDARD_PAD_INDIFFERENT
            .decode(encoded)
            .map_err(|_| format!("{var}: key `{id}` is not valid standard base64"))?,
    );
    if bytes.len() != KEY_LEN {
        return Err(format!("{var}: key `{id}` is not {KEY_LEN} bytes long"));
    }
    let mut key = Zeroizing::new([0_u8; KEY_LEN]);
    key.copy_from_slice(&bytes);
    Ok((id.to_owned(), key))
}

/// Whether `id` is a valid key id.
pub(super) fn is_key_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= MAX_ID_LEN && id.bytes().all(is_id_byte)
}

/// A byte that may appear in a key id.
pub(super) fn is_id_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-')
}

#[cfg(feature = "encryption")]
#[cfg_attr(docsrs, doc(cfg(feature = "encryption")))]
/// Makes a new random key, as the text [`KEY_VAR`] takes:
/// `<id>:<base64 of 32 bytes>`. The key comes from the operating system's
/// random number generator.
///
/// ```
/// # #[cfg(feature = "encryption")]
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use phoenix_config::secret::keygen;
///
/// let key = keygen("2025-06")?;
/// let text = key.expose();
/// assert!(text.starts_with("2025-06:"));
/// assert_eq!(text.len(), "2025-06:".len() + 44);
/// assert!(keygen("").is_err());
/// # Ok(())
/// # }
/// # #[cfg(not(feature = "encryption"))]
/// # fn main() {}
/// ```
pub fn keygen(id: &str) -> Result<Secret<String>, SecretError> {
    if !is_key_id(id) {
        return Err(SecretError::new(format!("invalid key id: {ID_RULE}")));
    }
    let key = Zeroizing::new(<[u8; KEY_LEN]>::try_generate().map_err(random_failed)?);
    let mut text = String::with_capacity(id.len() + 1 + 44);
    text.push_str(id);
    text.push(':');
    STANDARD.encode_string(*key, &mut text);
    Ok(Secret::named(KEY_VAR, text))
}

#[cfg(feature = "encryption")]
fn random_failed(e: impl fmt::Display) -> SecretError {
    SecretError::new(format!("cannot get random bytes from the operating system: {e}"))
}

#[cfg(feature = "encryption")]
#[cfg_attr(docsrs, doc(cfg(feature = "encryption")))]
/// Encrypts `plaintext` under the current key of `keys`:
/// `enc:v1:<key-id>:<base64>`. Every call draws a fresh random nonce, so
/// the same value encrypts differently each time.
///
/// ```
/// # #[cfg(feature = "encryption")]
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use phoenix_config::secret::{KeyRing, decrypt, encrypt, keygen};
///
/// let key = keygen("k1")?;
/// let keys = KeyRing::from_vars([("PHOENIX_CONFIG_KEY", key.expose())])?;
/// let text = encrypt("mongodb://user:pw@db:27017", &keys)?;
/// assert!(text.starts_with("enc:v1:k1:"));
/// assert_eq!(decrypt(&text, &keys)?.expose(), "mongodb://user:pw@db:27017");
/// # Ok(())
/// # }
/// # #[cfg(not(feature = "encryption"))]
/// # fn main() {}
/// ```
pub fn encrypt(plaintext: &str, keys: &KeyRing) -> Result<String, SecretError> {
    let key = keys.current().ok_or_else(|| {
        let key_var = keys.vars.as_deref().map_or(KEY_VAR, |(k, _)| k);
        SecretError::new(format!("no current key to encrypt with: set {key_var} (make one with `keygen`)"))
    })?;
    encrypt_with(key, plaintext.as_bytes())
}

#[cfg(feature = "encryption")]
pub(super) fn encrypt_with(key: &RingKey, plaintext: &[u8]) -> Result<String, SecretError> {
    let nonce = XNonce::try_generate().map_err(random_failed)?;
    let aad = associated_data(&key.id);
    let sealed = key
        .cipher
        .encrypt(&nonce, Payload { msg: plaintext, aad: aad.as_bytes() })
        .map_err(|_| SecretError::new("the value is too long to encrypt"))?;
    let mut blob = Vec::with_capacity(NONCE_LEN + sealed.len());
    blob.extend_from_slice(&nonce);
    blob.extend_from_slice(&sealed);
    Ok(format!("{ENC_PREFIX}{}:{}", key.id, STANDARD.encode(&blob)))
}

#[cfg(feature = "encryption")]
/// What the tag authenticates besides the ciphertext: the format version
/// and the key id, so a value relabelled with another id does not decrypt.
fn associated_data(id: &str) -> String {
    format!("{ENC_PREFIX}{id}")
}

/// Decodes an encoded value (`enc:v1:…` or `base64:…`; surrounding
/// whitespace is ignored) into a [`Secret`]. Plain text is an error here:
/// this is the tool behind a `decrypt` command, where plain text is a
/// mistake.
///
/// ```
/// use phoenix_config::secret::{KeyRing, decrypt};
///
/// let keys = KeyRing::default();
/// assert_eq!(decrypt("base64:aHVudGVyMg==", &keys)?.expose(), "hunter2");
/// let err = decrypt("enc:v1:k9:AAAA", &keys).unwrap_err();
/// # #[cfg(feature = "encryption")]
/// assert!(err.to_string().contains("`k9`"));
/// # #[cfg(not(feature = "encryption"))]
/// # assert!(err.to_string().contains("`encryption` feature"));
/// assert!(decrypt("hunter2", &keys).is_err());
/// # Ok::<(), phoenix_config::secret::SecretError>(())
/// ```
pub fn decrypt(text: &str, keys: &KeyRing) -> Result<Secret<String>, SecretError> {
    match decode_text(text.trim(), keys) {
        Ok(Some(mut value)) => Ok(Secret::new(std::mem::take(&mut *value))),
        Ok(None) => Err(SecretError::new(format!(
            "not an encoded value: expected `{ENC_PREFIX}<key-id>:<base64>` or `{BASE64_PREFIX}<base64>`"
        ))),
        Err(message) => Err(SecretError::new(message)),
    }
}

/// Decodes a `base64:` or `enc:v1:` text; `Ok(None)` when it is plain.
/// The error names the key id, never the value or the ciphertext.
pub(crate) fn decode_text(text: &str, keys: &KeyRing) -> Result<Option<Zeroizing<String>>, String> {
    let Some(bytes) = decode_bytes(text, keys)? else { return Ok(None) };
    utf8_of(bytes).map(Some).map_err(|()| not_utf8(text))
}

/// Whether a scalar is an `enc:v1:` value (encrypted, to be decrypted
/// only where a secret is read).
pub(crate) fn is_encrypted(text: &str) -> bool {
    text.starts_with(ENC_PREFIX)
}

/// The message for decoded bytes that a text secret cannot hold.
pub(crate) fn not_utf8(text: &str) -> String {
    if text.starts_with(BASE64_PREFIX) {
        format!("the value after `{BASE64_PREFIX}` is not UTF-8 text")
    } else {
        "the decrypted value is not UTF-8 text".to_owned()
    }
}

/// Decodes a `base64:` or `enc:v1:` text to bytes (a binary secret);
/// `Ok(None)` when it is plain. Every buffer that held plaintext is wiped
/// when dropped, failures included.
pub(crate) fn decode_bytes(text: &str, keys: &KeyRing) -> Result<Option<Zeroizing<Vec<u8>>>, String> {
    if let Some(encoded) = text.strip_prefix(BASE64_PREFIX) {
        return base64_bytes(encoded.trim()).map(Some);
    }
    if let Some(rest) = text.strip_prefix(ENC_PREFIX) {
        return decrypt_v1_bytes(rest.trim(), keys).map(Some);
    }
    if let Some(version) = other_enc_version(text) {
        return Err(format!(
            "unsupported encrypted value version `{version}`: this version of phoenix-config reads `{ENC_PREFIX}`"
        ));
    }
    Ok(None)
}

/// Standard base64 (padding optional) decoded into a buffer wiped on drop:
/// the decoder writes into it directly, so no unwiped copy is left behind.
fn base64_bytes(encoded: &str) -> Result<Zeroizing<Vec<u8>>, String> {
    let mut out = Zeroizing::new(vec![0; base64::decoded_len_estimate(encoded.len())]);
    let len = STANDARD_PAD_INDIFFERENT.decode_slice(encoded, &mut out[..]).map_err(|e| match e {
        base64::DecodeSliceError::DecodeError(e) => {
            format!("invalid base64 after `{BASE64_PREFIX}`: {}", describe_base64_error(&e))
        }
        base64::DecodeSliceError::OutputSliceTooSmall => format!("invalid base64 after `{BASE64_PREFIX}`"),
    })?;
    out.truncate(len);
    Ok(out)
}

/// `v2` for `enc:v2:…`.
fn other_enc_version(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("enc:v")?;
    let (digits, _) = rest.split_once(':')?;
    (!digits.is_empty() && digits.len() <= 4 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| &text[4..5 + digits.len()])
}

/// `<key-id>:<base64>`, after `enc:v1:`, as text (for `rotate`).
#[cfg(feature = "encryption")]
pub(super) fn decrypt_v1(rest: &str, keys: &KeyRing) -> Result<Zeroizing<String>, String> {
    utf8_of(decrypt_v1_bytes(rest, keys)?).map_err(|()| "the decrypted value is not UTF-8 text".to_owned())
}

/// `<key-id>:<base64>`, after `enc:v1:`, as bytes.
#[cfg(feature = "encryption")]
fn decrypt_v1_bytes(rest: &str, keys: &KeyRing) -> Result<Zeroizing<Vec<u8>>, String> {
    let malformed = || format!("malformed encrypted value: expected `{ENC_PREFIX}<key-id>:<base64>` ({ID_RULE})");
    let (id, payload) = rest.split_once(':').ok_or_else(malformed)?;
    if !is_key_id(id) {
        return Err(malformed());
    }
    let blob = STANDARD.decode(payload).map_err(|e| {
        format!("the encrypted value for key `{id}` is not valid base64: {}", describe_base64_error(&e))
    })?;
    if blob.len() < NONCE_LEN + TAG_LEN {
        return Err(format!("the encrypted value for key `{id}` is too short to be one"));
    }
    let key = keys.find(id).ok_or_else(|| unknown_key(id, keys))?;
    let (nonce, sealed) = blob.split_at(NONCE_LEN);
    let nonce = XNonce::try_from(nonce).map_err(|_| malformed())?;
    let aad = associated_data(id);
    let plain = key.cipher.decrypt(&nonce, Payload { msg: sealed, aad: aad.as_bytes() }).map_err(|_| {
        format!("cannot decrypt the value with key `{id}`: it was altered, or encrypted with another key of that id")
    })?;
    Ok(Zeroizing::new(plain))
}

/// Without the `encryption` feature: an `enc:v1:` value is an error that
/// says how to read it, never ciphertext kept as the value.
#[cfg(not(feature = "encryption"))]
fn decrypt_v1_bytes(_rest: &str, _keys: &KeyRing) -> Result<Zeroizing<Vec<u8>>, String> {
    Err(format!(
        "an `{ENC_PREFIX}` value needs the `encryption` feature of phoenix-config: enable it in Cargo.toml (features = [\"encryption\"])"
    ))
}

#[cfg(feature = "encryption")]
fn unknown_key(id: &str, keys: &KeyRing) -> String {
    let (key_var, previous_var) = keys.variables();
    if keys.is_empty() {
        format!(
            "cannot decrypt the value: it needs key `{id}` and no key is configured \
             (set {key_var}, and {previous_var} for older keys)"
        )
    } else {
        let known: Vec<String> = keys.ids().map(|k| format!("`{k}`")).collect();
        format!(
            "cannot decrypt the value: no key with id `{id}` (known: {}); add it to {previous_var}",
            known.join(", ")
        )
    }
}

/// A base64 error in words, without the offending byte, its offset or the
/// length (they are parts of the secret).
fn describe_base64_error(e: &base64::DecodeError) -> &'static str {
    match e {
        base64::DecodeError::InvalidByte(..) => "a character outside the base64 alphabet",
        base64::DecodeError::InvalidLength(_) => "not a whole number of base64 characters",
        base64::DecodeError::InvalidLastSymbol { .. } => "the last character is not a valid ending",
        base64::DecodeError::InvalidPadding => "invalid padding",
    }
}

/// Bytes to text without a copy; invalid bytes are wiped when dropped.
fn utf8_of(mut bytes: Zeroizing<Vec<u8>>) -> Result<Zeroizing<String>, ()> {
    if std::str::from_utf8(&bytes).is_err() {
        return Err(());
    }
    let bytes = std::mem::take(&mut *bytes);
    // Checked just above, so this never fails (and never copies).
    String::from_utf8(bytes).map(Zeroizing::new).map_err(|e| e.into_bytes().zeroize())
}

#[cfg(all(test, not(feature = "encryption")))]
mod without_encryption {
    use super::*;

    #[test]
    fn an_encrypted_value_says_to_enable_the_feature() {
        let message = decode_text("enc:v1:k1:AAAA", &KeyRing::default()).unwrap_err();
        assert!(message.contains("`encryption` feature"), "{message}");
        assert_eq!(decode_text("base64:aGk=", &KeyRing::default()).unwrap().as_deref().map(String::as_str), Some("hi"));
    }
}

#[cfg(all(test, feature = "encryption"))]
mod tests {
    use super::*;

    fn ring(vars: &[(&str, &str)]) -> KeyRing {
        KeyRing::from_vars(vars.iter().copied()).unwrap()
    }

    fn key(id: &str) -> String {
        keygen(id).unwrap().expose_unaudited().clone()
    }

    #[test]
    fn keygen_makes_distinct_valid_keys() {
        let a = key("a");
        let b = key("a");
        assert_ne!(a, b);
        let (id, bytes) = parse_key(&a, KEY_VAR).unwrap();
        assert_eq!(id, "a");
        assert_eq!(bytes.len(), 32);
        for bad in ["", "has space", "colon:", &"x".repeat(65), "é"] {
            assert!(keygen(bad).is_err(), "{bad:?}");
        }
        assert!(keygen(&"x".repeat(64)).is_ok());
    }

    #[test]
    fn round_trips_text_of_any_length() {
        let keys = ring(&[(KEY_VAR, &key("k1"))]);
        for plain in ["", "a", "hunter2", "ünïcödé ✓", &"long".repeat(1000)] {
            let text = encrypt(plain, &keys).unwrap();
            assert!(text.starts_with("enc:v1:k1:"));
            assert!(!text.contains(plain) || plain.is_empty() || plain == "a");
            assert_eq!(decode_text(&text, &keys).unwrap().unwrap().as_str(), plain);
        }
        assert_ne!(encrypt("same", &keys).unwrap(), encrypt("same", &keys).unwrap());
    }

    #[test]
    fn previous_keys_decrypt_and_the_current_one_encrypts() {
        let (k1, k2, k3) = (key("k1"), key("k2"), key("k3"));
        let old = encrypt("v", &ring(&[(KEY_VAR, &k1)])).unwrap();
        let older = encrypt("w", &ring(&[(KEY_VAR, &k2)])).unwrap();
        let keys = ring(&[(KEY_VAR, &k3), (PREVIOUS_KEYS_VAR, &format!("{k1}, {k2}\n"))]);
        assert_eq!(keys.ids().collect::<Vec<_>>(), ["k3", "k1", "k2"]);
        assert_eq!(decode_text(&old, &keys).unwrap().unwrap().as_str(), "v");
        assert_eq!(decode_text(&older, &keys).unwrap().unwrap().as_str(), "w");
        assert!(encrypt("x", &keys).unwrap().starts_with("enc:v1:k3:"));
        // Previous keys alone decrypt but cannot encrypt.
        let only_previous = ring(&[(PREVIOUS_KEYS_VAR, &k1)]);
        assert_eq!(decode_text(&old, &only_previous).unwrap().unwrap().as_str(), "v");
        assert!(encrypt("x", &only_previous).unwrap_err().to_string().contains(KEY_VAR));
    }

    #[test]
    fn key_errors_name_the_variable_and_id_never_the_key() {
        let k = key("k1");
        let material = k.split_once(':').unwrap().1.to_owned();
        let cases = [
            (vec![(KEY_VAR, material.clone())], "PHOENIX_CONFIG_KEY must hold keys written"),
            (vec![(KEY_VAR, format!("bad id:{material}"))], "PHOENIX_CONFIG_KEY: a key id is"),
            (vec![(KEY_VAR, format!("k1:{}", &material[..20]))], "PHOENIX_CONFIG_KEY: key `k1` is"),
            (vec![(KEY_VAR, "k1:AAAA".to_owned())], "PHOENIX_CONFIG_KEY: key `k1` is not 32 bytes long"),
            (
                vec![(KEY_VAR, k.clone()), (PREVIOUS_KEYS_VAR, format!("k1:{}", key("x").split_once(':').unwrap().1))],
                "key id `k1` is given twice with different keys",
            ),
            (
                vec![(KEY_VAR, k.clone()), ("PHOENIX_CONFIG_KEY_FILE", "/x".to_owned())],
                "both PHOENIX_CONFIG_KEY and PHOENIX_CONFIG_KEY_FILE are set",
            ),
        ];
        for (vars, expected) in cases {
            let err = KeyRing::from_vars(vars).unwrap_err().to_string();
            assert!(err.starts_with(expected), "{err}");
            assert!(!err.contains(&material[..10]), "{err}");
        }
        // The same key given twice under one id is fine.
        assert_eq!(ring(&[(KEY_VAR, &k), (PREVIOUS_KEYS_VAR, &k)]).ids().count(), 1);
        // Empty variables count as unset.
        assert!(ring(&[(KEY_VAR, " "), (PREVIOUS_KEYS_VAR, ", ,")]).is_empty());
    }

    #[test]
    fn keys_can_come_from_files() {
        let dir = tempfile::tempdir().unwrap();
        let (k1, k2) = (key("k1"), key("k2"));
        std::fs::write(dir.path().join("key"), format!("{k1}\n")).unwrap();
        std::fs::write(dir.path().join("previous"), format!("{k2}\n")).unwrap();
        let keys = ring(&[
            ("PHOENIX_CONFIG_KEY_FILE", dir.path().join("key").to_str().unwrap()),
            ("PHOENIX_CONFIG_PREVIOUS_KEYS_FILE", dir.path().join("previous").to_str().unwrap()),
        ]);
        assert_eq!(keys.ids().collect::<Vec<_>>(), ["k1", "k2"]);
        let err = KeyRing::from_vars([("PHOENIX_CONFIG_KEY_FILE", "/no/such/key")]).unwrap_err().to_string();
        assert!(err.starts_with("PHOENIX_CONFIG_KEY_FILE: file /no/such/key does not exist"), "{err}");
    }

    #[test]
    fn decryption_failures_are_clear_and_name_the_key_id() {
        let (k1, other_k1) = (key("k1"), key("k1"));
        let keys = ring(&[(KEY_VAR, &k1)]);
        let text = encrypt("canary", &keys).unwrap();

        let wrong = decode_text(&text, &ring(&[(KEY_VAR, &other_k1)])).unwrap_err();
        assert!(wrong.starts_with("cannot decrypt the value with key `k1`: it was altered"), "{wrong}");
        let unknown = decode_text(&text, &ring(&[(KEY_VAR, &key("k2"))])).unwrap_err();
        assert_eq!(
            unknown,
            "cannot decrypt the value: no key with id `k1` (known: `k2`); add it to PHOENIX_CONFIG_PREVIOUS_KEYS"
        );
        let missing = decode_text(&text, &KeyRing::default()).unwrap_err();
        assert!(missing.starts_with("cannot decrypt the value: it needs key `k1` and no key is configured"));
        // The id is authenticated: relabelling the value under another id is detected.
        let keys_both = ring(&[(KEY_VAR, &k1), (PREVIOUS_KEYS_VAR, &format!("k2:{}", k1.split_once(':').unwrap().1))]);
        let relabelled = text.replacen("enc:v1:k1:", "enc:v1:k2:", 1);
        let err = decode_text(&relabelled, &keys_both).unwrap_err();
        assert!(err.starts_with("cannot decrypt the value with key `k2`"), "{err}");

        for (bad, expected) in [
            ("enc:v1:", "malformed encrypted value"),
            ("enc:v1:k1", "malformed encrypted value"),
            ("enc:v1:bad id:AAAA", "malformed encrypted value"),
            (
                "enc:v1:k1:not base64!",
                "the encrypted value for key `k1` is not valid base64: a character outside the base64 alphabet",
            ),
            ("enc:v1:k1:AAAA", "the encrypted value for key `k1` is too short to be one"),
            ("enc:v2:k1:AAAA", "unsupported encrypted value version `v2`"),
        ] {
            let err = decode_text(bad, &keys).unwrap_err();
            assert!(err.starts_with(expected), "{bad}: {err}");
        }
        // Not encoded: used as written.
        for plain in ["hunter2", "enc:", "enc:vx:1", "encoded:v1:x", " base64:aGk=", "BASE64:aGk="] {
            assert!(decode_text(plain, &keys).unwrap().is_none(), "{plain}");
        }
    }

    #[test]
    fn every_flipped_byte_is_detected() {
        let keys = ring(&[(KEY_VAR, &key("k1"))]);
        let text = encrypt("canary-flip", &keys).unwrap();
        let blob = STANDARD.decode(text.strip_prefix("enc:v1:k1:").unwrap()).unwrap();
        for i in 0..blob.len() {
            for mask in [0x01, 0x80] {
                let mut bad = blob.clone();
                bad[i] ^= mask;
                let tampered = format!("enc:v1:k1:{}", STANDARD.encode(&bad));
                let err = decode_text(&tampered, &keys).unwrap_err();
                assert!(err.contains("`k1`") && !err.contains("canary"), "byte {i}: {err}");
            }
        }
    }

    #[test]
    fn base64_values_decode_and_bad_ones_never_echo() {
        let keys = KeyRing::default();
        assert_eq!(decode_text("base64:aHVudGVyMg==", &keys).unwrap().unwrap().as_str(), "hunter2");
        assert_eq!(decode_text("base64:aHVudGVyMg", &keys).unwrap().unwrap().as_str(), "hunter2");
        assert_eq!(decode_text("base64: aHVudGVyMg==\n", &keys).unwrap().unwrap().as_str(), "hunter2");
        assert_eq!(decode_text("base64:", &keys).unwrap().unwrap().as_str(), "");
        let err = decode_text("base64:canary$", &keys).unwrap_err();
        assert_eq!(err, "invalid base64 after `base64:`: a character outside the base64 alphabet");
        let err = decode_text("base64:/w==", &keys).unwrap_err();
        assert_eq!(err, "the value after `base64:` is not UTF-8 text");
    }
}
