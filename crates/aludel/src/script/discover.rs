//! Finding and loading the revision files of the version locations, in load order.
//!
//! Load order is the order Alembic would see: locations in the order given, and
//! within a directory the `.sql` files sorted by file name (bytes), then, when
//! recursive, each sub-directory in sorted order, depth first. Hidden entries (name
//! starting with `.`, which covers editor lock files `.#x.sql`) are skipped, and a
//! file reached twice through duplicate locations or symbolic links is loaded once.
//! Files are read and parsed on several threads; the result keeps load order and the
//! error reported is the first in load order. This module must not interpret
//! revisions beyond parsing each file: duplicate ids and graph checks belong to the
//! `revision` module.

use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::error::ScriptError;
use super::file::{parse_bytes_owned, RevisionFile};

/// Below this many files per thread, extra threads cost more than they save.
const MIN_FILES_PER_THREAD: usize = 64;
/// More threads than this do not help a read-mostly load.
const MAX_THREADS: usize = 8;

/// Loads and parses every revision file of `locations`, in load order. A location
/// that does not exist is skipped; one that is not a directory is an error.
pub fn load_revision_files(
    locations: &[PathBuf],
    recursive: bool,
) -> Result<Vec<RevisionFile>, ScriptError> {
    let paths = revision_file_paths(locations, recursive)?;
    read_all(paths)
}

/// The paths of the revision files of `locations`, in load order, without reading
/// them.
pub fn revision_file_paths(
    locations: &[PathBuf],
    recursive: bool,
) -> Result<Vec<PathBuf>, ScriptError> {
    let mut walker = Walker {
        recursive,
        visited_dirs: HashSet::new(),
        real_dirs: Vec::new(),
        files: Vec::new(),
        linked_files: false,
    };
    for location in locations {
        let meta = match fs::metadata(location) {
            Ok(meta) => meta,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                tracing::debug!(location = %location.display(), "version location does not exist; skipped");
                continue;
            }
            Err(source) => {
                return Err(ScriptError::ReadDir {
                    path: location.clone(),
                    source,
                })
            }
        };
        if !meta.is_dir() {
            return Err(ScriptError::NotADirectory {
                path: location.clone(),
            });
        }
        let real = fs::canonicalize(location).map_err(|source| ScriptError::ReadDir {
            path: location.clone(),
            source,
        })?;
        walker.walk(location, real)?;
    }
    Ok(walker.into_paths())
}

/// A `.sql` file found by the walk.
struct Found {
    path: PathBuf,
    /// Index into `Walker::real_dirs` of the directory it was found in.
    real_dir: usize,
    /// Its canonical path, when the entry itself is a symbolic link.
    link_target: Option<PathBuf>,
}

struct Walker {
    recursive: bool,
    /// Canonical paths of the directories walked so far.
    visited_dirs: HashSet<PathBuf>,
    /// The same, in walk order, for `Found::real_dir`.
    real_dirs: Vec<PathBuf>,
    files: Vec<Found>,
    /// Whether any file was reached through a symbolic link to it.
    linked_files: bool,
}

fn by_bytes(a: &Path, b: &Path) -> std::cmp::Ordering {
    a.as_os_str()
        .as_encoded_bytes()
        .cmp(b.as_os_str().as_encoded_bytes())
}

impl Walker {
    fn walk(&mut self, dir: &Path, real_dir: PathBuf) -> Result<(), ScriptError> {
        if !self.visited_dirs.insert(real_dir.clone()) {
            return Ok(());
        }
        let dir_index = self.real_dirs.len();
        self.real_dirs.push(real_dir.clone());
        let list_error = |source: io::Error| ScriptError::ReadDir {
            path: dir.to_path_buf(),
            source,
        };
        let mut files: Vec<(PathBuf, Option<PathBuf>)> = Vec::new();
        let mut dirs: Vec<(PathBuf, bool)> = Vec::new();
        for entry in fs::read_dir(dir).map_err(list_error)? {
            let entry = entry.map_err(list_error)?;
            let path = entry.path();
            let Some(name) = path.file_name() else {
                continue;
            };
            let name = name.as_encoded_bytes();
            if name.first() == Some(&b'.') {
                continue;
            }
            let is_sql = name.ends_with(b".sql");
            if !is_sql && !self.recursive {
                continue;
            }
            let file_type = entry.file_type().map_err(list_error)?;
            if file_type.is_symlink() {
                match fs::metadata(&path) {
                    Ok(meta) if meta.is_file() && is_sql => {
                        let target =
                            fs::canonicalize(&path).map_err(|source| ScriptError::Read {
                                path: path.clone(),
                                source,
                            })?;
                        files.push((path, Some(target)));
                    }
                    Ok(meta) if meta.is_dir() && self.recursive => dirs.push((path, true)),
                    Ok(_) => {}
                    Err(source) if is_sql => return Err(ScriptError::Read { path, source }),
                    // A dangling link that is not a revision file is none of our business.
                    Err(_) => {}
                }
            } else if file_type.is_file() && is_sql {
                files.push((path, None));
            } else if file_type.is_dir() && self.recursive {
                dirs.push((path, false));
            }
        }
        // All entries share `dir` as prefix, so comparing whole paths as bytes
        // compares the file names.
        files.sort_unstable_by(|a, b| by_bytes(&a.0, &b.0));
        dirs.sort_unstable_by(|a, b| by_bytes(&a.0, &b.0));

        self.files.reserve(files.len());
        for (path, link_target) in files {
            self.linked_files |= link_target.is_some();
            self.files.push(Found {
                path,
                real_dir: dir_index,
                link_target,
            });
        }
        for (path, is_link) in dirs {
            let real = if is_link {
                fs::canonicalize(&path).map_err(|source| ScriptError::ReadDir {
                    path: path.clone(),
                    source,
                })?
            } else {
                match path.file_name() {
                    Some(name) => real_dir.join(name),
                    None => continue,
                }
            };
            self.walk(&path, real)?;
        }
        Ok(())
    }

    /// The found paths in order; when symbolic links to files were seen, a file
    /// reached a second time (by its real path) is dropped.
    fn into_paths(self) -> Vec<PathBuf> {
        if !self.linked_files {
            return self.files.into_iter().map(|f| f.path).collect();
        }
        let mut seen: HashSet<PathBuf> = HashSet::with_capacity(self.files.len());
        let mut out = Vec::with_capacity(self.files.len());
        for found in self.files {
            let real = match found.link_target {
                Some(target) => target,
                None => match (self.real_dirs.get(found.real_dir), found.path.file_name()) {
                    (Some(real_dir), Some(name)) => real_dir.join(name),
                    _ => found.path.clone(),
                },
            };
            if seen.insert(real) {
                out.push(found.path);
            }
        }
        out
    }
}

/// Reads and parses `paths` on several threads, keeping their order.
fn read_all(paths: Vec<PathBuf>) -> Result<Vec<RevisionFile>, ScriptError> {
    let count = paths.len();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = cores
        .min(MAX_THREADS)
        .min(count.div_ceil(MIN_FILES_PER_THREAD))
        .max(1);
    if threads == 1 {
        return read_chunk(paths);
    }
    let chunk_len = count.div_ceil(threads);
    // One slot per chunk: a worker takes its chunk out of its slot, so that if the
    // OS refuses a thread the chunk is still here to read on this thread.
    let mut paths = paths.into_iter();
    let slots: Vec<Mutex<Vec<PathBuf>>> = (0..threads)
        .map(|_| Mutex::new(paths.by_ref().take(chunk_len).collect()))
        .collect();
    let take = |slot: &Mutex<Vec<PathBuf>>| match slot.lock() {
        Ok(mut chunk) => std::mem::take(&mut *chunk),
        Err(poisoned) => std::mem::take(&mut *poisoned.into_inner()),
    };

    std::thread::scope(|scope| {
        // The calling thread reads the last chunk itself.
        let (own, others) = match slots.split_last() {
            Some(split) => split,
            None => return Ok(Vec::new()),
        };
        let handles: Vec<_> = others
            .iter()
            .map(|slot| {
                std::thread::Builder::new()
                    .name("aludel-load".to_owned())
                    .spawn_scoped(scope, move || read_chunk(take(slot)))
                    .ok()
            })
            .collect();
        let own_result = read_chunk(take(own));

        let mut out = Vec::with_capacity(count);
        for (slot, handle) in others.iter().zip(handles) {
            let result = match handle {
                Some(handle) => match handle.join() {
                    Ok(result) => result,
                    Err(panic) => std::panic::resume_unwind(panic),
                },
                None => read_chunk(take(slot)),
            };
            out.extend(result?);
        }
        out.extend(own_result?);
        Ok(out)
    })
}

/// Reads and parses one chunk in order, stopping at the first error.
fn read_chunk(paths: Vec<PathBuf>) -> Result<Vec<RevisionFile>, ScriptError> {
    let mut buf = vec![0u8; 16 * 1024];
    let mut out = Vec::with_capacity(paths.len());
    for path in paths {
        let len = match read_into(&path, &mut buf) {
            Ok(len) => len,
            Err(source) => return Err(ScriptError::Read { path, source }),
        };
        out.push(parse_bytes_owned(path, buf.get(..len).unwrap_or_default())?);
    }
    Ok(out)
}

/// Reads a whole file into `buf` (grown as needed, reused across files) with no
/// more system calls than open, read until end, close. Returns the length.
fn read_into(path: &Path, buf: &mut Vec<u8>) -> io::Result<usize> {
    let mut file = File::open(path)?;
    let mut filled = 0;
    loop {
        if filled == buf.len() {
            let grown = buf.len().max(4096) * 2;
            buf.resize(grown, 0);
        }
        let Some(spare) = buf.get_mut(filled..) else {
            return Ok(filled);
        };
        match file.read(spare) {
            Ok(0) => return Ok(filled),
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    fn revision(id: &str) -> String {
        format!("-- {id}\n--\n-- Revision ID: {id}\n-- Revises:\n\n-- aludel:upgrade\nSELECT 1;\n")
    }

    fn put(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("mkdir");
        }
        fs::write(path, text).expect("write");
    }

    fn ids(files: &[RevisionFile]) -> Vec<&str> {
        files.iter().map(|f| f.revision.as_str()).collect()
    }

    /// A tree with nested dirs, hidden and non-.sql entries.
    fn tree() -> tempfile::TempDir {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path().join("versions");
        let root = root.as_path();
        put(root, "b.sql", &revision("b"));
        put(root, "a.sql", &revision("a"));
        put(root, "B.sql", &revision("B_upper"));
        put(root, "a_.sql", &revision("a_"));
        put(root, ".#a.sql", "garbage");
        put(root, ".hidden.sql", "garbage");
        put(root, "notes.txt", "garbage");
        put(root, "c.sql.bak", "garbage");
        put(root, "sub2/z.sql", &revision("sub2_z"));
        put(root, "sub1/y.sql", &revision("sub1_y"));
        put(root, "sub1/deep/x.sql", &revision("sub1_deep_x"));
        put(root, "sub1/a.sql", &revision("sub1_a"));
        put(root, ".git/objects.sql", "garbage");
        put(root, "dir.sql/inner.sql", &revision("dir_sql_inner"));
        tmp
    }

    #[test]
    fn non_recursive_loads_sorted_top_level_files() {
        let tmp = tree();
        let v = tmp.path().join("versions");
        let files = load_revision_files(std::slice::from_ref(&v), false).expect("loads");
        assert_eq!(ids(&files), ["B_upper", "a", "a_", "b"]);
        assert_eq!(files[1].path, v.join("a.sql"));
    }

    #[test]
    fn recursive_is_depth_first_own_files_first() {
        let tmp = tree();
        let v = tmp.path().join("versions");
        let files = load_revision_files(std::slice::from_ref(&v), true).expect("loads");
        assert_eq!(
            ids(&files),
            [
                "B_upper",
                "a",
                "a_",
                "b",
                "dir_sql_inner",
                "sub1_a",
                "sub1_y",
                "sub1_deep_x",
                "sub2_z"
            ]
        );
        assert_eq!(files[7].path, v.join("sub1/deep/x.sql"));
    }

    #[test]
    fn locations_in_order_missing_skipped_duplicates_once() {
        let tmp = tree();
        let v = tmp.path().join("versions");
        let seeds = tmp.path().join("seeds");
        put(&seeds, "0.sql", &revision("seed0"));
        let locations = vec![
            seeds.clone(),
            tmp.path().join("does-not-exist"),
            v.clone(),
            tmp.path().join("versions/../versions"),
            v.join("sub1"),
            seeds.clone(),
        ];
        let files = load_revision_files(&locations, false).expect("loads");
        assert_eq!(
            ids(&files),
            ["seed0", "B_upper", "a", "a_", "b", "sub1_a", "sub1_y"]
        );
        // Recursive: sub1 was already walked under versions.
        let files = load_revision_files(&locations, true).expect("loads");
        assert_eq!(
            ids(&files),
            [
                "seed0",
                "B_upper",
                "a",
                "a_",
                "b",
                "dir_sql_inner",
                "sub1_a",
                "sub1_y",
                "sub1_deep_x",
                "sub2_z"
            ]
        );
        assert!(load_revision_files(&[tmp.path().join("nope")], true)
            .expect("empty")
            .is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_links_are_followed_once() {
        let tmp = tree();
        let v = tmp.path().join("versions");
        // A link to a file already loaded, a link to a directory already walked, and
        // a loop back to the root.
        std::os::unix::fs::symlink(v.join("a.sql"), v.join("c_link.sql")).expect("link");
        std::os::unix::fs::symlink(v.join("sub2"), v.join("sub0")).expect("link");
        std::os::unix::fs::symlink(&v, v.join("sub1/loop")).expect("link");
        std::os::unix::fs::symlink(v.join("missing.txt"), v.join("dangling")).expect("link");
        let files = load_revision_files(std::slice::from_ref(&v), true).expect("loads");
        assert_eq!(
            ids(&files),
            [
                "B_upper",
                "a",
                "a_",
                "b",
                "dir_sql_inner",
                "sub2_z",
                "sub1_a",
                "sub1_y",
                "sub1_deep_x"
            ]
        );
        assert_eq!(files[5].path, v.join("sub0/z.sql"));
        // A dangling link named .sql is an error.
        std::os::unix::fs::symlink(v.join("missing.sql"), v.join("d.sql")).expect("link");
        let e = load_revision_files(std::slice::from_ref(&v), false).unwrap_err();
        assert!(
            matches!(&e, ScriptError::Read { path, .. } if path == &v.join("d.sql")),
            "{e}"
        );
    }

    #[test]
    fn a_location_that_is_a_file_is_an_error() {
        let tmp = tree();
        let file = tmp.path().join("versions/a.sql");
        let e = load_revision_files(std::slice::from_ref(&file), false).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("{}: version location is not a directory", file.display())
        );
    }

    #[test]
    fn many_files_keep_order_and_report_the_first_error() {
        let tmp = tempfile::tempdir().expect("tempdir");
        for i in 0..500 {
            put(
                tmp.path(),
                &format!("{i:04}.sql"),
                &revision(&format!("r{i:04}")),
            );
        }
        let loc = [tmp.path().to_path_buf()];
        let files = load_revision_files(&loc, false).expect("loads");
        let expected: Vec<String> = (0..500).map(|i| format!("r{i:04}")).collect();
        assert_eq!(ids(&files), expected);
        // Errors in two chunks: the first in load order wins.
        put(tmp.path(), "0450.sql", "-- Revision ID: x\n-- Bogus: 1\n");
        put(tmp.path(), "0100.sql", "SELECT 1;\n");
        let e = load_revision_files(&loc, false).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("{}:1: no header: a revision file must start with '--' comment lines holding its message and metadata", tmp.path().join("0100.sql").display())
        );
        fs::write(tmp.path().join("0100.sql"), [b'-', b'-', 0xc3]).expect("write");
        let e = load_revision_files(&loc, false).unwrap_err();
        assert!(matches!(e, ScriptError::NotUtf8 { line: 1, .. }), "{e}");
    }

    #[test]
    fn read_into_grows_the_buffer() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let path = tmp.path().join("big.sql");
        let text = "x".repeat(100_000);
        fs::write(&path, &text).expect("write");
        let mut buf = vec![0u8; 16];
        let len = read_into(&path, &mut buf).expect("reads");
        assert_eq!(&buf[..len], text.as_bytes());
        fs::write(&path, "").expect("write");
        assert_eq!(read_into(&path, &mut buf).expect("reads"), 0);
    }

    /// Load-time figure for 10,000 files. Not an assertion (timings are measured,
    /// never asserted): run with
    /// `cargo test --release -p aludel --features wip-script --lib load_10k -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn load_10k_timing() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let mut parent = String::new();
        for i in 0..10_000 {
            let id = format!("{:012x}", 0x3f2a_9c1b_0000_u64 + i);
            let text = format!(
                "-- Add column c{i} to table t{t}\n--\n-- Revision ID: {id}\n-- Revises: {parent}\n\
                 -- Create Date: 2026-11-21 10:30:00.123456+00:00\n\n-- aludel:upgrade\n\
                 ALTER TABLE t{t} ADD COLUMN c{i} INTEGER NOT NULL DEFAULT 0;\n\
                 CREATE INDEX ix_t{t}_c{i} ON t{t} (c{i});\n\n-- aludel:downgrade\n\
                 DROP INDEX ix_t{t}_c{i};\nALTER TABLE t{t} DROP COLUMN c{i};\n",
                t = i % 50
            );
            fs::write(
                tmp.path()
                    .join(format!("20261121_{i:05}_{id}_add_column.sql")),
                text,
            )
            .expect("write");
            parent = id;
        }
        let loc = [tmp.path().to_path_buf()];
        let mut times = Vec::new();
        for _ in 0..15 {
            let start = Instant::now();
            let files = load_revision_files(&loc, false).expect("loads");
            times.push(start.elapsed());
            assert_eq!(files.len(), 10_000);
        }
        let start = Instant::now();
        let paths = revision_file_paths(&loc, false).expect("lists");
        let list = start.elapsed();
        assert_eq!(paths.len(), 10_000);
        times.sort();
        println!(
            "10k files: min {:?}, median {:?}, max {:?} (listing alone {:?}, {} threads available)",
            times[0],
            times[times.len() / 2],
            times[times.len() - 1],
            list,
            std::thread::available_parallelism().map_or(1, |n| n.get())
        );
    }
}

#[cfg(test)]
mod scratch_profile {
    use super::*;
    use std::time::Instant;

    #[test]
    #[ignore]
    fn profile_10k() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let mut parent = String::new();
        for i in 0..10_000u64 {
            let id = format!("{:012x}", 0x3f2a_9c1b_0000_u64 + i);
            let text = format!(
                "-- Add column c{i} to table t{t}\n--\n-- Revision ID: {id}\n-- Revises: {parent}\n\
                 -- Create Date: 2026-11-21 10:30:00.123456+00:00\n\n-- aludel:upgrade\n\
                 ALTER TABLE t{t} ADD COLUMN c{i} INTEGER NOT NULL DEFAULT 0;\n\
                 CREATE INDEX ix_t{t}_c{i} ON t{t} (c{i});\n\n-- aludel:downgrade\n\
                 DROP INDEX ix_t{t}_c{i};\nALTER TABLE t{t} DROP COLUMN c{i};\n",
                t = i % 50
            );
            fs::write(
                tmp.path()
                    .join(format!("20261121_{i:05}_{id}_add_column.sql")),
                text,
            )
            .expect("write");
            parent = id;
        }
        let loc = [tmp.path().to_path_buf()];
        for _ in 0..3 {
            let t = Instant::now();
            let paths = revision_file_paths(&loc, false).expect("lists");
            let list = t.elapsed();
            let t = Instant::now();
            let rd: Vec<_> = fs::read_dir(tmp.path())
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect();
            let raw_readdir = t.elapsed();
            let t = Instant::now();
            let mut buf = vec![0u8; 16384];
            let mut texts = Vec::new();
            for p in &paths {
                let n = read_into(p, &mut buf).unwrap();
                texts.push(buf[..n].to_vec());
            }
            let read = t.elapsed();
            let t = Instant::now();
            for p in &paths {
                let f = File::open(p).unwrap();
                drop(f);
            }
            let open_only = t.elapsed();
            let t = Instant::now();
            let mut n = 0;
            for (p, b) in paths.iter().zip(&texts) {
                n += crate::script::file::parse_revision_bytes(p, b)
                    .unwrap()
                    .sql_len();
            }
            let parse = t.elapsed();
            let t = Instant::now();
            let files = read_all(paths.clone()).unwrap();
            let all = t.elapsed();
            for threads in [1usize, 2] {
                let chunk = paths.len().div_ceil(threads);
                let t = Instant::now();
                std::thread::scope(|sc| {
                    for c in paths.chunks(chunk) {
                        sc.spawn(move || {
                            let mut buf = vec![0u8; 16384];
                            for p in c {
                                std::hint::black_box(read_into(p, &mut buf).unwrap());
                            }
                        });
                    }
                });
                let read_only = t.elapsed();
                let t = Instant::now();
                std::thread::scope(|sc| {
                    for c in paths.chunks(chunk) {
                        sc.spawn(move || read_chunk(c.to_vec()).unwrap().len());
                    }
                });
                let read_parse = t.elapsed();
                let t = Instant::now();
                std::thread::scope(|sc| {
                    for c in texts.chunks(chunk) {
                        sc.spawn(move || {
                            for b in c {
                                std::hint::black_box(
                                    crate::script::file::parse_revision_bytes(Path::new("x"), b)
                                        .unwrap(),
                                );
                            }
                        });
                    }
                });
                let parse_only = t.elapsed();
                println!("threads {threads}: read-only {read_only:?} read+parse {read_parse:?} parse-only {parse_only:?}");
            }
            println!("list {list:?} (raw readdir {raw_readdir:?}, {} entries) read-seq {read:?} open-only {open_only:?} parse-seq {parse:?} read_all-par {all:?} {n} {}", rd.len(), files.len());
        }
    }
}

#[cfg(test)]
mod scratch_loop {
    #[test]
    #[ignore]
    fn loop_load() {
        let loc = [std::path::PathBuf::from("/tmp/aludel10k")];
        let n: usize = std::env::var("LOOPS").ok().and_then(|s| s.parse().ok()).unwrap_or(50);
        let mut best = std::time::Duration::MAX;
        for _ in 0..n {
            let t = std::time::Instant::now();
            let files = super::load_revision_files(&loc, false).unwrap();
            best = best.min(t.elapsed());
            assert_eq!(files.len(), 10_000);
        }
        println!("best {best:?} par {:?}", std::thread::available_parallelism());
        let paths = super::revision_file_paths(&loc, false).unwrap();
        let mut b1 = std::time::Duration::MAX;
        let mut bl = std::time::Duration::MAX;
        for _ in 0..n {
            let t = std::time::Instant::now();
            let _ = super::revision_file_paths(&loc, false).unwrap();
            bl = bl.min(t.elapsed());
            let t = std::time::Instant::now();
            let f = super::read_all(paths.clone()).unwrap();
            b1 = b1.min(t.elapsed());
            drop(f);
        }
        println!("list best {bl:?} read_all best {b1:?}");
    }
}
