//! Helpers shared by the safety tests: snapshots of folders, leftovers of a build, and the
//! diagnostics of a failed build as text.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use digest::build::BuildFailure;

/// Every entry under `dir` (folders end in `/`, symlinks in ` ->` with their target), with the bytes of each file: two equal
/// snapshots mean a byte-identical tree.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1).sort_by_file_name() {
        let entry = entry.expect("walk");
        let rel = entry
            .path()
            .strip_prefix(dir)
            .expect("prefix")
            .to_string_lossy()
            .into_owned();
        if entry.file_type().is_symlink() {
            let target = fs::read_link(entry.path()).expect("read_link");
            out.insert(
                format!("{rel} ->"),
                target.to_string_lossy().as_bytes().to_vec(),
            );
        } else if entry.file_type().is_dir() {
            out.insert(format!("{rel}/"), Vec::new());
        } else {
            out.insert(rel, fs::read(entry.path()).expect("read"));
        }
    }
    out
}

/// Entries beside `output` that a build may have left: its temporary folders
/// (`.public.digest-new-*`, `.public.digest-old-*`).
pub fn leftovers(output: &Path) -> Vec<PathBuf> {
    let parent = output.parent().expect("parent");
    let name = output.file_name().expect("name").to_string_lossy();
    let prefix = format!(".{name}.digest-");
    fs::read_dir(parent)
        .map(|d| {
            d.flatten()
                .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
                .map(|e| e.path())
                .collect()
        })
        .unwrap_or_default()
}

/// A failed build's diagnostics, one a line, for assertions and failure messages.
pub fn messages(failure: &BuildFailure) -> String {
    failure
        .diagnostics
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// `chattr +i` on a path for as long as the guard lives: the one way to make a folder
/// read-only for root, who ignores permission bits. `None` where chattr is missing or the
/// file system does not support the flag.
pub struct Immutable(PathBuf);

impl Immutable {
    pub fn set(path: &Path) -> Option<Immutable> {
        let ok = std::process::Command::new("chattr")
            .arg("+i")
            .arg(path)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Immutable(path.to_path_buf()))
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = std::process::Command::new("chattr")
            .arg("-i")
            .arg(&self.0)
            .status();
    }
}
