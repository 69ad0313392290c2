//! TLS to `https://` endpoints (rustls with the `ring` provider): the CA
//! file is the only trust root, a client certificate and key make it mutual
//! TLS, and every failure is a message naming the file or the endpoint.
//!
//! The files are read when a connection first needs them and again when one
//! of them changed (size or modification time), so a renewed certificate is
//! picked up without a restart. The private key is read into a wiped buffer,
//! decoded from PEM into another wiped buffer, handed to `ring` by
//! reference and never shown: no message quotes a byte of it.

use std::fmt;
use std::io;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rustls::client::ResolvesClientCert;
use rustls::pki_types::pem::{self, PemObject as _};
use rustls::pki_types::{
    CertificateDer, PrivateKeyDer, PrivatePkcs1KeyDer, PrivatePkcs8KeyDer, PrivateSec1KeyDer, ServerName,
};
use rustls::sign::CertifiedKey;
use rustls::{ClientConfig, ClientConnection, RootCertStore, SignatureScheme, StreamOwned};
use zeroize::Zeroizing;

/// The largest CA, certificate or key file read.
const MAX_FILE: u64 = 1 << 20;

/// The TLS files of a source, as given (read when a connection needs them).
#[derive(Clone, Debug, Default)]
pub(crate) struct TlsFiles {
    /// The CA certificates (PEM) that the endpoints' certificates must chain to.
    pub(crate) ca: Option<PathBuf>,
    /// The client certificate chain and its private key (PEM), for mutual TLS.
    pub(crate) identity: Option<(PathBuf, PathBuf)>,
}

impl TlsFiles {
    fn is_set(&self) -> bool {
        self.ca.is_some() || self.identity.is_some()
    }

    fn paths(&self) -> Vec<&Path> {
        let identity = self.identity.iter().flat_map(|(c, k)| [c.as_path(), k.as_path()]);
        self.ca.iter().map(PathBuf::as_path).chain(identity).collect()
    }
}

/// What a connection needs: the rustls configuration and, for messages,
/// where its trust root came from.
pub(crate) struct TlsConfig {
    config: Arc<ClientConfig>,
    ca: PathBuf,
    identity: bool,
}

/// The files and the configuration built from them (rebuilt when a file changed).
#[derive(Default)]
pub(crate) struct Tls {
    pub(crate) files: TlsFiles,
    built: Mutex<Option<(Vec<Stamp>, Arc<TlsConfig>)>>,
}

impl fmt::Debug for Tls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tls").field("files", &self.files).finish_non_exhaustive()
    }
}

/// How a file looked when it was read: size and modification time.
type Stamp = Option<(u64, SystemTime)>;

fn stamp(path: &Path) -> Stamp {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.len(), meta.modified().ok()?))
}

/// One of the three files, for messages.
#[derive(Clone, Copy)]
enum Which {
    Ca,
    Cert,
    Key,
}

impl Which {
    fn label(self, path: &Path) -> String {
        let (what, option) = match self {
            Which::Ca => ("CA file", "`ca_file`, --etcd-ca-file"),
            Which::Cert => ("client certificate", "`client_cert`, --etcd-cert-file"),
            Which::Key => ("client key", "`client_cert`, --etcd-key-file"),
        };
        format!("etcd {what} {} ({option})", path.display())
    }
}

impl Tls {
    pub(crate) fn new(files: TlsFiles) -> Self {
        Tls { files, built: Mutex::new(None) }
    }

    /// The configuration for the `https://` endpoints: `None` when every
    /// endpoint is plain. A TLS file without an `https://` endpoint, or an
    /// `https://` endpoint without a CA file, is an error (nothing is
    /// silently ignored, and no trust root is guessed).
    pub(crate) fn config(&self, endpoints: &[String]) -> Result<Option<Arc<TlsConfig>>, String> {
        let secure = endpoints.iter().find(|e| e.starts_with("https://"));
        let Some(endpoint) = secure else {
            if self.files.is_set() {
                return Err(format!(
                    "etcd: a CA file or client certificate is set but no endpoint is https:// ({}); write the endpoints as https://host:port",
                    endpoints.join(", ")
                ));
            }
            return Ok(None);
        };
        let Some(ca) = &self.files.ca else {
            return Err(format!(
                "etcd endpoint {endpoint}: TLS needs the CA that signed the cluster's certificates: set `ca_file` (--etcd-ca-file on the command line)"
            ));
        };
        self.cached(ca).map(Some)
    }

    fn cached(&self, ca: &Path) -> Result<Arc<TlsConfig>, String> {
        let stamps: Vec<Stamp> = self.files.paths().into_iter().map(stamp).collect();
        let mut built = self.built.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((seen, config)) = built.as_ref()
            && *seen == stamps
            && stamps.iter().all(Option::is_some)
        {
            return Ok(Arc::clone(config));
        }
        let config = Arc::new(TlsConfig {
            config: Arc::new(client_config(ca, self.files.identity.as_ref())?),
            ca: ca.to_owned(),
            identity: self.files.identity.is_some(),
        });
        *built = Some((stamps, Arc::clone(&config)));
        Ok(config)
    }
}

fn client_config(ca: &Path, identity: Option<&(PathBuf, PathBuf)>) -> Result<ClientConfig, String> {
    let roots = roots(ca)?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("etcd: cannot set TLS up: {e}"))?
        .with_root_certificates(roots);
    Ok(match identity {
        None => builder.with_no_client_auth(),
        Some((cert, key)) => builder.with_client_cert_resolver(Arc::new(Identity(certified_key(cert, key)?))),
    })
}

/// Reads one of the files whole into a wiped buffer.
fn read(which: Which, path: &Path) -> Result<Zeroizing<Vec<u8>>, String> {
    use crate::read::ReadError;
    let why = match crate::read::read_unrecorded(path, MAX_FILE) {
        Ok(file) => return Ok(file.bytes),
        Err(ReadError::NotFound) => "no such file".to_owned(),
        Err(ReadError::Loop) => "its symbolic links form a loop".to_owned(),
        Err(ReadError::NotRegular(kind)) => format!("it is {kind}, not a file"),
        Err(ReadError::TooLarge(_)) => format!("it is larger than {MAX_FILE} bytes"),
        Err(ReadError::Io(e)) => e.to_string(),
    };
    Err(format!("cannot read the {}: {why}", which.label(path)))
}

/// The certificates of a PEM file (at least one).
fn certificates(which: Which, path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    let bytes = read(which, path)?;
    let certs = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("the {} is not valid PEM: {}", which.label(path), pem_error(&e)))?;
    if certs.is_empty() {
        return Err(format!(
            "the {} holds no certificate (expected `-----BEGIN CERTIFICATE-----` blocks)",
            which.label(path)
        ));
    }
    Ok(certs)
}

/// What is wrong with a PEM file, without quoting it.
fn pem_error(error: &pem::Error) -> &'static str {
    match error {
        pem::Error::MissingSectionEnd { .. } => "a `-----BEGIN` block has no `-----END` line",
        pem::Error::IllegalSectionStart { .. } => "a `-----BEGIN` line is malformed",
        pem::Error::Base64Decode(_) => "a block is not valid base64",
        pem::Error::SectionTooLarge => "a block is too large",
        _ => "it cannot be parsed",
    }
}

fn roots(ca: &Path) -> Result<RootCertStore, String> {
    let mut roots = RootCertStore::empty();
    for (i, cert) in certificates(Which::Ca, ca)?.into_iter().enumerate() {
        roots.add(cert).map_err(|e| {
            format!("the {}: certificate {} is not a usable CA certificate: {e}", Which::Ca.label(ca), i + 1)
        })?;
    }
    Ok(roots)
}

fn certified_key(cert: &Path, key: &Path) -> Result<Arc<CertifiedKey>, String> {
    let chain = certificates(Which::Cert, cert)?;
    let bytes = read(Which::Key, key)?;
    let (kind, der) = key_block(&bytes).map_err(|why| format!("the {} {why}", Which::Key.label(key)))?;
    let der = match kind {
        KeyKind::Pkcs8 => PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(der.as_slice())),
        KeyKind::Pkcs1 => PrivateKeyDer::Pkcs1(PrivatePkcs1KeyDer::from(der.as_slice())),
        KeyKind::Sec1 => PrivateKeyDer::Sec1(PrivateSec1KeyDer::from(der.as_slice())),
    };
    let signing = rustls::crypto::ring::sign::any_supported_type(&der).map_err(|_| {
        format!("the {} is not a key TLS can use (RSA, ECDSA P-256/P-384 or Ed25519 expected)", Which::Key.label(key))
    })?;
    let certified = CertifiedKey::new(chain, signing);
    match certified.keys_match() {
        Err(rustls::Error::InconsistentKeys(rustls::InconsistentKeys::KeyMismatch)) => {
            Err(format!("the {} does not belong to the {}", Which::Key.label(key), Which::Cert.label(cert)))
        }
        _ => Ok(Arc::new(certified)),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum KeyKind {
    Pkcs8,
    Pkcs1,
    Sec1,
}

impl KeyKind {
    fn of(label: &str) -> Option<KeyKind> {
        match label {
            "PRIVATE KEY" => Some(KeyKind::Pkcs8),
            "RSA PRIVATE KEY" => Some(KeyKind::Pkcs1),
            "EC PRIVATE KEY" => Some(KeyKind::Sec1),
            _ => None,
        }
    }
}

/// The first private key block of a PEM file, decoded into a wiped buffer
/// (other blocks, such as `EC PARAMETERS`, are passed over). The error
/// completes "the etcd client key FILE (…) …" and quotes nothing of the file.
fn key_block(bytes: &[u8]) -> Result<(KeyKind, Zeroizing<Vec<u8>>), &'static str> {
    let text = std::str::from_utf8(bytes).map_err(|_| "is not PEM text")?;
    let mut lines = text.lines().map(str::trim);
    while let Some(line) = lines.next() {
        let Some(label) = line.strip_prefix("-----BEGIN ").and_then(|l| l.strip_suffix("-----")) else { continue };
        if label == "ENCRYPTED PRIVATE KEY" {
            return Err("is encrypted: decrypt it first (`openssl pkey -in KEY -out PLAIN.pem`)");
        }
        if let Some(kind) = KeyKind::of(label) {
            return key_body(&mut lines, label, text.len()).map(|der| (kind, der));
        }
    }
    Err("holds no private key (expected a `-----BEGIN PRIVATE KEY-----` block)")
}

/// The base64 lines of a block up to its end line, decoded.
fn key_body<'a>(
    lines: &mut impl Iterator<Item = &'a str>,
    label: &str,
    size: usize,
) -> Result<Zeroizing<Vec<u8>>, &'static str> {
    // Both buffers are sized up front: no reallocation leaves a copy behind.
    let mut text = Zeroizing::new(Vec::with_capacity(size));
    for line in lines {
        if line.strip_prefix("-----END ").and_then(|l| l.strip_suffix("-----")) == Some(label) {
            let mut der = Zeroizing::new(Vec::with_capacity(size));
            STANDARD
                .decode_vec(text.as_slice(), &mut der)
                .map_err(|_| "is not valid PEM: its key block is not base64")?;
            return Ok(der);
        }
        if line.contains(':') {
            return Err("is encrypted: decrypt it first (`openssl pkey -in KEY -out PLAIN.pem`)");
        }
        text.extend_from_slice(line.as_bytes());
    }
    Err("is not valid PEM: its key block has no `-----END` line")
}

/// The client certificate, offered whenever the server asks.
struct Identity(Arc<CertifiedKey>);

impl fmt::Debug for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Identity(..)")
    }
}

impl ResolvesClientCert for Identity {
    fn resolve(&self, _hints: &[&[u8]], _schemes: &[SignatureScheme]) -> Option<Arc<CertifiedKey>> {
        Some(Arc::clone(&self.0))
    }

    fn has_certs(&self) -> bool {
        true
    }
}

/// A TLS failure: the endpoint answered but the two sides do not trust
/// each other. Not worth a cache fallback (it is a configuration problem).
#[derive(Debug)]
pub(crate) struct Rejected(String);

impl fmt::Display for Rejected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Rejected {}

/// A [`Rejected`] error with `message`.
pub(crate) fn rejected(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, Rejected(message))
}

/// Whether `error` is a TLS rejection ([`Rejected`]).
pub(crate) fn is_rejected(error: &io::Error) -> bool {
    error.get_ref().is_some_and(<dyn std::error::Error + Send + Sync>::is::<Rejected>)
}

impl TlsConfig {
    /// Runs the handshake with `host` over `tcp` (bounded by `timeout` for
    /// every read and write), then leaves `tcp` with `read` and `write` timeouts.
    pub(crate) fn connect(
        &self,
        host: &str,
        mut tcp: TcpStream,
        timeout: Duration,
        read: Option<Duration>,
        write: Duration,
    ) -> io::Result<StreamOwned<ClientConnection, TcpStream>> {
        let name = ServerName::try_from(host.to_owned()).map_err(|_| {
            io::Error::new(io::ErrorKind::InvalidInput, format!("`{host}` is not a host name or IP address"))
        })?;
        let mut conn = ClientConnection::new(Arc::clone(&self.config), name).map_err(|e| self.error(host, &e))?;
        tcp.set_read_timeout(Some(timeout))?;
        tcp.set_write_timeout(Some(timeout))?;
        while conn.is_handshaking() {
            conn.complete_io(&mut tcp).map_err(|e| match e.kind() {
                io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!("no TLS handshake within {} ms (the request timeout)", timeout.as_millis()),
                ),
                _ => self.io_error(host, e),
            })?;
        }
        tcp.set_read_timeout(read)?;
        tcp.set_write_timeout(Some(write))?;
        Ok(StreamOwned::new(conn, tcp))
    }

    /// A TLS error inside `error` becomes a [`Rejected`] naming the reason;
    /// others stay as they are.
    pub(crate) fn io_error(&self, host: &str, error: io::Error) -> io::Error {
        let tls = error.get_ref().and_then(|inner| inner.downcast_ref::<rustls::Error>());
        match tls {
            Some(tls) => self.error(host, tls),
            None if super::http::is_cut(&error) && !self.identity => rejected(format!(
                "the server closed the TLS connection ({error}); if the cluster requires client certificates, set `client_cert` (--etcd-cert-file, --etcd-key-file)"
            )),
            None => error,
        }
    }

    fn error(&self, host: &str, error: &rustls::Error) -> io::Error {
        rejected(format!("TLS handshake failed: {}", self.reason(host, error)))
    }

    fn reason(&self, host: &str, error: &rustls::Error) -> String {
        use rustls::{AlertDescription as Alert, CertificateError as Cert, Error};
        let ca = self.ca.display();
        match error {
            Error::InvalidCertificate(Cert::UnknownIssuer | Cert::BadSignature) => {
                format!("the server's certificate is not signed by a CA in {ca} ({error})")
            }
            Error::InvalidCertificate(Cert::NotValidForName | Cert::NotValidForNameContext { .. }) => {
                format!("the server's certificate is not valid for `{host}` ({error})")
            }
            Error::AlertReceived(
                Alert::BadCertificate | Alert::CertificateRequired | Alert::UnknownCA | Alert::CertificateUnknown,
            ) => self.refused_identity(error),
            Error::InvalidMessage(_) | Error::InappropriateMessage { .. } => {
                format!("the endpoint does not speak TLS ({error}); use http:// for a plain endpoint")
            }
            _ => error.to_string(),
        }
    }

    fn refused_identity(&self, error: &rustls::Error) -> String {
        if self.identity {
            format!("the server refused the client certificate ({error}); is it signed by a CA the cluster trusts?")
        } else {
            format!(
                "the server requires a client certificate ({error}); set `client_cert` (--etcd-cert-file, --etcd-key-file)"
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = "MC4CAQAwBQYDK2VwBCIEIAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g";

    #[test]
    fn a_key_block_is_found_after_other_blocks() {
        let pem = format!(
            "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n-----BEGIN PRIVATE KEY-----\n{BODY}\n-----END PRIVATE KEY-----\n"
        );
        let (kind, der) = key_block(pem.as_bytes()).expect("a key");
        assert_eq!(kind, KeyKind::Pkcs8);
        assert_eq!(der.as_slice(), STANDARD.decode(BODY).expect("base64").as_slice());
        assert!(rustls::crypto::ring::sign::any_supported_type(&PrivateKeyDer::Pkcs8(der.as_slice().into())).is_ok());
    }

    #[test]
    fn bad_key_files_say_why_without_quoting_them() {
        let cases = [
            ("", "holds no private key"),
            ("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "holds no private key"),
            ("-----BEGIN PRIVATE KEY-----\nMC4CAQAw\n", "has no `-----END` line"),
            ("-----BEGIN PRIVATE KEY-----\nMC4*AQAw\n-----END PRIVATE KEY-----\n", "is not base64"),
            ("-----BEGIN ENCRYPTED PRIVATE KEY-----\nMC4C\n-----END ENCRYPTED PRIVATE KEY-----\n", "is encrypted"),
            (
                "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\nMC4C\n-----END RSA PRIVATE KEY-----\n",
                "is encrypted",
            ),
        ];
        for (pem, expected) in cases {
            let error = key_block(pem.as_bytes()).expect_err(pem);
            assert!(error.contains(expected), "{pem:?}: {error}");
            assert!(!error.contains("MC4"), "{error}");
        }
        assert!(key_block(&[0xff, 0xfe]).expect_err("not text").contains("not PEM text"));
    }

    #[test]
    fn tls_files_need_an_https_endpoint_and_https_needs_a_ca() {
        let plain = vec!["127.0.0.1:2379".to_owned()];
        let secure = vec!["https://127.0.0.1:2379".to_owned()];
        assert!(Tls::default().config(&plain).expect("plain").is_none());
        let error = Tls::default().config(&secure).err().expect("no CA");
        assert!(error.contains("https://127.0.0.1:2379") && error.contains("--etcd-ca-file"), "{error}");
        let files = TlsFiles { ca: Some("/nonexistent/ca.pem".into()), identity: None };
        let error = Tls::new(files.clone()).config(&plain).err().expect("unused CA");
        assert!(error.contains("no endpoint is https://"), "{error}");
        let error = Tls::new(files).config(&secure).err().expect("missing CA");
        assert!(error.contains("/nonexistent/ca.pem") && error.contains("no such file"), "{error}");
    }
}
