//! [`SiteWriter`]: the new output folder, filled file by file (from any thread) and swapped
//! in at the end.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::UNIX_EPOCH;

use rayon::prelude::*;

use super::{absolute, check_output_dir, check_output_path, WriteStats, MARKER};
use crate::cache::{FileRecord, Manifest};
use crate::diagnostics::Diagnostic;
use crate::key::{content_hash, Key};

/// A fresh folder beside the output folder, filled by [`SiteWriter::put_file`] and
/// [`SiteWriter::reuse`] and swapped in for the output by [`SiteWriter::finish`]. Dropped
/// unfinished (a failed build), it removes itself and the old output stays as it was.
///
/// Unchanged files are only noted while the build runs and hard-linked at the end, so a
/// build that changed nothing at all leaves the output folder untouched: no link, no swap.
#[derive(Debug)]
pub struct SiteWriter {
    output: PathBuf,
    tmp: PathBuf,
    old: PathBuf,
    previous: Manifest,
    dirs: Mutex<HashSet<PathBuf>>,
    state: Mutex<State>,
    finished: bool,
}

#[derive(Debug, Default)]
struct State {
    manifest: Manifest,
    taken: HashSet<String>,
    stats: WriteStats,
    /// Unchanged files, hard-linked from the previous output at [`SiteWriter::finish`]; when
    /// every file is unchanged, nothing is linked and the output is left alone.
    pending: Vec<String>,
}

fn err(doing: &str, path: &Path, e: io::Error) -> Diagnostic {
    Diagnostic::error(path, format!("cannot {doing}: {e}"))
}

fn mtime_ns(m: &fs::Metadata) -> i128 {
    m.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i128)
}

impl SiteWriter {
    /// Checks the output folder and creates the fresh folder beside it. `previous` is the
    /// manifest of the last build into this folder (empty when unknown).
    pub fn begin(root: &Path, output: &Path, previous: Manifest) -> Result<Self, Diagnostic> {
        check_output_dir(root, output)?;
        let output = absolute(output);
        let parent = output
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        fs::create_dir_all(&parent)
            .map_err(|e| err("create the output's parent folder", &parent, e))?;
        let pid = std::process::id();
        clean_up_after_killed_builds(&parent, &name, &output, pid);
        let tmp = parent.join(format!(".{name}.digest-new-{pid}"));
        let old = parent.join(format!(".{name}.digest-old-{pid}"));
        let _ = fs::remove_dir_all(&tmp);
        fs::create_dir(&tmp).map_err(|e| err("create a temporary output folder", &tmp, e))?;
        Ok(SiteWriter {
            output,
            tmp,
            old,
            previous,
            dirs: Mutex::new(HashSet::new()),
            state: Mutex::new(State::default()),
            finished: false,
        })
    }

    /// The previous output file at `path`, when it is still what the manifest recorded.
    fn previous_intact(&self, path: &str, record: &FileRecord) -> bool {
        fs::metadata(self.output.join(path))
            .is_ok_and(|m| m.is_file() && m.len() == record.len && mtime_ns(&m) == record.mtime)
    }

    fn ensure_parent(&self, dest: &Path) -> Result<(), Diagnostic> {
        let Some(dir) = dest.parent() else {
            return Ok(());
        };
        if self.dirs.lock().map(|d| d.contains(dir)).unwrap_or(false) {
            return Ok(());
        }
        fs::create_dir_all(dir).map_err(|e| {
            // name the folder as it will be in the output: the temporary one is gone by the
            // time anyone reads the message
            let rel = dir.strip_prefix(&self.tmp).unwrap_or(dir);
            err(
                &format!("create the folder for {}", rel.display()),
                &self.output.join(rel),
                e,
            )
        })?;
        if let Ok(mut d) = self.dirs.lock() {
            d.insert(dir.to_path_buf());
        }
        Ok(())
    }

    /// Claims a path for this build; false when an earlier file already has it.
    fn claim(&self, path: &str) -> bool {
        self.state
            .lock()
            .map(|mut s| s.taken.insert(path.to_string()))
            .unwrap_or(false)
    }

    fn record(&self, group: &str, path: &str, record: FileRecord, linked: bool) {
        if let Ok(mut s) = self.state.lock() {
            let group = if group == path { "" } else { group };
            s.manifest.insert(group, path.to_string(), record);
            s.stats.files += 1;
            if linked {
                s.stats.unchanged += 1;
                s.pending.push(path.to_string());
            } else {
                s.stats.written += 1;
            }
        }
    }

    /// Hard-links (or, where the file system has none, copies) an unchanged file from the
    /// previous output into the new folder.
    fn link(&self, path: &str) -> Result<(), Diagnostic> {
        let dest = self.tmp.join(path);
        self.ensure_parent(&dest)?;
        let prev = self.output.join(path);
        if fs::hard_link(&prev, &dest).is_err() {
            fs::copy(&prev, &dest).map_err(|e| err("copy the previous file", &dest, e))?;
        }
        Ok(())
    }

    /// Takes every file of `group` from the previous output, unrendered, when the previous
    /// build made them from the same `key` and they are still as it left them. Returns
    /// false (taking nothing) otherwise: the caller renders the group then.
    pub fn reuse(&self, group: &str, key: Key) -> Result<bool, Diagnostic> {
        let single = [group.to_string()];
        let paths: &[String] = match self.previous.groups.get(group) {
            Some(p) => p,
            None if self.previous.files.contains_key(group) => &single,
            None => return Ok(false),
        };
        let mut records = Vec::with_capacity(paths.len());
        for p in paths {
            match self.previous.files.get(p) {
                Some(r) if r.key == key && self.previous_intact(p, r) => records.push(*r),
                _ => return Ok(false),
            }
        }
        for (p, r) in paths.iter().zip(records) {
            if self.claim(p) {
                self.record(group, p, r, true);
            }
        }
        Ok(true)
    }

    /// Puts one file of `group` (made from `key`) into the new output. Unchanged bytes are
    /// hard-linked from the previous output; a path that an earlier file already took is
    /// skipped (pages win over static files, see the build).
    pub fn put_file(
        &self,
        group: &str,
        path: &str,
        key: Key,
        bytes: &[u8],
    ) -> Result<(), Diagnostic> {
        check_output_path(path).map_err(|why| {
            Diagnostic::error(
                &self.output,
                format!("refusing to write '{}': {why}", path.escape_debug()),
            )
        })?;
        if !self.claim(path) {
            return Ok(());
        }
        let hash = content_hash(bytes);
        let prev = self.output.join(path);
        let same = match self.previous.files.get(path) {
            Some(r) => {
                r.hash == hash && r.len == bytes.len() as u64 && self.previous_intact(path, r)
            }
            // no manifest (first build with a cache, or it was deleted): compare bytes
            None => fs::metadata(&prev)
                .ok()
                .filter(|m| m.is_file() && m.len() == bytes.len() as u64)
                .and_then(|_| fs::read(&prev).ok())
                .is_some_and(|old| old == bytes),
        };
        let mtime = if same {
            match self.previous.files.get(path) {
                Some(r) => r.mtime,
                None => fs::metadata(&prev).map(|m| mtime_ns(&m)).unwrap_or(0),
            }
        } else {
            let dest = self.tmp.join(path);
            self.ensure_parent(&dest)?;
            fs::write(&dest, bytes).map_err(|e| err("write", &dest, e))?;
            let m = fs::metadata(&dest).map_err(|e| err("read", &dest, e))?;
            mtime_ns(&m)
        };
        let record = FileRecord {
            key,
            hash,
            len: bytes.len() as u64,
            mtime,
        };
        self.record(group, path, record, same);
        Ok(())
    }

    /// Writes the marker, swaps the new folder in for the output and removes the old one.
    /// Returns what was written and the manifest of the new output, or `None` for the
    /// manifest when it is the previous one unchanged (nothing to save).
    pub fn finish(mut self) -> Result<(WriteStats, Option<Manifest>), Diagnostic> {
        self.put_file(
            MARKER,
            MARKER,
            0,
            b"This folder was written by digest build; it is rebuilt whole on every build.\n",
        )?;
        let mut state = std::mem::take(&mut *self.state.lock().map_err(|_| {
            Diagnostic::error(&self.output, "an output thread failed; nothing was changed")
        })?);
        let had_old = self.output.exists();
        let nothing_changed =
            had_old && state.stats.written == 0 && state.pending.len() == self.previous.files.len();
        if nothing_changed {
            // every file is the previous build's, and the previous build had no others
            remove_tree(&self.tmp);
            self.finished = true;
            let manifest = (state.manifest != self.previous).then_some(state.manifest);
            return Ok((state.stats, manifest));
        }
        let pending = std::mem::take(&mut state.pending);
        pending
            .par_iter()
            .map(|p| self.link(p))
            .collect::<Result<(), Diagnostic>>()?;
        if had_old {
            fs::rename(&self.output, &self.old)
                .map_err(|e| err("move the previous output aside", &self.output, e))?;
        }
        if let Err(e) = fs::rename(&self.tmp, &self.output) {
            if had_old {
                let _ = fs::rename(&self.old, &self.output);
            }
            return Err(err("move the new output into place", &self.output, e));
        }
        self.finished = true;
        if had_old {
            remove_tree(&self.old);
        }
        Ok((state.stats, Some(state.manifest)))
    }
}

impl Drop for SiteWriter {
    fn drop(&mut self) {
        if !self.finished {
            remove_tree(&self.tmp);
        }
    }
}

/// Tidies what builds that were killed left beside the output folder: a half-written
/// `.NAME.digest-new-PID` is removed; a `.NAME.digest-old-PID` (a build killed between the
/// two renames of the swap) is the previous site, and is put back when the output folder is
/// missing, else removed. Only folders of processes that are gone are touched (another
/// build may be running), and only where `/proc` tells which are.
fn clean_up_after_killed_builds(parent: &Path, name: &str, output: &Path, own_pid: u32) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let new_prefix = format!(".{name}.digest-new-");
    let old_prefix = format!(".{name}.digest-old-");
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let (is_new, pid) = if let Some(p) = file_name.strip_prefix(&new_prefix) {
            (true, p)
        } else if let Some(p) = file_name.strip_prefix(&old_prefix) {
            (false, p)
        } else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        if pid == own_pid || Path::new("/proc").join(pid.to_string()).exists() {
            continue;
        }
        let path = entry.path();
        if !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        if is_new {
            remove_tree(&path); // a build's own name: never finished, so no marker yet
        } else if !path.join(MARKER).is_file() {
            continue; // not an output digest wrote
        } else if !output.exists() {
            let _ = fs::rename(&path, output);
        } else {
            remove_tree(&path);
        }
    }
}

/// Removes a folder tree, its subfolders in parallel: the old output of a big site has tens
/// of thousands of files, and unlinking them one by one is a visible part of a rebuild.
fn remove_tree(dir: &Path) {
    let entries: Vec<fs::DirEntry> = match fs::read_dir(dir) {
        Ok(rd) => rd.flatten().collect(),
        Err(_) => return,
    };
    entries.par_iter().for_each(|e| {
        let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
        if is_dir {
            remove_tree(&e.path());
        } else {
            let _ = fs::remove_file(e.path());
        }
    });
    let _ = fs::remove_dir(dir);
}
