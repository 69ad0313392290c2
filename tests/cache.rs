//! One instance per process (DESIGN §9): `get_config`, `get_config_for`,
//! `reset_config_cache`.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex};

use phoenix_config::{Environment, PhoenixConfig, get_config, get_config_for, reset_config_cache};

/// The tests share the process-wide cache: run them one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

static RACE_LOADS: AtomicUsize = AtomicUsize::new(0);

#[allow(clippy::unnecessary_wraps, reason = "the signature `#[config(validate)]` asks for")]
fn count_race_load(_: &Raced) -> Result<(), String> {
    RACE_LOADS.fetch_add(1, Ordering::SeqCst);
    // Widen the window in which other threads could start a second load.
    std::thread::sleep(std::time::Duration::from_millis(20));
    Ok(())
}

/// Reads nothing but defaults: the repository's `config/` has other keys.
#[derive(PhoenixConfig)]
#[config(allow_unknown_keys, validate = count_race_load)]
struct Raced {
    #[config(default = 7)]
    value: u32,
}

#[test]
fn concurrent_first_calls_load_once_and_share_one_instance() {
    let _serial = serial();
    let threads = 16;
    let barrier = Arc::new(Barrier::new(threads));
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let barrier = Arc::clone(&barrier);
            std::thread::spawn(move || {
                barrier.wait();
                get_config_for::<Raced>(Environment::Testing).expect("loads")
            })
        })
        .collect();
    let instances: Vec<Arc<Raced>> = handles.into_iter().map(|h| h.join().expect("no panic")).collect();
    assert_eq!(RACE_LOADS.load(Ordering::SeqCst), 1, "one load for 16 racing callers");
    assert!(instances.iter().all(|i| Arc::ptr_eq(i, &instances[0])));
    assert_eq!(instances[0].value, 7);
    let again = get_config_for::<Raced>(Environment::Testing).unwrap();
    assert!(Arc::ptr_eq(&again, &instances[0]));
}

static FLAKY_SHOULD_FAIL: AtomicBool = AtomicBool::new(true);
static FLAKY_LOADS: AtomicUsize = AtomicUsize::new(0);

fn flaky_rule(_: &Flaky) -> Result<(), String> {
    FLAKY_LOADS.fetch_add(1, Ordering::SeqCst);
    if FLAKY_SHOULD_FAIL.load(Ordering::SeqCst) { Err("not yet".to_owned()) } else { Ok(()) }
}

#[derive(PhoenixConfig)]
#[config(allow_unknown_keys, validate = flaky_rule)]
struct Flaky {
    #[config(default = 1)]
    value: u32,
}

#[test]
fn a_failed_load_returns_its_error_and_the_next_call_tries_again() {
    let _serial = serial();
    let Err(err) = get_config_for::<Flaky>(Environment::Production) else { panic!("the first load fails") };
    assert!(err.to_string().contains("not yet"), "{err}");
    FLAKY_SHOULD_FAIL.store(false, Ordering::SeqCst);
    let first = get_config_for::<Flaky>(Environment::Production).expect("the second load works");
    let second = get_config_for::<Flaky>(Environment::Production).unwrap();
    assert!(Arc::ptr_eq(&first, &second));
    assert_eq!(first.value, 1);
    assert_eq!(FLAKY_LOADS.load(Ordering::SeqCst), 2);
}

static PER_ENV_LOADS: AtomicUsize = AtomicUsize::new(0);

#[allow(clippy::unnecessary_wraps, reason = "the signature `#[config(validate)]` asks for")]
fn count_per_env(_: &PerEnv) -> Result<(), String> {
    PER_ENV_LOADS.fetch_add(1, Ordering::SeqCst);
    Ok(())
}

#[derive(PhoenixConfig)]
#[config(allow_unknown_keys, validate = count_per_env)]
struct PerEnv {
    #[config(default = 1)]
    value: u32,
}

#[test]
fn each_environment_has_its_instance_and_reset_forgets_them() {
    let _serial = serial();
    let dev = get_config_for::<PerEnv>(Environment::Development).unwrap();
    let test = get_config_for::<PerEnv>(Environment::Testing).unwrap();
    assert!(!Arc::ptr_eq(&dev, &test));
    assert_eq!((dev.value, test.value), (1, 1));
    assert_eq!(PER_ENV_LOADS.load(Ordering::SeqCst), 2);
    // `get_config` uses the detected environment: one of the two, or a third.
    let detected = get_config::<PerEnv>().unwrap();
    let before = PER_ENV_LOADS.load(Ordering::SeqCst);
    assert!(Arc::ptr_eq(&detected, &get_config::<PerEnv>().unwrap()));
    assert_eq!(PER_ENV_LOADS.load(Ordering::SeqCst), before);
    reset_config_cache();
    let fresh = get_config_for::<PerEnv>(Environment::Development).unwrap();
    assert!(!Arc::ptr_eq(&fresh, &dev), "reset forgets the cached instance");
    assert_eq!(PER_ENV_LOADS.load(Ordering::SeqCst), before + 1);
}
