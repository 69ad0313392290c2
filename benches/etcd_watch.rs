//! Time from a put to 20 watchers in one process all running the new
//! configuration, on a real three-node etcd cluster (`bash .ci/etcd-install`).
//! `cargo bench --bench etcd_watch` prints p50 and p99 over 200 puts.

#[path = "../tests/etcd_cluster/mod.rs"]
mod etcd_cluster;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use etcd_cluster::Cluster;
use phoenix_config::etcd::EtcdSource;
use phoenix_config::{ConfigLoader, Environment, PhoenixConfig, WatchOptions, Watcher};

#[derive(PhoenixConfig)]
struct Settings {
    #[config(default = 0)]
    counter: u64,
}

const WATCHERS: usize = 20;
const PUTS: u64 = 200;

/// One put through the JSON gateway, timed from before the request.
fn put(endpoint: &str, key: &str, value: &str) {
    let body = format!(r#"{{"key":"{}","value":"{}"}}"#, STANDARD.encode(key), STANDARD.encode(value));
    let mut stream = TcpStream::connect(endpoint).expect("connects");
    let request = format!(
        "POST /v3/kv/put HTTP/1.1\r\nHost: {endpoint}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).expect("sends");
    let mut reply = String::new();
    stream.read_to_string(&mut reply).expect("a reply");
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
}

fn main() {
    if std::env::args().any(|a| a == "--list" || a == "--test") {
        return; // `cargo test --benches` / `--list`: nothing to list
    }
    let cluster = Cluster::start();
    let endpoints = cluster.endpoints();
    let options = WatchOptions {
        poll_interval: Duration::from_millis(500),
        debounce: Duration::from_millis(1),
        max_wait: Duration::from_secs(2),
    };
    let watchers: Vec<Watcher<Settings>> = (0..WATCHERS)
        .map(|_| {
            ConfigLoader::new()
                .environment(Environment::Testing)
                .config_dir("no/such/dir")
                .no_dotenv()
                .env_vars([("X", "")])
                .source(EtcdSource::prefix(endpoints.clone(), "/bench/"))
                .watch_with::<Settings>(options)
                .expect("loads")
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500)); // streams open
    let mut times = Vec::new();
    for counter in 1..=PUTS {
        let started = Instant::now();
        put(&endpoints[0], "/bench/counter", &counter.to_string());
        while !watchers.iter().all(|w| w.current().counter == counter) {
            assert!(started.elapsed() < Duration::from_secs(30), "watchers did not converge");
            std::thread::sleep(Duration::from_micros(200));
        }
        times.push(started.elapsed());
    }
    times.sort();
    let at = |percent: usize| times[(times.len() * percent / 100).min(times.len() - 1)];
    println!(
        "etcd put → {WATCHERS} watchers applied ({PUTS} puts, 3-node cluster, debounce 1 ms): p50 {:?}, p99 {:?}, max {:?}",
        at(50),
        at(99),
        times[times.len() - 1]
    );
}
