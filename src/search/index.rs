//! Posts to index files: `search/meta.json`, term shards `search/t/N.txt`, one small
//! file per post `search/d/ID.json`.
//!
//! Document ids follow date order, oldest first (undated posts before all dated ones), so
//! "newer wins ties" needs no dates at query time: the larger id wins. Adding a newer post
//! also leaves every older post's id, and so its doc file, unchanged.
//!
//! Terms are sorted (by UTF-16 code units, the order JavaScript compares strings in) and cut
//! into shards of about [`SHARD_TARGET_BYTES`]; `meta.json` lists each shard's first term. A
//! shard is plain text, one `term postings` line per term in sorted order: most terms of a
//! big index occur in one or two posts, and JSON's quotes and colons would cost more than
//! their postings. Terms never hold spaces or newlines (those separate terms). An
//! exact term lives in one shard, found by binary search, and a prefix's terms lie in a run of
//! neighbouring shards. Sizes adapt to the site: a small site has a few shards, a big one
//! many, none much bigger than the target unless one term's postings alone are.

use rustc_hash::FxHashMap;
use std::cmp::Ordering;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::postings::{PostingWriter, BODY, SUMMARY, TAXONOMY, TITLE};
use super::tokenize::{for_each_term, Term};
use super::SearchDoc;

/// Target size of a term shard. Smaller shards mean fewer wasted bytes per query but more
/// files and a longer `meta.json`; at 10,000 posts this keeps a two-term query well under
/// 1 MB with `meta.json` still small (see the size tests).
pub(crate) const SHARD_TARGET_BYTES: usize = 16 * 1024;

/// Characters of body text kept per post for snippets: enough for a window around a match
/// in the first screens of a post, small enough that ten results stay near 60 KB.
pub(crate) const SNIPPET_CHARS: usize = 2000;

/// Bumped when the file layout changes, so search.js can refuse an index it cannot read.
pub(crate) const FORMAT_VERSION: u32 = 1;

/// Path of the index's entry file, relative to the output folder.
pub(crate) const META_PATH: &str = "search/meta.json";

/// Path of term shard `n`.
pub(crate) fn shard_path(n: usize) -> String {
    format!("search/t/{n}.txt")
}

/// Path of the doc file of document `id`.
pub(crate) fn doc_path(id: u32) -> String {
    format!("search/d/{id}.json")
}

/// `search/meta.json`: what a browser fetches first, once per page.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Meta {
    /// [`FORMAT_VERSION`].
    pub(crate) version: u32,
    /// A hash of every other index file, appended to their URLs (`?v=`) so a browser never
    /// mixes cached shards of an old build with a new `meta.json`.
    pub(crate) hash: String,
    /// Number of documents; ids are `0..docs`.
    pub(crate) docs: u32,
    /// First term of each shard, in order, separated by spaces (a JSON list would cost three
    /// more bytes a shard); shard `n` is `search/t/n.txt`.
    pub(crate) shards: String,
}

/// `search/d/ID.json`: what a result shows, fetched only for the results on screen.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct DocFile {
    /// Site-relative URL of the post.
    pub(crate) u: String,
    /// Title.
    pub(crate) t: String,
    /// RFC 3339 date, for `<time datetime>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) dt: Option<String>,
    /// Date as shown to readers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) d: Option<String>,
    /// Category names.
    #[serde(default)]
    pub(crate) c: Vec<String>,
    /// The start of the body (or the summary, when bodies are not indexed), whitespace
    /// collapsed, for the snippet.
    #[serde(default)]
    pub(crate) x: String,
}

/// Orders strings as JavaScript's `<` does (UTF-16 code units), which differs from Rust's
/// byte order for characters beyond U+FFFF; search.js binary-searches the shard list with it.
pub(crate) fn js_cmp(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// Document ids: `order[id]` is the index in `docs` of document `id`.
pub(crate) fn id_order(docs: &[SearchDoc]) -> Vec<usize> {
    // (instant, or None when undated; URL; input index): undated first, then oldest first.
    type Key<'a> = (Option<(i64, u32)>, &'a str, usize);
    let mut keys: Vec<Key> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let ts = d
                .date
                .as_deref()
                .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
                .map(|t| (t.timestamp(), t.timestamp_subsec_nanos()));
            (ts, d.url.as_str(), i)
        })
        .collect();
    keys.sort();
    keys.into_iter().map(|(_, _, i)| i).collect()
}

/// An index term while the index is built: CJK characters and pairs by value, so that
/// tokenizing and merging a big site's bodies allocates a string per distinct term only.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum TermKey {
    /// One CJK character (the second is `\0`) or a pair.
    Cjk(char, char),
    /// A word or number.
    Word(String),
}

impl TermKey {
    /// Whether postings of this term carry positions (pairs do).
    fn is_pair(&self) -> bool {
        matches!(self, TermKey::Cjk(_, b) if *b != '\0')
    }

    fn into_string(self) -> String {
        match self {
            TermKey::Cjk(a, '\0') => a.to_string(),
            TermKey::Cjk(a, b) => [a, b].iter().collect(),
            TermKey::Word(w) => w,
        }
    }
}

/// The terms of one document (in no particular order), each with the fields it occurs in
/// and, for pairs, its position signature (bit `p % 4` for each position `p`).
fn doc_terms(doc: &SearchDoc, body: &str) -> Vec<(TermKey, u8, u8)> {
    let mut cjk: FxHashMap<(char, char), (u8, u8)> = FxHashMap::default();
    let mut words: FxHashMap<String, (u8, u8)> = FxHashMap::default();
    let mut add = |text: &str, field: u8| {
        for_each_term(text, |t, pos| {
            let e = match t {
                Term::Char(c) => cjk.entry((c, '\0')).or_insert((0, 0)),
                Term::Pair(a, b) => cjk.entry((a, b)).or_insert((0, 0)),
                Term::Word(w) => match words.get_mut(w) {
                    Some(e) => e,
                    None => words.entry(w.to_string()).or_insert((0, 0)),
                },
            };
            e.0 |= field;
            e.1 |= 1 << (pos % 4);
        });
    };
    add(&doc.title, TITLE);
    // Each name on its own, so no pair spans two names.
    for name in doc.categories.iter().chain(&doc.tags) {
        add(name, TAXONOMY);
    }
    add(&doc.summary, SUMMARY);
    add(body, BODY);
    let mut out: Vec<(TermKey, u8, u8)> = Vec::with_capacity(cjk.len() + words.len());
    out.extend(
        cjk.into_iter()
            .map(|((a, b), (f, s))| (TermKey::Cjk(a, b), f, s)),
    );
    out.extend(
        words
            .into_iter()
            .map(|(t, (f, s))| (TermKey::Word(t), f, s)),
    );
    out
}

/// The snippet text of a document: body start, else summary.
fn snippet_text(doc: &SearchDoc, body: &str) -> String {
    let source = if body.trim().is_empty() {
        &doc.summary
    } else {
        body
    };
    let mut out = String::new();
    let mut chars = 0;
    for word in source.split_whitespace() {
        if chars >= SNIPPET_CHARS {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
            chars += 1;
        }
        for c in word.chars() {
            if chars >= SNIPPET_CHARS {
                break;
            }
            out.push(c);
            chars += 1;
        }
    }
    out
}

/// Term postings are merged in this many partitions (by term hash), in parallel.
const PARTITIONS: usize = 32;

/// Which partition a term's postings are merged in.
fn partition(term: &TermKey) -> usize {
    use std::hash::BuildHasher;
    (rustc_hash::FxBuildHasher.hash_one(term) >> 32) as usize % PARTITIONS
}

/// The term shards of an index. `firsts[n]` is the boundary of shard `n`: every term it
/// holds sorts at or after it and before `firsts[n + 1]`. A fresh index's boundary is its
/// shard's first term; an updated one may keep a boundary whose term has gone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Shards {
    /// Boundaries, in order.
    pub(crate) firsts: Vec<String>,
    /// The shard files' text, `term postings` lines.
    pub(crate) texts: Vec<String>,
}

/// One posting: document id, field bits, position signature.
pub(crate) type Posting = (u32, u8, u8);

/// A document's terms for an update: its id, each term with its field bits and position
/// signature, and its snippet.
pub(crate) type DocTerms = (u32, Vec<(String, u8, u8)>, String);

/// The terms of documents `ids` (tokenized in parallel), for an update of the index.
pub(crate) fn terms_of(
    docs: &[SearchDoc],
    ids: &[(u32, usize)],
    body: &(dyn Fn(usize) -> String + Sync),
) -> Vec<DocTerms> {
    ids.par_iter()
        .map(|&(id, i)| {
            let text = body(i);
            let terms = doc_terms(&docs[i], &text)
                .into_iter()
                .map(|(t, f, s)| (t.into_string(), f, s))
                .collect();
            (id, terms, snippet_text(&docs[i], &text))
        })
        .collect()
}

/// Tokenizes every document and cuts the merged postings into shards; returns them with
/// each document's snippet, by id. `order[id]` is the index in `docs` of document `id`.
fn build_shards(
    docs: &[SearchDoc],
    order: &[usize],
    body: &(dyn Fn(usize) -> String + Sync),
) -> (Shards, Vec<String>) {
    // Tokenize in parallel a block at a time (bodies are loaded per block), then merge in
    // id order, each partition of the terms on its own thread: postings come out ascending
    // and memory stays bounded by one block's term lists.
    let mut parts: Vec<FxHashMap<TermKey, PostingWriter>> =
        (0..PARTITIONS).map(|_| FxHashMap::default()).collect();
    let mut snippets: Vec<String> = vec![String::new(); order.len()];
    for (block_no, block) in order.chunks(256).enumerate() {
        #[allow(clippy::type_complexity)]
        let terms: Vec<(Vec<Vec<(TermKey, u8, u8)>>, String)> = block
            .par_iter()
            .map(|&i| {
                let text = body(i);
                let mut split: Vec<Vec<(TermKey, u8, u8)>> = vec![Vec::new(); PARTITIONS];
                for t in doc_terms(&docs[i], &text) {
                    split[partition(&t.0)].push(t);
                }
                (split, snippet_text(&docs[i], &text))
            })
            .collect();
        #[allow(clippy::type_complexity)]
        let mut per_part: Vec<Vec<(u32, Vec<(TermKey, u8, u8)>)>> = (0..PARTITIONS)
            .map(|_| Vec::with_capacity(block.len()))
            .collect();
        for (k, (split, snippet)) in terms.into_iter().enumerate() {
            let id = block_no * 256 + k;
            snippets[id] = snippet;
            for (p, list) in split.into_iter().enumerate() {
                per_part[p].push((id as u32, list));
            }
        }
        parts
            .par_iter_mut()
            .zip(per_part)
            .for_each(|(postings, docs)| {
                for (id, list) in docs {
                    for (term, fields, signature) in list {
                        postings
                            .entry(term)
                            .or_insert_with_key(|t| PostingWriter::new(t.is_pair()))
                            .push(id, fields, signature);
                    }
                }
            });
    }
    let mut terms: Vec<(String, PostingWriter)> = parts
        .into_iter()
        .flatten()
        .map(|(k, w)| (k.into_string(), w))
        .collect();
    terms.par_sort_by_cached_key(|(t, _)| t.encode_utf16().collect::<Vec<u16>>());
    let lines = terms
        .iter()
        .filter(|(term, _)| !term.contains([' ', '\n'])) // cannot happen: they separate terms
        .map(|(term, w)| (term.as_str(), w.as_str()));
    (cut_shards(lines), snippets)
}

/// Cuts sorted `(term, postings)` lines into shards of about [`SHARD_TARGET_BYTES`].
pub(crate) fn cut_shards<'a>(lines: impl Iterator<Item = (&'a str, &'a str)>) -> Shards {
    let mut out = Shards::default();
    let mut shard = String::new();
    for (term, postings) in lines {
        let entry_len = term.len() + 1 + postings.len() + 1;
        if !shard.is_empty() && shard.len() + entry_len > SHARD_TARGET_BYTES {
            out.texts.push(std::mem::take(&mut shard));
        }
        if shard.is_empty() {
            out.firsts.push(term.to_string());
        }
        shard.push_str(term);
        shard.push(' ');
        shard.push_str(postings);
        shard.push('\n');
    }
    if !shard.is_empty() {
        out.texts.push(shard);
    }
    out
}

/// The doc file of one document.
pub(crate) fn doc_file(doc: &SearchDoc, snippet: String) -> Vec<u8> {
    to_json(&DocFile {
        u: doc.url.clone(),
        t: doc.title.clone(),
        dt: doc.date.clone(),
        d: doc.date_display.clone(),
        c: doc.categories.clone(),
        x: snippet,
    })
}

/// The snippet of `doc` from its body text.
pub(crate) fn snippet_of(doc: &SearchDoc, body: &str) -> String {
    snippet_text(doc, body)
}

/// `search/meta.json` for these shards and documents. Its hash covers every shard's text
/// and every document's key (which changes whenever its doc file does), so it changes
/// exactly when some index file does, however the index was made.
pub(crate) fn meta_file(shards: &Shards, doc_keys: &[u128]) -> Vec<u8> {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(&FORMAT_VERSION.to_le_bytes());
    for (first, text) in shards.firsts.iter().zip(&shards.texts) {
        h.update(&(first.len() as u64).to_le_bytes());
        h.update(first.as_bytes());
        h.update(&(text.len() as u64).to_le_bytes());
        h.update(text.as_bytes());
    }
    for key in doc_keys {
        h.update(&key.to_le_bytes());
    }
    to_json(&Meta {
        version: FORMAT_VERSION,
        hash: format!("{:016x}", h.digest()),
        docs: doc_keys.len() as u32,
        shards: shards.firsts.join(" "),
    })
}

/// A whole index, built from scratch: the shards, and each document's id order and doc file.
pub(crate) struct FullIndex {
    /// The term shards.
    pub(crate) shards: Shards,
    /// The doc files, by id.
    pub(crate) doc_files: Vec<Vec<u8>>,
}

/// Builds the whole index; see the module docs for the layout. `order` is [`id_order`] of
/// `docs`; `body(i)` is the body of `docs[i]`.
pub(crate) fn build(
    docs: &[SearchDoc],
    order: &[usize],
    body: &(dyn Fn(usize) -> String + Sync),
) -> FullIndex {
    let (shards, snippets) = build_shards(docs, order, body);
    let doc_files = order
        .par_iter()
        .zip(snippets)
        .map(|(&i, snippet)| doc_file(&docs[i], snippet))
        .collect();
    FullIndex { shards, doc_files }
}

/// A value as compact JSON; the index types hold only strings, numbers and lists, which
/// always serialize.
fn to_json<T: Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_default()
}
