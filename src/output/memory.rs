//! [`Memory`]: the sink of `digest serve`, which keeps the site in memory between
//! rebuilds. A page whose key is unchanged is taken from the previous build (shared, not
//! copied), so a save renders only the pages it changed, and every page is held once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::Sink;
use crate::diagnostics::Diagnostic;
use crate::key::Key;

/// A built site in memory: each file's bytes by path, and which files each group (a page,
/// or a set such as the search index) holds and what it was made from.
#[derive(Debug, Clone, Default)]
pub struct Pages {
    files: HashMap<String, Arc<[u8]>>,
    groups: HashMap<String, (Key, Vec<String>)>,
}

impl Pages {
    /// The file at `path`, when the site has one.
    pub fn get(&self, path: &str) -> Option<&Arc<[u8]>> {
        self.files.get(path)
    }

    /// Whether the site has a file at `path`.
    pub fn contains(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    /// Every file, in no order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files.iter().map(|(p, b)| (p.as_str(), &b[..]))
    }

    /// How many files the site has.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether the site has no file at all.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// Collects one build's files, taking unchanged groups from the previous build's
/// [`Pages`]. The first file put at a path wins, as in the output writer.
#[derive(Debug)]
pub struct Memory {
    previous: Arc<Pages>,
    next: Mutex<Pages>,
}

impl Memory {
    /// A sink over the previous build's pages (empty for the first build).
    pub fn new(previous: Arc<Pages>) -> Self {
        Memory {
            previous,
            next: Mutex::new(Pages::default()),
        }
    }

    /// This build's pages.
    pub fn into_pages(self) -> Pages {
        match self.next.into_inner() {
            Ok(p) => p,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    fn next(&self) -> std::sync::MutexGuard<'_, Pages> {
        match self.next.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }
}

impl Sink for Memory {
    fn reuse(&self, group: &str, key: Key) -> Result<bool, Diagnostic> {
        let Some((was, paths)) = self.previous.groups.get(group) else {
            return Ok(false);
        };
        if *was != key || paths.iter().any(|p| !self.previous.files.contains_key(p)) {
            return Ok(false);
        }
        let mut next = self.next();
        for p in paths {
            if !next.files.contains_key(p) {
                if let Some(bytes) = self.previous.files.get(p) {
                    next.files.insert(p.clone(), Arc::clone(bytes));
                }
            }
        }
        next.groups.insert(group.to_string(), (key, paths.clone()));
        Ok(true)
    }

    fn put(&self, group: &str, path: &str, key: Key, bytes: &[u8]) -> Result<(), Diagnostic> {
        let mut next = self.next();
        if next.files.contains_key(path) {
            return Ok(());
        }
        // unchanged bytes share the previous build's copy
        let shared = self
            .previous
            .files
            .get(path)
            .filter(|old| old[..] == *bytes)
            .map(Arc::clone)
            .unwrap_or_else(|| Arc::from(bytes));
        next.files.insert(path.to_string(), shared);
        let entry = next
            .groups
            .entry(group.to_string())
            .or_insert_with(|| (key, Vec::new()));
        entry.0 = key;
        entry.1.push(path.to_string());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unchanged_group_is_shared_and_a_changed_one_is_not_reused() {
        let first = Memory::new(Arc::default());
        first.put("a/", "a/index.html", 1, b"a1").unwrap();
        first.put("s", "s/1.txt", 7, b"x").unwrap();
        first.put("s", "s/2.txt", 7, b"y").unwrap();
        let first = Arc::new(first.into_pages());
        let second = Memory::new(Arc::clone(&first));
        assert!(second.reuse("s", 7).unwrap());
        assert!(!second.reuse("a/", 2).unwrap(), "another key");
        assert!(!second.reuse("b/", 1).unwrap(), "unknown group");
        second.put("a/", "a/index.html", 2, b"a2").unwrap();
        second.put("a/", "a/index.html", 2, b"loses").unwrap();
        let pages = second.into_pages();
        assert_eq!(pages.len(), 3);
        assert_eq!(&pages.get("a/index.html").unwrap()[..], b"a2");
        assert!(Arc::ptr_eq(
            pages.get("s/2.txt").unwrap(),
            first.get("s/2.txt").unwrap()
        ));
    }
}
