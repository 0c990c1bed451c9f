//! The ground floor every stage stands on: content keys. A key names what a thing was made
//! from (a source file's bytes and the settings that read it; a page's templates, settings
//! and context), so a rebuild can tell what it may take from the last build without
//! redoing it. The build cache ([`crate::cache`]) stores by these keys, the renderer and
//! the search index compute them, and the output sinks compare them; none of those
//! modules needs another to name a key.
//!
//! xxh3 (`xxhash-rust`) is used because a build hashes every changed source byte: at
//! ~10 GB/s it costs milliseconds for a 10,000-post site, where a cryptographic hash would
//! cost a tenth of a second and std's SipHash is neither fast nor stable across releases.

use std::path::Path;

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::Xxh3;

use crate::config::Config;
use crate::theme::Theme;

/// Bumped whenever the layout or meaning of a cache file changes: older files are then
/// ignored and rewritten.
pub const FORMAT_VERSION: u32 = 2;

/// A 128-bit content key.
pub type Key = u128;

/// Starts a hasher seeded with what every key depends on: the cache format and the digest
/// version.
fn hasher() -> Xxh3 {
    let mut h = Xxh3::new();
    h.update(&FORMAT_VERSION.to_le_bytes());
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(&[0]);
    h
}

/// Adds a length-prefixed field, so `("ab", "c")` and `("a", "bc")` hash differently.
fn field(h: &mut Xxh3, bytes: &[u8]) {
    h.update(&(bytes.len() as u64).to_le_bytes());
    h.update(bytes);
}

/// The part of the settings that decides how posts are read: all of it but `base_url`,
/// which only pages use (CI builds one site under several base URLs from one cache).
pub fn parse_fingerprint(config: &Config) -> Key {
    let mut c = config.clone();
    c.base_url = String::new();
    let mut h = hasher();
    field(&mut h, format!("{c:?}").as_bytes());
    h.digest128()
}

/// What every page depends on besides its own context: the settings and the templates.
pub fn page_fingerprint(config: &Config, theme: &Theme) -> Key {
    let mut h = hasher();
    field(&mut h, format!("{config:?}").as_bytes());
    for (name, src) in &theme.templates {
        field(&mut h, name.as_bytes());
        field(&mut h, src.as_bytes());
    }
    h.digest128()
}

/// The key of one source file; see the module docs.
pub fn source_key(fingerprint: Key, path: &Path, bytes: &[u8]) -> Key {
    let mut h = hasher();
    h.update(&fingerprint.to_le_bytes());
    field(&mut h, path.to_string_lossy().as_bytes());
    field(&mut h, bytes);
    h.digest128()
}

/// Hashes the parts of a page (or group of files) into its key.
#[derive(Clone)]
pub struct KeyBuilder(Xxh3);

impl KeyBuilder {
    /// A key for a page of a site whose settings and templates hash to `fingerprint`.
    pub fn new(fingerprint: Key, path: &str) -> Self {
        let mut h = hasher();
        h.update(&fingerprint.to_le_bytes());
        field(&mut h, path.as_bytes());
        KeyBuilder(h)
    }

    /// Adds bytes (a serialized context, a template name).
    pub fn bytes(&mut self, bytes: &[u8]) -> &mut Self {
        field(&mut self.0, bytes);
        self
    }

    /// Adds the identity of a post body the page shows.
    pub fn body(&mut self, body: &BodyRef) -> &mut Self {
        self.0.update(&body.source[0].to_le_bytes());
        self.0.update(&body.source[1].to_le_bytes());
        self.0.update(&body.index.to_le_bytes());
        self
    }

    /// The key.
    pub fn finish(&self) -> Key {
        self.0.digest128()
    }
}

/// A context serialized straight into the key (`serde_json::to_writer`).
impl std::io::Write for KeyBuilder {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A [`Key`] as the two halves [`BodyRef`] stores.
pub fn split_key(key: Key) -> [u64; 2] {
    [(key >> 64) as u64, key as u64]
}

/// The two halves of a [`BodyRef`] as a [`Key`].
pub fn join_key(halves: [u64; 2]) -> Key {
    (u128::from(halves[0]) << 64) | u128::from(halves[1])
}

/// The 64-bit hash of an output file's bytes, compared with the previous build's.
pub fn content_hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// Which stored body belongs to a post: its source file's key and its place among that
/// file's posts (a TSV file holds several). Part of every key of a page that shows the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct BodyRef {
    /// [`source_key`] of the source file, as two halves (JSON has no u128).
    pub source: [u64; 2],
    /// Index of the post among the file's posts.
    pub index: u32,
}
