//! The last good keys of an [`EtcdSource`](super::EtcdSource), kept in a
//! local file for a start-up without the cluster.
//!
//! The file is JSON (`{"key": …, "endpoint": …, "revision": …, "kvs": [[key,
//! value, revision], …]}`), written to a temporary file and renamed, mode
//! 0600: values of secret fields are stored as they are in etcd (`enc:v1:`
//! ciphertext or `base64:`), so the file is as sensitive as the cluster.

use std::path::Path;

use serde_json::{Value, json};

use super::client::{KeyValue, Snapshot};

/// Writes the snapshot; a failure to write is logged, never fatal (the
/// cluster answered, the load goes on).
pub(super) fn write(path: &Path, key: &str, snapshot: &Snapshot) {
    let kvs: Vec<Value> = snapshot.kvs.iter().map(|kv| json!([kv.key, kv.value, kv.mod_revision])).collect();
    let doc = json!({ "key": key, "endpoint": snapshot.endpoint, "revision": snapshot.revision, "kvs": kvs });
    if let Err(error) = write_private(path, doc.to_string().as_bytes()) {
        tracing::warn!(path = %path.display(), %error, "cannot write the etcd cache file");
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let tmp = path.with_extension("tmp");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&tmp, path)
}

/// The cached snapshot of `key`; `None` when missing, unreadable or of
/// another key.
pub(super) fn read(path: &Path, key: &str) -> Option<Snapshot> {
    let text = std::fs::read_to_string(path).ok()?;
    let doc: Value = serde_json::from_str(&text).ok()?;
    if doc.get("key")?.as_str()? != key {
        return None;
    }
    let kvs = doc.get("kvs")?.as_array()?.iter().map(entry).collect::<Option<Vec<_>>>()?;
    Some(Snapshot { endpoint: String::new(), revision: doc.get("revision")?.as_i64()?, kvs })
}

fn entry(value: &Value) -> Option<KeyValue> {
    let [key, value, revision] = value.as_array()?.as_slice() else { return None };
    Some(KeyValue {
        key: key.as_str()?.to_owned(),
        value: value.as_str()?.to_owned(),
        mod_revision: revision.as_i64()?,
    })
}
