//! Secrets: [`Secret<T>`], encoded and encrypted values, secret files,
//! [`SecretManager`] and the key tooling (DESIGN §7).
//!
//! # Secret values
//!
//! A field of type [`Secret<T>`], or any field marked `#[secret]`, is a
//! secret: its value never appears in `Debug`, in
//! [`Loaded`](crate::Loaded)'s table, in an error or validation message, or in
//! a log line — even when it fails to parse or to validate. Reading a
//! `Secret<T>` goes through [`Secret::expose`], which records an audit event.
//!
//! # Encoded values
//!
//! Wherever a secret field reads text (YAML, `.env`, a variable, a secret
//! file, an override), and in [`SecretManager`], two encodings are decoded:
//!
//! | text | meaning |
//! |---|---|
//! | `base64:<standard base64>` | the decoded UTF-8 text (padding optional) |
//! | `enc:v1:<key-id>:<base64>` | XChaCha20-Poly1305: the base64 holds a 24-byte nonce, the ciphertext and the 16-byte tag; `enc:v1:<key-id>` is the associated data, so a value moved to another key id does not decrypt |
//!
//! Anything else is used as written. Decoding never falls back: bad base64,
//! an unknown key id, a wrong key or altered text is an
//! [`IssueKind::Secret`](crate::IssueKind::Secret) error that names the key
//! id, never the value.
//!
//! # Keys
//!
//! Keys come from two variables (process environment, injected variables or
//! `.env`), each also readable from a file with the `_FILE` suffix:
//!
//! | variable | value |
//! |---|---|
//! | [`PHOENIX_CONFIG_KEY`](KEY_VAR) | the current key, `<key-id>:<base64 of 32 bytes>` ([`keygen`] makes one); new values are encrypted with it |
//! | [`PHOENIX_CONFIG_PREVIOUS_KEYS`](PREVIOUS_KEYS_VAR) | older keys, `<key-id>:<key>` separated by commas or whitespace; they still decrypt |
//!
//! A key id is 1 to 64 ASCII letters, digits, `.`, `_` or `-`. Rotation
//! without downtime: make a new key, move the old one to
//! `PHOENIX_CONFIG_PREVIOUS_KEYS`, deploy (old values still decrypt), run
//! [`rotate`] on the files, deploy again, drop the old key.
//!
//! ```
//! # #[cfg(feature = "encryption")]
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use phoenix_config::secret::{KeyRing, decrypt, encrypt, keygen, rotate};
//!
//! let old = keygen("2024")?;
//! let keys = KeyRing::from_vars([("PHOENIX_CONFIG_KEY", old.expose().as_str())])?;
//! let file = format!("# the database\ndatabase:\n  password: {}  # rotated yearly\n", encrypt("hunter2", &keys)?);
//!
//! let new = keygen("2025")?;
//! let keys = KeyRing::from_vars([
//!     ("PHOENIX_CONFIG_KEY", new.expose().as_str()),
//!     ("PHOENIX_CONFIG_PREVIOUS_KEYS", old.expose().as_str()),
//! ])?;
//! let rotated = rotate(&file, &keys)?;
//! assert_eq!(rotated.rewritten, 1);
//! assert!(rotated.text.contains("password: enc:v1:2025:"));
//! assert!(rotated.text.ends_with("  # rotated yearly\n"));
//! let value = rotated.text.split_whitespace().find(|w| w.starts_with("enc:")).unwrap();
//! assert_eq!(decrypt(value, &keys)?.expose(), "hunter2");
//! # Ok(())
//! # }
//! # #[cfg(not(feature = "encryption"))]
//! # fn main() {}
//! ```
//!
//! # Secret files
//!
//! `NAME_FILE` variables and [`ConfigLoader::secrets_dir`](crate::ConfigLoader::secrets_dir)
//! read a value from a file: regular files only (a FIFO, a device or a
//! directory is refused without being opened), at most
//! [`Limits::max_secret_file_bytes`](crate::Limits::max_secret_file_bytes),
//! one trailing newline trimmed; a file readable by everyone draws a warning
//! (tracing target `phoenix_config`).

use std::any::type_name;
use std::cell::Cell;
use std::fmt;
use std::panic::Location;
use std::sync::Arc;

use serde::{Deserialize, Deserializer};
use zeroize::ZeroizeOnDrop;

mod file;
mod hygiene;
mod keys;
mod manager;
#[cfg(feature = "encryption")]
mod rotate;
mod scrub;
mod wiped;

pub(crate) use file::read_secret_file;
pub use hygiene::{MAX_KEY_AGE_DAYS, PREVIOUS_KEY_DAYS, dated_key_id};
pub(crate) use hygiene::{PLAINTEXT_MESSAGE, plaintext_in_file};
#[cfg(feature = "cli")]
pub(crate) use hygiene::{key_warnings, today};
pub use keys::{KEY_VAR, KeyRing, PREVIOUS_KEYS_VAR, SecretError, decrypt};
pub(crate) use keys::{KeyError, NO_KEYS, decode_bytes, decode_text, is_encrypted, not_utf8};
#[cfg(feature = "encryption")]
#[cfg_attr(docsrs, doc(cfg(feature = "encryption")))]
pub use keys::{encrypt, keygen};
pub use manager::{DatabaseCredentials, ProxyCredentials, SecretManager};
#[cfg(feature = "encryption")]
#[cfg_attr(docsrs, doc(cfg(feature = "encryption")))]
pub use rotate::{Rotation, rotate};
pub(crate) use scrub::Known;
#[cfg(all(feature = "fuzzing", feature = "derive"))]
pub(crate) use scrub::MIN_LEN as MIN_SCRUBBED;
pub(crate) use wiped::{WipedString, push_wiped, reserve_wiped};
/// The trait a [`Secret<T>`]'s value implements, so it can be wiped on
/// drop (re-exported from the `zeroize` crate).
///
/// ```
/// use phoenix_config::Secret;
/// use phoenix_config::secret::Zeroize;
///
/// /// A value of your own, wiped field by field.
/// #[derive(serde::Deserialize)]
/// struct Pair {
///     id: String,
///     key: Vec<u8>,
/// }
///
/// impl Zeroize for Pair {
///     fn zeroize(&mut self) {
///         self.id.zeroize();
///         self.key.zeroize();
///     }
/// }
///
/// let pair = Secret::new(Pair { id: "a".into(), key: vec![1, 2] });
/// assert_eq!(pair.expose().key, [1, 2]);
/// ```
pub use zeroize::Zeroize;

/// The tracing target of the audit events [`Secret::expose`] records:
/// route it to an audit log, or filter it (with `tracing-subscriber`:
/// `RUST_LOG=phoenix_config::audit=info`).
///
/// ```
/// assert_eq!(phoenix_config::secret::AUDIT_TARGET, "phoenix_config::audit");
/// ```
pub const AUDIT_TARGET: &str = "phoenix_config::audit";

/// A secret value: redacted in `Debug`, never displayed, wiped from memory
/// when dropped, and read through [`expose`](Secret::expose), which records
/// an audit event.
///
/// - `Debug` prints `[REDACTED]`; there is no `Display` and no `Serialize`.
/// - Dropping it overwrites the value with zeros ([`Zeroize`]): a `String` or
///   a `Vec` is wiped over its whole capacity before it is freed.
/// - It deserializes as the value it holds (a leaf); a value that does not
///   convert is reported as `is not a valid <type>`, never with its text.
/// - Equality (only for byte-like values: `String`, `Vec<u8>`, …) runs in
///   constant time for values of the same length.
/// - It is not `Clone`: a copy of a secret is one more place to leak it
///   from, so copies are explicit with [`clone_secret`](Secret::clone_secret).
///
/// # Which `T`
///
/// `T` must implement [`Zeroize`]: strings, byte vectors, numbers, `bool`,
/// `char`, arrays, `Option`s and `Vec`s of those, and your own types with
/// `#[derive(Zeroize)]` (zeroize's `derive` feature) or a hand-written impl
/// that clears every field holding secret data. A type that cannot be wiped
/// (say `url::Url`) is kept as `Secret<String>` and parsed where it is used:
/// wiping the bytes of an arbitrary type would either be unsound (its
/// invariants broken before its own `Drop` runs) or useless (its heap
/// buffers freed unwiped).
///
/// ```
/// use phoenix_config::Secret;
///
/// let password = Secret::named("database.password", "hunter2".to_owned());
/// assert_eq!(format!("{password:?}"), "[REDACTED]");
/// assert_eq!(password.name(), Some("database.password"));
/// // An audit event (target `phoenix_config::audit`) records the name and this line.
/// assert_eq!(password.expose(), "hunter2");
/// ```
pub struct Secret<T: Zeroize> {
    value: T,
    name: Option<Arc<str>>,
}

impl<T: Zeroize> Secret<T> {
    /// A secret without a name (its audit events say `unnamed`).
    ///
    /// ```
    /// use phoenix_config::Secret;
    ///
    /// let pin: Secret<u32> = Secret::new(1234);
    /// assert_eq!(*pin.expose(), 1234);
    /// ```
    pub fn new(value: T) -> Self {
        Secret { value, name: None }
    }

    /// A secret with a name (a dotted path or a variable name) for its
    /// audit events. Secrets loaded by [`ConfigLoader`](crate::ConfigLoader)
    /// are named by their field path, those of [`SecretManager`] by their
    /// variable.
    ///
    /// ```
    /// use phoenix_config::Secret;
    ///
    /// let token = Secret::named("GITHUB_TOKEN", "ghp_x".to_owned());
    /// assert_eq!(token.name(), Some("GITHUB_TOKEN"));
    /// ```
    pub fn named(name: impl Into<Arc<str>>, value: T) -> Self {
        Secret { value, name: Some(name.into()) }
    }

    /// The secret's name, if it has one.
    ///
    /// ```
    /// use phoenix_config::Secret;
    ///
    /// assert_eq!(Secret::new(7_u8).name(), None);
    /// ```
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The value. Records an audit event — tracing target
    /// `phoenix_config::audit` ([`AUDIT_TARGET`]), level `INFO`, fields
    /// `secret` (the name, or `unnamed`) and `caller` (`file:line` of the
    /// code calling `expose`) — and never the value.
    ///
    /// Expose a secret where it is used (opening the connection, signing
    /// the request), not earlier, so the audit trail says where it went.
    ///
    /// ```
    /// use phoenix_config::Secret;
    ///
    /// let key = Secret::named("api_key", "k-123".to_owned());
    /// let header = format!("Bearer {}", key.expose());
    /// # assert_eq!(header, "Bearer k-123");
    /// ```
    #[track_caller]
    pub fn expose(&self) -> &T {
        let caller = Location::caller();
        tracing::info!(
            target: "phoenix_config::audit",
            secret = self.name.as_deref().unwrap_or("unnamed"),
            caller = %format_args!("{}:{}", caller.file(), caller.line()),
            "secret exposed"
        );
        &self.value
    }

    /// A copy of the secret, with the same name. Deliberately not `Clone`:
    /// every copy of a secret is written out where a reviewer sees it.
    ///
    /// ```
    /// use phoenix_config::Secret;
    ///
    /// let a = Secret::named("token", "t".to_owned());
    /// let b = a.clone_secret();
    /// assert_eq!(a, b);
    /// assert_eq!(b.name(), Some("token"));
    /// ```
    #[must_use]
    pub fn clone_secret(&self) -> Self
    where
        T: Clone,
    {
        Secret { value: self.value.clone(), name: self.name.clone() }
    }

    /// The value, without an audit event: for the crate's own rule checks.
    pub(crate) fn expose_unaudited(&self) -> &T {
        &self.value
    }
}

impl<T: Zeroize> Drop for Secret<T> {
    fn drop(&mut self) {
        self.value.zeroize();
    }
}

impl<T: Zeroize> ZeroizeOnDrop for Secret<T> {}

impl<T: Zeroize> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[REDACTED]")
    }
}

impl<T: Zeroize> From<T> for Secret<T> {
    fn from(value: T) -> Self {
        Secret::new(value)
    }
}

impl<T: Zeroize + Default> Default for Secret<T> {
    fn default() -> Self {
        Secret::new(T::default())
    }
}

/// Constant-time equality of the bytes (a length difference returns early:
/// lengths are not hidden). Names are not compared.
impl<T: Zeroize + AsRef<[u8]>> PartialEq for Secret<T> {
    fn eq(&self, other: &Self) -> bool {
        use ctutils::CtEq as _;
        self.value.as_ref().ct_eq(other.value.as_ref()).to_bool()
    }
}

impl<T: Zeroize + AsRef<[u8]>> Eq for Secret<T> {}

/// Deserializes the value it holds. With any other format than this
/// crate's loader (`serde_json`, `toml`, …) a failure says only
/// `is not a valid <type>`: their messages may quote the text. Loaded by
/// [`ConfigLoader`](crate::ConfigLoader), whose messages for secrets never
/// hold the value, the secret is named by its field path.
///
/// It asks for a newtype struct of a reserved name (`$phoenix_config::Secret`, or
/// `$phoenix_config::Secret<bytes>` for a byte value), which this crate's deserializer recognizes wherever
/// the `Secret` sits (in a list, a map, a `Box`, a serde struct, behind a
/// type alias): there it decodes `base64:` and `enc:v1:` values and renders
/// failures without the value. Other deserializers read the newtype as the
/// value itself.
impl<'de, T: Zeroize + Deserialize<'de>> Deserialize<'de> for Secret<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        SEEN.with(|seen| seen.set(seen.get().wrapping_add(1)));
        let token = if crate::de::wants_bytes::<T>() { BYTES_TOKEN } else { TOKEN };
        let value = deserializer.deserialize_newtype_struct(token, forward::Forward::<T>::new()).map_err(|e| {
            if is_own_error::<D::Error>() {
                e
            } else {
                serde::de::Error::custom(format_args!("is not a valid {}", short_type_name::<T>()))
            }
        })?;
        Ok(Secret { value, name: current_name() })
    }
}

/// The newtype name a [`Secret<T>`] asks this crate's deserializer for.
pub(crate) const TOKEN: &str = "$phoenix_config::Secret";

/// Like [`TOKEN`], for a `T` that reads bytes (`Vec<u8>`): a decoded
/// `base64:` or `enc:v1:` value is handed over as bytes, not as text.
pub(crate) const BYTES_TOKEN: &str = "$phoenix_config::Secret<bytes>";

thread_local! {
    /// How many `Secret`s were deserialized on this thread, in any format:
    /// the build step learns from it that a leaf held one.
    static SEEN: Cell<u64> = const { Cell::new(0) };
}

/// The number of `Secret`s deserialized on this thread so far.
pub(crate) fn seen() -> u64 {
    SEEN.with(Cell::get)
}

mod forward {
    //! The visitor of `Secret<T>`'s newtype: hands the value to `T`, also
    //! from deserializers that skip the newtype and visit the value itself.

    use std::marker::PhantomData;

    use serde::de::value::{
        BoolDeserializer, BytesDeserializer, CharDeserializer, EnumAccessDeserializer, F32Deserializer,
        F64Deserializer, I8Deserializer, I16Deserializer, I32Deserializer, I64Deserializer, I128Deserializer,
        MapAccessDeserializer, SeqAccessDeserializer, StrDeserializer, U8Deserializer, U16Deserializer,
        U32Deserializer, U64Deserializer, U128Deserializer, UnitDeserializer,
    };
    use serde::de::{EnumAccess, Error, MapAccess, SeqAccess, Visitor};
    use serde::{Deserialize, Deserializer};

    pub(super) struct Forward<T>(PhantomData<T>);

    impl<T> Forward<T> {
        pub(super) fn new() -> Self {
            Forward(PhantomData)
        }
    }

    macro_rules! forward {
        ($($method:ident $t:ty => $de:ident;)*) => {$(
            fn $method<E: Error>(self, v: $t) -> Result<T, E> {
                T::deserialize($de::<E>::new(v))
            }
        )*};
    }

    impl<'de, T: Deserialize<'de>> Visitor<'de> for Forward<T> {
        type Value = T;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a secret value")
        }

        fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
            T::deserialize(deserializer)
        }

        forward! {
            visit_bool bool => BoolDeserializer;
            visit_i8 i8 => I8Deserializer;
            visit_i16 i16 => I16Deserializer;
            visit_i32 i32 => I32Deserializer;
            visit_i64 i64 => I64Deserializer;
            visit_i128 i128 => I128Deserializer;
            visit_u8 u8 => U8Deserializer;
            visit_u16 u16 => U16Deserializer;
            visit_u32 u32 => U32Deserializer;
            visit_u64 u64 => U64Deserializer;
            visit_u128 u128 => U128Deserializer;
            visit_f32 f32 => F32Deserializer;
            visit_f64 f64 => F64Deserializer;
            visit_char char => CharDeserializer;
            visit_str &str => StrDeserializer;
            visit_bytes &[u8] => BytesDeserializer;
        }

        fn visit_unit<E: Error>(self) -> Result<T, E> {
            T::deserialize(UnitDeserializer::<E>::new())
        }

        fn visit_none<E: Error>(self) -> Result<T, E> {
            T::deserialize(UnitDeserializer::<E>::new())
        }

        fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
            T::deserialize(deserializer)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
            T::deserialize(SeqAccessDeserializer::new(seq))
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::deserialize(MapAccessDeserializer::new(map))
        }

        fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<T, A::Error> {
            T::deserialize(EnumAccessDeserializer::new(data))
        }
    }
}

/// Whether `E` is the error of this crate's own deserializer (`crate::de`),
/// which renders secret failures without the value. (`E` has no `'static`
/// bound, so its `TypeId` is out of reach; a renamed module only makes the
/// messages plainer, never leakier.)
fn is_own_error<E>() -> bool {
    let own_crate = module_path!().split("::").next().unwrap_or_default();
    type_name::<E>().strip_prefix(own_crate).is_some_and(|rest| rest.starts_with("::de::"))
}

/// `alloc::vec::Vec<alloc::string::String>` → `Vec<String>`.
fn short_type_name<T: ?Sized>() -> String {
    let full = type_name::<T>();
    let mut out = String::with_capacity(full.len());
    let mut segment_start = 0;
    for (i, c) in full.char_indices() {
        if !(c.is_alphanumeric() || c == '_' || c == ':') {
            push_last_segment(&mut out, &full[segment_start..i]);
            out.push(c);
            segment_start = i + c.len_utf8();
        }
    }
    push_last_segment(&mut out, &full[segment_start..]);
    out
}

fn push_last_segment(out: &mut String, path: &str) {
    out.push_str(path.rsplit("::").next().unwrap_or(path));
}

thread_local! {
    /// The path of the secret field being deserialized on this thread.
    static NAME: Cell<Option<Arc<str>>> = const { Cell::new(None) };
}

fn current_name() -> Option<Arc<str>> {
    NAME.with(|cell| {
        let name = cell.take();
        cell.set(name.clone());
        name
    })
}

/// Runs `f` (a secret's deserialization) with the secret's path known to
/// `Secret<T>`'s `Deserialize`; the previous name is restored afterwards,
/// even if `f` panics.
pub(crate) fn with_name<R>(name: Option<&str>, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<Arc<str>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let previous = self.0.take();
            NAME.with(|cell| cell.set(previous));
        }
    }
    let previous = NAME.with(|cell| cell.replace(name.map(Arc::from)));
    if previous.is_none() && name.is_none() {
        // No name before nor during `f` (a leaf that is not secret, the
        // common case): every `with_name` inside `f` restores its own, so
        // none is left after it either.
        return f();
    }
    let _restore = Restore(previous);
    f()
}

#[cfg(test)]
pub(crate) mod test_support {
    //! A tracing subscriber that records every event, for tests.

    use std::fmt::{self, Write as _};
    use std::sync::{Arc, Mutex};

    use tracing::field::{Field, Visit};
    use tracing::span::{Attributes, Id, Record};
    use tracing::{Event, Metadata, Subscriber};

    /// One recorded event: its target, level and fields as `name=value`.
    #[derive(Clone, Debug)]
    pub(crate) struct Captured {
        pub(crate) target: String,
        pub(crate) level: tracing::Level,
        pub(crate) fields: Vec<(String, String)>,
    }

    impl Captured {
        pub(crate) fn field(&self, name: &str) -> Option<&str> {
            self.fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
        }

        pub(crate) fn text(&self) -> String {
            let mut text = format!("{} {}", self.level, self.target);
            for (name, value) in &self.fields {
                let _ = write!(text, " {name}={value}");
            }
            text
        }
    }

    #[derive(Clone, Default)]
    pub(crate) struct Recorder(Arc<Mutex<Vec<Captured>>>);

    struct Fields<'a>(&'a mut Vec<(String, String)>);

    impl Visit for Fields<'_> {
        fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
            self.0.push((field.name().to_owned(), format!("{value:?}")));
        }

        fn record_str(&mut self, field: &Field, value: &str) {
            self.0.push((field.name().to_owned(), value.to_owned()));
        }
    }

    impl Subscriber for Recorder {
        fn enabled(&self, _: &Metadata<'_>) -> bool {
            true
        }

        fn new_span(&self, _: &Attributes<'_>) -> Id {
            Id::from_u64(1)
        }

        fn record(&self, _: &Id, _: &Record<'_>) {}

        fn record_follows_from(&self, _: &Id, _: &Id) {}

        fn event(&self, event: &Event<'_>) {
            let mut fields = Vec::new();
            event.record(&mut Fields(&mut fields));
            let meta = event.metadata();
            self.0.lock().unwrap().push(Captured { target: meta.target().to_owned(), level: *meta.level(), fields });
        }

        fn enter(&self, _: &Id) {}

        fn exit(&self, _: &Id) {}
    }

    /// Runs `f`, returning what it returned and every event it emitted on this thread.
    pub(crate) fn capture<R>(f: impl FnOnce() -> R) -> (R, Vec<Captured>) {
        let recorder = Recorder::default();
        let result = tracing::subscriber::with_default(recorder.clone(), f);
        let events = recorder.0.lock().unwrap().clone();
        (result, events)
    }
}

#[cfg(test)]
mod tests {
    use serde::de::value::{Error as ValueError, StrDeserializer, StringDeserializer, U8Deserializer};

    use super::test_support::capture;
    use super::*;

    #[test]
    fn debug_is_redacted_for_every_kind_of_value() {
        assert_eq!(format!("{:?}", Secret::new("hunter2".to_owned())), "[REDACTED]");
        assert_eq!(format!("{:#?}", Secret::new(vec![1_u8, 2, 3])), "[REDACTED]");
        assert_eq!(format!("{:?}", Secret::new(42_u64)), "[REDACTED]");
        assert_eq!(format!("{:?}", Some(Secret::new(-1_i32))), "Some([REDACTED])");
    }

    #[test]
    fn expose_records_the_name_and_the_caller_line_never_the_value() {
        let secret = Secret::named("database.password", "canary-7f3a".to_owned());
        let line = line!() + 1;
        let (value, events) = capture(|| secret.expose().clone());
        assert_eq!(value, "canary-7f3a");
        assert_eq!(events.len(), 1);
        let event = &events[0];
        assert_eq!(event.target, AUDIT_TARGET);
        assert_eq!(event.level, tracing::Level::INFO);
        assert_eq!(event.field("secret"), Some("database.password"));
        assert_eq!(event.field("caller"), Some(format!("{}:{line}", file!()).as_str()));
        assert!(!event.text().contains("canary"));
    }

    #[test]
    fn an_unnamed_secret_is_audited_as_unnamed() {
        let secret = Secret::new(5_u16);
        let (_, events) = capture(|| *secret.expose());
        assert_eq!(events[0].field("secret"), Some("unnamed"));
    }

    #[test]
    fn expose_unaudited_and_debug_emit_nothing() {
        let secret = Secret::new("x".to_owned());
        let ((), events) = capture(|| {
            let _ = secret.expose_unaudited();
            let _ = format!("{secret:?}");
            let _ = secret.clone_secret();
        });
        assert!(events.is_empty());
    }

    #[test]
    fn drop_wipes_the_value() {
        let mut secret = Secret::new(String::from("wipe me"));
        // What `Drop` does, observed before the memory is freed.
        secret.value.zeroize();
        assert!(secret.value.is_empty());
        let mut number = Secret::new(0xdead_beef_u32);
        number.value.zeroize();
        assert_eq!(number.value, 0);
    }

    #[test]
    fn equality_compares_bytes_not_names() {
        assert_eq!(Secret::named("a", "x".to_owned()), Secret::named("b", "x".to_owned()));
        assert_ne!(Secret::new("x".to_owned()), Secret::new("y".to_owned()));
        assert_ne!(Secret::new("x".to_owned()), Secret::new("xx".to_owned()));
        assert_eq!(Secret::new(vec![0_u8; 3]), Secret::new(vec![0_u8; 3]));
    }

    #[test]
    fn deserializes_the_value_and_takes_the_name_in_scope() {
        let secret: Secret<String> =
            with_name(Some("database.uri"), || Secret::deserialize(StrDeserializer::<ValueError>::new("mongodb://x")))
                .unwrap();
        assert_eq!(secret.expose_unaudited(), "mongodb://x");
        assert_eq!(secret.name(), Some("database.uri"));
        let unnamed: Secret<String> =
            with_name(None, || Secret::deserialize(StrDeserializer::<ValueError>::new("x"))).unwrap();
        assert_eq!(unnamed.name(), None);
        // Outside `with_name`, no name leaks from an earlier call.
        let outside = Secret::<u8>::deserialize(U8Deserializer::<ValueError>::new(7)).unwrap();
        assert_eq!(outside.name(), None);
    }

    #[test]
    fn with_name_nests_and_restores_after_a_panic() {
        with_name(Some("outer"), || {
            with_name(Some("inner"), || assert_eq!(current_name().as_deref(), Some("inner")));
            assert_eq!(current_name().as_deref(), Some("outer"));
            let caught = std::panic::catch_unwind(|| with_name(Some("boom"), || panic!("no secret here")));
            assert!(caught.is_err());
            assert_eq!(current_name().as_deref(), Some("outer"));
            with_name(None, || assert_eq!(current_name(), None));
            assert_eq!(current_name().as_deref(), Some("outer"));
        });
        assert_eq!(current_name(), None);
        with_name(None, || with_name(Some("inner"), || assert_eq!(current_name().as_deref(), Some("inner"))));
        let caught = std::panic::catch_unwind(|| with_name(None, || with_name(Some("boom"), || panic!("no secret"))));
        assert!(caught.is_err());
        assert_eq!(current_name(), None, "nothing is left after an unnamed call either");
    }

    #[test]
    fn a_failed_conversion_never_echoes_the_text() {
        let err = Secret::<u32>::deserialize(StringDeserializer::<ValueError>::new("canary-9b1c".to_owned()))
            .unwrap_err()
            .to_string();
        assert_eq!(err, "is not a valid u32");
        let err = Secret::<Vec<String>>::deserialize(StrDeserializer::<ValueError>::new("canary-9b1c"))
            .unwrap_err()
            .to_string();
        assert_eq!(err, "is not a valid Vec<String>");
    }

    #[test]
    fn only_the_crate_s_own_deserializer_errors_pass_through() {
        assert!(!is_own_error::<ValueError>());
        let own = crate::de::from_node::<Secret<u8>>(
            &crate::node::Node::text("300", crate::Origin::Default),
            true,
            "Secret<u8>",
        );
        assert_eq!(own.unwrap_err(), "is out of range for u8 (0 to 255)");
    }

    #[test]
    fn short_type_names_drop_module_paths() {
        assert_eq!(short_type_name::<String>(), "String");
        assert_eq!(short_type_name::<Option<Vec<u8>>>(), "Option<Vec<u8>>");
        assert_eq!(short_type_name::<std::collections::HashMap<String, u16>>(), "HashMap<String, u16>");
    }
}
