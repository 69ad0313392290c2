//! Memory per load of phoenix-config, figment, config-rs and confique (the
//! same contest as `benches/load.rs`, see `benches/common/mod.rs`): a
//! counting global allocator measures, for one load after a warm-up,
//! - allocations: calls to `alloc`, `alloc_zeroed` and `realloc`;
//! - bytes: the sizes they asked for (a `realloc` counts its new size);
//! - peak: the most heap held at once above what was live before the load
//!   (the loaded settings included).
//!
//! `cargo bench --bench alloc` prints one table.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use common::{Fixture, Scale, X1, X10, X100, settings};
use phoenix_config::{Environment, get_config_for};

/// The system allocator, counting.
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);
static BYTES: AtomicUsize = AtomicUsize::new(0);
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn allocated(size: usize) {
    ALLOCATIONS.fetch_add(1, Relaxed);
    BYTES.fetch_add(size, Relaxed);
    let live = LIVE.fetch_add(size, Relaxed) + size;
    PEAK.fetch_max(live, Relaxed);
}

// SAFETY: every call goes to `System` unchanged; the counters are atomics.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            allocated(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            allocated(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract, passed on.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            LIVE.fetch_sub(layout.size(), Relaxed);
            allocated(new_size);
        }
        new
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// What one call cost.
#[derive(Clone, Copy, Debug)]
struct Usage {
    allocations: usize,
    bytes: usize,
    peak: usize,
}

/// The cost of one call of `load` (the fewest of five: the count only
/// varies with hash-map seeds).
fn measure<T>(mut load: impl FnMut() -> T) -> Usage {
    drop(black_box(load())); // warm-up: lazy statics, plans, tables
    let mut best: Option<Usage> = None;
    for _ in 0..5 {
        let before = LIVE.load(Relaxed);
        ALLOCATIONS.store(0, Relaxed);
        BYTES.store(0, Relaxed);
        PEAK.store(before, Relaxed);
        let value = black_box(load());
        let usage = Usage {
            allocations: ALLOCATIONS.load(Relaxed),
            bytes: BYTES.load(Relaxed),
            peak: PEAK.load(Relaxed).saturating_sub(before),
        };
        drop(value);
        if best.is_none_or(|b| usage.allocations < b.allocations) {
            best = Some(usage);
        }
    }
    best.expect("five runs")
}

/// One contender's usage at 1x, 10x and 100x.
struct Row {
    name: &'static str,
    usage: [Usage; 3],
}

/// One load, its result boxed (dropped after the measurement).
type Load = fn(&Fixture) -> Box<dyn std::any::Any>;

fn all<S: Scale>() -> [(&'static str, Load); 6] {
    [
        ("phoenix-config", |f| Box::new(common::phoenix::<S>(f))),
        ("phoenix-config (process env)", |f| Box::new(common::phoenix_process_env::<S>(f))),
        ("phoenix-config (with origins)", |f| Box::new(common::phoenix_with_origins::<S>(f))),
        ("figment", |f| Box::new(common::figment::<S>(f))),
        ("config-rs", |f| Box::new(common::config_rs::<S>(f))),
        ("confique", |f| Box::new(common::confique::<S>(f))),
    ]
}

fn kib(bytes: usize) -> String {
    #[allow(clippy::cast_precision_loss)]
    let kib = bytes as f64 / 1024.0;
    if kib < 100.0 { format!("{kib:.1} KiB") } else { format!("{kib:.0} KiB") }
}

fn main() {
    let fixture = Fixture::new();
    // SAFETY: nothing else runs: figment and confique read only the process
    // environment, so the variables must be set before the first load.
    unsafe { common::export_process_env(&fixture) };

    let (x1, x10, x100) = (all::<X1>(), all::<X10>(), all::<X100>());
    let rows: Vec<Row> = (0..x1.len())
        .map(|i| Row { name: x1[i].0, usage: [x1[i].1, x10[i].1, x100[i].1].map(|load| measure(|| load(&fixture))) })
        .collect();

    println!("allocations and bytes asked for per load; peak: most heap held at once during the load");
    println!();
    println!(
        "| contender | 1x allocations | 1x bytes | 10x allocations | 10x bytes | 100x allocations | 100x bytes | 100x peak heap |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for row in &rows {
        let [a, b, c] = row.usage;
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            row.name,
            a.allocations,
            kib(a.bytes),
            b.allocations,
            kib(b.bytes),
            c.allocations,
            kib(c.bytes),
            kib(c.peak)
        );
    }

    get_config_for::<settings::Settings>(Environment::Development)
        .unwrap_or_else(|e| panic!("the first get_config_for: {e}"));
    let cached = measure(|| get_config_for::<settings::Settings>(Environment::Development));
    println!();
    println!("cached get_config_for: {} allocations, {} bytes", cached.allocations, cached.bytes);
}
