//! The parse stage: every post file of the site, through the store. A file the store
//! already has is taken from it; any other is read, decoded, split, rendered and
//! sanitized ([`crate::content::parse_source`], the only way a post is ever parsed), and
//! its bodies go into the store as they are made.
//!
//! **Trusting stamps.** A file whose length and mtime ([`Stamp`]) are what the store
//! recorded, read with the same settings, is taken without reading a byte of it, as make
//! and cargo do. Any other file is read and hashed: a fresh clone gives every file a new
//! mtime, and then the content key (the same bytes give the same key) still finds it in
//! the store. A stamp is recorded only when the file's mtime is more than a second older
//! than the build's start, so a file written again within the same clock tick as the
//! build that read it (the "racy" case git guards against) is hashed next time.

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::cache::{BodyStore, Cache, CachedSource, SourceIndex};
use crate::config::Config;
use crate::content;
use crate::diagnostics::Diagnostic;
use crate::discover::{self, Listed, Stamp};
use crate::key::{self, Key};
use crate::progress::Progress;
use crate::site::{BodyRef, PostMeta};

/// The posts of every source file, and how they were had.
pub(crate) struct Parsed {
    /// Every post's metadata, in source order.
    pub posts: Vec<PostMeta>,
    /// What reading and parsing found (also for sources taken from the store).
    pub diagnostics: Vec<Diagnostic>,
    /// The sources of this build, for the store.
    pub index: SourceIndex,
    /// Whether `index` differs from the store's (else it need not be saved).
    pub changed: bool,
    /// Source files parsed.
    pub parsed: usize,
    /// Source files taken from the store.
    pub hits: usize,
}

/// How far in the past a file's mtime must be for its stamp to be trusted next time.
const RACY: Duration = Duration::from_secs(1);

/// A body store over `cache` that can parse a source again should its stored bodies go
/// missing mid-build (another process cleaning the cache): it reads the file at `root`
/// and checks it is still the file this build's metadata came from.
pub(crate) fn body_store<'a>(cache: &'a Cache, root: &Path, config: &Config) -> BodyStore<'a> {
    let root = root.to_path_buf();
    let config = config.clone();
    let fp = key::parse_fingerprint(&config);
    BodyStore::new(cache, move |post: &PostMeta| {
        let src = discover::read_source(&root, &post.source).ok()?;
        if key::split_key(key::source_key(fp, &src.path, &src.bytes)) != post.body.source {
            return None; // changed since this build read it
        }
        let parsed = content::parse_source(&src, &config);
        Some(
            parsed
                .posts
                .into_iter()
                .map(|p| PostMeta::split(p, post.body).1)
                .collect(),
        )
    })
}

/// Parses (or takes from `cache`) every source in `sources`, in parallel; bodies go into
/// `bodies`. `started` is when the build began (for trusting stamps).
pub(crate) fn parse_sources(
    root: &Path,
    sources: Vec<Listed>,
    config: &Config,
    cache: &Cache,
    bodies: &BodyStore<'_>,
    started: SystemTime,
    progress: &dyn Progress,
) -> Parsed {
    let mut previous = cache.load_sources();
    let fp = key::parse_fingerprint(config);
    // what each path was at the last build, when the settings were the same
    let by_path: FxHashMap<&Path, (Stamp, Key)> = if previous.fingerprint == fp {
        previous
            .sources
            .iter()
            .filter_map(|(k, s)| Some((s.path.as_path(), (s.stamp?, *k))))
            .collect()
    } else {
        FxHashMap::default()
    };
    let trusted_before = started
        .checked_sub(RACY)
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .and_then(|d| i64::try_from(d.as_nanos()).ok())
        .unwrap_or(0);
    let trust =
        |stamp: Stamp| (stamp.mtime_ns > 0 && stamp.mtime_ns < trusted_before).then_some(stamp);
    progress.stage("reading posts", sources.len());
    let loaded: Vec<Result<(Key, CachedSource, bool), Diagnostic>> = sources
        .into_par_iter()
        .map(|listed| {
            let out = load_one(
                root, listed, config, fp, &previous, &by_path, cache, bodies, &trust,
            );
            progress.tick();
            out
        })
        .collect();
    drop(by_path);
    let mut parsed = Parsed {
        posts: Vec::new(),
        diagnostics: Vec::new(),
        index: SourceIndex {
            fingerprint: fp,
            sources: Default::default(),
        },
        changed: false,
        parsed: 0,
        hits: 0,
    };
    let mut unchanged = true;
    for r in loaded {
        match r {
            Ok((key, source, hit)) => {
                if hit {
                    parsed.hits += 1;
                    // a hit whose stamp changed (a fresh clone) is worth saving once
                    unchanged &= previous.sources.get(&key).map(|s| s.stamp) == Some(source.stamp);
                } else {
                    parsed.parsed += 1;
                }
                parsed.posts.extend(source.posts.iter().cloned());
                parsed
                    .diagnostics
                    .extend(source.diagnostics.iter().cloned());
                parsed.index.sources.insert(key, source);
            }
            Err(d) => parsed.diagnostics.push(d),
        }
    }
    let gone: Vec<Key> = previous
        .sources
        .keys()
        .filter(|k| !parsed.index.sources.contains_key(k))
        .copied()
        .collect();
    cache.remove_bodies(gone.iter().copied());
    parsed.changed = parsed.parsed > 0
        || !gone.is_empty()
        || !unchanged
        || previous.fingerprint != fp
        || parsed.index.sources.len() != previous.sources.len();
    previous.sources.clear();
    parsed
}

/// One source: from the store by its stamp, else read and from the store by its key, else
/// parsed. Returns its key, what it gave and whether it came from the store.
#[allow(clippy::too_many_arguments)]
fn load_one(
    root: &Path,
    listed: Listed,
    config: &Config,
    fp: Key,
    previous: &SourceIndex,
    by_path: &FxHashMap<&Path, (Stamp, Key)>,
    cache: &Cache,
    bodies: &BodyStore<'_>,
    trust: &(dyn Fn(Stamp) -> Option<Stamp> + Sync),
) -> Result<(Key, CachedSource, bool), Diagnostic> {
    let stamp = trust(listed.stamp);
    if let Some(&(was, key)) = by_path.get(listed.path.as_path()) {
        if was == listed.stamp && cache.has_bodies(key) {
            if let Some(c) = previous.sources.get(&key) {
                return Ok((key, c.clone(), true));
            }
        }
    }
    let src = discover::read_source(root, &listed.path)?;
    let key = key::source_key(fp, &src.path, &src.bytes);
    if let Some(c) = previous.sources.get(&key).filter(|_| cache.has_bodies(key)) {
        let mut c = c.clone();
        c.stamp = stamp;
        return Ok((key, c, true));
    }
    let out = content::parse_source(&src, config);
    drop(src);
    let mut posts = Vec::with_capacity(out.posts.len());
    let mut kept = Vec::with_capacity(out.posts.len());
    for (k, post) in out.posts.into_iter().enumerate() {
        let body = BodyRef {
            source: key::split_key(key),
            index: k as u32,
        };
        let (meta, b) = PostMeta::split(post, body);
        posts.push(meta);
        kept.push(b);
    }
    bodies.keep(key, kept);
    let source = CachedSource {
        path: listed.path,
        stamp,
        posts,
        diagnostics: out.diagnostics,
    };
    Ok((key, source, false))
}
