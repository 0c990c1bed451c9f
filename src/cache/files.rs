//! Reading and writing the cache files, and the [`BodyStore`] that hands bodies to the
//! renderer. Every read checks the file's header and checksum ([`super::open`]); every
//! write failure becomes one warning and turns further writes off.

use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::{header, open, seal, Damage, Kind, Manifest};
use crate::diagnostics::Diagnostic;
use crate::discover::Stamp;
use crate::key::{join_key, split_key, Key};
use crate::search::{IndexHead, IndexState};
use crate::site::{Body, BodyRef, PostMeta};

/// What one source file gave at the last build: its posts' metadata and its diagnostics.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CachedSource {
    /// Path relative to the content folder.
    pub path: PathBuf,
    /// The file's length and mtime when it was read, when they can be trusted to tell a
    /// later build that the file is unchanged (see [`crate::parse`]); `None`: hash it.
    pub stamp: Option<Stamp>,
    /// The posts, in the file's order; their bodies are in the file's body file.
    pub posts: Vec<PostMeta>,
    /// Errors and warnings found while reading it, shown again on every build.
    pub diagnostics: Vec<Diagnostic>,
}

/// Every source file of a build, by key, and the settings they were read with.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SourceIndex {
    /// [`crate::key::parse_fingerprint`] of the settings: a stamp says a file is unchanged
    /// only when these are unchanged too.
    pub fingerprint: Key,
    /// The sources by [`crate::key::source_key`].
    pub sources: HashMap<Key, CachedSource>,
}

/// The build cache of one site; see the module docs of [`crate::cache`].
#[derive(Debug)]
pub struct Cache {
    /// `None` for a build that must not touch the disk ([`crate::build::build_in_memory`]).
    dir: Option<PathBuf>,
    /// Cleared after the first failed write, so one read-only folder gives one warning.
    writable: AtomicBool,
    /// Write failures, for the report.
    warnings: Mutex<Vec<String>>,
    /// Files found damaged or stale and ignored, for the report.
    notes: Mutex<Vec<String>>,
    /// For a process that builds again and again (`digest serve`): the source index and
    /// search index of the last build, kept in memory instead of in their files.
    memo: Option<Mutex<Memo>>,
}

/// What a long-running process keeps between builds; see [`Cache::in_memory`].
#[derive(Default)]
struct Memo {
    sources: Option<SourceIndex>,
    search: Option<IndexState>,
}

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Memo")
            .field("sources", &self.sources.as_ref().map(|s| s.sources.len()))
            .field("search", &self.search.is_some())
            .finish()
    }
}

#[derive(Serialize, Deserialize)]
struct SourceRecord {
    key: [u64; 2],
    #[serde(flatten)]
    source: CachedSource,
}

#[derive(Serialize, Deserialize)]
struct SourcesFile {
    fingerprint: [u64; 2],
    sources: Vec<SourceRecord>,
}

impl Cache {
    /// The cache of the site at `root` (nothing is read or created yet).
    pub fn new(root: &Path) -> Cache {
        Cache::with_dir(Some(super::dir(root)), false)
    }

    /// The cache of the site at `root` for a process that builds it again and again: the
    /// first build is seeded from the files of the last `digest build`; after that the
    /// source index and the search index stay in memory (saving them would cost more than
    /// the rebuild), and only bodies go to disk, so memory grows with the number of posts,
    /// not their length.
    pub fn in_memory(root: &Path) -> Cache {
        Cache::with_dir(Some(super::dir(root)), true)
    }

    /// A cache that holds nothing and writes nothing.
    pub fn disabled() -> Cache {
        Cache::with_dir(None, true)
    }

    fn with_dir(dir: Option<PathBuf>, memo: bool) -> Cache {
        Cache {
            writable: AtomicBool::new(dir.is_some()),
            dir,
            warnings: Mutex::new(Vec::new()),
            notes: Mutex::new(Vec::new()),
            memo: memo.then(|| Mutex::new(Memo::default())),
        }
    }

    fn memo(&self) -> Option<std::sync::MutexGuard<'_, Memo>> {
        self.memo.as_ref().map(|m| match m.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        })
    }

    /// Write failures so far, each a short message for the report.
    pub fn warnings(&self) -> Vec<String> {
        self.warnings.lock().map(|w| w.clone()).unwrap_or_default()
    }

    /// Damaged or stale files that were ignored and rebuilt.
    pub fn notes(&self) -> Vec<String> {
        self.notes.lock().map(|n| n.clone()).unwrap_or_default()
    }

    fn note(&self, path: &Path, damage: &Damage) {
        let why = match damage {
            Damage::NotACacheFile => "not a digest cache file",
            Damage::OtherVersion => "written by another digest version",
            Damage::WrongLength => "truncated",
            Damage::BadChecksum => "damaged (checksum mismatch)",
        };
        if let Ok(mut n) = self.notes.lock() {
            n.push(format!("{} was {why}; rebuilt it", path.display()));
        }
    }

    /// Reads a cache file; a missing file is `None` quietly, a damaged one with a note.
    fn read(&self, path: &Path, kind: Kind) -> Option<Vec<u8>> {
        self.read_with(path, kind, |payload| Some(payload.to_vec()))
    }

    /// Reads a cache file and hands its payload to `parse` without copying it (the search
    /// index's file is tens of MB); a payload `parse` refuses is noted as damaged.
    fn read_with<T>(
        &self,
        path: &Path,
        kind: Kind,
        parse: impl FnOnce(&[u8]) -> Option<T>,
    ) -> Option<T> {
        let bytes = fs::read(path).ok()?;
        match open(kind, &bytes) {
            Ok(payload) => {
                let parsed = parse(payload);
                if parsed.is_none() {
                    self.note(path, &Damage::NotACacheFile);
                }
                parsed
            }
            Err(d) => {
                self.note(path, &d);
                None
            }
        }
    }

    /// Writes a cache file whose payload `emit` writes, without holding it in memory:
    /// `emit` runs twice, once to count and checksum the payload for the header, once
    /// into the file.
    fn write_streamed(
        &self,
        path: &Path,
        kind: Kind,
        emit: &dyn Fn(&mut dyn Write) -> std::io::Result<()>,
    ) -> bool {
        let mut sum = HashingWriter::default();
        if emit(&mut sum).is_err() {
            return false;
        }
        self.write_result(
            path,
            (|| {
                if let Some(parent) = path.parent() {
                    fs::create_dir_all(parent)?;
                }
                let mut file = std::io::BufWriter::with_capacity(1 << 20, fs::File::create(path)?);
                file.write_all(&header(kind, sum.len, sum.hash.digest()))?;
                emit(&mut file)?;
                file.flush()
            })(),
        )
    }

    /// Writes a cache file; returns whether it was written.
    fn write(&self, path: &Path, kind: Kind, payload: &[u8]) -> bool {
        if !self.writable.load(Ordering::Relaxed) {
            return false;
        }
        self.write_result(
            path,
            (|| {
                if let Some(parent) = path.parent() {
                    fs::create_dir_all(parent)?;
                }
                fs::write(path, seal(kind, payload))
            })(),
        )
    }

    /// Turns the outcome of a write into the return value and, for the first failure, a
    /// warning (later writes are then skipped).
    fn write_result(&self, path: &Path, result: std::io::Result<()>) -> bool {
        match result {
            Ok(()) => true,
            Err(e) => {
                if self.writable.swap(false, Ordering::Relaxed) {
                    if let Ok(mut w) = self.warnings.lock() {
                        w.push(format!(
                            "cannot write the build cache at {}: {e}; the site is built, but the next build cannot reuse this one's work",
                            path.display()
                        ));
                    }
                }
                false
            }
        }
    }

    /// Creates the folder with its CACHEDIR.TAG; called once before the first write.
    pub fn prepare(&self) {
        let Some(dir) = &self.dir else { return };
        let tag = dir.join("CACHEDIR.TAG");
        if tag.is_file() {
            return;
        }
        let text = "Signature: 8a477f597d28d172789f06886806bc55\n# digest's build cache: safe to delete at any time.\n";
        if let Err(e) = fs::create_dir_all(dir).and_then(|_| fs::write(&tag, text)) {
            self.writable.store(false, Ordering::Relaxed);
            if let Ok(mut w) = self.warnings.lock() {
                w.push(format!(
                    "cannot create the build cache at {}: {e}; the site is built, but the next build cannot reuse this one's work",
                    dir.display()
                ));
            }
        }
    }

    fn sources_path(&self) -> Option<PathBuf> {
        Some(self.dir.as_ref()?.join("sources.bin"))
    }

    fn body_path(&self, key: Key) -> Option<PathBuf> {
        let hex = format!("{key:032x}");
        Some(
            self.dir
                .as_ref()?
                .join("bodies")
                .join(&hex[..2])
                .join(format!("{hex}.bin")),
        )
    }

    fn manifest_path(&self, output: &Path) -> Option<PathBuf> {
        let id = super::content_hash(output.to_string_lossy().as_bytes());
        Some(self.dir.as_ref()?.join(format!("pages-{id:016x}.bin")))
    }

    /// The source index of the last build; empty when there is none or it is damaged.
    /// In memory mode it is handed over, not copied: [`Cache::store_sources`] gives it back.
    pub fn load_sources(&self) -> SourceIndex {
        if let Some(kept) = self.memo().and_then(|mut m| m.sources.take()) {
            return kept;
        }
        let Some(path) = self.sources_path() else {
            return SourceIndex::default();
        };
        let Some(payload) = self.read(&path, Kind::Sources) else {
            return SourceIndex::default();
        };
        match serde_json::from_slice::<SourcesFile>(&payload) {
            Ok(file) => SourceIndex {
                fingerprint: join_key(file.fingerprint),
                sources: file
                    .sources
                    .into_iter()
                    .map(|r| (join_key(r.key), r.source))
                    .collect(),
            },
            Err(_) => {
                self.note(&path, &Damage::NotACacheFile);
                SourceIndex::default()
            }
        }
    }

    /// Saves the source index of this build (sorted by key, so equal builds write equal
    /// files) when it `changed`; in memory mode, keeps it for the next build.
    pub fn store_sources(&self, index: SourceIndex, changed: bool) {
        if let Some(mut memo) = self.memo() {
            memo.sources = Some(index);
            return;
        }
        if !changed {
            return;
        }
        let Some(path) = self.sources_path() else {
            return;
        };
        let mut sources: Vec<(Key, CachedSource)> = index.sources.into_iter().collect();
        sources.sort_unstable_by_key(|(k, _)| *k);
        let file = SourcesFile {
            fingerprint: split_key(index.fingerprint),
            sources: sources
                .into_iter()
                .map(|(k, source)| SourceRecord {
                    key: split_key(k),
                    source,
                })
                .collect(),
        };
        if let Ok(payload) = serde_json::to_vec(&file) {
            self.write(&path, Kind::Sources, &payload);
        }
    }

    fn search_paths(&self) -> Option<(PathBuf, PathBuf)> {
        let dir = self.dir.as_ref()?;
        Some((dir.join("search.bin"), dir.join("search-shards.bin")))
    }

    /// The head of the last build's search index: enough to see that nothing changed.
    pub fn load_search_head(&self) -> Option<IndexHead> {
        if let Some(memo) = self.memo() {
            return memo.search.as_ref().map(|s| s.head().clone());
        }
        let (head, _) = self.search_paths()?;
        self.read_with(&head, Kind::Search, IndexHead::from_bytes)
    }

    /// The last build's search index, shards included, for
    /// [`crate::search::update_index`]; `None` when there is none or it is damaged.
    pub fn load_search_state(&self, head: IndexHead) -> Option<IndexState> {
        if let Some(mut memo) = self.memo() {
            return memo.search.take().filter(|s| *s.head() == head);
        }
        let (_, shards) = self.search_paths()?;
        self.read_with(&shards, Kind::SearchShards, |bytes| {
            IndexState::from_parts(head, bytes)
        })
    }

    /// Saves this build's search index (the shards only when they changed).
    pub fn store_search_state(&self, state: IndexState, previous: Option<&IndexHead>) {
        if let Some(mut memo) = self.memo() {
            memo.search = Some(state);
            return;
        }
        if !self.writable.load(Ordering::Relaxed) {
            return;
        }
        let Some((head, shards)) = self.search_paths() else {
            return;
        };
        let same_shards = previous.is_some_and(|p| {
            p.shard_keys == state.head().shard_keys && p.firsts == state.head().firsts
        });
        if !same_shards
            && !self.write_streamed(&shards, Kind::SearchShards, &|w| state.write_shards(w))
        {
            return;
        }
        if previous != Some(state.head()) {
            self.write(&head, Kind::Search, &state.head().to_bytes());
        }
    }

    /// Whether the body file of a source exists (its contents are checked when read).
    pub fn has_bodies(&self, key: Key) -> bool {
        self.body_path(key).is_some_and(|p| p.is_file())
    }

    /// One part of the body of post `index` of a source, or `None` when missing or damaged.
    /// Only that part is decoded: a post page needs the HTML, the search index the text.
    pub fn load_body(&self, key: Key, index: u32, part: Part) -> Option<String> {
        let path = self.body_path(key)?;
        let payload = self.read(&path, Kind::Bodies)?;
        let found = decode_part(&payload, index, part);
        if found.is_none() {
            self.note(&path, &Damage::NotACacheFile);
        }
        found
    }

    /// Saves the bodies of a source's posts; returns whether they are in the cache now.
    pub fn store_bodies(&self, key: Key, bodies: &[Body]) -> bool {
        match self.body_path(key) {
            Some(path) => self.write(&path, Kind::Bodies, &encode_bodies(bodies)),
            None => false,
        }
    }

    /// Removes the body files of sources that are gone or changed.
    pub fn remove_bodies(&self, keys: impl Iterator<Item = Key>) {
        if !self.writable.load(Ordering::Relaxed) {
            return;
        }
        for key in keys {
            if let Some(p) = self.body_path(key) {
                let _ = fs::remove_file(p);
            }
        }
    }

    /// The manifest of the last build into `output`; empty when none or damaged.
    pub fn load_manifest(&self, output: &Path) -> Manifest {
        self.manifest_path(output)
            .and_then(|p| {
                let payload = self.read(&p, Kind::Manifest)?;
                let m = Manifest::decode(&payload);
                if m.is_none() {
                    self.note(&p, &Damage::NotACacheFile);
                }
                m
            })
            .unwrap_or_default()
    }

    /// Saves the manifest of this build into `output`.
    pub fn store_manifest(&self, output: &Path, manifest: &Manifest) {
        if let Some(p) = self.manifest_path(output) {
            self.write(&p, Kind::Manifest, &manifest.encode());
        }
    }
}

/// Bodies as `count` then, per post, length-prefixed HTML and text: no escaping, so writing
/// and reading cost little more than a copy.
fn encode_bodies(bodies: &[Body]) -> Vec<u8> {
    let size: usize = bodies
        .iter()
        .map(|b| b.html.len() + b.text.len() + 16)
        .sum();
    let mut out = Vec::with_capacity(size + 4);
    out.extend_from_slice(&(bodies.len() as u32).to_le_bytes());
    for b in bodies {
        for s in [&b.html, &b.text] {
            out.extend_from_slice(&(s.len() as u64).to_le_bytes());
            out.extend_from_slice(s.as_bytes());
        }
    }
    out
}

/// Which part of a body to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The sanitized HTML.
    Html,
    /// The plain text.
    Text,
}

/// Finds one part of one post in [`encode_bodies`]' form, checking the framing of the whole
/// payload but decoding (UTF-8-checking) only the part asked for.
fn decode_part(bytes: &[u8], index: u32, part: Part) -> Option<String> {
    let (count, mut rest) = super::take(bytes, 4)?;
    let count = u32::from_le_bytes(count.try_into().ok()?);
    let wanted = 2 * index as usize + usize::from(part == Part::Text);
    let mut found = None;
    for k in 0..2 * count as usize {
        let (len, after) = super::take(rest, 8)?;
        let len = usize::try_from(u64::from_le_bytes(len.try_into().ok()?)).ok()?;
        let (s, after) = super::take(after, len)?;
        if k == wanted {
            found = Some(String::from_utf8(s.to_vec()).ok()?);
        }
        rest = after;
    }
    if rest.is_empty() {
        found
    } else {
        None
    }
}

/// Reads a post's source again and returns the bodies of its posts.
type Reparse<'a> = dyn Fn(&PostMeta) -> Option<Vec<Body>> + Sync + 'a;

/// How the renderer gets a post's body back: from memory when the cache could not take it,
/// else from the cache, else by reading and parsing its source again (a cache file that
/// went missing or bad mid-build).
pub struct BodyStore<'a> {
    cache: &'a Cache,
    memory: Mutex<HashMap<Key, Vec<Body>>>,
    reparse: Box<Reparse<'a>>,
}

impl<'a> BodyStore<'a> {
    /// A store over `cache`; `reparse` reads a post's source again and returns its bodies.
    pub fn new(
        cache: &'a Cache,
        reparse: impl Fn(&PostMeta) -> Option<Vec<Body>> + Sync + 'a,
    ) -> Self {
        BodyStore {
            cache,
            memory: Mutex::new(HashMap::new()),
            reparse: Box::new(reparse),
        }
    }

    /// Keeps the bodies of a freshly parsed source: in the cache, or in memory when the cache
    /// cannot take them.
    pub fn keep(&self, key: Key, bodies: Vec<Body>) {
        if !self.cache.store_bodies(key, &bodies) {
            if let Ok(mut m) = self.memory.lock() {
                m.insert(key, bodies);
            }
        }
    }

    /// One part of the body of a post; `None` only when its source can no longer be read.
    pub fn get(&self, post: &PostMeta, part: Part) -> Option<String> {
        let BodyRef { source, index } = post.body;
        let key = join_key(source);
        let pick = |bodies: &Vec<Body>| {
            bodies.get(index as usize).map(|b| match part {
                Part::Html => b.html.clone(),
                Part::Text => b.text.clone(),
            })
        };
        if let Some(b) = self.memory.lock().ok()?.get(&key) {
            return pick(b);
        }
        if let Some(b) = self.cache.load_body(key, index, part) {
            return Some(b);
        }
        let bodies = (self.reparse)(post)?;
        let body = pick(&bodies);
        self.keep(key, bodies);
        body
    }
}

/// Counts and checksums what is written to it, for [`Cache::write_streamed`]'s header.
#[derive(Default)]
struct HashingWriter {
    hash: xxhash_rust::xxh3::Xxh3,
    len: u64,
}

impl Write for HashingWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.hash.update(buf);
        self.len += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
