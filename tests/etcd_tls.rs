//! `EtcdSource` over TLS against a real etcd member that requires client
//! certificates (`--client-cert-auth`), its CA and certificates made by
//! `openssl` for the test: a load and a watch over mutual TLS, the command
//! line's TLS flags, and every TLS failure as a clear error. Needs `etcd`,
//! `etcdctl` (`bash .ci/etcd-install`) and `openssl`; never skipped.

mod common;
mod etcd_cluster;
#[path = "etcd_cluster/tls.rs"]
mod tls_node;

use std::time::Duration;

use common::Scratch;
use etcd_cluster::eventually;
use phoenix_config::etcd::EtcdSource;
use phoenix_config::{PhoenixConfig, WatchOptions};
use tls_node::{Pki, TlsNode};

#[derive(PhoenixConfig)]
struct Settings {
    #[config(default = 1)]
    level: u32,
    #[config(default = "svc")]
    name: String,
}

const WAIT: Duration = Duration::from_secs(30);
const FAST: WatchOptions = WatchOptions {
    poll_interval: Duration::from_millis(10),
    debounce: Duration::from_millis(20),
    max_wait: Duration::from_secs(2),
};

/// Generous bounds: a TLS handshake on a loaded 2-core machine.
fn bounded(source: EtcdSource) -> EtcdSource {
    source.connect_timeout(Duration::from_secs(2)).request_timeout(Duration::from_secs(10))
}

/// The node's prefix over mutual TLS.
fn source(node: &TlsNode) -> EtcdSource {
    bounded(EtcdSource::prefix([node.endpoint()], "/phoenix/{environment}/"))
        .ca_file(node.pki.file("ca.pem"))
        .client_cert(node.pki.file("client.pem"), node.pki.file("client.key"))
}

fn scratch() -> Scratch {
    let s = Scratch::new();
    s.write("config/base.yaml", "name: from-file\n");
    s
}

/// The error of a load through `etcd`, with its Debug form and the source's.
fn failure(s: &Scratch, etcd: EtcdSource) -> String {
    let shown = format!("{etcd:?}");
    let error = s.loader(&[]).source(etcd).load::<Settings>().expect_err("the load fails");
    format!("{error}\n{error:?}\n{shown}")
}

#[test]
fn a_load_and_a_watch_work_over_mutual_tls() {
    let node = TlsNode::start();
    node.put("/phoenix/testing/level", "7");
    let s = scratch();
    let loaded = s.loader(&[]).source(source(&node)).load_with_origins::<Settings>().expect("loads over TLS");
    assert_eq!(loaded.config().level, 7);
    assert_eq!(loaded.config().name, "from-file");
    let origin = loaded.origin("level").expect("an origin").to_string();
    assert!(origin.starts_with(&format!("etcd {} /phoenix/testing/level @ revision ", node.endpoint())), "{origin}");

    let etcd = source(&node);
    let watcher = s.loader(&[]).source(etcd.clone()).watch_with::<Settings>(FAST).expect("the first load works");
    eventually("the watch stream connects over TLS", WAIT, || etcd.status().connected.is_some());
    node.put("/phoenix/testing/level", "8");
    eventually("the put reaches the config over TLS", WAIT, || watcher.current().level == 8);
    assert_eq!(etcd.status().connected.as_deref(), Some(node.endpoint().as_str()));
    assert_eq!(etcd.status().last_error, None);
}

#[test]
fn tls_failures_name_the_endpoint_and_the_reason() {
    let node = TlsNode::start();
    node.put("/phoenix/testing/level", "7");
    let s = scratch();
    let ep = node.endpoint();
    let cert = || (node.pki.file("client.pem"), node.pki.file("client.key"));
    let other_ca = node.pki.file("other-ca.pem");

    // A good load writes the cache; a TLS rejection never falls back to it.
    let cache = s.path().join("etcd-cache.json");
    s.loader(&[]).source(source(&node).cache_file(&cache)).load::<Settings>().expect("a good load");
    let wrong_ca = bounded(EtcdSource::prefix([ep.clone()], "/phoenix/{environment}/"))
        .ca_file(&other_ca)
        .client_cert(cert().0, cert().1)
        .cache_file(&cache);
    let text = failure(&s, wrong_ca);
    assert!(text.contains(&format!("{ep}: TLS handshake failed")), "{text}");
    assert!(text.contains(&format!("not signed by a CA in {}", other_ca.display())), "{text}");
    assert!(text.contains("no endpoint accepts the TLS connection"), "{text}");

    let anonymous =
        bounded(EtcdSource::prefix([ep.clone()], "/phoenix/{environment}/")).ca_file(node.pki.file("ca.pem"));
    let text = failure(&s, anonymous);
    assert!(text.contains(&format!("{ep}: ")), "{text}");
    assert!(text.contains("client certificate") && text.contains("--etcd-cert-file"), "{text}");

    let port = ep.rsplit(':').next().expect("a port");
    let by_name = bounded(EtcdSource::prefix([format!("https://localhost:{port}")], "/phoenix/{environment}/"))
        .ca_file(node.pki.file("ca.pem"))
        .client_cert(cert().0, cert().1);
    let text = failure(&s, by_name);
    assert!(text.contains("the server's certificate is not valid for `localhost`"), "{text}");

    let no_ca = bounded(EtcdSource::prefix([ep.clone()], "/phoenix/{environment}/"));
    let text = failure(&s, no_ca);
    assert!(text.contains(&format!("etcd endpoint {ep}: TLS needs")) && text.contains("--etcd-ca-file"), "{text}");

    // The CA file is read again when it changes (a renewed CA or certificate).
    let rotating =
        node.pki.write("rotating-ca.pem", &std::fs::read_to_string(node.pki.file("ca.pem")).expect("the CA"));
    let renewed = bounded(EtcdSource::prefix([ep.clone()], "/phoenix/{environment}/"))
        .ca_file(&rotating)
        .client_cert(cert().0, cert().1);
    s.loader(&[]).source(renewed.clone()).load::<Settings>().expect("the right CA");
    std::fs::write(&rotating, std::fs::read(&other_ca).expect("the other CA")).expect("the CA replaced");
    let text = failure(&s, renewed);
    assert!(text.contains(&format!("not signed by a CA in {}", rotating.display())), "{text}");

    let plain = bounded(EtcdSource::prefix([ep.replace("https://", "")], "/phoenix/{environment}/"));
    let text = failure(&s, plain);
    assert!(text.contains("if the endpoint serves TLS, write it as https://host:port"), "{text}");
}

#[test]
fn bad_tls_files_are_errors_naming_the_file_and_never_showing_the_key() {
    let node = TlsNode::start();
    let s = scratch();
    let ep = node.endpoint();
    let with = |ca: &std::path::Path, cert: &std::path::Path, key: &std::path::Path| {
        bounded(EtcdSource::prefix([ep.clone()], "/phoenix/{environment}/")).ca_file(ca).client_cert(cert, key)
    };
    let (ca, cert, key) = (node.pki.file("ca.pem"), node.pki.file("client.pem"), node.pki.file("client.key"));
    let garbage = node.pki.write("garbage.pem", "not a certificate\n");
    let truncated = node.pki.write("truncated.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n");
    let missing = node.pki.file("missing.pem");
    let cases = [
        (
            with(&garbage, &cert, &key),
            format!("etcd CA file {} (`ca_file`, --etcd-ca-file) holds no certificate", garbage.display()),
        ),
        (
            with(&truncated, &cert, &key),
            format!("etcd CA file {} (`ca_file`, --etcd-ca-file) is not valid PEM", truncated.display()),
        ),
        (
            with(&missing, &cert, &key),
            format!("cannot read the etcd CA file {} (`ca_file`, --etcd-ca-file): no such file", missing.display()),
        ),
        (
            with(&ca, &garbage, &key),
            format!(
                "etcd client certificate {} (`client_cert`, --etcd-cert-file) holds no certificate",
                garbage.display()
            ),
        ),
        (
            with(&ca, &cert, &garbage),
            format!("etcd client key {} (`client_cert`, --etcd-key-file) holds no private key", garbage.display()),
        ),
        (with(&ca, &cert, &missing), format!("cannot read the etcd client key {}", missing.display())),
        (
            with(&ca, &cert, &node.pki.file("server.key")),
            format!(
                "client key {} (`client_cert`, --etcd-key-file) does not belong to the etcd client certificate",
                node.pki.file("server.key").display()
            ),
        ),
    ];
    for (etcd, expected) in cases {
        let text = failure(&s, etcd);
        assert!(text.contains(&expected), "expected `{expected}` in:\n{text}");
        assert!(!text.contains("no endpoint"), "a bad file is not an unreachable cluster: {text}");
        for secret in ["client.key", "server.key"] {
            let pem = std::fs::read_to_string(node.pki.file(secret)).expect("the key");
            for line in pem.lines().filter(|l| !l.starts_with("-----")) {
                for chunk in line.as_bytes().chunks(12).filter(|c| c.len() == 12) {
                    let chunk = std::str::from_utf8(chunk).expect("base64 is ASCII");
                    assert!(!text.contains(chunk), "a piece of {secret} shows: {text}");
                }
            }
        }
    }
}

fn cli(args: &[&str], s: &Scratch) -> (u8, String, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let args = args.iter().map(|a| (*a).to_owned());
    let code = phoenix_config::cli::run_with::<Settings>("app", args, &s.loader(&[]), &mut out, &mut err);
    (code, String::from_utf8(out).expect("UTF-8"), String::from_utf8(err).expect("UTF-8"))
}

#[test]
fn the_command_line_seeds_and_shows_over_tls() {
    let node = TlsNode::start();
    let s = scratch();
    let file = s.write("seed.yaml", "level: 12\nname: seeded\n").display().to_string();
    let (ca, cert, key) = (node.pki.file("ca.pem"), node.pki.file("client.pem"), node.pki.file("client.key"));
    let (ca, cert, key) = (ca.to_str().expect("UTF-8"), cert.to_str().expect("UTF-8"), key.to_str().expect("UTF-8"));
    let ep = node.endpoint();
    let tls = ["--etcd-ca-file", ca, "--etcd-cert-file", cert, "--etcd-key-file", key];
    let put =
        [&["etcd-put", "--etcd-endpoints", &ep, "--etcd-prefix", "/phoenix/testing/"][..], &tls, &[&file]].concat();
    let (code, out, err) = cli(&put, &s);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.starts_with("wrote 2 keys under /phoenix/testing/ at revision "), "{out}");
    assert_eq!(node.ctl(&["get", "/phoenix/testing/level", "--print-value-only"]).trim(), "12");

    let show = [&["show", "--etcd-endpoints", &ep, "--etcd-prefix", "/phoenix/{environment}/"][..], &tls].concat();
    let (code, out, err) = cli(&show, &s);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains(&format!("etcd {ep} /phoenix/testing/level @ revision")), "{out}");
    assert!(out.contains("seeded"), "{out}");

    let half = [&show[..show.len() - 2], &[]].concat(); // --etcd-cert-file without --etcd-key-file
    let (code, out, err) = cli(&half, &s);
    assert_ne!(code, 0, "{out}");
    assert!(err.contains("--etcd-cert-file needs --etcd-key-file"), "{err}");
    let without_ca =
        [&["check", "--etcd-endpoints", &ep, "--etcd-prefix", "/phoenix/{environment}/"][..], &tls[2..]].concat();
    let (code, out, err) = cli(&without_ca, &s);
    assert_ne!(code, 0, "{out}");
    assert!(format!("{out}{err}").contains("--etcd-ca-file"), "{out}{err}");
}

#[test]
fn a_server_that_never_answers_the_handshake_times_out() {
    let pki = Pki::new();
    // Connections complete in the kernel's backlog; nothing ever reads them.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").expect("a listener");
    let endpoint = format!("https://{}", silent.local_addr().expect("an address"));
    let etcd = EtcdSource::prefix([endpoint.clone()], "/phoenix/{environment}/")
        .ca_file(pki.file("ca.pem"))
        .connect_timeout(Duration::from_secs(2))
        .request_timeout(Duration::from_millis(300));
    let s = scratch();
    let started = std::time::Instant::now();
    let text = failure(&s, etcd);
    let took = started.elapsed();
    assert!(took < Duration::from_secs(20), "the handshake was not bounded: {took:?}");
    assert!(text.contains(&format!("{endpoint}: no TLS handshake within 300 ms (the request timeout)")), "{text}");
}
