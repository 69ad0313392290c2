//! `EtcdSource` against a real three-node etcd cluster (DESIGN §12): loads
//! with origins and precedence, errors, watch, node failures, compaction.
//! Needs `etcd` and `etcdctl` (`bash .ci/etcd-install`); never skipped.

mod common;
mod etcd_cluster;

use std::time::Duration;

use common::Scratch;
use etcd_cluster::{Cluster, eventually};
use phoenix_config::etcd::EtcdSource;
use phoenix_config::{IssueKind, PhoenixConfig, ReloadEvent, Subscription, WatchOptions, Watcher};

#[derive(PhoenixConfig)]
#[config(prefix = "APP")]
struct Settings {
    #[config(nested)]
    database: Database,
    #[config(default = "svc")]
    name: String,
    #[config(default = 1)]
    #[validate(range(min = 1, max = 100))]
    level: u32,
    zones: Option<Vec<String>>,
    ports: Option<Vec<u16>>,
}

#[derive(PhoenixConfig)]
struct Database {
    #[config(default = 10)]
    max_pool_size: u32,
    #[config(default = "localhost")]
    host: String,
    #[secret]
    password: Option<String>,
}

const WAIT: Duration = Duration::from_secs(30);
const FAST: WatchOptions = WatchOptions {
    poll_interval: Duration::from_millis(10),
    debounce: Duration::from_millis(20),
    max_wait: Duration::from_secs(2),
};
const PREFIX: &str = "/phoenix/testing/";

fn source(cluster: &Cluster) -> EtcdSource {
    EtcdSource::prefix(cluster.endpoints(), "/phoenix/{environment}/")
        .connect_timeout(Duration::from_millis(500))
        .request_timeout(Duration::from_secs(5))
}

fn seed(cluster: &Cluster) {
    cluster.put("/phoenix/testing/database/max_pool_size", "25");
    cluster.put("/phoenix/testing/database/host", "db.internal");
    cluster.put("/phoenix/testing/zones", "a,b");
}

fn watch(s: &Scratch, cluster: &Cluster) -> Watcher<Settings> {
    s.loader(&[]).source(source(cluster)).watch_with::<Settings>(FAST).expect("the first load works")
}

fn reloaded(events: &Subscription<Settings>) -> std::sync::Arc<Settings> {
    match events.recv_timeout(WAIT).expect("a reload event within the wait") {
        ReloadEvent::Reloaded { config, .. } => config,
        ReloadEvent::Failed(e) => panic!("the reload failed: {e}"),
        _ => unreachable!(),
    }
}

#[test]
fn a_load_reads_the_prefix_with_origins_and_precedence() {
    let cluster = Cluster::start();
    seed(&cluster);
    cluster.put("/phoenix/testing/level", "7");
    cluster.put("/phoenix/production/level", "99"); // another environment: not read
    cluster.put("/phoenix/testing/ports/1", "8443");
    cluster.put("/phoenix/testing/ports/0", "8080");
    let s = Scratch::new();
    s.write("config/base.yaml", "name: from-file\nlevel: 2\ndatabase:\n  max_pool_size: 3\n");
    let loaded =
        s.loader(&[("APP_LEVEL", "9")]).source(source(&cluster)).load_with_origins::<Settings>().expect("loads");
    let config = loaded.config();
    assert_eq!(config.database.max_pool_size, 25, "etcd beats the files");
    assert_eq!(config.database.host, "db.internal");
    assert_eq!(
        config.zones.as_deref(),
        Some(&["a".to_owned(), "b".to_owned()][..]),
        "a list converts from text like a variable"
    );
    assert_eq!(config.name, "from-file", "a key not in etcd comes from the files");
    assert_eq!(config.level, 9, "a variable beats etcd");
    let origin = loaded.origin("database.max_pool_size").expect("an origin").to_string();
    let ep = &cluster.endpoints()[0];
    assert!(origin.starts_with(&format!("etcd {ep} /phoenix/testing/database/max_pool_size @ revision ")), "{origin}");
    let revision: i64 = origin.rsplit(' ').next().unwrap().parse().expect("a revision number");
    assert!(revision > 1 && revision <= cluster.revision(), "{origin}");
    assert_eq!(loaded.origin("level").unwrap().to_string(), "env APP_LEVEL");
    assert_eq!(config.ports.as_deref(), Some(&[8080, 8443][..]), "list items by index segments, in index order");
}

#[test]
fn a_secret_in_etcd_decodes_and_never_shows() {
    let cluster = Cluster::start();
    // base64 of `hunter2-canary`
    cluster.put("/phoenix/testing/database/password", "base64:aHVudGVyMi1jYW5hcnk=");
    let s = Scratch::new();
    s.write("config/base.yaml", "name: x\n");
    let loaded = s.loader(&[]).source(source(&cluster)).load_with_origins::<Settings>().expect("loads");
    assert_eq!(loaded.config().database.password.as_deref(), Some("hunter2-canary"));
    let shown = format!("{loaded} {:?}", loaded.config());
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(shown.contains("/phoenix/testing/database/password @ revision"), "{shown}");
}

#[test]
fn unknown_keys_and_bad_values_name_their_etcd_keys() {
    let cluster = Cluster::start();
    cluster.put("/phoenix/testing/database/max_pol_size", "5");
    cluster.put("/phoenix/testing/level", "many");
    let s = Scratch::new();
    let error = s.loader(&[]).source(source(&cluster)).load::<Settings>().expect_err("two problems");
    let text = error.to_string();
    let unknown = error.issues().iter().find(|i| i.kind() == IssueKind::UnknownKey).expect("an unknown key");
    assert_eq!(unknown.path(), "database.max_pol_size");
    assert!(text.contains("max_pool_size"), "did you mean: {text}");
    let origin = unknown.origin().expect("an origin").to_string();
    assert!(origin.contains("/phoenix/testing/database/max_pol_size @ revision"), "{origin}");
    let invalid = error.issues().iter().find(|i| i.path() == "level").expect("the bad level");
    assert_eq!(invalid.kind(), IssueKind::Invalid, "{text}");
    assert!(invalid.origin().unwrap().to_string().contains("/phoenix/testing/level @ revision"), "{text}");
}

#[test]
fn a_document_key_holds_a_whole_file() {
    let cluster = Cluster::start();
    cluster.put("/phoenix/testing.yaml", "database:\n  max_pool_size: 40\nlevel: 5\n");
    let s = Scratch::new();
    s.write("config/base.yaml", "name: x\n");
    let loaded = s
        .loader(&[])
        .source(EtcdSource::document(cluster.endpoints(), "/phoenix/{environment}.yaml"))
        .load_with_origins::<Settings>()
        .expect("loads");
    assert_eq!(loaded.config().database.max_pool_size, 40);
    assert_eq!(loaded.config().level, 5);
    let origin = loaded.origin("level").unwrap().to_string();
    assert!(origin.contains("/phoenix/testing.yaml @ revision") && origin.ends_with(":3:8"), "{origin}");
}

#[test]
fn no_endpoint_answering_is_an_error_naming_them_and_the_cache_is_used_when_set() {
    let cluster = Cluster::start();
    seed(&cluster);
    let s = Scratch::new();
    let cache = s.path().join("etcd-cache.json");
    let cached = || source(&cluster).cache_file(&cache);
    s.loader(&[]).source(cached()).load::<Settings>().expect("the first load reaches the cluster");
    let endpoints = cluster.endpoints();
    drop(cluster);
    let down = EtcdSource::prefix(endpoints.clone(), PREFIX).connect_timeout(Duration::from_millis(200));
    let started = std::time::Instant::now();
    let error = s.loader(&[]).source(down).load::<Settings>().expect_err("no cluster");
    assert!(started.elapsed() < Duration::from_secs(10));
    let text = error.to_string();
    assert!(text.contains("etcd: no endpoint answers") && endpoints.iter().all(|e| text.contains(e)), "{text}");
    let from_cache = EtcdSource::prefix(endpoints, "/phoenix/{environment}/")
        .connect_timeout(Duration::from_millis(200))
        .cache_file(&cache);
    let loaded = s.loader(&[]).source(from_cache.clone()).load_with_origins::<Settings>().expect("the cache");
    assert_eq!(loaded.config().database.max_pool_size, 25);
    let origin = loaded.origin("database.max_pool_size").unwrap().to_string();
    assert!(origin.starts_with(&format!("etcd cache {} /phoenix/testing/", cache.display())), "{origin}");
    let status = from_cache.status();
    assert!(status.from_cache && status.last_error.is_some(), "{status:?}");
}

#[test]
fn a_put_reaches_a_watcher_and_a_transaction_is_one_version() {
    let cluster = Cluster::start();
    seed(&cluster);
    let s = Scratch::new();
    let watcher = watch(&s, &cluster);
    let events = watcher.subscribe();
    cluster.put("/phoenix/testing/database/max_pool_size", "26");
    assert_eq!(reloaded(&events).database.max_pool_size, 26);
    cluster.txn(&[("/phoenix/testing/database/max_pool_size", "30"), ("/phoenix/testing/database/host", "db2")]);
    let config = reloaded(&events);
    assert_eq!((config.database.max_pool_size, config.database.host.as_str()), (30, "db2"), "both keys at once");
    std::thread::sleep(Duration::from_millis(300));
    assert!(events.try_recv().is_err(), "one transaction, one reload");
}

#[test]
fn twenty_watchers_converge_and_an_invalid_put_is_never_applied() {
    let cluster = Cluster::start();
    seed(&cluster);
    let s = Scratch::new();
    let watchers: Vec<Watcher<Settings>> = (0..20).map(|_| watch(&s, &cluster)).collect();
    cluster.put("/phoenix/testing/level", "42");
    eventually("20 watchers see level 42", WAIT, || watchers.iter().all(|w| w.current().level == 42));
    let failures: Vec<_> = watchers.iter().map(Watcher::subscribe).collect();
    cluster.put("/phoenix/testing/level", "500"); // out of range
    for events in &failures {
        match events.recv_timeout(WAIT).expect("an event") {
            ReloadEvent::Failed(e) => assert!(e.to_string().contains("level"), "{e}"),
            ReloadEvent::Reloaded { .. } => panic!("an invalid value was applied"),
            _ => unreachable!(),
        }
    }
    assert!(watchers.iter().all(|w| w.current().level == 42), "every watcher keeps the last good config");
}

fn watch_with_source(s: &Scratch, etcd: &EtcdSource) -> Watcher<Settings> {
    s.loader(&[]).source(etcd.clone()).watch_with::<Settings>(FAST).expect("the first load works")
}

#[test]
fn a_killed_node_does_not_stop_the_updates() {
    let mut cluster = Cluster::start();
    seed(&cluster);
    let s = Scratch::new();
    s.write("config/base.yaml", "name: x\n");
    let etcd = source(&cluster);
    let watcher = watch_with_source(&s, &etcd);
    eventually("the stream connects", WAIT, || etcd.status().connected.is_some());
    let on = etcd.status().connected.unwrap();
    let member = cluster.endpoints().iter().position(|e| *e == on).expect("a member");
    cluster.kill(member);
    cluster.put("/phoenix/testing/level", "11"); // while the stream reconnects
    eventually("level 11 arrives through another member", WAIT, || watcher.current().level == 11);
    let status = etcd.status();
    assert!(status.reconnects >= 1 && status.connected.as_deref() != Some(on.as_str()), "{status:?}");
    cluster.put("/phoenix/testing/level", "12");
    eventually("and the next one", WAIT, || watcher.current().level == 12);
}

#[test]
fn all_nodes_killed_keeps_the_last_good_config_and_catches_up_when_back() {
    let mut cluster = Cluster::start();
    seed(&cluster);
    cluster.put("/phoenix/testing/level", "3");
    let s = Scratch::new();
    s.write("config/base.yaml", "name: x\n");
    let etcd = source(&cluster);
    let watcher = watch_with_source(&s, &etcd);
    let events = watcher.subscribe();
    eventually("the stream connects", WAIT, || etcd.status().connected.is_some());
    for i in 0..3 {
        cluster.kill(i);
    }
    match events.recv_timeout(WAIT).expect("the loss is reported") {
        ReloadEvent::Failed(e) => assert!(e.to_string().contains("etcd: no endpoint answers"), "{e}"),
        ReloadEvent::Reloaded { .. } => panic!("nothing to reload while the cluster is away"),
        _ => unreachable!(),
    }
    assert_eq!(watcher.current().level, 3, "the last good config stays");
    let status = etcd.status();
    assert!(status.connected.is_none() && status.last_error.is_some(), "{status:?}");
    for i in 0..3 {
        cluster.restart(i);
    }
    cluster.wait_healthy(&[0, 1, 2]);
    cluster.put("/phoenix/testing/level", "13");
    eventually("the put made while the stream was away is applied", WAIT, || watcher.current().level == 13);
    eventually("the stream is back", WAIT, || etcd.status().connected.is_some());
}

#[test]
fn a_compacted_revision_forces_a_full_reload_without_losing_a_change() {
    let cluster = Cluster::start();
    seed(&cluster);
    let s = Scratch::new();
    s.write("config/base.yaml", "name: x\n");
    let etcd = source(&cluster);
    s.loader(&[]).source(etcd.clone()).load::<Settings>().expect("loads");
    cluster.put("/phoenix/testing/level", "7");
    cluster.put("/phoenix/testing/level", "8");
    cluster.compact(); // the revision the load read is gone from history
    let hook = phoenix_config::source::Source::watch(&etcd).changes.expect("a change hook");
    let before = hook.version(); // starts following from the loaded revision
    eventually("the compaction is seen", WAIT, || etcd.status().compactions == 1);
    assert_ne!(hook.version(), before, "a compaction asks for a full reload");
    let watcher = watch_with_source(&s, &etcd);
    assert_eq!(watcher.current().level, 8);
    cluster.put("/phoenix/testing/level", "9");
    eventually("the stream resumed after the compaction", WAIT, || watcher.current().level == 9);
}

fn cli(args: &[&str], loader: &phoenix_config::ConfigLoader) -> (u8, String, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let args = args.iter().map(|a| (*a).to_owned());
    let code = phoenix_config::cli::run_with::<Settings>("app", args, loader, &mut out, &mut err);
    (code, String::from_utf8(out).unwrap(), String::from_utf8(err).unwrap())
}

#[test]
fn etcd_put_seeds_a_prefix_and_show_and_check_read_it() {
    let cluster = Cluster::start();
    cluster.put("/phoenix/testing/stale", "x"); // deleted by --replace
    let s = Scratch::new();
    s.write("config/base.yaml", "name: x\n");
    let file = s.write(
        "seed.yaml",
        "database:\n  max_pool_size: 33\n  host: seeded\n  password: base64:aHVudGVyMi1jYW5hcnk=\nlevel: 4\n",
    );
    let endpoints = cluster.endpoints().join(",");
    let file = file.display().to_string();
    let put = ["etcd-put", "--etcd-endpoints", &endpoints, "--etcd-prefix", PREFIX, "--replace", &file];
    let (code, out, err) = cli(&put, &s.loader(&[]));
    assert_eq!((code, out.as_str(), err.as_str()), (0, out.as_str(), ""), "{err}");
    assert!(out.starts_with(&format!("wrote 4 keys under {PREFIX} at revision ")), "{out}");
    assert_eq!(cluster.ctl(&["get", "/phoenix/testing/database/host", "--print-value-only"]).trim(), "seeded");
    let source = ["--etcd-endpoints", &endpoints, "--etcd-prefix", "/phoenix/{environment}/"];
    let (code, out, err) = cli(&[&["show"][..], &source].concat(), &s.loader(&[]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("/phoenix/testing/database/max_pool_size @ revision"), "{out}");
    assert!(out.contains("33") && !out.contains("hunter2"), "{out}");
    let (code, out, err) = cli(&[&["check"][..], &source].concat(), &s.loader(&[]));
    assert_eq!(code, 0, "{out}{err}");
    cluster.put("/phoenix/testing/level", "500");
    let (code, out, err) = cli(&[&["check"][..], &source].concat(), &s.loader(&[]));
    assert_eq!(code, 1, "{out}{err}");
    assert!(format!("{out}{err}").contains("/phoenix/testing/level @ revision"), "{out}{err}");
}

#[test]
fn a_put_wakes_the_watcher_before_its_poll_tick() {
    let cluster = Cluster::start();
    seed(&cluster);
    let s = Scratch::new();
    s.write("config/base.yaml", "name: x\n");
    let etcd = source(&cluster);
    let slow = WatchOptions {
        poll_interval: Duration::from_secs(90),
        debounce: Duration::from_millis(20),
        max_wait: Duration::from_secs(2),
    };
    let watcher = s.loader(&[]).source(etcd.clone()).watch_with::<Settings>(slow).expect("loads");
    eventually("the stream connects", WAIT, || etcd.status().connected.is_some());
    cluster.put("/phoenix/testing/level", "21");
    // Far below the 90 s poll: the source's notifier woke the watcher.
    eventually("the put is applied without a poll tick", Duration::from_secs(10), || watcher.current().level == 21);
}

#[test]
fn a_tls_endpoint_without_a_ca_file_is_refused_by_name() {
    let s = Scratch::new();
    s.write("config/base.yaml", "name: x\n");
    let etcd = EtcdSource::prefix(["https://127.0.0.1:1"], PREFIX);
    let error = s.loader(&[]).source(etcd).load::<Settings>().expect_err("no CA file");
    assert!(error.to_string().contains("etcd endpoint https://127.0.0.1:1: TLS needs"), "{error}");
    assert!(error.to_string().contains("`ca_file` (--etcd-ca-file"), "{error}");
}

#[test]
fn a_burst_of_puts_coalesces() {
    let cluster = Cluster::start();
    seed(&cluster);
    let s = Scratch::new();
    s.write("config/base.yaml", "name: x\n");
    let etcd = source(&cluster);
    let calm = WatchOptions {
        poll_interval: Duration::from_millis(10),
        debounce: Duration::from_millis(400),
        max_wait: Duration::from_secs(2),
    };
    let watcher = s.loader(&[]).source(etcd.clone()).watch_with::<Settings>(calm).expect("loads");
    eventually("the stream connects", WAIT, || etcd.status().connected.is_some());
    let before = watcher.status().generation;
    for level in 30..40 {
        cluster.put("/phoenix/testing/level", &level.to_string());
    }
    eventually("the last put is applied", WAIT, || watcher.current().level == 39);
    std::thread::sleep(Duration::from_millis(600));
    let reloads = watcher.status().generation - before;
    assert!((1..=4).contains(&reloads), "10 puts became {reloads} reloads");
}

#[test]
fn user_and_password_authenticate_and_a_wrong_password_is_refused() {
    let cluster = Cluster::start();
    seed(&cluster);
    cluster.ctl(&["user", "add", "root:canary-pw-1", "--interactive=false"]);
    cluster.ctl(&["role", "add", "root"]);
    cluster.ctl(&["user", "grant-role", "root", "root"]);
    cluster.ctl(&["auth", "enable"]);
    let s = Scratch::new();
    s.write("config/base.yaml", "name: x\n");
    let anonymous = s.loader(&[]).source(source(&cluster)).load::<Settings>().expect_err("auth is on");
    assert!(anonymous.to_string().contains("etcd 127.0.0.1:"), "{anonymous}");
    let good = source(&cluster).user("root", "canary-pw-1");
    let watcher = s.loader(&[]).source(good.clone()).watch_with::<Settings>(FAST).expect("authenticated");
    assert_eq!(watcher.current().database.max_pool_size, 25);
    eventually("the stream connects with the token", WAIT, || good.status().connected.is_some());
    cluster.ctl(&["put", "/phoenix/testing/level", "17", "--user", "root:canary-pw-1"]);
    eventually("an authenticated watch sees the put", WAIT, || watcher.current().level == 17);
    let bad = source(&cluster).user("root", "canary-wrong-2");
    let error = s.loader(&[]).source(bad.clone()).load::<Settings>().expect_err("a wrong password");
    let text = format!("{error} {error:?} {bad:?}");
    assert!(text.contains("authentication as `root` failed"), "{text}");
    assert!(!text.contains("no endpoint answers"), "the cluster answered: {text}");
    assert!(!text.contains("canary"), "a password never shows: {text}");
}
