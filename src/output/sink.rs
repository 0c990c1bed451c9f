//! Where the pipeline's files go. The producer (rendering, the search index, static files)
//! owns nothing of the output: it hands each file to a [`Sink`], and the sink decides what
//! to do with it. `digest build` writes into the output folder ([`super::SiteWriter`]);
//! `digest serve` keeps pages in memory between rebuilds ([`super::Memory`]); `digest
//! check` and tests collect them ([`Collector`]).

use crate::diagnostics::Diagnostic;
use crate::key::Key;

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path under the output folder, `/`-separated, never absolute, never with `..`.
    pub path: String,
    /// The bytes to write.
    pub bytes: Vec<u8>,
}

impl OutputFile {
    /// A file of the built site.
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Self {
            path: path.into(),
            bytes: bytes.into(),
        }
    }
}

/// Where rendered files go: the output writer, or memory for a pure build. Shared by the
/// rendering threads.
pub trait Sink: Sync {
    /// Takes the files of `group` (a page path, or a name such as `search`) from the
    /// previous build instead of rendering them, when they were made from the same `key` and
    /// are still intact. Returns whether it did.
    fn reuse(&self, group: &str, key: Key) -> Result<bool, Diagnostic>;
    /// Puts one rendered file of `group`, made from `key`.
    fn put(&self, group: &str, path: &str, key: Key, bytes: &[u8]) -> Result<(), Diagnostic>;
}

impl Sink for super::SiteWriter {
    fn reuse(&self, group: &str, key: Key) -> Result<bool, Diagnostic> {
        super::SiteWriter::reuse(self, group, key)
    }
    fn put(&self, group: &str, path: &str, key: Key, bytes: &[u8]) -> Result<(), Diagnostic> {
        self.put_file(group, path, key, bytes)
    }
}

/// A [`Sink`] that keeps every file in memory and reuses nothing: for a build that must
/// not touch the disk. The first file put at a path wins, as in the output writer.
#[derive(Debug, Default)]
pub struct Collector {
    files: std::sync::Mutex<Vec<OutputFile>>,
    taken: std::sync::Mutex<std::collections::HashSet<String>>,
}

impl Collector {
    /// The files, sorted by path.
    pub fn into_files(self) -> Vec<OutputFile> {
        let mut files = self.files.into_inner().unwrap_or_default();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

impl Sink for Collector {
    fn reuse(&self, _group: &str, _key: Key) -> Result<bool, Diagnostic> {
        Ok(false)
    }
    fn put(&self, _group: &str, path: &str, _key: Key, bytes: &[u8]) -> Result<(), Diagnostic> {
        let fresh = self
            .taken
            .lock()
            .map(|mut t| t.insert(path.to_string()))
            .unwrap_or(false);
        if fresh {
            if let Ok(mut f) = self.files.lock() {
                f.push(OutputFile::new(path, bytes));
            }
        }
        Ok(())
    }
}
