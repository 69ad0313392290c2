//! Load time of phoenix-config against figment, config-rs and confique, in
//! one run: the Phoenix settings from `base.yaml` + `development.yaml` +
//! `.env` + about ten variables, at 1x, 10x and 100x the keys, and the
//! cached `get_config_for` call. What each contender does per load is in
//! `benches/common/mod.rs`; `tests/contenders.rs` checks that all of them
//! produce equal structs from the same inputs.
//!
//! `cargo bench --bench load` (add `-- --warm-up-time 1 --measurement-time 3`
//! for a short run).

mod common;

use std::hint::black_box;

use common::shapes::{self, Shape};
use common::{Fixture, Scale, X1, X10, X100, settings};
use criterion::{BenchmarkId, Criterion, Throughput};
use phoenix_config::{Environment, get_config_for};

fn contest<S: Scale>(c: &mut Criterion, fixture: &Fixture) {
    let name = format!("load/{}x", S::FACTOR);
    let mut group = c.benchmark_group(&name);
    // 61 keys and list items per copy of the Phoenix settings.
    group.throughput(Throughput::Elements(61 * S::FACTOR as u64));
    group.bench_function(BenchmarkId::from_parameter("phoenix-config"), |b| {
        b.iter(|| black_box(common::phoenix::<S>(fixture)));
    });
    group.bench_function(BenchmarkId::from_parameter("phoenix-config (process env)"), |b| {
        b.iter(|| black_box(common::phoenix_process_env::<S>(fixture)));
    });
    group.bench_function(BenchmarkId::from_parameter("phoenix-config (with origins)"), |b| {
        b.iter(|| black_box(common::phoenix_with_origins::<S>(fixture)));
    });
    group.bench_function(BenchmarkId::from_parameter("figment"), |b| {
        b.iter(|| black_box(common::figment::<S>(fixture)));
    });
    group.bench_function(BenchmarkId::from_parameter("config-rs"), |b| {
        b.iter(|| black_box(common::config_rs::<S>(fixture)));
    });
    group.bench_function(BenchmarkId::from_parameter("confique"), |b| {
        b.iter(|| black_box(common::confique::<S>(fixture)));
    });
    group.finish();
}

/// Large maps, two of them merged, long lists (phoenix-config alone): the
/// cost per key must stay flat from 600 to 6,000 keys (and 40,000).
fn shapes(c: &mut Criterion, fixture: &Fixture) {
    for shape in Shape::ALL {
        let mut group = c.benchmark_group(format!("shapes/{}", shape.name()));
        let sizes: &[usize] = if matches!(shape, Shape::Map) { &[600, 6_000, 40_000] } else { &[600, 6_000] };
        for &n in sizes {
            let dir = shapes::write(fixture.scratch(), shape, n);
            let loaded = shapes::load(&dir);
            assert_eq!(loaded.len(), shape.size(n), "{shape:?} {n}");
            group.throughput(Throughput::Elements(shape.size(n) as u64));
            group.bench_function(BenchmarkId::from_parameter(n), |b| b.iter(|| black_box(shapes::load(&dir))));
        }
        group.finish();
    }
}

fn cached(c: &mut Criterion) {
    // The first call loads `./config` (cargo runs benches from the package
    // root) with the exported variables; every later call is the cache.
    let first = get_config_for::<settings::Settings>(Environment::Development);
    first.unwrap_or_else(|e| panic!("the first get_config_for: {e}"));
    c.bench_function("cached/get_config_for", |b| {
        b.iter(|| black_box(get_config_for::<settings::Settings>(black_box(Environment::Development))));
    });
}

fn main() {
    let fixture = Fixture::new();
    // SAFETY: nothing else runs yet (criterion starts no thread without its
    // `rayon` feature): figment and confique read only the process
    // environment, so the variables must be set before the first load.
    unsafe { common::export_process_env(&fixture) };
    let mut c = Criterion::default().configure_from_args();
    contest::<X1>(&mut c, &fixture);
    contest::<X10>(&mut c, &fixture);
    contest::<X100>(&mut c, &fixture);
    shapes(&mut c, &fixture);
    cached(&mut c);
    c.final_summary();
}
