//! The one way an input file is read: by the loader (YAML, `.env`), by
//! secret files (`NAME_FILE`, the secrets folder) and by the watcher (content
//! hashes).
//!
//! - Never blocks: on Unix the open is `O_NONBLOCK | O_NOCTTY`, so a FIFO or
//!   a terminal swapped in for a file cannot hang the caller, and only a
//!   regular file (checked with `fstat` on the opened handle) is read.
//! - Bounded: never more than the cap plus one byte is read, whatever the
//!   file grows to while it is read.
//! - Wiped: the bytes live in a [`Zeroizing`] buffer that never reallocates
//!   behind its own back, so no copy of a secret file is left on the heap;
//!   a file that is parsed and dropped is read into the thread's [`Lent`]
//!   buffer, wiped when given back.
//!
//! It also keeps the record of a load ([`recorded`]): every file read or
//! looked for, how each looked when it was read, and the `..data` link of
//! every folder touched. [`whole_version`] uses it to apply a Kubernetes
//! volume update whole: when a folder's `..data` link moved during a load,
//! the load is run again.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::fs::{File, Metadata};
use std::hash::{DefaultHasher, Hasher};
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use zeroize::Zeroizing;

use crate::{ConfigError, Issue, IssueKind, Origin};

mod lent;
mod listing;
#[cfg(unix)]
mod os;

pub(crate) use lent::Lent;
pub(crate) use listing::list_folder;

/// A file read whole: its bytes and the `fstat` of the handle they came from.
pub(crate) struct FileRead {
    /// The content, wiped on drop.
    pub(crate) bytes: Zeroizing<Vec<u8>>,
    /// Metadata of the opened file (not of the path: it may have moved).
    pub(crate) meta: Metadata,
}

/// Why a file was not read.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// Nothing at the path (a dangling symbolic link included).
    NotFound,
    /// Its symbolic links form a loop.
    Loop,
    /// A folder, FIFO, device or socket: what it is, e.g. "a named pipe (FIFO)".
    NotRegular(&'static str),
    /// Over the cap: the size when `fstat` told it, `None` when it grew while read.
    TooLarge(Option<u64>),
    /// Any other failure to open or read.
    Io(io::Error),
}

/// Reads the regular file at `path` (symbolic links followed), at most `cap`
/// bytes, without blocking.
pub(crate) fn read_input(path: &Path, cap: u64) -> Result<FileRead, ReadError> {
    note_dir(path);
    let result = read_unrecorded(path, cap);
    note_read(path, result.as_ref().map(|read| (&read.meta, &read.bytes[..])));
    result
}

/// [`read_input`] into a buffer lent by this thread ([`Lent`]): a file
/// that is parsed and dropped (a layer file, `.env`) takes no allocation
/// of its own. The buffer is wiped when it is given back.
pub(crate) fn read_input_lent(path: &Path, cap: u64) -> Result<Lent, ReadError> {
    note_dir(path);
    let result = open_regular(path, cap).and_then(|(file, meta)| {
        let mut lent = Lent::take();
        read_into(file, meta.len(), cap, lent.bytes())?;
        Ok((lent, meta))
    });
    note_read(path, result.as_ref().map(|(lent, meta)| (meta, &lent[..])));
    result.map(|(lent, _)| lent)
}

pub(crate) fn read_unrecorded(path: &Path, cap: u64) -> Result<FileRead, ReadError> {
    let (file, meta) = open_regular(path, cap)?;
    let bytes = read_bounded(file, meta.len(), cap)?;
    Ok(FileRead { bytes, meta })
}

/// The file at `path` opened, when it is a regular file within `cap`.
fn open_regular(path: &Path, cap: u64) -> Result<(File, Metadata), ReadError> {
    let file = open(path).map_err(classify)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind_of(&meta)));
    }
    if meta.len() > cap {
        return Err(ReadError::TooLarge(Some(meta.len())));
    }
    Ok((file, meta))
}

/// Opens a file to read; on Unix without blocking (a FIFO without a writer
/// opens at once) and without becoming a controlling terminal.
#[cfg(unix)]
pub(crate) fn open(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    std::fs::OpenOptions::new().read(true).custom_flags(os::O_NONBLOCK | os::O_NOCTTY).open(path)
}

#[cfg(not(unix))]
pub(crate) fn open(path: &Path) -> io::Result<File> {
    File::open(path)
}

fn classify(e: io::Error) -> ReadError {
    if is_symlink_loop(&e) {
        ReadError::Loop
    } else if e.kind() == io::ErrorKind::NotFound {
        ReadError::NotFound
    } else {
        ReadError::Io(e)
    }
}

/// Whether an error is "too many levels of symbolic links".
pub(crate) fn is_symlink_loop(e: &io::Error) -> bool {
    #[cfg(unix)]
    let code = Some(os::ELOOP);
    #[cfg(windows)]
    let code = Some(1921); // ERROR_CANT_RESOLVE_FILENAME
    #[cfg(not(any(unix, windows)))]
    let code = None;
    code.is_some() && e.raw_os_error() == code
}

/// What a file that is not a regular file is, for messages.
pub(crate) fn kind_of(meta: &Metadata) -> &'static str {
    if meta.is_dir() { "a directory" } else { special_kind(meta.file_type()) }
}

#[cfg(unix)]
fn special_kind(kind: std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        "a named pipe (FIFO)"
    } else if kind.is_char_device() {
        "a character device"
    } else if kind.is_block_device() {
        "a block device"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn special_kind(_: std::fs::FileType) -> &'static str {
    "a special file"
}

/// Reads to the end, at most `cap + 1` bytes, into a buffer that is only
/// ever replaced by a bigger wiped one (no reallocation leaves a copy).
///
/// The size from `fstat` is a hint: one `read` of one byte more than the
/// size usually gets it all, and when it returns exactly the size the file
/// is at its end (which saves the second `read` that finds the end). Any
/// other count reads on to the end, still bounded.
fn read_bounded(file: File, expected: u64, cap: u64) -> Result<Zeroizing<Vec<u8>>, ReadError> {
    let mut bytes = Zeroizing::new(Vec::new());
    read_into(file, expected, cap, &mut bytes)?;
    Ok(bytes)
}

/// [`read_bounded`] into `bytes` (empty; a lent buffer may already have
/// room): the first `read` asks for the expected size plus one byte, not
/// for all the room there is.
fn read_into(mut file: File, expected: u64, cap: u64, bytes: &mut Zeroizing<Vec<u8>>) -> Result<(), ReadError> {
    let first = usize::try_from(expected.min(cap)).unwrap_or(usize::MAX).saturating_add(1);
    // Empty: nothing is left behind if this moves the buffer.
    bytes.reserve_exact(first);
    let limit = usize::try_from(cap).unwrap_or(usize::MAX).saturating_add(1);
    let mut reads = 0;
    loop {
        if bytes.len() == bytes.capacity() {
            grow(bytes, limit);
        }
        let room = if reads == 0 { first } else { bytes.capacity() - bytes.len() };
        let n = read_some(&mut file, bytes, room)?;
        reads += 1;
        if n == 0 || (reads == 1 && bytes.len() as u64 == expected) {
            break;
        }
        if bytes.len() >= limit {
            return Err(ReadError::TooLarge(None));
        }
    }
    Ok(())
}

/// Replaces the buffer by a bigger one holding the same bytes; the old one
/// is wiped as it drops.
fn grow(bytes: &mut Zeroizing<Vec<u8>>, limit: usize) {
    let capacity = bytes.capacity().saturating_mul(2).clamp(64, limit.max(64));
    let mut bigger = Zeroizing::new(Vec::with_capacity(capacity));
    bigger.extend_from_slice(bytes);
    *bytes = bigger;
}

/// One `read` of at most `room` bytes into the spare capacity (never beyond it).
fn read_some(file: &mut File, bytes: &mut Zeroizing<Vec<u8>>, room: usize) -> Result<usize, ReadError> {
    let len = bytes.len();
    let spare = (bytes.capacity() - len).min(room);
    bytes.resize(len + spare, 0);
    loop {
        match file.read(&mut bytes[len..]) {
            Ok(n) => {
                bytes.truncate(len + n);
                return Ok(n);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                bytes.truncate(len);
                return Err(ReadError::Io(e));
            }
        }
    }
}

/// Whether a warning about this file was already given (one per file and
/// process, not one per reload); `true` the first time.
pub(crate) fn first_warning(path: &Path) -> bool {
    static WARNED: Mutex<Option<HashSet<PathBuf>>> = Mutex::new(None);
    let mut warned = WARNED.lock().unwrap_or_else(PoisonError::into_inner);
    warned.get_or_insert_with(HashSet::new).insert(path.to_path_buf())
}

/// How a file looked when a load read it (or looked for it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum SeenAs {
    /// Read: its metadata and a hash of its content, length included.
    Read { meta: FileMeta, content: u64 },
    /// There but not read whole (not a regular file, over the cap, …): its metadata.
    Stat(FileMeta),
    /// Nothing there.
    Missing,
    /// A loop of symbolic links.
    Loop,
    /// `stat` failed otherwise.
    Unreadable(io::ErrorKind),
}

/// How a path looks to `stat` (symbolic links followed).
fn stat_seen(result: &io::Result<Metadata>) -> SeenAs {
    match result {
        Ok(meta) => SeenAs::Stat(FileMeta::of(meta)),
        Err(e) if is_symlink_loop(e) => SeenAs::Loop,
        Err(e) if e.kind() == io::ErrorKind::NotFound => SeenAs::Missing,
        Err(e) => SeenAs::Unreadable(e.kind()),
    }
}

/// The parts of a file's metadata that change when it is written, replaced
/// or renamed over.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct FileMeta {
    pub(crate) dev: u64,
    pub(crate) ino: u64,
    pub(crate) len: u64,
    pub(crate) mode: u32,
    /// Modification time, nanoseconds since the epoch.
    pub(crate) mtime: i128,
    /// Status change time, nanoseconds since the epoch (0 where unknown).
    pub(crate) ctime: i128,
}

impl FileMeta {
    /// From any metadata (a path's `stat` or an open file's `fstat`).
    pub(crate) fn of(meta: &Metadata) -> Self {
        let mtime = meta.modified().ok().map_or(0, nanos);
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt as _;
            FileMeta {
                dev: meta.dev(),
                ino: meta.ino(),
                len: meta.len(),
                mode: meta.mode(),
                mtime,
                ctime: i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec()),
            }
        }
        #[cfg(not(unix))]
        {
            FileMeta { dev: 0, ino: 0, len: meta.len(), mode: u32::from(meta.is_file()), mtime, ctime: 0 }
        }
    }
}

/// Nanoseconds since the epoch (negative before it).
pub(crate) fn nanos(time: std::time::SystemTime) -> i128 {
    match time.duration_since(std::time::UNIX_EPOCH) {
        Ok(after) => i128::try_from(after.as_nanos()).unwrap_or(i128::MAX),
        Err(before) => -i128::try_from(before.duration().as_nanos()).unwrap_or(i128::MAX),
    }
}

/// A hash of bytes with their length, so bytes moved from one file to the
/// next change both hashes.
pub(crate) fn content_hash(bytes: &[u8]) -> u64 {
    let mut hasher = DefaultHasher::new();
    hasher.write_u64(bytes.len() as u64);
    hasher.write(bytes);
    hasher.finish()
}

/// The record of one load: what it read or looked for, and the `..data`
/// link of every folder it touched, as they were before the first read there.
#[derive(Debug, Default)]
pub(crate) struct Record {
    /// Files in the order first touched, and how each looked when read.
    pub(crate) files: Vec<(PathBuf, SeenAs)>,
    index: HashMap<PathBuf, usize>,
    /// Folder → its `..data` link target (`None`: no such link).
    /// A load touches few folders (the config folder, `.env`'s, a secrets
    /// folder): a list, searched in order, costs less than hashing paths.
    volumes: Vec<(PathBuf, Option<OsString>)>,
    /// Whether files are kept, their contents hashed (a watcher's loads);
    /// otherwise only the `..data` links are.
    keep_files: bool,
}

impl Record {
    fn note_dir(&mut self, path: &Path) {
        let dir = path.parent().unwrap_or(Path::new(""));
        if !self.has_volume(dir) {
            self.volumes.push((dir.to_path_buf(), data_link(dir)));
        }
    }

    /// A folder listed before anything in it was read: its `..data` link is
    /// read only when the listing has one.
    fn note_listed(&mut self, dir: &Path, has_data_link: bool) {
        if !self.has_volume(dir) {
            self.volumes.push((dir.to_path_buf(), if has_data_link { data_link(dir) } else { None }));
        }
    }

    /// Whether the `..data` link of `dir` is already recorded.
    fn has_volume(&self, dir: &Path) -> bool {
        self.volumes.iter().any(|(seen, _)| seen == dir)
    }

    fn note(&mut self, path: &Path, seen: SeenAs) {
        if !self.keep_files {
            return;
        }
        if let Some(&i) = self.index.get(path) {
            self.files[i].1 = seen;
        } else {
            self.index.insert(path.to_path_buf(), self.files.len());
            self.files.push((path.to_path_buf(), seen));
        }
    }

    /// The first folder whose `..data` link moved since the load read it.
    /// Folders without a `..data` link are not volumes (a folder becomes one
    /// only when the kubelet creates it), so only links are read again.
    fn moved_volume(&self) -> Option<&Path> {
        self.volumes.iter().find(|(dir, link)| link.is_some() && data_link(dir) != *link).map(|(dir, _)| dir.as_path())
    }

    fn absorb(&mut self, inner: Record) {
        for (path, seen) in inner.files {
            self.note(&path, seen);
        }
        for (dir, link) in inner.volumes {
            if !self.has_volume(&dir) {
                self.volumes.push((dir, link));
            }
        }
    }
}

/// Where the `..data` link of a folder points (Kubernetes volumes), read once.
fn data_link(dir: &Path) -> Option<OsString> {
    std::fs::read_link(dir.join("..data")).ok().map(PathBuf::into_os_string)
}

thread_local! {
    /// The records of the loads running on this thread, innermost last.
    static RECORDS: RefCell<Vec<Record>> = const { RefCell::new(Vec::new()) };
}

fn with_record(f: impl FnOnce(&mut Record)) {
    RECORDS.with(|records| {
        if let Some(record) = records.borrow_mut().last_mut() {
            f(record);
        }
    });
}

fn note_dir(path: &Path) {
    with_record(|record| record.note_dir(path));
}

/// `stat` of a path (symbolic links followed), recorded as looked for: a
/// file that is checked and then not read is followed by a watcher too.
pub(crate) fn metadata(path: &Path) -> io::Result<Metadata> {
    let result = std::fs::metadata(path);
    with_record(|record| {
        record.note_dir(path);
        if record.keep_files {
            record.note(path, stat_seen(&result));
        }
    });
    result
}

/// Records a read: its metadata and bytes, or why it failed.
fn note_read(path: &Path, result: Result<(&Metadata, &[u8]), &ReadError>) {
    with_record(|record| {
        if !record.keep_files {
            return;
        }
        let seen = match result {
            Ok((meta, bytes)) => SeenAs::Read { meta: FileMeta::of(meta), content: content_hash(bytes) },
            Err(ReadError::NotFound) => SeenAs::Missing,
            Err(ReadError::Loop) => SeenAs::Loop,
            // Rare: one more `stat` for what a later look will compare with.
            Err(_) => stat_seen(&std::fs::metadata(path)),
        };
        record.note(path, seen);
    });
}

/// Records the candidate files of a layer that its load did not read, so a
/// watcher follows them too (a `testing.yaml` or `base.json` created later):
/// as missing when the layer loaded, which is what its look (the folder's
/// listing) saw; as they are now when it failed (two of them exist). Only
/// a watcher's loads keep files; other loads make no path.
pub(crate) fn note_unread<I: Iterator<Item = PathBuf>>(candidates: impl FnOnce() -> I, failed: bool) {
    with_record(|record| {
        if !record.keep_files {
            return;
        }
        for path in candidates() {
            if !record.index.contains_key(&path) {
                let seen = if failed { stat_seen(&std::fs::metadata(&path)) } else { SeenAs::Missing };
                record.note(&path, seen);
            }
        }
    });
}

/// Runs `f` keeping the record of what it reads: the `..data` links, and
/// the files when `keep_files` (or an enclosing record keeps them).
/// Records nest: an inner record is also kept by the outer one.
pub(crate) fn recorded<R>(keep_files: bool, f: impl FnOnce() -> R) -> (R, Record) {
    /// Pops the record even when `f` panics, so nothing is left half-recorded.
    struct Pop {
        armed: bool,
    }
    impl Drop for Pop {
        fn drop(&mut self) {
            if self.armed {
                RECORDS.with(|records| records.borrow_mut().pop());
            }
        }
    }
    let keep_files = keep_files || RECORDS.with(|records| records.borrow().last().is_some_and(|r| r.keep_files));
    RECORDS.with(|records| records.borrow_mut().push(Record { keep_files, ..Record::default() }));
    let mut guard = Pop { armed: true };
    let result = f();
    guard.armed = false;
    let record = RECORDS.with(|records| records.borrow_mut().pop()).unwrap_or_default();
    (result, record)
}

/// How many times a load runs again when a Kubernetes volume swapped its
/// `..data` link under it before giving up.
pub(crate) const WHOLE_VERSION_ATTEMPTS: usize = 5;

/// Runs a load until no folder's `..data` link moved while it ran, so every
/// file of a Kubernetes `ConfigMap` or `Secret` volume comes from one
/// version; the kubelet writes a new version to a new folder and swaps the
/// link, so a load that saw one link throughout read one version.
pub(crate) fn whole_version<T>(mut load: impl FnMut() -> Result<T, ConfigError>) -> Result<T, ConfigError> {
    let mut moved = PathBuf::new();
    for _ in 0..WHOLE_VERSION_ATTEMPTS {
        let (result, record) = recorded(false, &mut load);
        if let Some(dir) = record.moved_volume() {
            moved = dir.to_path_buf();
        } else {
            with_record(|outer| outer.absorb(record));
            return result;
        }
    }
    let shown = moved.display().to_string();
    Err(ConfigError::single(
        Issue::new(
            IssueKind::Io,
            "",
            format!(
                "the volume in {shown} changed its `..data` link during each of {WHOLE_VERSION_ATTEMPTS} loads \
                 in a row; nothing was applied, load again once it settles"
            ),
        )
        .with_origin(Origin::File { path: shown.into(), line: 1, column: 1 }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_regular_files_within_the_cap() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, b"hello").unwrap();
        let read = read_input(&path, 5).unwrap();
        assert_eq!(&read.bytes[..], b"hello");
        assert_eq!(read.meta.len(), 5);
        assert!(matches!(read_input(&path, 4), Err(ReadError::TooLarge(Some(5)))));
        assert!(matches!(read_input(&dir.path().join("nope"), 4), Err(ReadError::NotFound)));
        assert!(matches!(read_input(dir.path(), 4), Err(ReadError::NotRegular("a directory"))));
        std::fs::write(&path, b"").unwrap();
        assert!(read_input(&path, 0).unwrap().bytes.is_empty());
    }

    #[test]
    fn a_file_bigger_than_its_first_buffer_is_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        let content: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &content).unwrap();
        // As if the file had grown after the `fstat`: start from a small hint.
        let bytes = read_bounded(open(&path).unwrap(), 10, 1 << 20).unwrap();
        assert_eq!(&bytes[..], &content[..]);
        let over = read_bounded(open(&path).unwrap(), 10, 1000);
        assert!(matches!(over, Err(ReadError::TooLarge(None))));
    }

    #[cfg(unix)]
    #[test]
    fn fifos_devices_and_loops_are_refused_without_blocking() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success());
        if made {
            assert!(matches!(read_input(&fifo, 10), Err(ReadError::NotRegular("a named pipe (FIFO)"))));
        }
        assert!(matches!(read_input(Path::new("/dev/zero"), 10), Err(ReadError::NotRegular("a character device"))));
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        symlink(&a, &b).unwrap();
        symlink(&b, &a).unwrap();
        assert!(matches!(read_input(&a, 10), Err(ReadError::Loop)));
    }

    #[test]
    fn the_content_hash_counts_lengths() {
        assert_ne!(content_hash(b"ab"), content_hash(b"a"));
        let (one, two) = ([content_hash(b"ab"), content_hash(b"c")], [content_hash(b"a"), content_hash(b"bc")]);
        assert_ne!(one, two);
    }

    #[test]
    fn a_record_keeps_what_was_read_and_looked_for() {
        let dir = tempfile::tempdir().unwrap();
        let (here, gone) = (dir.path().join("here"), dir.path().join("gone"));
        std::fs::write(&here, b"x").unwrap();
        let ((), record) = recorded(true, || {
            let _ = read_input(&here, 10);
            let _ = read_input(&gone, 10);
            let _ = read_input(&here, 10);
        });
        assert_eq!(record.files.len(), 2);
        assert!(matches!(record.files[0].1, SeenAs::Read { content, .. } if content == content_hash(b"x")));
        assert_eq!(record.files[1], (gone.clone(), SeenAs::Missing));
        // Outside a record nothing is kept.
        let _ = read_input(&here, 10);
    }

    #[test]
    fn warnings_are_given_once_per_file() {
        let path = Path::new("/nonexistent/phoenix-config/first-warning");
        assert!(first_warning(path));
        assert!(!first_warning(path));
    }

    /// The kubelet's `AtomicWriter`: `..v1/{files}` holding `1`, `..v2/{files}`
    /// holding `2`, `..data -> ..v1`, and each file `f -> ..data/f`.
    #[cfg(unix)]
    fn volume(root: &Path, files: &[&str]) {
        use std::os::unix::fs::symlink;
        for (version, text) in [("..v1", "1"), ("..v2", "2")] {
            std::fs::create_dir(root.join(version)).unwrap();
            for file in files {
                std::fs::write(root.join(version).join(file), text).unwrap();
            }
        }
        symlink("..v1", root.join("..data")).unwrap();
        for file in files {
            symlink(format!("..data/{file}"), root.join(file)).unwrap();
        }
    }

    /// The kubelet's update: `..data` swapped to another version at once.
    #[cfg(unix)]
    fn swap_data(root: &Path, version: &str) {
        std::os::unix::fs::symlink(version, root.join("..tmp")).unwrap();
        std::fs::rename(root.join("..tmp"), root.join("..data")).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_data_swap_during_a_load_runs_it_again() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        volume(root, &["a", "b"]);
        let mut attempts = 0;
        let result = whole_version(|| {
            attempts += 1;
            let a = read_input(&root.join("a"), 10).unwrap().bytes.to_vec();
            if attempts == 1 {
                // The swap lands between the two reads of the first attempt.
                swap_data(root, "..v2");
            }
            let b = read_input(&root.join("b"), 10).unwrap().bytes.to_vec();
            Ok::<_, ConfigError>((a, b))
        })
        .unwrap();
        assert_eq!(attempts, 2);
        assert_eq!(result, (b"2".to_vec(), b"2".to_vec()));
    }

    #[cfg(unix)]
    #[test]
    fn a_listing_records_the_data_link_before_the_first_read() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        volume(root, &["a"]);
        let mut attempts = 0;
        let result = whole_version(|| {
            attempts += 1;
            let names = list_folder(root, |name| name == "a").unwrap();
            assert_eq!(names, ["a"]);
            if attempts == 1 {
                // The swap lands between the listing and the first read.
                swap_data(root, "..v2");
            }
            Ok::<_, ConfigError>(read_input(&root.join("a"), 10).unwrap().bytes.to_vec())
        })
        .unwrap();
        assert_eq!((attempts, result), (2, b"2".to_vec()));
        // A folder listed without a `..data` link is no volume.
        let plain = tempfile::tempdir().unwrap();
        let (names, record) = recorded(false, || list_folder(plain.path(), |_| true).unwrap());
        assert!(names.is_empty());
        assert_eq!(record.volumes, [(plain.path().to_path_buf(), None)]);
    }

    #[cfg(unix)]
    #[test]
    fn a_volume_that_never_settles_is_an_error_naming_it() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        std::fs::write(root.join("a"), "x").unwrap();
        symlink("..v0", root.join("..data")).unwrap();
        let mut n = 0;
        let error = whole_version(|| {
            let _ = read_input(&root.join("a"), 10);
            n += 1;
            swap_data(&root, &format!("..v{n}"));
            Ok::<_, ConfigError>(())
        })
        .unwrap_err();
        assert_eq!(n, WHOLE_VERSION_ATTEMPTS);
        let text = error.to_string();
        assert!(text.contains("changed its `..data` link during each of 5 loads"), "{text}");
    }
}
