//! Secrets. PLACEHOLDER: being written.

use std::cell::Cell;

use crate::node::Node;

/// The keys that decrypt `enc:v1:` values.
#[derive(Default)]
pub struct KeyRing {}

/// Decodes a `base64:` or `enc:v1:` secret node; `Ok(None)` when it is plain.
pub(crate) fn decode_node(node: &Node, keys: &KeyRing) -> Result<Option<Node>, String> {
    let _ = (node, keys);
    Ok(None)
}

thread_local! {
    static NAME: Cell<Option<*const str>> = const { Cell::new(None) };
}

/// Runs `f` (a secret's deserialization) with the secret's path known to `Secret<T>`.
pub(crate) fn with_name<R>(name: Option<&str>, f: impl FnOnce() -> R) -> R {
    let _ = name;
    f()
}

/// Reads a secret file (`NAME_FILE`, secrets folder): size-capped, regular
/// files only, one trailing newline trimmed. The error never holds the content.
pub(crate) fn read_secret_file(path: &std::path::Path, limits: &crate::Limits) -> Result<String, String> {
    let _ = limits;
    let mut text =
        std::fs::read_to_string(path).map_err(|e| format!("cannot read secret file {}: {e}", path.display()))?;
    if text.ends_with('\n') {
        text.pop();
        if text.ends_with('\r') {
            text.pop();
        }
    }
    Ok(text)
}

impl KeyRing {
    /// The key ring configured by variables, looked up with `lookup`.
    pub(crate) fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<KeyRing, String> {
        let _ = lookup;
        Ok(KeyRing {})
    }
}

/// PLACEHOLDER
#[derive(serde::Deserialize)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    /// The value, without an audit event: for the crate's own rule checks.
    pub(crate) fn expose_unaudited(&self) -> &T {
        &self.0
    }
}
