//! What the watcher compares: a cheap look at every input.
//!
//! Stat first: a file is looked at with one `stat` (symbolic links
//! followed, so a swapped `..data` link shows as another inode); its content
//! is read and hashed only while its modification time is recent, where a
//! write within the same timestamp tick could keep every piece of metadata
//! equal (git's "racy" files). A missing file, a loop of links, an
//! unreadable path and a special file are told apart.
//!
//! [`ChangeSource`] is the seam for other inputs: anything that can say
//! cheaply how it looks now (a remote store's revision) can be followed.

use std::ffi::OsString;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use crate::read::{self, FileMeta, SeenAs};

/// How long after its modification a file's content is hashed as well:
/// timestamps are coarse (a jiffy on Linux, a second or two on some file
/// systems), so a rewrite within one tick may keep the same size and time.
pub(crate) const RACY: Duration = Duration::from_secs(2);

/// When a look happens, and how recent a file must be to be hashed.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Look {
    pub(crate) now: SystemTime,
    pub(crate) racy: Duration,
    /// The most bytes hashed of one file.
    pub(crate) max_bytes: u64,
}

impl Look {
    pub(crate) fn now(racy: Duration, max_bytes: u64) -> Self {
        Look { now: SystemTime::now(), racy, max_bytes }
    }

    fn is_recent(&self, meta: &FileMeta) -> bool {
        let racy = i128::try_from(self.racy.as_nanos()).unwrap_or(i128::MAX);
        read::nanos(self.now).saturating_sub(meta.mtime.max(meta.ctime)) < racy
    }
}

/// Something a watcher follows: it can say cheaply how it looks now.
/// Files and folders today; a remote source (its revision) can be one too.
pub(crate) trait ChangeSource: Send + Sync + fmt::Debug {
    /// What it follows, e.g. a path: two sources of one key are the same input.
    fn key(&self) -> &Path;
    /// How it looks now.
    fn observe(&self, look: &Look) -> Observed;
}

/// How an input looks. Compare with [`Observed::same`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Observed {
    /// Nothing at the path (a dangling link included).
    Missing,
    /// Its symbolic links form a loop.
    Loop,
    /// `stat` failed otherwise (permissions, I/O), with the error kind.
    Unreadable(io::ErrorKind),
    /// A folder, FIFO, device or socket.
    Special(FileMeta),
    /// A regular file; `content` when it was read or recent.
    File { meta: FileMeta, content: Option<u64> },
    /// A folder's entries by name, each as it looks.
    Dir(FileMeta, Vec<(OsString, Observed)>),
    /// A Kubernetes volume: the folder and where its `..data` link points.
    /// The kubelet never changes a version's folder once it is linked (the
    /// volume is mounted read-only; an update is a new folder and a swap of
    /// the link), so the link and the folder tell every change of its files.
    Volume(FileMeta, OsString),
    /// A version number told by a custom source's change hook
    /// ([`Watch::changes`](crate::source::Watch::changes)), or a fake
    /// source of the engine's tests.
    Revision(u64),
}

impl Observed {
    /// Whether nothing changed between two looks: contents are compared
    /// only when both looks hashed them.
    pub(crate) fn same(&self, other: &Observed) -> bool {
        match (self, other) {
            (Observed::File { meta: a, content: x }, Observed::File { meta: b, content: y }) => {
                a == b && (x.is_none() || y.is_none() || x == y)
            }
            (Observed::Dir(a, x), Observed::Dir(b, y)) => a == b && all_same_entries(x, y),
            _ => self == other,
        }
    }

    /// How a load saw a file it read or looked for.
    pub(crate) fn from_seen(seen: &SeenAs) -> Observed {
        match seen {
            SeenAs::Read { meta, content } => Observed::File { meta: *meta, content: Some(*content) },
            SeenAs::Stat(meta) if is_regular(meta) => Observed::File { meta: *meta, content: None },
            SeenAs::Stat(meta) => Observed::Special(*meta),
            SeenAs::Missing => Observed::Missing,
            SeenAs::Loop => Observed::Loop,
            SeenAs::Unreadable(kind) => Observed::Unreadable(*kind),
        }
    }
}

fn all_same_entries(x: &[(OsString, Observed)], y: &[(OsString, Observed)]) -> bool {
    x.len() == y.len() && x.iter().zip(y).all(|((m, a), (n, b))| m == n && a.same(b))
}

/// Whether two lists of looks (one per source, in order) are the same.
pub(crate) fn all_same(x: &[Observed], y: &[Observed]) -> bool {
    x.len() == y.len() && x.iter().zip(y).all(|(a, b)| a.same(b))
}

/// Looks at every source.
pub(crate) fn observe_all(sources: &[std::sync::Arc<dyn ChangeSource>], look: &Look) -> Vec<Observed> {
    sources.iter().map(|source| source.observe(look)).collect()
}

#[cfg(unix)]
fn is_regular(meta: &FileMeta) -> bool {
    meta.mode & 0o170_000 == 0o100_000
}

#[cfg(not(unix))]
fn is_regular(meta: &FileMeta) -> bool {
    meta.mode == 1
}

/// One `stat` of a path, symbolic links followed; content hashed when recent.
pub(crate) fn observe_path(path: &Path, look: &Look) -> Observed {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => {
            let meta = FileMeta::of(&meta);
            let content = if look.is_recent(&meta) { hash(path, look.max_bytes) } else { None };
            Observed::File { meta, content }
        }
        Ok(meta) => Observed::Special(FileMeta::of(&meta)),
        Err(e) if read::is_symlink_loop(&e) => Observed::Loop,
        Err(e) if e.kind() == io::ErrorKind::NotFound => Observed::Missing,
        Err(e) => Observed::Unreadable(e.kind()),
    }
}

/// The content hash, through the one read helper (non-blocking, bounded:
/// a FIFO swapped in after the `stat` is refused, never waited on).
fn hash(path: &Path, max_bytes: u64) -> Option<u64> {
    read::read_input(path, max_bytes).ok().map(|read| read::content_hash(&read.bytes))
}

/// A file the load read or looked for.
#[derive(Debug)]
pub(crate) struct FileSource {
    path: PathBuf,
}

impl FileSource {
    pub(crate) fn new(path: PathBuf) -> Self {
        FileSource { path }
    }
}

impl ChangeSource for FileSource {
    fn key(&self) -> &Path {
        &self.path
    }

    fn observe(&self, look: &Look) -> Observed {
        observe_path(&self.path, look)
    }
}

/// A folder whose every file counts (the secrets folder): its entries are
/// listed again only when the folder itself changed; each entry is looked
/// at. A Kubernetes volume (a folder with a `..data` link) is looked at as
/// one: the folder's `stat` and the link's target, two calls whatever the
/// number of files.
#[derive(Debug)]
pub(crate) struct DirSource {
    path: PathBuf,
    listing: Mutex<Option<(FileMeta, Vec<OsString>)>>,
}

impl DirSource {
    pub(crate) fn new(path: PathBuf) -> Self {
        DirSource { path, listing: Mutex::new(None) }
    }

    /// The entry names, sorted; read again only when the folder changed.
    fn names(&self, meta: FileMeta) -> io::Result<Vec<OsString>> {
        let mut listing = self.listing.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((seen, names)) = &*listing
            && *seen == meta
        {
            return Ok(names.clone());
        }
        let mut names =
            std::fs::read_dir(&self.path)?.map(|entry| entry.map(|e| e.file_name())).collect::<Result<Vec<_>, _>>()?;
        names.sort();
        *listing = Some((meta, names.clone()));
        Ok(names)
    }
}

impl ChangeSource for DirSource {
    fn key(&self) -> &Path {
        &self.path
    }

    fn observe(&self, look: &Look) -> Observed {
        let meta = match std::fs::metadata(&self.path) {
            Ok(meta) if meta.is_dir() => FileMeta::of(&meta),
            _ => return observe_path(&self.path, look),
        };
        if let Ok(data) = std::fs::read_link(self.path.join("..data")) {
            return Observed::Volume(meta, data.into_os_string());
        }
        match self.names(meta) {
            Ok(names) => Observed::Dir(
                meta,
                names
                    .into_iter()
                    .map(|name| (observe_path(&self.path.join(&name), look), name))
                    .map(|(o, n)| (n, o))
                    .collect(),
            ),
            Err(e) => Observed::Unreadable(e.kind()),
        }
    }
}

/// A custom source's change hook ([`Watch::changes`](crate::source::Watch::changes)):
/// it looks like the version number the hook returns.
pub(crate) struct HookSource {
    /// `source <description>`: what the source is, as the key of the input.
    key: PathBuf,
    hook: crate::source::ChangeHook,
}

impl HookSource {
    pub(crate) fn new(description: &str, hook: crate::source::ChangeHook) -> Self {
        HookSource { key: PathBuf::from(format!("source {description}")), hook }
    }
}

impl fmt::Debug for HookSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HookSource").field("key", &self.key).finish_non_exhaustive()
    }
}

impl ChangeSource for HookSource {
    fn key(&self) -> &Path {
        &self.key
    }

    fn observe(&self, _: &Look) -> Observed {
        Observed::Revision(self.hook.version())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn look() -> Look {
        Look::now(RACY, 1 << 20)
    }

    fn old_look() -> Look {
        // Files written now look old to a look that hashes nothing.
        Look { racy: Duration::ZERO, ..look() }
    }

    #[test]
    fn missing_loop_unreadable_and_special_are_told_apart() {
        let dir = tempfile::tempdir().unwrap();
        let gone = observe_path(&dir.path().join("gone"), &look());
        assert_eq!(gone, Observed::Missing);
        assert!(matches!(observe_path(dir.path(), &look()), Observed::Special(_)));
        #[cfg(unix)]
        {
            use std::os::unix::fs::symlink;
            let (a, b) = (dir.path().join("a"), dir.path().join("b"));
            symlink(&a, &b).unwrap();
            symlink(&b, &a).unwrap();
            assert_eq!(observe_path(&a, &look()), Observed::Loop);
            let file = dir.path().join("f");
            std::fs::write(&file, "x").unwrap();
            // A path through a file, not a folder: neither missing nor a loop.
            let through = observe_path(&file.join("below"), &look());
            assert!(matches!(through, Observed::Unreadable(_)), "{through:?}");
        }
        let kinds = [Observed::Missing, Observed::Loop, Observed::Unreadable(io::ErrorKind::PermissionDenied)];
        for (i, a) in kinds.iter().enumerate() {
            for (j, b) in kinds.iter().enumerate() {
                assert_eq!(a.same(b), i == j);
            }
        }
    }

    #[test]
    fn recent_files_are_hashed_and_old_ones_only_stated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, "level: 2\n").unwrap();
        let Observed::File { content, .. } = observe_path(&path, &look()) else { panic!() };
        assert_eq!(content, Some(read::content_hash(b"level: 2\n")));
        let Observed::File { content, .. } = observe_path(&path, &old_look()) else { panic!() };
        assert_eq!(content, None);
    }

    #[test]
    fn a_same_size_rewrite_within_one_tick_is_seen_by_its_hash() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, "level: 2\n").unwrap();
        let before = observe_path(&path, &look());
        let Observed::File { meta, .. } = before.clone() else { panic!() };
        // The same metadata with other content: only the hash tells them apart.
        let after = Observed::File { meta, content: Some(read::content_hash(b"level: 3\n")) };
        assert!(!before.same(&after));
        assert!(before.same(&Observed::File { meta, content: None }));
    }

    #[test]
    fn bytes_moved_across_files_change_the_look() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::write(&a, "ab").unwrap();
        std::fs::write(&b, "c").unwrap();
        let before = [observe_path(&a, &look()), observe_path(&b, &look())];
        std::fs::write(&a, "a").unwrap();
        std::fs::write(&b, "bc").unwrap();
        let after = [observe_path(&a, &look()), observe_path(&b, &look())];
        assert!(!all_same(&before, &after));
    }

    #[test]
    fn a_folder_lists_new_files_and_looks_at_each() {
        let dir = tempfile::tempdir().unwrap();
        let source = DirSource::new(dir.path().to_path_buf());
        let empty = source.observe(&look());
        assert!(matches!(&empty, Observed::Dir(_, entries) if entries.is_empty()));
        std::fs::write(dir.path().join("token"), "t").unwrap();
        let one = source.observe(&look());
        assert!(!one.same(&empty));
        assert!(one.same(&source.observe(&look())));
        std::fs::write(dir.path().join("token"), "longer").unwrap();
        assert!(!one.same(&source.observe(&look())));
    }

    #[cfg(unix)]
    #[test]
    fn a_kubernetes_volume_is_looked_at_through_its_data_link() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for version in ["..v1", "..v2"] {
            std::fs::create_dir(root.join(version)).unwrap();
            std::fs::write(root.join(version).join("token"), version).unwrap();
        }
        symlink("..v1", root.join("..data")).unwrap();
        symlink("..data/token", root.join("token")).unwrap();
        let source = DirSource::new(root.to_path_buf());
        let before = source.observe(&look());
        assert!(matches!(&before, Observed::Volume(_, data) if data == "..v1"), "{before:?}");
        assert!(before.same(&source.observe(&look())));
        symlink("..v2", root.join("..tmp")).unwrap();
        std::fs::rename(root.join("..tmp"), root.join("..data")).unwrap();
        assert!(!before.same(&source.observe(&look())));
    }

    #[test]
    fn what_a_load_saw_compares_with_a_later_look() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, "x: 1\n").unwrap();
        let ((), record) = read::recorded(true, || {
            let _ = read::read_input(&path, 100);
        });
        let seen = Observed::from_seen(&record.files[0].1);
        assert!(seen.same(&observe_path(&path, &look())));
        assert!(seen.same(&observe_path(&path, &old_look())));
        std::fs::write(&path, "x: 22\n").unwrap();
        assert!(!seen.same(&observe_path(&path, &look())));
    }
}
