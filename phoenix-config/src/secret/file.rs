//! Secret files: `NAME_FILE` variables and the secrets folder.

use std::fs::{self, Metadata};
use std::io;
use std::path::Path;

use zeroize::Zeroize;

use crate::limits::Limits;

/// Reads a secret file (`NAME_FILE`, secrets folder): regular files only
/// (checked before opening, and again on the opened file), symbolic links
/// followed, at most `limits.max_secret_file_bytes`, one trailing newline
/// (`\n` or `\r\n`) trimmed, a warning when everyone may read it. The error
/// names the path, never the content, and calls it a file: a `NAME_FILE`
/// variable may name the file of a field that is not secret.
pub(crate) fn read_secret_file(path: &Path, limits: &Limits) -> Result<String, String> {
    let cap = limits.max_secret_file_bytes;
    let meta = crate::read::metadata(path).map_err(|e| open_error(path, &e))?;
    check_regular(path, &meta)?;
    check_size(path, meta.len(), cap)?;
    // Non-blocking and bounded (`crate::read`); the path may have been
    // swapped between the check and the open, so the opened file is checked again.
    let read = crate::read::read_input(path, cap).map_err(|e| read_error(path, e, cap))?;
    warn_if_world_readable(path, &read.meta);
    let mut bytes = read.bytes;
    let mut text = String::from_utf8(std::mem::take(&mut *bytes)).map_err(|e| {
        e.into_bytes().zeroize();
        format!("file {} is not UTF-8 text", path.display())
    })?;
    if text.ends_with("\r\n") {
        text.truncate(text.len() - 2);
    } else if text.ends_with('\n') {
        text.truncate(text.len() - 1);
    }
    Ok(text)
}

fn read_error(path: &Path, e: crate::read::ReadError, cap: u64) -> String {
    use crate::read::ReadError;
    match e {
        ReadError::NotFound => open_error(path, &io::Error::from(io::ErrorKind::NotFound)),
        ReadError::Loop => format!("file {} cannot be opened: its symbolic links form a loop", path.display()),
        ReadError::NotRegular(what) => {
            format!("file {} is {what}, not a regular file; it was not read", path.display())
        }
        ReadError::TooLarge(len) => too_large(path, len, cap),
        ReadError::Io(e) => format!("cannot read file {}: {e}", path.display()),
    }
}

fn open_error(path: &Path, e: &io::Error) -> String {
    let shown = path.display();
    let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if crate::read::is_symlink_loop(e) {
        format!("file {shown} cannot be opened: its symbolic links form a loop")
    } else if e.kind() == io::ErrorKind::NotFound && is_link {
        format!("file {shown} is a symbolic link to a file that does not exist")
    } else if e.kind() == io::ErrorKind::NotFound {
        format!("file {shown} does not exist")
    } else {
        format!("cannot read file {shown}: {e}")
    }
}

fn check_regular(path: &Path, meta: &Metadata) -> Result<(), String> {
    if meta.is_file() {
        return Ok(());
    }
    let what = crate::read::kind_of(meta);
    Err(format!("file {} is {what}, not a regular file; it was not read", path.display()))
}

fn check_size(path: &Path, len: u64, cap: u64) -> Result<(), String> {
    if len > cap { Err(too_large(path, Some(len), cap)) } else { Ok(()) }
}

fn too_large(path: &Path, len: Option<u64>, cap: u64) -> String {
    let shown = path.display();
    match len {
        Some(len) => {
            format!("file {shown} is {len} bytes, over the limit of {cap} (raise `Limits::max_secret_file_bytes`)")
        }
        None => format!(
            "file {shown} grew past the limit of {cap} bytes while it was read \
             (raise `Limits::max_secret_file_bytes`)"
        ),
    }
}

#[cfg(unix)]
fn warn_if_world_readable(path: &Path, meta: &Metadata) {
    use std::os::unix::fs::PermissionsExt;
    let mode = meta.permissions().mode();
    // Once per file, not at every reload.
    if mode & 0o004 != 0 && crate::read::first_warning(path) {
        tracing::warn!(
            target: "phoenix_config",
            path = %path.display(),
            "file {} is readable by everyone (mode {:04o}); restrict it, e.g. `chmod o-r`",
            path.display(),
            mode & 0o7777
        );
    }
}

#[cfg(not(unix))]
fn warn_if_world_readable(_: &Path, _: &Metadata) {}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::secret::test_support::capture;

    fn limits(max: u64) -> Limits {
        Limits { max_secret_file_bytes: max, ..Limits::default() }
    }

    fn write(dir: &Path, name: &str, content: &[u8]) -> PathBuf {
        let path = dir.join(name);
        fs::write(&path, content).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        }
        path
    }

    #[test]
    fn trims_one_trailing_newline() {
        let dir = tempfile::tempdir().unwrap();
        let read = |content: &[u8]| read_secret_file(&write(dir.path(), "s", content), &Limits::default()).unwrap();
        assert_eq!(read(b"hunter2\n"), "hunter2");
        assert_eq!(read(b"hunter2\r\n"), "hunter2");
        assert_eq!(read(b"hunter2\n\n"), "hunter2\n");
        assert_eq!(read(b"hunter2"), "hunter2");
        assert_eq!(read(b" spaced \n"), " spaced ");
        assert_eq!(read(b""), "");
    }

    #[test]
    fn refuses_files_over_the_cap_without_echoing_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "big", b"canary-canary");
        let err = read_secret_file(&path, &limits(4)).unwrap_err();
        assert!(err.ends_with("is 13 bytes, over the limit of 4 (raise `Limits::max_secret_file_bytes`)"), "{err}");
        assert!(!err.contains("canary"));
        assert_eq!(read_secret_file(&path, &limits(13)).unwrap(), "canary-canary");
    }

    #[test]
    fn refuses_invalid_utf8_without_echoing_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "bin", b"canary\xff");
        let err = read_secret_file(&path, &Limits::default()).unwrap_err();
        assert_eq!(err, format!("file {} is not UTF-8 text", path.display()));
    }

    #[test]
    fn refuses_directories_and_missing_files() {
        let dir = tempfile::tempdir().unwrap();
        let err = read_secret_file(dir.path(), &Limits::default()).unwrap_err();
        assert!(err.ends_with("is a directory, not a regular file; it was not read"), "{err}");
        let err = read_secret_file(&dir.path().join("nope"), &Limits::default()).unwrap_err();
        assert_eq!(err, format!("file {} does not exist", dir.path().join("nope").display()));
    }

    #[cfg(unix)]
    #[test]
    fn refuses_devices_and_fifos_without_blocking() {
        let err = read_secret_file(Path::new("/dev/zero"), &Limits::default()).unwrap_err();
        assert_eq!(err, "file /dev/zero is a character device, not a regular file; it was not read");
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let status = std::process::Command::new("mkfifo").arg(&fifo).status();
        if status.is_ok_and(|s| s.success()) {
            let err = read_secret_file(&fifo, &Limits::default()).unwrap_err();
            assert!(err.ends_with("is a named pipe (FIFO), not a regular file; it was not read"), "{err}");
            // The non-blocking open itself does not hang on a FIFO without a writer.
            assert!(crate::read::open(&fifo).is_ok());
        }
    }

    #[cfg(unix)]
    #[test]
    fn follows_symlinks_and_reports_loops_and_dangling_links() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let target = write(dir.path(), "target", b"value\n");
        let link = dir.path().join("link");
        symlink(&target, &link).unwrap();
        assert_eq!(read_secret_file(&link, &Limits::default()).unwrap(), "value");

        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        symlink(&a, &b).unwrap();
        symlink(&b, &a).unwrap();
        let err = read_secret_file(&a, &Limits::default()).unwrap_err();
        assert!(err.ends_with("cannot be opened: its symbolic links form a loop"), "{err}");

        let dangling = dir.path().join("dangling");
        symlink(dir.path().join("gone"), &dangling).unwrap();
        let err = read_secret_file(&dangling, &Limits::default()).unwrap_err();
        assert!(err.ends_with("is a symbolic link to a file that does not exist"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn warns_when_everyone_may_read_the_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "open", b"canary\n");
        let (_, quiet) = capture(|| read_secret_file(&path, &Limits::default()).unwrap());
        assert!(quiet.is_empty());
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        let (value, events) = capture(|| read_secret_file(&path, &Limits::default()).unwrap());
        assert_eq!(value, "canary");
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].target, "phoenix_config");
        assert_eq!(events[0].level, tracing::Level::WARN);
        let text = events[0].text();
        assert!(text.contains("is readable by everyone (mode 0644)"), "{text}");
        assert!(!text.contains("canary\n") && !text.contains("=canary"));
    }
}
