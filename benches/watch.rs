//! The watcher's cost (`cargo bench --bench watch`):
//!
//! 1. Idle cost: a watcher with the default options following 5, 100 and
//!    1,000 files (a secrets folder: a Kubernetes-style volume, each file a
//!    link into `..data`, and plain files), nothing changing; the CPU time of the watcher thread (from
//!    `/proc/self/task/*/schedstat`, Linux) over a few seconds of wall time.
//! 2. A reload of 6,000 leaves (`reload_now`, criterion), and what readers
//!    pay meanwhile: `current()` latency percentiles while another thread
//!    reloads without a pause, against the same readers with no reload.
//!
//! Set `WATCH_BENCH_IDLE_SECS` to change the idle window (default 5 s),
//! `WATCH_BENCH_IDLE_ONLY` to measure the idle cost only.

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use criterion::Criterion;
use phoenix_config::{ConfigLoader, Environment, PhoenixConfig, WatchOptions, Watcher};

/// One secret read from the secrets folder (so it is followed whole).
#[derive(PhoenixConfig)]
struct Small {
    #[env("TOKEN")]
    #[secret]
    token: Option<String>,
}

macro_rules! big {
    ($($field:ident)+ ; $($group:ident)+) => {
        /// 100 leaves (read by the loader only).
        #[allow(dead_code)]
        #[derive(PhoenixConfig)]
        struct Group {
            $($field: u32,)+
        }

        /// 6,000 leaves: 60 groups of 100.
        #[allow(dead_code)]
        #[derive(PhoenixConfig)]
        struct Big {
            $(#[config(nested)] $group: Group,)+
        }

        fn big_yaml(seed: u32) -> String {
            let mut yaml = String::new();
            for (g, group) in [$(stringify!($group)),+].iter().enumerate() {
                let _ = writeln!(yaml, "{group}:");
                for (f, field) in [$(stringify!($field)),+].iter().enumerate() {
                    // One value differs from one seed to the next.
                    let value = if g == 0 && f == 0 { seed } else { u32::try_from(g * 100 + f).unwrap() };
                    let _ = writeln!(yaml, "  {field}: {value}");
                }
            }
            yaml
        }
    };
}

big!(v00 v01 v02 v03 v04 v05 v06 v07 v08 v09 v10 v11 v12 v13 v14 v15 v16 v17 v18 v19 v20 v21 v22 v23 v24 v25 v26 v27 v28 v29 v30 v31 v32 v33 v34 v35 v36 v37 v38 v39 v40 v41 v42 v43 v44 v45 v46 v47 v48 v49 v50 v51 v52 v53 v54 v55 v56 v57 v58 v59 v60 v61 v62 v63 v64 v65 v66 v67 v68 v69 v70 v71 v72 v73 v74 v75 v76 v77 v78 v79 v80 v81 v82 v83 v84 v85 v86 v87 v88 v89 v90 v91 v92 v93 v94 v95 v96 v97 v98 v99 ; g00 g01 g02 g03 g04 g05 g06 g07 g08 g09 g10 g11 g12 g13 g14 g15 g16 g17 g18 g19 g20 g21 g22 g23 g24 g25 g26 g27 g28 g29 g30 g31 g32 g33 g34 g35 g36 g37 g38 g39 g40 g41 g42 g43 g44 g45 g46 g47 g48 g49 g50 g51 g52 g53 g54 g55 g56 g57 g58 g59);

/// A secrets folder of `n` files: Kubernetes-style (`..v1/NAME`,
/// `..data -> ..v1`, `NAME -> ..data/NAME`) or plain files.
fn secrets_folder(dir: &Path, n: usize, kubernetes: bool) {
    let data = if kubernetes { dir.join("..v1") } else { dir.to_path_buf() };
    std::fs::create_dir_all(&data).unwrap();
    for i in 0..n {
        let name = if i == 0 { "TOKEN".to_owned() } else { format!("S{i:04}") };
        std::fs::write(data.join(&name), format!("value-{i}\n")).unwrap();
        if kubernetes {
            link(&format!("..data/{name}"), &dir.join(&name));
        }
    }
    if kubernetes {
        link("..v1", &dir.join("..data"));
    }
}

#[cfg(unix)]
fn link(target: &str, at: &Path) {
    std::os::unix::fs::symlink(target, at).unwrap();
}

#[cfg(not(unix))]
fn link(target: &str, at: &Path) {
    let target = at.parent().unwrap().join(target);
    if target.is_dir() {
        std::fs::create_dir_all(at).unwrap();
    } else {
        std::fs::copy(target, at).unwrap();
    }
}

/// Nanoseconds on CPU of the watcher thread(s) of this process, once one runs.
fn watcher_cpu_nanos() -> Option<u64> {
    for _ in 0..100 {
        let mut total = None;
        for task in std::fs::read_dir("/proc/self/task").ok()?.flatten() {
            let comm = std::fs::read_to_string(task.path().join("comm")).unwrap_or_default();
            let schedstat = std::fs::read_to_string(task.path().join("schedstat")).unwrap_or_default();
            let nanos = schedstat.split_whitespace().next().and_then(|n| n.parse::<u64>().ok());
            if let (true, Some(nanos)) = (comm.starts_with("phoenix-config"), nanos) {
                *total.get_or_insert(0) += nanos;
            }
        }
        if total.is_some() {
            return total;
        }
        // The thread names itself once it runs.
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

fn idle_cost() {
    let secs = std::env::var("WATCH_BENCH_IDLE_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(5);
    let options = WatchOptions::default();
    println!("idle cost, default options (look every {:?}), {secs} s per row:", options.poll_interval);
    println!("| files followed | secrets folder | CPU of the watcher thread | per look |");
    println!("|---:|---|---:|---:|");
    for (n, kubernetes) in [(5, true), (100, true), (1000, true), (5, false), (100, false), (1000, false)] {
        let layout = if kubernetes { "Kubernetes volume" } else { "plain files" };
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("config")).unwrap();
        std::fs::write(dir.path().join("config/base.yaml"), "{}\n").unwrap();
        // base.yaml and testing.yaml (missing, followed too) + the volume.
        secrets_folder(&dir.path().join("secrets"), n - 2, kubernetes);
        let watcher: Watcher<Small> = ConfigLoader::new()
            .environment(Environment::Testing)
            .config_dir(dir.path().join("config"))
            .no_dotenv()
            .env_vars([("UNRELATED", "1")])
            .secrets_dir(dir.path().join("secrets"))
            .watch()
            .unwrap();
        assert!(watcher.current().token.is_some());
        // Files changed in the last 2 s are hashed as well as stated (see
        // `fingerprint::RACY`); inputs at rest are older than that.
        std::thread::sleep(Duration::from_millis(2500));
        let Some(start) = watcher_cpu_nanos() else {
            println!("| {n} | {layout} | (needs Linux /proc) | |");
            continue;
        };
        let wall = Instant::now();
        std::thread::sleep(Duration::from_secs(secs));
        let cpu = watcher_cpu_nanos().unwrap() - start;
        let wall = wall.elapsed();
        let looks = wall.as_nanos() / options.poll_interval.as_nanos();
        #[allow(clippy::cast_precision_loss)]
        let share = cpu as f64 / wall.as_nanos() as f64 * 100.0;
        let per_look = u128::from(cpu) / looks.max(1) / 1000;
        println!("| {n} | {layout} | {share:.3} % of a core | {per_look} µs |");
        assert_eq!(watcher.status().generation, 1, "nothing changed, nothing reloaded");
        drop(watcher);
    }
}

fn big_watcher(dir: &Path) -> Watcher<Big> {
    std::fs::create_dir_all(dir.join("config")).unwrap();
    std::fs::write(dir.join("config/base.yaml"), big_yaml(0)).unwrap();
    // A long interval: only `reload_now` reloads here.
    #[allow(clippy::duration_suboptimal_units, reason = "`from_hours` is newer than the MSRV (1.88)")]
    let options = WatchOptions { poll_interval: Duration::from_secs(3600), ..WatchOptions::default() };
    ConfigLoader::new()
        .environment(Environment::Testing)
        .config_dir(dir.join("config"))
        .no_dotenv()
        .env_vars([("UNRELATED", "1")])
        .watch_with(options)
        .unwrap()
}

fn reload(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let watcher = big_watcher(dir.path());
    let mut seed = 0;
    c.bench_function("reload_now/6000 leaves", |b| {
        b.iter(|| {
            seed += 1;
            std::fs::write(dir.path().join("config/base.yaml"), big_yaml(seed)).unwrap();
            black_box(watcher.reload_now().unwrap())
        });
    });
    let reloading = AtomicBool::new(true);
    let watcher = Arc::new(watcher);
    std::thread::scope(|scope| {
        let reloader = {
            let (watcher, reloading) = (Arc::clone(&watcher), &reloading);
            scope.spawn(move || {
                let mut n = 0u64;
                while reloading.load(Ordering::Relaxed) {
                    watcher.reload_now().unwrap();
                    n += 1;
                }
                n
            })
        };
        c.bench_function("current()/during 6000-leaf reloads", |b| b.iter(|| black_box(watcher.current())));
        reloading.store(false, Ordering::Relaxed);
        reloader.join().unwrap()
    });
    c.bench_function("current()/idle", |b| b.iter(|| black_box(watcher.current())));
}

/// `current()` latency percentiles, one `Instant` pair per call.
fn percentiles(watcher: &Watcher<Big>, calls: usize) -> [Duration; 4] {
    let mut samples = Vec::with_capacity(calls);
    for _ in 0..calls {
        let start = Instant::now();
        black_box(watcher.current());
        samples.push(start.elapsed());
    }
    samples.sort_unstable();
    let at = |q: f64| {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_precision_loss)]
        let i = ((samples.len() - 1) as f64 * q) as usize;
        samples[i]
    };
    [at(0.5), at(0.99), at(0.999), samples[samples.len() - 1]]
}

fn reader_latency() {
    let dir = tempfile::tempdir().unwrap();
    let watcher = Arc::new(big_watcher(dir.path()));
    let calls = 2_000_000;
    let idle = percentiles(&watcher, calls);
    let reloading = AtomicBool::new(true);
    let (during, reloads, took) = std::thread::scope(|scope| {
        let reloader = scope.spawn(|| {
            let mut n = 0u32;
            let start = Instant::now();
            while reloading.load(Ordering::Relaxed) {
                std::fs::write(dir.path().join("config/base.yaml"), big_yaml(n + 1)).unwrap();
                watcher.reload_now().unwrap();
                n += 1;
            }
            (n, start.elapsed())
        });
        let during = percentiles(&watcher, calls);
        reloading.store(false, Ordering::Relaxed);
        let (n, took) = reloader.join().unwrap();
        (during, n, took)
    });
    println!("current() latency over {calls} calls (p50 / p99 / p99.9 / max):");
    println!("- idle: {:?} / {:?} / {:?} / {:?}", idle[0], idle[1], idle[2], idle[3]);
    println!(
        "- during {reloads} reloads of 6,000 leaves ({:?} each): {:?} / {:?} / {:?} / {:?}",
        took / reloads.max(1),
        during[0],
        during[1],
        during[2],
        during[3]
    );
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    // `cargo test --benches` and `cargo bench -- --list` only check that it runs.
    let measuring = std::env::args().any(|a| a == "--bench");
    if measuring {
        idle_cost();
        if std::env::var_os("WATCH_BENCH_IDLE_ONLY").is_some() {
            return;
        }
        reader_latency();
    }
    reload(&mut criterion);
    criterion.final_summary();
}
