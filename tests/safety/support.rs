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

/// A folder made read-only for as long as the guard lives. Permission bits (mode 0555) stop
/// an ordinary user; root ignores them, so where they do not hold, the folder is made
/// immutable with `chattr +i`, which stops root too. A machine where neither holds cannot run
/// these tests, and they fail saying so rather than pass without checking anything.
pub enum ReadOnly {
    Mode(PathBuf, u32),
    Immutable(PathBuf),
}

impl ReadOnly {
    pub fn set(path: &Path) -> ReadOnly {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .expect("metadata")
            .permissions()
            .mode();
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o555)).expect("chmod");
        let probe = path.join(".digest-write-probe");
        if std::fs::create_dir(&probe).is_err() {
            return ReadOnly::Mode(path.to_path_buf(), mode);
        }
        // Root: the bits did not hold.
        std::fs::remove_dir(&probe).expect("remove probe");
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
        let status = std::process::Command::new("chattr")
            .arg("+i")
            .arg(path)
            .status();
        match status {
            Ok(s) if s.success() => ReadOnly::Immutable(path.to_path_buf()),
            other => panic!(
                "cannot make {} read-only: running as root, and `chattr +i` gave {other:?} \
                 (install e2fsprogs, or run the tests as an ordinary user)",
                path.display()
            ),
        }
    }
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        match self {
            ReadOnly::Mode(path, mode) => {
                use std::os::unix::fs::PermissionsExt;
                let _ = std::fs::set_permissions(&*path, std::fs::Permissions::from_mode(*mode));
            }
            ReadOnly::Immutable(path) => {
                let _ = std::process::Command::new("chattr")
                    .arg("-i")
                    .arg(&*path)
                    .status();
            }
        }
    }
}
