//! etcd's v3 JSON gateway (`/v3/kv/range`, `/v3/kv/txn`, `/v3/watch`, …)
//! over [`http`](super::http): keys and values travel base64-encoded,
//! 64-bit numbers as strings. Each call tries the endpoints in turn,
//! starting from the last one that answered.

use std::fmt::Write as _;
use std::io::{self, BufRead, BufReader};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

use super::http::{Body, Request};
use super::tls::{self, Tls, TlsConfig, TlsFiles};

/// Where and how to reach a cluster.
#[derive(Clone, Debug)]
pub(crate) struct Settings {
    pub(crate) endpoints: Vec<String>,
    pub(crate) user: Option<(String, String)>,
    pub(crate) connect_timeout: Duration,
    pub(crate) request_timeout: Duration,
    pub(crate) tls: TlsFiles,
}

/// One key and its value at a revision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct KeyValue {
    pub(crate) key: String,
    pub(crate) value: String,
    pub(crate) mod_revision: i64,
}

/// What a range read: the store's revision and the keys.
#[derive(Clone, Debug)]
pub(crate) struct Snapshot {
    pub(crate) endpoint: String,
    pub(crate) revision: i64,
    pub(crate) kvs: Vec<KeyValue>,
}

/// A client of one cluster.
#[derive(Debug)]
pub(crate) struct Client {
    pub(crate) settings: Settings,
    preferred: AtomicUsize,
    token: Mutex<Option<String>>,
    tls: Tls,
}

/// What a call failed with: the cluster said no (`Refused`), or no
/// endpoint answered (`Unreachable`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum CallError {
    Refused(String),
    Unreachable(String),
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CallError::Refused(m) | CallError::Unreachable(m) => f.write_str(m),
        }
    }
}

impl Client {
    pub(crate) fn new(settings: Settings) -> Self {
        let tls = Tls::new(settings.tls.clone());
        Client { settings, preferred: AtomicUsize::new(0), token: Mutex::new(None), tls }
    }

    /// Every key starting with `prefix` (or exactly `key` when `exact`).
    pub(crate) fn range(&self, key: &str, exact: bool) -> Result<Snapshot, CallError> {
        let mut body = json!({ "key": b64(key) });
        if !exact {
            body["range_end"] = Value::String(STANDARD.encode(prefix_end(key)));
        }
        let (endpoint, reply) = self.call("/v3/kv/range", &body)?;
        let revision = header_revision(&reply);
        let kvs = reply.get("kvs").and_then(Value::as_array).map(|kvs| kvs.iter().filter_map(key_value).collect());
        Ok(Snapshot { endpoint, revision, kvs: kvs.unwrap_or_default() })
    }

    /// Writes every pair in one transaction (one revision); returns it.
    pub(crate) fn put_all(&self, pairs: &[(String, String)]) -> Result<i64, CallError> {
        let puts: Vec<Value> =
            pairs.iter().map(|(k, v)| json!({ "request_put": { "key": b64(k), "value": b64(v) } })).collect();
        let (_, reply) = self.call("/v3/kv/txn", &json!({ "success": puts }))?;
        Ok(header_revision(&reply))
    }

    /// Deletes every key under `prefix`.
    pub(crate) fn delete_prefix(&self, prefix: &str) -> Result<i64, CallError> {
        let body = json!({ "key": b64(prefix), "range_end": STANDARD.encode(prefix_end(prefix)) });
        let (_, reply) = self.call("/v3/kv/deleterange", &body)?;
        Ok(header_revision(&reply))
    }

    /// Opens a watch of `key` (a prefix unless `exact`) from `start`.
    pub(crate) fn watch(&self, key: &str, exact: bool, start: i64, idle: Duration) -> Result<WatchStream, CallError> {
        let mut create = json!({ "key": b64(key), "start_revision": start.to_string() });
        if !exact {
            create["range_end"] = Value::String(STANDARD.encode(prefix_end(key)));
        }
        let body = json!({ "create_request": create }).to_string();
        let tls = self.tls_config()?;
        let mut errors = Vec::new();
        let mut rejected = false;
        for endpoint in self.order() {
            let token = self.token_for(&endpoint, tls.as_deref()).map_err(|e| CallError::Refused(e.to_string()))?;
            let request = Request {
                endpoint: &endpoint,
                tls: tls.as_deref(),
                handshake_timeout: self.settings.request_timeout,
                path: "/v3/watch",
                body: &body,
                token: token.as_deref(),
                connect_timeout: self.settings.connect_timeout,
                read_timeout: Some(idle),
            };
            match request.send() {
                Ok(response) if response.status == 200 => {
                    return Ok(WatchStream { endpoint, lines: BufReader::new(response.body) });
                }
                Ok(response) => {
                    self.forget_token(); // an expired token is the usual cause
                    errors.push(format!("{endpoint}: HTTP {}", response.status));
                }
                Err(e) => {
                    rejected |= tls::is_rejected(&e);
                    errors.push(format!("{endpoint}: {e}"));
                }
            }
        }
        Err(self.failed(&errors, rejected))
    }

    /// Endpoints, the last one that answered first.
    fn order(&self) -> Vec<String> {
        let n = self.settings.endpoints.len();
        let first = self.preferred.load(Ordering::Relaxed) % n.max(1);
        (0..n).map(|i| self.settings.endpoints[(first + i) % n].clone()).collect()
    }

    /// The TLS configuration of the `https://` endpoints (`None`: all
    /// plain); a TLS file that cannot be used is a refusal (no endpoint is
    /// tried, no cache is used).
    fn tls_config(&self) -> Result<Option<std::sync::Arc<TlsConfig>>, CallError> {
        self.tls.config(&self.settings.endpoints).map_err(CallError::Refused)
    }

    fn call(&self, path: &str, body: &Value) -> Result<(String, Value), CallError> {
        let tls = self.tls_config()?;
        let body = body.to_string();
        let mut errors = Vec::new();
        let mut rejected = false;
        for endpoint in self.order() {
            match self.call_one(&endpoint, tls.as_deref(), path, &body) {
                Ok(Ok(reply)) => {
                    self.prefer(&endpoint);
                    return Ok((endpoint, reply));
                }
                Ok(Err(refused)) => return Err(CallError::Refused(format!("etcd {endpoint}: {refused}"))),
                Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
                    return Err(CallError::Refused(format!("etcd {endpoint}: {e}")));
                }
                Err(e) => {
                    rejected |= tls::is_rejected(&e);
                    errors.push(format!("{endpoint}: {e}"));
                }
            }
        }
        Err(self.failed(&errors, rejected))
    }

    /// Every endpoint failed: unreachable, or refused when one of them
    /// rejected the TLS connection (a configuration problem: no cache
    /// fallback hides it).
    fn failed(&self, errors: &[String], rejected: bool) -> CallError {
        let endpoints = self.settings.endpoints.join(", ");
        let mut message = if rejected {
            format!("etcd: no endpoint accepts the TLS connection ({endpoints})")
        } else {
            let timeout = self.settings.connect_timeout.as_millis();
            format!("etcd: no endpoint answers ({endpoints}; connect timeout {timeout} ms)")
        };
        for error in errors {
            let _ = write!(message, "; {error}");
        }
        if rejected { CallError::Refused(message) } else { CallError::Unreachable(message) }
    }

    fn prefer(&self, endpoint: &str) {
        if let Some(i) = self.settings.endpoints.iter().position(|e| e == endpoint) {
            self.preferred.store(i, Ordering::Relaxed);
        }
    }

    /// `Ok(Err(..))`: the endpoint answered with an error (no use trying
    /// another); `Err(..)`: it did not answer.
    fn call_one(
        &self,
        endpoint: &str,
        tls: Option<&TlsConfig>,
        path: &str,
        body: &str,
    ) -> io::Result<Result<Value, String>> {
        let token = self.token_for(endpoint, tls)?;
        let reply = self.post(endpoint, tls, path, body, token.as_deref())?;
        if let Some(message) = gateway_error(&reply) {
            if message.contains("token") && token.is_some() {
                self.forget_token();
            }
            if message.contains("no leader") || message.contains("timed out") || message.contains("stopped") {
                return Err(io::Error::other(message));
            }
            return Ok(Err(message));
        }
        Ok(Ok(reply))
    }

    fn post(
        &self,
        endpoint: &str,
        tls: Option<&TlsConfig>,
        path: &str,
        body: &str,
        token: Option<&str>,
    ) -> io::Result<Value> {
        let request = Request {
            endpoint,
            tls,
            handshake_timeout: self.settings.request_timeout,
            path,
            body,
            token,
            connect_timeout: self.settings.connect_timeout,
            read_timeout: Some(self.settings.request_timeout),
        };
        let response = request.send()?;
        let status = response.status;
        let text = response.text()?;
        serde_json::from_str(&text).map_err(|_| io::Error::other(format!("HTTP {status}: not JSON")))
    }

    /// Drops the cached auth token (simple tokens expire): the next call
    /// authenticates again.
    pub(crate) fn forget_token(&self) {
        *self.token.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = None;
    }

    /// The auth token when a user is set (one `authenticate` per token).
    fn token_for(&self, endpoint: &str, tls: Option<&TlsConfig>) -> io::Result<Option<String>> {
        let Some((name, password)) = &self.settings.user else { return Ok(None) };
        let mut token = self.token.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if token.is_none() {
            let body = json!({ "name": name, "password": password }).to_string();
            let reply = self.post(endpoint, tls, "/v3/auth/authenticate", &body, None)?;
            let got = reply.get("token").and_then(Value::as_str).ok_or_else(|| {
                let why = gateway_error(&reply).unwrap_or_else(|| "no token in the reply".to_owned());
                io::Error::new(io::ErrorKind::PermissionDenied, format!("authentication as `{name}` failed: {why}"))
            })?;
            *token = Some(got.to_owned());
        }
        Ok(token.clone())
    }
}

/// An open watch: one JSON message per line.
pub(crate) struct WatchStream {
    pub(crate) endpoint: String,
    lines: BufReader<Body>,
}

/// One message of a watch stream.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum WatchMessage {
    /// The watch is set up.
    Created,
    /// Keys changed at `revision` (one transaction, one message).
    Changed { revision: i64 },
    /// The start revision was compacted away; resume from `compact_revision`.
    Compacted { compact_revision: i64 },
    /// The server ended the watch.
    Canceled(String),
}

impl WatchStream {
    /// The next message; an error when the stream breaks or stays idle
    /// past the idle bound.
    pub(crate) fn next(&mut self) -> io::Result<WatchMessage> {
        loop {
            let mut line = String::new();
            if self.lines.read_line(&mut line)? == 0 {
                return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the watch stream ended"));
            }
            if line.trim().is_empty() {
                continue;
            }
            let value: Value =
                serde_json::from_str(&line).map_err(|_| io::Error::other("a watch message is not JSON"))?;
            if let Some(message) = watch_message(&value) {
                return Ok(message);
            }
        }
    }
}

fn watch_message(value: &Value) -> Option<WatchMessage> {
    if let Some(message) = gateway_error(value) {
        return Some(WatchMessage::Canceled(message));
    }
    let result = value.get("result")?;
    let compact = number(result.get("compact_revision"));
    if compact > 0 {
        return Some(WatchMessage::Compacted { compact_revision: compact });
    }
    if result.get("canceled").and_then(Value::as_bool) == Some(true) {
        let reason = result.get("cancel_reason").and_then(Value::as_str).unwrap_or("canceled");
        return Some(WatchMessage::Canceled(reason.to_owned()));
    }
    if result.get("created").and_then(Value::as_bool) == Some(true) {
        return Some(WatchMessage::Created);
    }
    let events = result.get("events").and_then(Value::as_array).map_or(0, Vec::len);
    (events > 0).then(|| WatchMessage::Changed { revision: header_revision(result) })
}

fn gateway_error(reply: &Value) -> Option<String> {
    let error = reply.get("error")?;
    let message = reply.get("message").and_then(Value::as_str).or_else(|| error.as_str()).unwrap_or("error");
    Some(message.to_owned())
}

fn header_revision(reply: &Value) -> i64 {
    number(reply.get("header").and_then(|h| h.get("revision")))
}

fn number(value: Option<&Value>) -> i64 {
    match value {
        Some(Value::String(s)) => s.parse().unwrap_or(0),
        Some(Value::Number(n)) => n.as_i64().unwrap_or(0),
        _ => 0,
    }
}

fn key_value(kv: &Value) -> Option<KeyValue> {
    let decode = |field: &str| -> Option<String> {
        let text = kv.get(field).and_then(Value::as_str).unwrap_or("");
        String::from_utf8(STANDARD.decode(text).ok()?).ok()
    };
    Some(KeyValue { key: decode("key")?, value: decode("value")?, mod_revision: number(kv.get("mod_revision")) })
}

fn b64(text: &str) -> String {
    STANDARD.encode(text)
}

/// The first key after every key starting with `prefix`.
fn prefix_end(prefix: &str) -> Vec<u8> {
    let mut end = prefix.as_bytes().to_vec();
    while let Some(last) = end.pop() {
        if last < 0xff {
            end.push(last + 1);
            return end;
        }
    }
    vec![0]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_end_is_the_next_key() {
        assert_eq!(prefix_end("/a/"), b"/a0");
        assert_eq!(prefix_end(""), [0]);
    }

    #[test]
    fn watch_messages_are_read() {
        let created = json!({"result": {"header": {"revision": "5"}, "created": true}});
        assert_eq!(watch_message(&created), Some(WatchMessage::Created));
        let changed = json!({"result": {"header": {"revision": "7"}, "events": [{"kv": {}}]}});
        assert_eq!(watch_message(&changed), Some(WatchMessage::Changed { revision: 7 }));
        let compacted = json!({"result": {"header": {}, "compact_revision": "9", "canceled": true}});
        assert_eq!(watch_message(&compacted), Some(WatchMessage::Compacted { compact_revision: 9 }));
        assert_eq!(watch_message(&json!({"result": {"header": {}}})), None);
    }
}
