//! No plaintext left behind (DESIGN §7): after a secret is loaded through a
//! secret file (`NAME_FILE`), YAML, `.env` or an injected variable and
//! everything is dropped, no freed heap block holds a copy of it.
//!
//! How it works: this test binary's global allocator checks every block as
//! it is freed (reallocations free the old block through it too) for the
//! canary's bytes while a scan is armed, and counts the blocks that still
//! hold it. Each case arms the scan, loads, checks the value, drops
//! everything and disarms; the count must be zero. The test inputs are
//! static bytes, so the test itself puts no copy on the heap.
//!
//! What it cannot see: memory that is never freed (a leak, a cache still
//! alive), copies on the stack or in registers, buffers of the operating
//! system (the page cache, pipes, swap) and of C libraries allocating
//! outside Rust's allocator, and a copy that is freed only after the scan
//! is disarmed (a background thread's). It sees the canary only whole and
//! as written (not encoded, split across blocks or transformed).
//!
//! The tests run one at a time: each holds a lock for its whole body, set-up
//! included, since the allocator is global and one test's set-up freeing a
//! block would be counted by another test's armed scan. The inputs are built
//! at their final capacity, so building them frees no copy either.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use common::Scratch;
use phoenix_config::{ConfigLoader, PhoenixConfig, Secret};

/// The secret looked for in freed memory.
const CANARY: &[u8] = b"HEAPCANARY-7d1f93ab-e2c4";

static ARMED: AtomicBool = AtomicBool::new(false);
static FOUND: AtomicUsize = AtomicUsize::new(0);

/// The system allocator, checking freed blocks for [`CANARY`] while armed.
struct Scanning;

fn holds_canary(block: &[u8]) -> bool {
    block.windows(CANARY.len()).any(|w| w == CANARY)
}

// SAFETY: every call is forwarded to `System` with the same arguments; the
// scan only reads the block about to be freed, which is still allocated.
unsafe impl GlobalAlloc for Scanning {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded as is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if ARMED.load(Ordering::Relaxed) && layout.size() >= CANARY.len() {
            // SAFETY: `ptr` points to a live block of `layout.size()` bytes
            // (the caller's contract), initialized or not: only read as bytes.
            let block = unsafe { std::slice::from_raw_parts(ptr, layout.size()) };
            if holds_canary(block) {
                FOUND.fetch_add(1, Ordering::Relaxed);
            }
        }
        // SAFETY: forwarded as is.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Scanning = Scanning;

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

#[derive(PhoenixConfig)]
struct Settings {
    #[env("HEAP_PASSWORD")]
    password: Secret<String>,
}

/// Holds the allocator for one test, from its set-up to its end.
fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// `head`, the canary and `tail` in one buffer allocated once at its final
/// size (growing it would free a block holding the canary, unwiped).
fn with_canary(head: &[u8], tail: &[u8]) -> zeroize::Zeroizing<Vec<u8>> {
    let mut bytes = Vec::with_capacity(head.len() + CANARY.len() + tail.len());
    bytes.extend_from_slice(head);
    bytes.extend_from_slice(CANARY);
    bytes.extend_from_slice(tail);
    zeroize::Zeroizing::new(bytes)
}

/// Loads with the scan armed, checks the value, drops everything; returns
/// how many freed blocks held the canary. The caller holds [`one_at_a_time`].
fn freed_copies(loader: impl FnOnce() -> ConfigLoader) -> usize {
    FOUND.store(0, Ordering::Relaxed);
    ARMED.store(true, Ordering::Relaxed);
    {
        let loader = loader();
        let settings: Settings = loader.load().unwrap_or_else(|e| panic!("{e}"));
        assert!(settings.password.expose().as_bytes() == CANARY, "the secret loads");
    }
    ARMED.store(false, Ordering::Relaxed);
    FOUND.load(Ordering::Relaxed)
}

fn canary() -> &'static str {
    std::str::from_utf8(CANARY).unwrap()
}

#[test]
fn the_scan_sees_a_freed_copy() {
    let _one = one_at_a_time();
    FOUND.store(0, Ordering::Relaxed);
    ARMED.store(true, Ordering::Relaxed);
    drop(std::hint::black_box(canary().to_owned()));
    ARMED.store(false, Ordering::Relaxed);
    assert_eq!(FOUND.load(Ordering::Relaxed), 1, "a plain String is freed unwiped");
    // A wiped one is not seen.
    FOUND.store(0, Ordering::Relaxed);
    ARMED.store(true, Ordering::Relaxed);
    drop(std::hint::black_box(zeroize::Zeroizing::new(canary().to_owned())));
    drop(std::hint::black_box(Secret::new(canary().to_owned())));
    ARMED.store(false, Ordering::Relaxed);
    assert_eq!(FOUND.load(Ordering::Relaxed), 0);
}

/// The decoded plaintext of a `base64:` or `enc:v1:` value lives only in
/// buffers this crate wipes (the tree holds the encoded text).
#[test]
fn decoding_leaves_no_plaintext() {
    use base64::Engine as _;

    let _one = one_at_a_time();
    let s = Scratch::new();
    let encoded = format!("base64:{}", base64::engine::general_purpose::STANDARD.encode(CANARY));
    assert_eq!(freed_copies(|| s.loader(&[]).no_dotenv().env_vars([("HEAP_PASSWORD", encoded.as_str())])), 0);
    let key = phoenix_config::secret::keygen("heap").unwrap();
    let keys = phoenix_config::secret::KeyRing::from_vars([("PHOENIX_CONFIG_KEY", key.expose().as_str())]).unwrap();
    let sealed = phoenix_config::secret::encrypt(canary(), &keys).unwrap();
    let vars = [("HEAP_PASSWORD", sealed.as_str()), ("CONFIG_KEY", key.expose().as_str())];
    assert_eq!(freed_copies(|| s.loader(&[]).no_dotenv().env_vars(vars)), 0);
}

#[test]
fn an_injected_variable_leaves_no_copy() {
    let _one = one_at_a_time();
    let s = Scratch::new();
    let found = freed_copies(|| s.loader(&[]).no_dotenv().env_vars([("HEAP_PASSWORD", canary())]));
    assert_eq!(found, 0, "freed blocks still holding the secret");
}

#[test]
fn a_secret_file_leaves_no_copy() {
    let _one = one_at_a_time();
    let s = Scratch::new();
    let file = s.path().join("run/password");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, CANARY).unwrap();
    let found = freed_copies(|| s.loader(&[]).no_dotenv().env_vars([("HEAP_PASSWORD_FILE", file.to_str().unwrap())]));
    assert_eq!(found, 0, "freed blocks still holding the secret");
}

#[test]
fn a_yaml_file_leaves_no_copy() {
    let _one = one_at_a_time();
    let s = Scratch::new();
    std::fs::create_dir_all(s.path().join("config")).unwrap();
    std::fs::write(s.path().join("config/base.yaml"), with_canary(b"password: ", b"\n").as_slice()).unwrap();
    let found = freed_copies(|| s.loader(&[]).no_dotenv());
    assert_eq!(found, 0, "freed blocks still holding the secret");
}

#[test]
fn a_dotenv_file_leaves_no_copy() {
    let _one = one_at_a_time();
    let s = Scratch::new();
    std::fs::write(s.path().join(".env"), with_canary(b"HEAP_PASSWORD=", b"\n").as_slice()).unwrap();
    let found = freed_copies(|| s.loader(&[]));
    assert_eq!(found, 0, "freed blocks still holding the secret");
}

/// Freed copies after loading the secret from a `.env` file holding
/// `head`, the canary and `tail`, with these injected variables.
fn dotenv_copies(head: &[u8], tail: &[u8], vars: &[(&str, &str)]) -> usize {
    let s = Scratch::new();
    std::fs::write(s.path().join(".env"), with_canary(head, tail).as_slice()).unwrap();
    freed_copies(|| s.loader(vars))
}

#[test]
fn quoted_dotenv_values_leave_no_copy() {
    let _one = one_at_a_time();
    assert_eq!(dotenv_copies(b"HEAP_PASSWORD=\"", b"\"\n", &[]), 0, "double quotes");
    assert_eq!(dotenv_copies(b"HEAP_PASSWORD='", b"'\n", &[]), 0, "single quotes");
    assert_eq!(dotenv_copies(b"A=\"\\t\\$\"\nHEAP_PASSWORD=\"", b"\"\r\nB=1\n", &[]), 0, "after escapes, CRLF");
}

/// An expansion's result, and the values it takes (an entry above, an
/// injected variable), are wiped too; so is a result that grew piece by
/// piece.
#[test]
fn expanded_dotenv_values_leave_no_copy() {
    let _one = one_at_a_time();
    assert_eq!(dotenv_copies(b"A=", b"\nHEAP_PASSWORD=${A}\n", &[]), 0, "from an entry above");
    assert_eq!(dotenv_copies(b"A=\"", b"\"\nHEAP_PASSWORD=\"$A\"\n", &[]), 0, "quoted, from an entry above");
    let s = Scratch::new();
    std::fs::write(s.path().join(".env"), b"HEAP_PASSWORD=${V:-x}\n").unwrap();
    assert_eq!(freed_copies(|| s.loader(&[("V", canary())])), 0, "from an injected variable");
    let s = Scratch::new();
    std::fs::write(s.path().join(".env"), b"A=HEAPCANARY-\nB=7d1f93ab\nHEAP_PASSWORD=${A}${B}-${C:-e2c4}\n").unwrap();
    assert_eq!(freed_copies(|| s.loader(&[])), 0, "built in pieces");
}

/// A file value interpolated from a variable or a `.env` entry: the
/// values the expansion takes and its result are wiped too.
#[test]
fn an_interpolated_file_value_leaves_no_copy() {
    let _one = one_at_a_time();
    let s = Scratch::new();
    std::fs::create_dir_all(s.path().join("config")).unwrap();
    std::fs::write(s.path().join("config/base.yaml"), b"password: \"${V}\"\n").unwrap();
    assert_eq!(freed_copies(|| s.loader(&[("V", canary())]).no_dotenv()), 0, "from a variable");
    std::fs::write(s.path().join(".env"), with_canary(b"V=", b"\n").as_slice()).unwrap();
    assert_eq!(freed_copies(|| s.loader(&[])), 0, "from .env");
    std::fs::write(s.path().join("config/base.yaml"), b"password: \"${A}${B}\"\n").unwrap();
    std::fs::write(s.path().join(".env"), b"A=HEAPCANARY-7d1f\nB=93ab-e2c4\n").unwrap();
    assert_eq!(freed_copies(|| s.loader(&[])), 0, "built in pieces");
}
