//! The output end of the pipeline: writes the built site atomically.
//!
//! The new site is written into a fresh folder beside the output folder and swapped in only
//! when every file is written, so a failed build leaves the published site as it was.
//! Files whose bytes did not change are hard-linked from the previous output, which keeps
//! their modification time for rsync and deploy tools; the pages of deleted posts are
//! simply not in the fresh folder. Pages are streamed into the [`SiteWriter`] as they are
//! rendered, so the site is never held in memory whole.

mod memory;
mod sink;
mod writer;

use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::diagnostics::Diagnostic;

pub use memory::{Memory, Pages};
pub use sink::{Collector, OutputFile, Sink};
pub use writer::SiteWriter;

/// Marks a folder as digest's own output, so digest never empties a folder it did not create.
pub const MARKER: &str = ".digest-output";

/// What writing the site did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteStats {
    /// Files in the new output.
    pub files: usize,
    /// Files whose bytes changed (or are new) and were written.
    pub written: usize,
    /// Files taken over unchanged from the previous output.
    pub unchanged: usize,
}

/// The longest path, in bytes, of a file inside the output folder. Linux refuses whole
/// paths over 4096 bytes (`PATH_MAX`) and the output folder's own path counts too; a deep
/// category hierarchy could otherwise make a write fail halfway with `File name too long`.
pub const MAX_OUTPUT_PATH: usize = 1024;

/// Checks one path of the built site before anything is written: relative, `/`-separated,
/// no `..` or `.`, no NUL or backslash, no component over 255 bytes or reserved on Windows,
/// at most [`MAX_OUTPUT_PATH`] bytes. Says why a path is refused.
///
/// This is the confinement gate: whatever a slug, category, tag or file name says, a path
/// that passes cannot leave the output folder (and the site can be checked out on any OS).
pub fn check_output_path(path: &str) -> Result<(), String> {
    if path.is_empty() {
        return Err("empty path".into());
    }
    if path.len() > MAX_OUTPUT_PATH {
        return Err(format!("path is longer than {MAX_OUTPUT_PATH} bytes"));
    }
    if path.contains('\0') || path.contains('\\') {
        return Err("path contains a NUL or a backslash".into());
    }
    let p = Path::new(path);
    for c in p.components() {
        match c {
            Component::Normal(name) => {
                let name = name.to_string_lossy();
                if name.len() > 255 {
                    return Err("a path component is longer than 255 bytes".into());
                }
                let stem = name.split('.').next().unwrap_or("").to_ascii_uppercase();
                let reserved = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
                    || (stem.len() == 4
                        && (stem.starts_with("COM") || stem.starts_with("LPT"))
                        && stem.as_bytes()[3].is_ascii_digit());
                if reserved {
                    return Err(format!("'{name}' is a reserved file name on Windows"));
                }
            }
            _ => return Err("path must stay inside the output folder".into()),
        }
    }
    Ok(())
}

/// Checks that `output` may be (re)written: not the site root or one of its source folders,
/// not a folder that holds the site, and not a non-empty folder digest did not create.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let refuse = |why: &str| {
        Err(Diagnostic::error(
            output,
            format!(
                "refusing to use this as the output folder: {why}; choose another with --output"
            ),
        ))
    };
    // Checked before symlinks are resolved: resolving would look at the target instead,
    // and digest would replace a folder somewhere else.
    if fs::symlink_metadata(lexical_absolute(output)).is_ok_and(|m| m.file_type().is_symlink()) {
        return refuse("it is a symlink");
    }
    let root_abs = absolute(root);
    let out_abs = absolute(output);
    if out_abs == root_abs {
        return refuse("it is the site folder itself");
    }
    if root_abs.starts_with(&out_abs) {
        return refuse("it contains the site folder");
    }
    for source in ["content", "themes", "templates", "static", ".git"] {
        if out_abs.starts_with(root_abs.join(source)) {
            return refuse(&format!("it is inside the site's {source}/ folder"));
        }
    }
    if out_abs.parent().is_none() {
        return refuse("it is a file-system root");
    }
    match fs::symlink_metadata(&out_abs) {
        Ok(m) if !m.is_dir() => return refuse("it is a file, not a folder"),
        Ok(_) => {
            let empty = fs::read_dir(&out_abs)
                .map(|mut d| d.next().is_none())
                .unwrap_or(false);
            if !empty && !out_abs.join(MARKER).is_file() {
                return refuse("it is not empty and was not created by digest");
            }
        }
        Err(_) => {}
    }
    Ok(())
}

/// Makes a path absolute and resolves `.` and `..` without touching the file system.
fn lexical_absolute(p: &Path) -> PathBuf {
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Makes a path absolute and resolves `.` and `..` (the output folder may not exist yet),
/// resolving symlinks of the part that does exist.
pub(crate) fn absolute(p: &Path) -> PathBuf {
    let out = lexical_absolute(p);
    // resolve symlinks in the longest existing prefix
    let mut existing = out.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match existing.file_name() {
            Some(name) => rest.push(name.to_os_string()),
            None => break,
        }
        if !existing.pop() {
            break;
        }
    }
    let mut resolved = fs::canonicalize(&existing).unwrap_or(existing);
    for name in rest.into_iter().rev() {
        resolved.push(name);
    }
    resolved
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_escape_are_refused() {
        for bad in [
            "../x",
            "/etc/passwd",
            "a/../../x",
            "a\\b",
            "a\0b",
            "CON.html",
            "lpt1/x",
            "",
        ] {
            assert!(check_output_path(bad).is_err(), "{bad:?} accepted");
        }
        let long = "a".repeat(256);
        assert!(check_output_path(&long).is_err());
        let deep = (0..20)
            .map(|_| "a".repeat(60))
            .collect::<Vec<_>>()
            .join("/");
        assert!(check_output_path(&deep).is_err());
        assert!(check_output_path("posts/2022/04/qingyun/index.html").is_ok());
    }
}
