//! CPU of an idle watcher of an etcd source, alone in its own test process
//! so the process's CPU time is the watcher's (the cluster runs in other
//! processes). Needs `etcd` (`bash .ci/etcd-install`); never skipped.

mod common;
mod etcd_cluster;

use std::time::Duration;

use common::Scratch;
use etcd_cluster::{Cluster, eventually};
use phoenix_config::etcd::EtcdSource;
use phoenix_config::{PhoenixConfig, WatchOptions};

#[derive(PhoenixConfig)]
struct Settings {
    #[config(default = 1)]
    level: u32,
}

#[test]
fn an_idle_watcher_costs_almost_no_cpu() {
    let cluster = Cluster::start();
    cluster.put("/phoenix/testing/level", "2");
    let s = Scratch::new();
    s.write("config/base.yaml", "level: 1\n");
    let etcd = EtcdSource::prefix(cluster.endpoints(), "/phoenix/{environment}/");
    let idle = WatchOptions {
        poll_interval: Duration::from_millis(250),
        debounce: Duration::from_millis(100),
        max_wait: Duration::from_secs(2),
    };
    let watcher = s.loader(&[]).source(etcd.clone()).watch_with::<Settings>(idle).expect("loads");
    assert_eq!(watcher.current().level, 2);
    eventually("the stream connects", Duration::from_secs(30), || etcd.status().connected.is_some());
    let start = process_cpu();
    std::thread::sleep(Duration::from_secs(5));
    let used = process_cpu().saturating_sub(start);
    println!("idle watcher: {used:?} CPU in 5 s (whole test process)");
    // 250 ms is 5 % of a core; an idle watcher measures a few ms (README).
    assert!(used < Duration::from_millis(250), "an idle watcher used {used:?} of CPU in 5 s");
}

/// User + system CPU time of this process (Linux `/proc/self/stat`).
fn process_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").expect("/proc/self/stat");
    let after = &stat[stat.rfind(')').expect("the name ends") + 2..];
    let fields: Vec<&str> = after.split(' ').collect();
    let ticks = fields[11].parse::<u64>().expect("utime") + fields[12].parse::<u64>().expect("stime");
    Duration::from_millis(ticks * 10) // USER_HZ is 100 on Linux
}
