//! A real three-node etcd cluster for the tests: free 127.0.0.1 ports found
//! at start, data in a temporary folder, every process killed on drop, every
//! wait bounded. A missing `etcd` binary fails the test with the fix.

#![allow(dead_code, unreachable_pub)]

use std::fmt::Write as _;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// How long a cluster (or a restarted node) may take to become healthy.
pub const START_WAIT: Duration = Duration::from_secs(45);

struct Member {
    name: String,
    client: u16,
    peer: u16,
    child: Option<Child>,
}

/// Three etcd members; killed when dropped.
pub struct Cluster {
    members: Vec<Member>,
    initial: String,
    dir: tempfile::TempDir,
}

fn installed(binary: &str, version: &str) -> bool {
    let found = Command::new(binary).arg(version).stdout(Stdio::null()).stderr(Stdio::null()).status();
    found.is_ok_and(|s| s.success())
}

/// etcd and etcdctl, installed by the project's own script when missing (a
/// fresh machine runs `cargo test --workspace` as it is): once per test
/// process, every test waiting for the one install.
pub fn need(binary: &str, version: &str) {
    static INSTALL: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if installed(binary, version) {
        return;
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/etcd-install");
    let ran = *INSTALL.get_or_init(|| Command::new("bash").arg(script).status().is_ok_and(|s| s.success()));
    assert!(
        ran && installed(binary, version),
        "`{binary}` is not installed and `bash .ci/etcd-install` could not install it \
         (it needs root or sudo, and Debian's etcd-server and etcd-client packages)"
    );
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port()
}

impl Cluster {
    /// Starts three members and waits until every one is healthy.
    pub fn start() -> Cluster {
        need("etcd", "--version");
        need("etcdctl", "version");
        let members: Vec<Member> = (1..=3)
            .map(|i| Member { name: format!("n{i}"), client: free_port(), peer: free_port(), child: None })
            .collect();
        let initial =
            members.iter().map(|m| format!("{}=http://127.0.0.1:{}", m.name, m.peer)).collect::<Vec<_>>().join(",");
        let mut cluster = Cluster { members, initial, dir: tempfile::tempdir().expect("a data folder") };
        for i in 0..3 {
            cluster.spawn(i);
        }
        cluster.wait_healthy(&[0, 1, 2]);
        cluster
    }

    fn spawn(&mut self, i: usize) {
        let m = &self.members[i];
        let data: PathBuf = self.dir.path().join(&m.name);
        let log = std::fs::File::create(self.dir.path().join(format!("{}.log", m.name))).expect("a log file");
        let client = format!("http://127.0.0.1:{}", m.client);
        let peer = format!("http://127.0.0.1:{}", m.peer);
        let child = Command::new("etcd")
            .args(["--name", &m.name, "--data-dir"])
            .arg(&data)
            .args(["--listen-client-urls", &client, "--advertise-client-urls", &client])
            .args(["--listen-peer-urls", &peer, "--initial-advertise-peer-urls", &peer])
            .args(["--initial-cluster", &self.initial, "--initial-cluster-state", "new"])
            .args(["--initial-cluster-token", "phoenix-test", "--unsafe-no-fsync", "--log-level", "warn"])
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("etcd starts");
        self.members[i].child = Some(child);
    }

    /// `127.0.0.1:port` of every member.
    pub fn endpoints(&self) -> Vec<String> {
        self.members.iter().map(|m| format!("127.0.0.1:{}", m.client)).collect()
    }

    /// Kills member `i` (SIGKILL).
    pub fn kill(&mut self, i: usize) {
        if let Some(mut child) = self.members[i].child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Restarts member `i` on its data and waits until it is healthy.
    pub fn restart(&mut self, i: usize) {
        self.spawn(i);
    }

    /// Waits (bounded) until the members `which` answer as healthy.
    pub fn wait_healthy(&self, which: &[usize]) {
        let deadline = Instant::now() + START_WAIT;
        for &i in which {
            let endpoint = self.endpoints()[i].clone();
            loop {
                let out = Self::ctl_at(&endpoint, &["endpoint", "health"]);
                if out.status.success() {
                    break;
                }
                assert!(
                    Instant::now() < deadline,
                    "etcd member {endpoint} not healthy within {START_WAIT:?}: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    }

    fn ctl_at(endpoints: &str, args: &[&str]) -> Output {
        Command::new("etcdctl")
            .env("ETCDCTL_API", "3")
            .args(["--endpoints", endpoints, "--dial-timeout", "2s", "--command-timeout", "5s"])
            .args(args)
            .output()
            .expect("etcdctl runs")
    }

    /// Runs etcdctl against the live members; panics with its error. A
    /// command is tried again until `START_WAIT` has passed: right after a
    /// member is killed the cluster may still be electing a leader (slow on
    /// a loaded machine), and every command here is idempotent.
    pub fn ctl(&self, args: &[&str]) -> String {
        let live: Vec<String> =
            self.members.iter().filter(|m| m.child.is_some()).map(|m| format!("127.0.0.1:{}", m.client)).collect();
        retried_ctl(args, || Self::ctl_at(&live.join(","), args))
    }

    pub fn put(&self, key: &str, value: &str) {
        self.ctl(&["put", key, value]);
    }

    pub fn delete(&self, key: &str) {
        self.ctl(&["del", key]);
    }

    /// Puts every pair in one transaction (one revision).
    pub fn txn(&self, pairs: &[(&str, &str)]) {
        let live = self.endpoints().join(",");
        let mut script = String::from("\n");
        for (k, v) in pairs {
            writeln!(script, "put {k} \"{v}\"").expect("a string takes it");
        }
        script.push_str("\n\n");
        let mut child = Command::new("etcdctl")
            .env("ETCDCTL_API", "3")
            .args(["--endpoints", &live, "txn"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("etcdctl runs");
        std::io::Write::write_all(child.stdin.as_mut().expect("stdin"), script.as_bytes()).expect("the script");
        let out = child.wait_with_output().expect("etcdctl ends");
        assert!(out.status.success(), "etcdctl txn: {}", String::from_utf8_lossy(&out.stderr));
    }

    /// The cluster's current revision.
    pub fn revision(&self) -> i64 {
        let out = self.ctl(&["endpoint", "status", "-w", "json"]);
        let at = out.find("\"revision\":").expect("a revision in the status") + "\"revision\":".len();
        out[at..].chars().take_while(char::is_ascii_digit).collect::<String>().parse().expect("a number")
    }

    /// Compacts the history up to the current revision.
    pub fn compact(&self) {
        let revision = self.revision().to_string();
        self.ctl(&["compact", &revision, "--physical"]);
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        for i in 0..self.members.len() {
            self.kill(i);
        }
    }
}

/// Waits (bounded) until `condition` holds; panics naming `what`.
pub fn eventually(what: &str, wait: Duration, mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + wait;
    while !condition() {
        assert!(Instant::now() < deadline, "{what}: not within {wait:?}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Runs an etcdctl command (`once`) until it succeeds or `START_WAIT` has
/// passed (every command the tests give is idempotent); its standard
/// output, or a panic with its error.
pub fn retried_ctl(args: &[&str], mut once: impl FnMut() -> Output) -> String {
    let deadline = Instant::now() + START_WAIT;
    loop {
        let out = once();
        if out.status.success() {
            return String::from_utf8_lossy(&out.stdout).into_owned();
        }
        assert!(Instant::now() < deadline, "etcdctl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        std::thread::sleep(Duration::from_millis(200));
    }
}
