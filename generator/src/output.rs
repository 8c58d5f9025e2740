//! Writing a generated crate to disk, or checking one, all or nothing.
//!
//! A new tree is written beside the target directory and swapped in with
//! renames, so a failure part-way leaves the previous output as it was.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::File;

/// How a file differs between the generated set and the directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    Added,
    Modified,
    Removed,
}

/// One differing file, by path relative to the crate root.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    pub path: String,
    pub kind: ChangeKind,
}

/// The differences between `files` and what `dir` holds now, sorted by path.
/// Files under `target/` (a build of the crate) are not compared.
pub fn diff(dir: &Path, files: &[File]) -> io::Result<Vec<Change>> {
    let existing = read_tree(dir)?;
    let mut changes = Vec::new();
    for file in files {
        let kind = match existing.get(&file.path) {
            None => ChangeKind::Added,
            Some(old) if *old != file.contents.as_bytes() => ChangeKind::Modified,
            Some(_) => continue,
        };
        changes.push(Change {
            path: file.path.clone(),
            kind,
        });
    }
    for path in existing.keys() {
        if !files.iter().any(|file| file.path == *path) {
            changes.push(Change {
                path: path.clone(),
                kind: ChangeKind::Removed,
            });
        }
    }
    changes.sort();
    Ok(changes)
}

/// Makes `dir` hold exactly `files` and returns what changed. Nothing is
/// touched when nothing changed; otherwise the new tree replaces the old in
/// one rename, and the old one is kept until the new one is in place.
pub fn write(dir: &Path, files: &[File]) -> io::Result<Vec<Change>> {
    let changes = diff(dir, files)?;
    if changes.is_empty() {
        return Ok(changes);
    }
    let staging = sibling(dir, "new")?;
    let result = write_tree(&staging, files).and_then(|()| swap_in(&staging, dir));
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result.map(|()| changes)
}

fn write_tree(root: &Path, files: &[File]) -> io::Result<()> {
    if root.exists() {
        fs::remove_dir_all(root)?;
    }
    for file in files {
        let path = root.join(&file.path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(path, &file.contents)?;
    }
    Ok(())
}

/// Replaces `dir` by `staging`; a build directory inside `dir` moves along.
fn swap_in(staging: &Path, dir: &Path) -> io::Result<()> {
    if !dir.exists() {
        if let Some(parent) = dir.parent() {
            fs::create_dir_all(parent)?;
        }
        return fs::rename(staging, dir);
    }
    let target = dir.join("target");
    if target.is_dir() {
        fs::rename(&target, staging.join("target"))?;
    }
    let old = sibling(dir, "old")?;
    if old.exists() {
        fs::remove_dir_all(&old)?;
    }
    fs::rename(dir, &old)?;
    if let Err(error) = fs::rename(staging, dir) {
        // Put the previous output back before reporting.
        fs::rename(&old, dir)?;
        return Err(error);
    }
    fs::remove_dir_all(&old)
}

/// `dir` with a suffix, in the same parent so renames stay on one file system.
fn sibling(dir: &Path, suffix: &str) -> io::Result<PathBuf> {
    let name = dir.file_name().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} has no file name", dir.display()),
        )
    })?;
    let mut name = name.to_os_string();
    name.push(format!(".{suffix}"));
    Ok(dir.with_file_name(name))
}

/// Every file under `dir` (but `target/`), by relative `/`-separated path.
fn read_tree(dir: &Path) -> io::Result<BTreeMap<String, Vec<u8>>> {
    let mut files = BTreeMap::new();
    if dir.exists() {
        read_into(dir, dir, &mut files)?;
    }
    Ok(files)
}

fn read_into(root: &Path, dir: &Path, files: &mut BTreeMap<String, Vec<u8>>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        let relative = path
            .strip_prefix(root)
            .map_err(io::Error::other)?
            .components()
            .map(|part| part.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        if path.is_dir() {
            if relative != "target" {
                read_into(root, &path, files)?;
            }
        } else {
            files.insert(relative, fs::read(&path)?);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, contents: &str) -> File {
        File {
            path: path.to_owned(),
            contents: contents.to_owned(),
        }
    }

    #[test]
    fn write_reports_changes_and_replaces_the_tree() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join("crate");
        let first = [file("a.rs", "a"), file("src/b.rs", "b")];
        let changes = write(&dir, &first).unwrap();
        assert_eq!(changes.len(), 2);
        assert!(changes.iter().all(|c| c.kind == ChangeKind::Added));

        let second = [file("a.rs", "a2"), file("src/c.rs", "c")];
        let changes = write(&dir, &second).unwrap();
        let kinds: Vec<_> = changes.iter().map(|c| (c.path.as_str(), c.kind)).collect();
        assert_eq!(
            kinds,
            [
                ("a.rs", ChangeKind::Modified),
                ("src/b.rs", ChangeKind::Removed),
                ("src/c.rs", ChangeKind::Added)
            ]
        );
        assert_eq!(fs::read_to_string(dir.join("a.rs")).unwrap(), "a2");
        assert!(!dir.join("src/b.rs").exists());
        assert!(write(&dir, &second).unwrap().is_empty());
        assert!(diff(&dir, &second).unwrap().is_empty());
    }

    #[test]
    fn a_failed_write_leaves_the_previous_tree() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join("crate");
        write(&dir, &[file("a.rs", "old")]).unwrap();
        // A file where a directory must go makes the staging write fail.
        let broken = [
            file("a.rs", "new"),
            file("x", "file"),
            file("x/y.rs", "under a file"),
        ];
        assert!(write(&dir, &broken).is_err());
        assert_eq!(fs::read_to_string(dir.join("a.rs")).unwrap(), "old");
        assert!(!temp.path().join("crate.new").exists());
    }

    #[test]
    fn a_build_directory_survives_a_rewrite() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join("crate");
        write(&dir, &[file("a.rs", "a")]).unwrap();
        fs::create_dir_all(dir.join("target/debug")).unwrap();
        write(&dir, &[file("a.rs", "b")]).unwrap();
        assert!(dir.join("target/debug").is_dir());
    }
}
