//! The build cache in `.digest-cache/` at the site root: what lets a rebuild skip the posts
//! and pages that did not change. Safe to delete at any time; never trusted blindly.
//!
//! ```text
//! .digest-cache/
//!   CACHEDIR.TAG                   tells backup tools to skip the folder
//!   sources.bin                    every source file of the last build: its key, its posts'
//!                                  metadata (PostMeta) and its diagnostics
//!   bodies/ab/<key>.bin            one per source file: the body HTML and text of its posts
//!   pages-<output>.bin             one per output folder: for each file written there, the
//!                                  key of what it was made from, its hash, size and mtime
//!   search.bin                     the last search index's head: each post's key, each
//!                                  shard's boundary and key (a build that changed nothing
//!                                  reads only this)
//!   search-shards.bin              its term shards, so an edit updates the index instead
//!                                  of tokenizing every post again (`search/update.rs`)
//! ```
//!
//! **Keys.** A source file's key is a 128-bit xxh3 hash of the cache format, the digest
//! version, the settings that change how posts are read (every setting but `base_url`,
//! which only pages use), its path and its bytes. An unchanged file has the same key, so
//! its posts come from `sources.bin` without being decoded, parsed, sanitized or rendered to
//! HTML again. A page's key hashes the templates, the settings, the page's path and the
//! whole context the template sees (for a post page: its metadata, newer and older links,
//! related posts, and its body's [`BodyRef`], that is its source key); the page is rendered
//! again only when that key changed or its previous output file is gone or was touched.
//! Templates are not part of source keys: editing a template re-renders every page but
//! re-parses nothing, which is what a theme author wants.
//!
//! **Trust.** Every file starts with a header (magic, cache format, digest version, kind)
//! and a length and xxh3 checksum of its payload. A file that is missing, truncated, of
//! another version or that fails its checksum is treated as absent: the posts are parsed
//! again and the file rewritten. Failing to write the cache is a warning, never an error.
//!
//! xxh3 (`xxhash-rust`) is used because the cache hashes every source byte on every build:
//! at ~10 GB/s it costs milliseconds for a 10,000-post site, where a cryptographic hash would
//! cost a tenth of a second and std's SipHash is neither fast nor stable across releases.

mod files;
mod manifest;

use std::path::{Path, PathBuf};

pub use files::{BodyStore, Cache, CachedSource, Part, SourceIndex};
pub use manifest::{FileRecord, Manifest};

pub use crate::key::FORMAT_VERSION;
use crate::key::{content_hash, Key};

/// The name of the cache folder at the site root.
pub const CACHE_DIR: &str = ".digest-cache";

/// The cache folder of a site.
pub fn dir(root: &Path) -> PathBuf {
    root.join(CACHE_DIR)
}

/// Kinds of cache file, written in the header so one is never read as another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Kind {
    Sources = 1,
    Bodies = 2,
    Manifest = 3,
    Search = 4,
    SearchShards = 5,
}

const MAGIC: &[u8; 8] = b"DGSTCACH";

/// Wraps a payload in the header every cache file starts with.
fn seal(kind: Kind, payload: &[u8]) -> Vec<u8> {
    let mut out = header(kind, payload.len() as u64, content_hash(payload));
    out.extend_from_slice(payload);
    out
}

/// The header of a cache file whose payload is `len` bytes with checksum `sum`.
fn header(kind: Kind, len: u64, sum: u64) -> Vec<u8> {
    let version = env!("CARGO_PKG_VERSION").as_bytes();
    let mut out = Vec::with_capacity(64);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.push(version.len() as u8);
    out.extend_from_slice(version);
    out.push(kind as u8);
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&sum.to_le_bytes());
    out
}

/// Why a cache file was not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Damage {
    /// It does not start like a cache file of this kind.
    NotACacheFile,
    /// Written by another cache format or digest version.
    OtherVersion,
    /// Shorter or longer than its header says.
    WrongLength,
    /// The payload does not match its checksum.
    BadChecksum,
}

/// Checks a cache file's header and checksum and returns its payload.
fn open(kind: Kind, bytes: &[u8]) -> Result<&[u8], Damage> {
    let rest = bytes.strip_prefix(MAGIC).ok_or(Damage::NotACacheFile)?;
    let (format, rest) = take(rest, 4).ok_or(Damage::NotACacheFile)?;
    if format != FORMAT_VERSION.to_le_bytes() {
        return Err(Damage::OtherVersion);
    }
    let (&vlen, rest) = rest.split_first().ok_or(Damage::NotACacheFile)?;
    let (version, rest) = take(rest, usize::from(vlen)).ok_or(Damage::NotACacheFile)?;
    if version != env!("CARGO_PKG_VERSION").as_bytes() {
        return Err(Damage::OtherVersion);
    }
    let (&k, rest) = rest.split_first().ok_or(Damage::NotACacheFile)?;
    if k != kind as u8 {
        return Err(Damage::NotACacheFile);
    }
    let (len, rest) = take(rest, 8).ok_or(Damage::WrongLength)?;
    let (sum, payload) = take(rest, 8).ok_or(Damage::WrongLength)?;
    let len = u64::from_le_bytes(len.try_into().map_err(|_| Damage::WrongLength)?);
    if payload.len() as u64 != len {
        return Err(Damage::WrongLength);
    }
    let sum = u64::from_le_bytes(sum.try_into().map_err(|_| Damage::WrongLength)?);
    if content_hash(payload) != sum {
        return Err(Damage::BadChecksum);
    }
    Ok(payload)
}

fn take(bytes: &[u8], n: usize) -> Option<(&[u8], &[u8])> {
    (bytes.len() >= n).then(|| bytes.split_at(n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::key::{join_key, parse_fingerprint, source_key, split_key};

    #[test]
    fn sealed_files_open_and_damage_is_named() {
        let sealed = seal(Kind::Bodies, b"payload");
        assert_eq!(open(Kind::Bodies, &sealed), Ok(&b"payload"[..]));
        assert_eq!(open(Kind::Sources, &sealed), Err(Damage::NotACacheFile));
        assert_eq!(
            open(Kind::Bodies, &sealed[..sealed.len() - 1]),
            Err(Damage::WrongLength)
        );
        let mut flipped = sealed.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        assert_eq!(open(Kind::Bodies, &flipped), Err(Damage::BadChecksum));
        let mut other = sealed;
        other[8] = 99;
        assert_eq!(open(Kind::Bodies, &other), Err(Damage::OtherVersion));
        assert_eq!(open(Kind::Bodies, b"junk"), Err(Damage::NotACacheFile));
    }

    #[test]
    fn keys_depend_on_path_bytes_and_settings() {
        let c = Config::default();
        let f = parse_fingerprint(&c);
        let k = source_key(f, Path::new("a.md"), b"x");
        assert_eq!(k, source_key(f, Path::new("a.md"), b"x"));
        assert_ne!(k, source_key(f, Path::new("b.md"), b"x"));
        assert_ne!(k, source_key(f, Path::new("a.md"), b"y"));
        let other = Config {
            paginate: 3,
            ..Config::default()
        };
        assert_ne!(f, parse_fingerprint(&other));
        let moved = Config {
            base_url: "/digest/".into(),
            ..Config::default()
        };
        assert_eq!(f, parse_fingerprint(&moved));
        assert_eq!(join_key(split_key(k)), k);
    }
}
