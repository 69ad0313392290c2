//! The benchmark's contest is honest: phoenix-config, figment, config-rs and
//! confique load the same files, `.env` and variables into equal settings,
//! compared field by field (`plain::Scaled: PartialEq`), at every scale the
//! benches measure.

#[path = "../benches/common/mod.rs"]
mod common;

use common::{Fixture, Scale, ToPlain, X1, X10, X100, plain};

fn assert_all_equal<S: Scale>(fixture: &Fixture) -> plain::Scaled {
    let ours = common::phoenix::<S>(fixture).to_plain();
    assert_eq!(
        common::phoenix_process_env::<S>(fixture).to_plain(),
        ours,
        "phoenix-config (process env), {}x",
        S::FACTOR
    );
    assert_eq!(common::phoenix_with_origins::<S>(fixture).config().to_plain(), ours, "phoenix-config (origins)");
    assert_eq!(common::figment::<S>(fixture).to_plain(), ours, "figment, {}x", S::FACTOR);
    assert_eq!(common::config_rs::<S>(fixture).to_plain(), ours, "config-rs, {}x", S::FACTOR);
    assert_eq!(common::confique::<S>(fixture).to_plain(), ours, "confique, {}x", S::FACTOR);
    assert_eq!(ours.mirrors.len(), S::FACTOR - 1);
    ours
}

/// One test: it changes the process environment (figment and confique read
/// nothing else), which is only sound while no other test thread runs.
#[test]
fn every_contender_loads_the_same_settings() {
    let fixture = Fixture::new();
    // SAFETY: the only test of this binary; no other thread is running.
    unsafe { common::export_process_env(&fixture) };
    // Unoptimized, the 100x types need more than a test thread's 2 MiB of
    // stack (confique's layer of 99 mirrors, deserialized by serde_yaml).
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(64 << 20)
            .spawn_scoped(scope, || compare(&fixture))
            .expect("a thread")
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    });
}

fn compare(fixture: &Fixture) {
    let x1 = assert_all_equal::<X1>(fixture);
    // Every layer shows through: files, `.env`, variables, defaults.
    let s = &x1.main;
    assert_eq!(s.database.uri, "mongodb://db.internal:27017/phoenix", "variable over development.yaml");
    assert_eq!(s.database.name, "phoenix_bench", "variable over base.yaml");
    assert_eq!(s.database.max_pool_size, 5, "development.yaml over base.yaml");
    assert_eq!(s.collection.target_zipcodes, ["85001", "85003", "85004"], "a list is replaced whole");
    assert_eq!((s.proxy.enabled, s.proxy.port), (true, 8080), "typed from text");
    assert_eq!(s.proxy.password.as_deref(), Some("correct-horse-battery"));
    assert_eq!(s.api_keys.captcha.as_deref(), Some("cap-7d1e"), ".env");
    assert_eq!(s.logging.level, common::settings::LogLevel::Warn, "a variable beats .env");
    assert_eq!((s.processing.batch_size, s.processing.max_concurrency), (250, 8));
    assert_eq!(s.processing.llm_url, "http://ollama.internal:11434");
    assert_eq!(s.logging.file, None);

    let x10 = assert_all_equal::<X10>(fixture);
    assert_eq!(x10.main, x1.main, "the variables reach the main sections only");
    let mirror = &x10.mirrors[0];
    assert_eq!(mirror.database.uri, "mongodb://localhost:27017", "mirrors come from the files");
    assert_eq!(mirror.collection.target_zipcodes.len(), 3);
    assert!(x10.mirrors.iter().all(|m| m == mirror));

    let x100 = assert_all_equal::<X100>(fixture);
    assert_eq!(x100.mirrors[98], *mirror);
}
