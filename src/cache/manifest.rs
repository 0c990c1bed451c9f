//! The manifest of an output folder: for each file the last build left there, the key of
//! what it was made from, the hash and size of its bytes and its modification time.
//!
//! With it a rebuild decides without reading any old file: a page whose key is unchanged
//! is not rendered at all, and a re-rendered page whose bytes hash the same is hard-linked
//! from the old output. The old file is taken only while its size and mtime are still what
//! the manifest says, so a file edited or replaced by hand in the output is rewritten.

use std::collections::HashMap;

use super::Key;

/// What the manifest knows about one output file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileRecord {
    /// The key of the page (or group of files) it belongs to.
    pub key: Key,
    /// [`super::content_hash`] of its bytes.
    pub hash: u64,
    /// Its size.
    pub len: u64,
    /// Its modification time, in nanoseconds since the Unix epoch.
    pub mtime: i128,
}

/// Every file of one output folder, by path; and the files of each group, for groups of
/// files made together (the search index) that are kept or rebuilt as a whole.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    /// Files by path under the output folder.
    pub files: HashMap<String, FileRecord>,
    /// Group name -> the paths of its files.
    pub groups: HashMap<String, Vec<String>>,
}

impl Manifest {
    /// Records one file; `group` is empty for a page that is its own group.
    pub fn insert(&mut self, group: &str, path: String, record: FileRecord) {
        if !group.is_empty() {
            self.groups
                .entry(group.to_string())
                .or_default()
                .push(path.clone());
        }
        self.files.insert(path, record);
    }

    /// One line per file, sorted: `path TAB group TAB key TAB hash TAB len TAB mtime`.
    /// Paths holding a tab or newline are left out (they are simply rewritten next time).
    pub(super) fn encode(&self) -> Vec<u8> {
        let mut group_of: HashMap<&str, &str> = HashMap::new();
        for (g, paths) in &self.groups {
            for p in paths {
                group_of.insert(p, g);
            }
        }
        let mut paths: Vec<&String> = self.files.keys().collect();
        paths.sort_unstable();
        let mut out = String::with_capacity(paths.len() * 100);
        for p in paths {
            if p.contains(['\t', '\n']) {
                continue;
            }
            let Some(r) = self.files.get(p) else { continue };
            let g = group_of.get(p.as_str()).copied().unwrap_or("");
            out.push_str(&format!(
                "{p}\t{g}\t{:032x}\t{:016x}\t{}\t{}\n",
                r.key, r.hash, r.len, r.mtime
            ));
        }
        out.into_bytes()
    }

    /// Reads [`Manifest::encode`]'s form; `None` if any line is malformed.
    pub(super) fn decode(bytes: &[u8]) -> Option<Manifest> {
        let text = std::str::from_utf8(bytes).ok()?;
        let mut m = Manifest::default();
        for line in text.lines() {
            let mut f = line.split('\t');
            let (path, group) = (f.next()?, f.next()?);
            let key = Key::from_str_radix(f.next()?, 16).ok()?;
            let hash = u64::from_str_radix(f.next()?, 16).ok()?;
            let len = f.next()?.parse().ok()?;
            let mtime = f.next()?.parse().ok()?;
            if f.next().is_some() {
                return None;
            }
            let record = FileRecord {
                key,
                hash,
                len,
                mtime,
            };
            m.insert(group, path.to_string(), record);
        }
        Some(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let mut m = Manifest::default();
        let r = FileRecord {
            key: 7 << 70,
            hash: 3,
            len: 10,
            mtime: -5,
        };
        m.insert("", "index.html".into(), r);
        m.insert("search", "search/meta.json".into(), r);
        assert_eq!(Manifest::decode(&m.encode()), Some(m));
        assert_eq!(Manifest::decode(b"a\tb\tzz\t1\t2\t3\n"), None);
    }
}
