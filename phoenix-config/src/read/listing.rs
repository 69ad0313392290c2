//! Listing a folder once: which of its names a load looks for exist.
//!
//! A layer may be read from `{stem}.yaml`, `.yml`, `.toml` or `.json`, and
//! two of them for one layer are an error naming both, so a load must know
//! which of a folder's names exist. A `stat` per name is a system call each
//! (eight for `base` and the environment's); one listing is five, and a
//! listing kept from an earlier load is one `stat` of the folder.
//!
//! A kept listing is used only while the folder's own `stat` (inode, size,
//! modification and change times) is what it was when it was listed, and
//! only when the folder had last changed well before that listing: any
//! name added, removed or renamed since then sets the folder's modification
//! time to the time of the change, later than the listing, so the `stat`
//! differs. A folder changed in the moments before it was listed (a time
//! stamp's tick may hold two changes) is listed again at every load until
//! it has been still for [`SETTLED`]. This is git's answer to "racily clean"
//! index entries. Only names are kept, never contents.

use std::ffi::{OsStr, OsString};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use super::FileMeta;

/// How long a folder must have been unchanged when it is listed for the
/// listing to be kept.
const SETTLED: Duration = Duration::from_secs(2);

/// Folders with more names than this are listed at every load (a listing
/// is kept whole, whatever a load selects from it).
const MAX_KEPT_NAMES: usize = 256;

/// Folders whose listings are kept, at most; the oldest is dropped.
const MAX_KEPT_FOLDERS: usize = 16;

/// A folder's names as they were listed, and its `stat` then.
struct Kept {
    stamp: FileMeta,
    names: Vec<OsString>,
    has_data_link: bool,
}

static KEPT: Mutex<Vec<(PathBuf, Kept)>> = Mutex::new(Vec::new());

/// Lists a folder, keeping the names `keep` selects, and records its
/// `..data` link as reading a file in it would (the link is read only when
/// the listing has one), before anything in the folder is read, so
/// [`whole_version`](super::whole_version) sees the link as it was first.
/// Uses a kept listing when the folder is unchanged (see the module's
/// documentation); `Err` when the folder cannot be listed.
pub(crate) fn list_folder(dir: &Path, keep: impl FnMut(&OsStr) -> bool) -> io::Result<Vec<OsString>> {
    list_folder_at(dir, keep, SystemTime::now())
}

/// [`list_folder`], the listing taken at `listed_at`.
fn list_folder_at(
    dir: &Path,
    mut keep: impl FnMut(&OsStr) -> bool,
    listed_at: SystemTime,
) -> io::Result<Vec<OsString>> {
    let stamp = FileMeta::of(&std::fs::metadata(dir)?);
    let (names, has_data_link) = match kept(dir, &stamp, &mut keep) {
        Some(found) => found,
        None => list_and_keep(dir, stamp, &mut keep, listed_at)?,
    };
    super::with_record(|record| record.note_listed(dir, has_data_link));
    Ok(names)
}

/// The kept listing of `dir` when its `stat` is still `stamp`.
fn kept(dir: &Path, stamp: &FileMeta, keep: &mut impl FnMut(&OsStr) -> bool) -> Option<(Vec<OsString>, bool)> {
    let all = KEPT.lock().unwrap_or_else(PoisonError::into_inner);
    let (_, kept) = all.iter().find(|(path, _)| path == dir)?;
    (kept.stamp == *stamp).then(|| (select(&kept.names, keep), kept.has_data_link))
}

/// Lists `dir`, keeping the listing when the folder had settled.
fn list_and_keep(
    dir: &Path,
    stamp: FileMeta,
    keep: &mut impl FnMut(&OsStr) -> bool,
    listed_at: SystemTime,
) -> io::Result<(Vec<OsString>, bool)> {
    let (all, has_data_link) = read_names(dir)?;
    let names = select(&all, keep);
    if settled(&stamp, listed_at) && all.len() <= MAX_KEPT_NAMES {
        remember(dir, Kept { stamp, names: all, has_data_link });
    }
    Ok((names, has_data_link))
}

/// Every name of a folder but `..data`, and whether that link is there.
fn read_names(dir: &Path) -> io::Result<(Vec<OsString>, bool)> {
    let mut names = Vec::new();
    let mut has_data_link = false;
    for entry in std::fs::read_dir(dir)? {
        let name = entry?.file_name();
        if name == "..data" {
            has_data_link = true;
        } else {
            names.push(name);
        }
    }
    Ok((names, has_data_link))
}

fn select(names: &[OsString], keep: &mut impl FnMut(&OsStr) -> bool) -> Vec<OsString> {
    names.iter().filter(|name| keep(name)).cloned().collect()
}

/// Whether the folder last changed at least [`SETTLED`] before `listed_at`.
fn settled(stamp: &FileMeta, listed_at: SystemTime) -> bool {
    let Ok(since_epoch) = listed_at.duration_since(SystemTime::UNIX_EPOCH) else { return false };
    let listed_at = i128::try_from(since_epoch.as_nanos()).unwrap_or(i128::MAX);
    let settled = i128::try_from(SETTLED.as_nanos()).unwrap_or(i128::MAX);
    stamp.mtime > 0 && stamp.mtime.max(stamp.ctime) < listed_at - settled
}

fn remember(dir: &Path, kept: Kept) {
    let mut all = KEPT.lock().unwrap_or_else(PoisonError::into_inner);
    all.retain(|(path, _)| path != dir);
    if all.len() >= MAX_KEPT_FOLDERS {
        all.remove(0);
    }
    all.push((dir.to_path_buf(), kept));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path, listed_at: SystemTime) -> Vec<OsString> {
        let mut names = list_folder_at(dir, |name| name != "skip", listed_at).unwrap();
        names.sort();
        names
    }

    fn kept(dir: &Path) -> bool {
        KEPT.lock().unwrap().iter().any(|(path, _)| path == dir)
    }

    #[test]
    fn a_folder_changed_just_before_it_is_listed_is_listed_again() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("base.yaml"), "").unwrap();
        assert_eq!(names(dir.path(), SystemTime::now()), ["base.yaml"]);
        assert!(!kept(dir.path()));
    }

    /// Sets the folder's modification time `hours` back: the change just
    /// made then reads as long settled, whatever the clock's tick (the
    /// listings below are taken "an hour later" for its change time).
    #[cfg(unix)]
    fn age(dir: &Path, hours: u64) {
        let then = SystemTime::now() - Duration::from_secs(3600 * hours);
        std::fs::File::open(dir).unwrap().set_modified(then).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_settled_folder_is_listed_once_until_it_changes() {
        let dir = tempfile::tempdir().unwrap();
        let later = SystemTime::now() + Duration::from_secs(3600);
        std::fs::write(dir.path().join("base.yaml"), "").unwrap();
        std::fs::write(dir.path().join("skip"), "").unwrap();
        age(dir.path(), 3);
        assert_eq!(names(dir.path(), later), ["base.yaml"]);
        assert!(kept(dir.path()));
        // The kept listing answers while the folder's stat is unchanged…
        for (path, kept) in KEPT.lock().unwrap().iter_mut() {
            if path == dir.path() {
                kept.names.push("kept.yaml".into());
            }
        }
        assert_eq!(names(dir.path(), later), ["base.yaml", "kept.yaml"]);
        // …and any name added or removed changes it: the folder is listed again.
        std::fs::write(dir.path().join("production.yaml"), "").unwrap();
        assert_eq!(names(dir.path(), later), ["base.yaml", "production.yaml"]);
        age(dir.path(), 2);
        assert_eq!(names(dir.path(), later), ["base.yaml", "production.yaml"]);
        std::fs::remove_file(dir.path().join("base.yaml")).unwrap();
        assert_eq!(names(dir.path(), later), ["production.yaml"]);
    }

    #[test]
    fn a_missing_folder_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        assert!(list_folder(&dir.path().join("missing"), |_| true).is_err());
        std::fs::write(dir.path().join("file"), "").unwrap();
        assert!(list_folder(&dir.path().join("file"), |_| true).is_err());
    }
}
