//! One etcd member serving its clients over TLS only, with client
//! certificates required: a throwaway CA, a server certificate for the IP
//! 127.0.0.1 and a client certificate, made by the `openssl` command line
//! into a temporary folder (with a second, unrelated CA for the "wrong CA"
//! cases). Free 127.0.0.1 ports, killed on drop, every wait bounded.

#![allow(dead_code, unreachable_pub)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use super::etcd_cluster::{START_WAIT, free_port, need, retried_ctl};

/// The certificates, in a temporary folder.
pub struct Pki {
    dir: tempfile::TempDir,
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl").current_dir(dir).args(args).output().expect("`openssl` runs (/usr/bin/openssl)");
    assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

impl Pki {
    /// A CA, a server certificate (IP SAN 127.0.0.1; server and client
    /// use: etcd's JSON gateway dials the member with it), a client
    /// certificate, and another CA that signed nothing here.
    pub fn new() -> Pki {
        let pki = Pki { dir: tempfile::tempdir().expect("a folder for the certificates") };
        pki.ca("ca");
        pki.ca("other-ca");
        pki.signed("server", "etcd", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n");
        pki.signed("client", "phoenix", "extendedKeyUsage=clientAuth\n");
        pki
    }

    fn ca(&self, name: &str) {
        let subject = format!("/CN=phoenix test {name}");
        let (key, cert) = (format!("{name}.key"), format!("{name}.pem"));
        openssl(
            self.dir.path(),
            &[
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                &key,
                "-out",
                &cert,
                "-days",
                "2",
                "-subj",
                &subject,
            ],
        );
    }

    fn signed(&self, name: &str, common_name: &str, extensions: &str) {
        let ext = format!("{name}.ext");
        std::fs::write(
            self.dir.path().join(&ext),
            format!("basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\n{extensions}"),
        )
        .expect("the extensions file");
        let (key, csr, cert) = (format!("{name}.key"), format!("{name}.csr"), format!("{name}.pem"));
        let subject = format!("/CN={common_name}");
        openssl(
            self.dir.path(),
            &[
                "req",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                &key,
                "-out",
                &csr,
                "-subj",
                &subject,
            ],
        );
        openssl(
            self.dir.path(),
            &[
                "x509",
                "-req",
                "-in",
                &csr,
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                &cert,
                "-days",
                "2",
                "-extfile",
                &ext,
            ],
        );
    }

    /// A file of the folder: `ca.pem`, `other-ca.pem`, `server.pem`,
    /// `server.key`, `client.pem`, `client.key`.
    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes `text` to a new file of the folder.
    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.file(name);
        std::fs::write(&path, text).expect("a file in the certificate folder");
        path
    }
}

/// One member, clients over TLS with client certificates required; killed
/// when dropped.
pub struct TlsNode {
    pub pki: Pki,
    client: u16,
    child: Child,
    data: tempfile::TempDir,
}

impl TlsNode {
    /// Starts the member and waits (bounded) until it answers over TLS.
    pub fn start() -> TlsNode {
        need("etcd", "--version");
        need("etcdctl", "version");
        let pki = Pki::new();
        let (client, peer) = (free_port(), free_port());
        let data = tempfile::tempdir().expect("a data folder");
        let log = std::fs::File::create(data.path().join("etcd.log")).expect("a log file");
        let client_url = format!("https://127.0.0.1:{client}");
        let peer_url = format!("http://127.0.0.1:{peer}");
        let child = Command::new("etcd")
            .args(["--name", "tls", "--data-dir"])
            .arg(data.path().join("data"))
            .args(["--listen-client-urls", &client_url, "--advertise-client-urls", &client_url])
            .args(["--listen-peer-urls", &peer_url, "--initial-advertise-peer-urls", &peer_url])
            .args(["--initial-cluster", &format!("tls={peer_url}"), "--initial-cluster-state", "new"])
            .arg("--cert-file")
            .arg(pki.file("server.pem"))
            .arg("--key-file")
            .arg(pki.file("server.key"))
            .arg("--trusted-ca-file")
            .arg(pki.file("ca.pem"))
            .args(["--client-cert-auth", "--unsafe-no-fsync", "--log-level", "warn"])
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("etcd starts");
        let node = TlsNode { pki, client, child, data };
        node.wait_healthy();
        node
    }

    /// `https://127.0.0.1:port`.
    pub fn endpoint(&self) -> String {
        format!("https://127.0.0.1:{}", self.client)
    }

    fn wait_healthy(&self) {
        let deadline = Instant::now() + START_WAIT;
        loop {
            let out = self.ctl_once(&["endpoint", "health"]);
            if out.status.success() {
                return;
            }
            let log = std::fs::read_to_string(self.data.path().join("etcd.log")).unwrap_or_default();
            assert!(
                Instant::now() < deadline,
                "the TLS etcd member is not healthy within {START_WAIT:?}: {}\n{log}",
                String::from_utf8_lossy(&out.stderr)
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn ctl_once(&self, args: &[&str]) -> Output {
        Command::new("etcdctl")
            .env("ETCDCTL_API", "3")
            .args(["--endpoints", &self.endpoint(), "--dial-timeout", "2s", "--command-timeout", "5s"])
            .arg("--cacert")
            .arg(self.pki.file("ca.pem"))
            .arg("--cert")
            .arg(self.pki.file("client.pem"))
            .arg("--key")
            .arg(self.pki.file("client.key"))
            .args(args)
            .output()
            .expect("etcdctl runs")
    }

    /// Runs etcdctl over TLS (tried again until the start wait passed:
    /// every command here is idempotent); panics with its error.
    pub fn ctl(&self, args: &[&str]) -> String {
        retried_ctl(args, || self.ctl_once(args))
    }

    pub fn put(&self, key: &str, value: &str) {
        self.ctl(&["put", key, value]);
    }
}

impl Drop for TlsNode {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
