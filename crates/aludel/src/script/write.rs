//! Writing a new revision file safely: [`write_new_file`].
//!
//! The file appears whole or not at all, and an existing file is never replaced.
//! This module writes bytes it is given; it must not render or validate them (render
//! with `render_template`, check with `parse_revision_file`, then write).

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::error::ScriptError;

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes `contents` to a new file at `path`, creating missing parent directories.
///
/// Refuses to overwrite an existing file. The contents go to a hidden temporary file
/// in the same directory (which discovery ignores), are flushed to disk, and the
/// temporary file is then hard-linked to `path` (which fails, atomically, if `path`
/// appeared meanwhile) or, where hard links are not supported, renamed to it. A
/// failure removes the temporary file, so no half-written file is left behind.
pub fn write_new_file(path: &Path, contents: &str) -> Result<(), ScriptError> {
    let write_error = |source: io::Error| ScriptError::Write {
        path: path.to_path_buf(),
        source,
    };
    if exists(path) {
        return Err(ScriptError::FileExists {
            path: path.to_path_buf(),
        });
    }
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    fs::create_dir_all(dir).map_err(write_error)?;
    let file_name = path
        .file_name()
        .ok_or_else(|| write_error(io::Error::new(io::ErrorKind::InvalidInput, "no file name")))?;

    let (temp_path, mut file) =
        create_temp(dir, &file_name.to_string_lossy()).map_err(write_error)?;
    let result = (|| {
        file.write_all(contents.as_bytes())?;
        file.sync_all()?;
        drop(file);
        publish(&temp_path, path)
    })();
    // Whatever happened, the temporary name must go (after a hard link it is a
    // second name of the new file; after a rename it no longer exists).
    let _ = fs::remove_file(&temp_path);
    match result {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(ScriptError::FileExists {
            path: path.to_path_buf(),
        }),
        Err(e) => Err(write_error(e)),
    }
}

fn exists(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok()
}

/// Creates a new hidden temporary file next to the target.
fn create_temp(dir: &Path, file_name: &str) -> io::Result<(PathBuf, File)> {
    let pid = std::process::id();
    let mut last = io::Error::from(io::ErrorKind::AlreadyExists);
    for _ in 0..100 {
        let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
        let temp = dir.join(format!(".{file_name}.{pid}.{n}.tmp"));
        match OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(file) => return Ok((temp, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = e,
            Err(e) => return Err(e),
        }
    }
    Err(last)
}

/// Gives the finished temporary file its real name without replacing anything.
fn publish(temp: &Path, path: &Path) -> io::Result<()> {
    match fs::hard_link(temp, path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(e),
        // No hard links here (some network and FAT file systems): rename, which
        // replaces silently, so check once more right before.
        Err(_) => {
            if exists(path) {
                return Err(io::Error::from(io::ErrorKind::AlreadyExists));
            }
            fs::rename(temp, path)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn writes_a_new_file_creating_parents() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let path = tmp.path().join("versions/2026/11/a_b.sql");
        write_new_file(&path, "-- x\n").expect("writes");
        assert_eq!(fs::read_to_string(&path).expect("reads"), "-- x\n");
        // No temporary file is left next to it.
        assert_eq!(names(path.parent().expect("parent")), ["a_b.sql"]);
    }

    #[test]
    fn refuses_to_overwrite() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let path = tmp.path().join("a.sql");
        fs::write(&path, "old").expect("seed");
        let e = write_new_file(&path, "new").unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "{}: file already exists; aludel does not overwrite it",
                path.display()
            )
        );
        assert!(e.hint().contains("--rev-id"));
        assert_eq!(fs::read_to_string(&path).expect("reads"), "old");
        assert_eq!(names(tmp.path()), ["a.sql"]);
    }

    #[test]
    fn publish_never_replaces() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let temp = tmp.path().join(".t.tmp");
        let target = tmp.path().join("t.sql");
        fs::write(&temp, "new").expect("temp");
        fs::write(&target, "old").expect("target");
        let e = publish(&temp, &target).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read_to_string(&target).expect("reads"), "old");
    }

    #[test]
    fn a_failure_leaves_nothing_behind() {
        let tmp = tempfile::tempdir().expect("tempdir");
        // The parent "directory" is a file: creating it fails.
        fs::write(tmp.path().join("versions"), "").expect("seed");
        let path = tmp.path().join("versions/a.sql");
        let e = write_new_file(&path, "x").unwrap_err();
        assert!(matches!(e, ScriptError::Write { .. }), "{e}");
        assert!(e
            .to_string()
            .starts_with(&format!("{}: cannot write file: ", path.display())));
        assert_eq!(names(tmp.path()), ["versions"]);
    }
}
