//! The `watch --state` file: read and checked whole before anything is printed, held under
//! an exclusive lock for the life of the watch, and replaced atomically.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use plaspy_blocking::feed::FeedCursor;

use crate::exit::{CliError, CliResult};

/// The largest state file read: a cursor is a few kilobytes per device.
pub const MAX_STATE_BYTES: u64 = 64 * 1024 * 1024;

/// An open, locked state file.
#[derive(Debug)]
pub struct StateFile {
    /// Where the state is written: the target of a symlink, not the link.
    path: PathBuf,
    /// The open lock file; the lock lasts as long as it is open.
    _lock: File,
    /// Serialises writes (the watch loop and the stop watchdog) and holds the last state
    /// written.
    saved: Mutex<FeedCursor>,
}

impl StateFile {
    /// Opens `path`: follows a symlink, takes the lock, reads the cursor and checks it
    /// (its shape, then `check`), and proves the location writable by writing it back. A
    /// file refused is left untouched.
    pub fn open(
        path: &Path,
        check: impl FnOnce(&FeedCursor) -> CliResult,
    ) -> CliResult<(StateFile, FeedCursor)> {
        let target = resolve(path)?;
        let lock = lock(&target)?;
        let cursor = read_state(&target)?;
        check(&cursor)?;
        let state = StateFile {
            path: target,
            _lock: lock,
            saved: Mutex::new(cursor.clone()),
        };
        state.save(&cursor)?;
        Ok((state, cursor))
    }

    /// Writes `cursor` atomically and remembers it as the last state saved.
    pub fn save(&self, cursor: &FeedCursor) -> CliResult {
        let mut saved = self.saved.lock().unwrap_or_else(|e| e.into_inner());
        write_state(&self.path, cursor)?;
        *saved = cursor.clone();
        Ok(())
    }

    /// Writes the last state saved again and keeps the writer lock held: the process is
    /// about to exit, and no other write may start.
    pub fn save_last_and_hold(&self) -> std::sync::MutexGuard<'_, FeedCursor> {
        let saved = self.saved.lock().unwrap_or_else(|e| e.into_inner());
        let _ = write_state(&self.path, &saved);
        saved
    }
}

/// The file the state lives in: `path`, or what its symlink points at.
fn resolve(path: &Path) -> CliResult<PathBuf> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(path.to_owned()),
        Err(e) => return Err(unusable(path, &e.to_string())),
    };
    if !meta.file_type().is_symlink() {
        return Ok(path.to_owned());
    }
    match std::fs::canonicalize(path) {
        Ok(target) => Ok(target),
        // A dangling link: its target is where the state goes.
        Err(_) => {
            let link = std::fs::read_link(path).map_err(|e| unusable(path, &e.to_string()))?;
            Ok(match path.parent() {
                Some(dir) if link.is_relative() => dir.join(link),
                _ => link,
            })
        }
    }
}

/// Takes the exclusive lock of `<state>.lock`; a second watcher on the same file is
/// refused. Creating the lock file also proves the directory writable.
fn lock(target: &Path) -> CliResult<File> {
    let mut name = target.as_os_str().to_owned();
    name.push(".lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(PathBuf::from(name))
        .map_err(|e| unusable(target, &format!("cannot create its lock file: {e}")))?;
    try_lock(&file).map_err(|e| {
        if e.kind() == io::ErrorKind::WouldBlock {
            CliError::usage(format!(
                "the state file {} is in use by another watch",
                target.display()
            ))
        } else {
            unusable(target, &format!("cannot lock it: {e}"))
        }
    })?;
    Ok(file)
}

#[cfg(unix)]
fn try_lock(file: &File) -> io::Result<()> {
    use rustix::fs::{FlockOperation, flock};
    flock(file, FlockOperation::NonBlockingLockExclusive).map_err(io::Error::from)
}

#[cfg(not(unix))]
fn try_lock(_file: &File) -> io::Result<()> {
    Ok(())
}

/// A state file that cannot be used: exit 2.
fn unusable(path: &Path, why: &str) -> CliError {
    CliError::usage(format!(
        "the state file {} cannot be used: {why}",
        path.display()
    ))
}

/// Reads the state file; a missing file is a fresh start. Anything but a regular file of
/// sane size holding a UTF-8 JSON object with a `devices` object is refused.
pub fn read_state(path: &Path) -> CliResult<FeedCursor> {
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(FeedCursor::default()),
        Err(e) => return Err(unusable(path, &e.to_string())),
    };
    if !meta.is_file() {
        return Err(unusable(path, "it is not a regular file"));
    }
    if meta.len() > MAX_STATE_BYTES {
        return Err(unusable(
            path,
            &format!("it is larger than {MAX_STATE_BYTES} bytes"),
        ));
    }
    let mut bytes = Vec::new();
    File::open(path)
        .and_then(|f| f.take(MAX_STATE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| unusable(path, &e.to_string()))?;
    if bytes.len() as u64 > MAX_STATE_BYTES {
        return Err(unusable(
            path,
            &format!("it is larger than {MAX_STATE_BYTES} bytes"),
        ));
    }
    let text = String::from_utf8(bytes).map_err(|_| not_a_state(path, "not UTF-8"))?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| not_a_state(path, &e.to_string()))?;
    if !value
        .get("devices")
        .is_some_and(serde_json::Value::is_object)
    {
        return Err(not_a_state(path, "not an object with a `devices` object"));
    }
    serde_json::from_value(value).map_err(|e| not_a_state(path, &e.to_string()))
}

fn not_a_state(path: &Path, why: &str) -> CliError {
    CliError::usage(format!(
        "the state file {} is not a watch state ({why}); move it away to start afresh",
        path.display()
    ))
}

/// Writes the state file atomically: a temporary file next to it, synced, then renamed
/// over it, so a crash leaves the old state or the new one, never half of one.
pub fn write_state(path: &Path, cursor: &FeedCursor) -> CliResult {
    let what = format!("writing the state file {}", path.display());
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".tmp{}", std::process::id()));
    let tmp = PathBuf::from(tmp);
    let write = || -> io::Result<()> {
        let mut file = File::create(&tmp)?;
        serde_json::to_writer_pretty(&mut file, cursor).map_err(io::Error::other)?;
        file.write_all(b"\n")?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        CliError::failure(format!("{what}: {e}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_state_file_is_replaced_whole_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        assert_eq!(read_state(&path).unwrap(), FeedCursor::default());
        let mut cursor = FeedCursor::default();
        cursor.enrol(["dev-1"], "2030-01-01T00:00:00Z".parse().unwrap(), false);
        write_state(&path, &cursor).unwrap();
        assert_eq!(read_state(&path).unwrap(), cursor);
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "no temporary file left: {names:?}");
        for bad in [
            &b"garbage"[..],
            b"[]",
            b"{}",
            b"{\"devices\": 3}",
            b"\xff\xfe",
        ] {
            std::fs::write(&path, bad).unwrap();
            assert!(
                read_state(&path)
                    .unwrap_err()
                    .message
                    .contains("not a watch state")
            );
        }
    }

    #[test]
    fn a_second_open_of_a_locked_state_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let (first, _) = StateFile::open(&path, |_| Ok(())).unwrap();
        let err = StateFile::open(&path, |_| Ok(())).unwrap_err();
        assert!(err.message.contains("in use"), "{}", err.message);
        drop(first);
        StateFile::open(&path, |_| Ok(())).unwrap();
    }
}
