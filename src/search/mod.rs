//! The site's search index: CJK-aware, sharded, served as static files.
//!
//! Most static-site search splits text on spaces and so finds nothing in Chinese. Here Han,
//! kana and hangul are indexed as single characters and overlapping character pairs, Latin
//! as lower-cased words matched by prefix, numbers as words (`tokenize.rs`).
//!
//! The index is plain files under `search/` in the output folder, split so that a query
//! fetches only what it needs (`index.rs`):
//!
//! - `search/meta.json`: format version, a content hash, the number of posts, and the first
//!   term of each term shard;
//! - `search/t/N.txt`: term shards, one `term postings` line per term over a sorted range of
//!   terms, each posting list in the compact form described in `postings.rs`;
//! - `search/d/ID.json`: one per post: URL, title, dates, categories and the start of the
//!   text for the snippet; fetched only for results on screen.
//!
//! [`search`] runs a query over these files the way `themes/default/static/search.js` does
//! in the browser, and [`query_cost`] counts the bytes that takes.

mod documents;
mod index;
mod postings;
mod query;
mod tokenize;
mod update;

pub(crate) use documents::{settings_key, site_documents};
pub use update::{IndexHead, IndexState};

#[cfg(test)]
mod testgen;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod update_tests;

/// One post as search sees it: plain text only, no HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchDoc {
    /// Site-relative URL of the post page, e.g. `posts/2022/04/qingyun/` (no base_url).
    pub url: String,
    /// The post title.
    pub title: String,
    /// RFC 3339 date, when the post has one; newer posts win ties.
    pub date: Option<String>,
    /// Date as shown to readers, e.g. `2022年4月28日`.
    pub date_display: Option<String>,
    /// Category names (leaf names of hierarchies).
    pub categories: Vec<String>,
    /// Tag names.
    pub tags: Vec<String>,
    /// The summary, plain text.
    pub summary: String,
    /// The body, plain text (empty when bodies are not indexed).
    pub body: String,
}

/// Builds the index files; paths are relative to the output folder (`search/meta.json`,
/// `search/t/N.txt`, `search/d/ID.json`), sorted by path. The same posts in any order give
/// byte-identical files, so rebuilding an unchanged site changes nothing.
pub fn build_index(docs: &[SearchDoc]) -> Vec<(String, Vec<u8>)> {
    let keys: Vec<u128> = docs.iter().map(doc_key).collect();
    let update = update_index(docs, &keys, 0, &|i| docs[i].body.clone(), None, &|_, _| {
        false
    });
    let mut files: Vec<(String, Vec<u8>)> = update
        .shard_files()
        .map(|(path, _, bytes)| (path, bytes.to_vec()))
        .collect();
    files.extend(update.files.into_iter().map(|f| (f.path, f.bytes)));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// A key for a document that holds its body: a hash of every field.
pub fn doc_key(doc: &SearchDoc) -> u128 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    let fields = [&doc.url, &doc.title, &doc.summary, &doc.body];
    for f in fields {
        h.update(&(f.len() as u64).to_le_bytes());
        h.update(f.as_bytes());
    }
    for f in [&doc.date, &doc.date_display] {
        let f = f.as_deref().unwrap_or("\u{0}");
        h.update(&(f.len() as u64).to_le_bytes());
        h.update(f.as_bytes());
    }
    for list in [&doc.categories, &doc.tags] {
        h.update(&(list.len() as u64).to_le_bytes());
        for f in list {
            h.update(&(f.len() as u64).to_le_bytes());
            h.update(f.as_bytes());
        }
    }
    h.digest128()
}

/// One index file to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexFile {
    /// Path relative to the output folder.
    pub path: String,
    /// What the file was made from: a doc file's document key; for the other files a hash
    /// of their bytes.
    pub key: u128,
    /// The file.
    pub bytes: Vec<u8>,
}

/// How [`update_index`] made the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexMethod {
    /// Every post tokenized.
    Full,
    /// The previous index updated; this many posts tokenized.
    Updated(usize),
}

/// What [`update_index`] gives: the files to write, and what to remember for next time.
#[derive(Debug, Clone)]
pub struct IndexUpdate {
    /// The index files to write but the term shards (see [`IndexUpdate::shard_files`]):
    /// `meta.json` and the doc files. Doc files that `reuse` took from the previous build
    /// are not among them.
    pub files: Vec<IndexFile>,
    /// The state to hand to the next build's [`update_index`].
    pub state: IndexState,
    /// Whether the index was updated or built afresh.
    pub method: IndexMethod,
}

impl IndexUpdate {
    /// The term shard files to write: path, key (a hash of the bytes) and bytes, borrowed
    /// from [`IndexUpdate::state`] so a big index is not held twice.
    pub fn shard_files(&self) -> impl Iterator<Item = (String, u128, &[u8])> + '_ {
        self.state
            .shards
            .texts
            .iter()
            .enumerate()
            .zip(&self.state.head.shard_keys)
            .map(|((n, text), &key)| (index::shard_path(n), key, text.as_bytes()))
    }
}

/// The documents' `(url, key)` in id order, for [`IndexHead::unchanged_files`].
pub fn index_ids<'a>(docs: &'a [SearchDoc], keys: &[u128]) -> Vec<(&'a str, u128)> {
    index::id_order(docs)
        .into_iter()
        .map(|i| (docs[i].url.as_str(), keys[i]))
        .collect()
}

/// Builds the index, or updates `previous` when only a few posts changed (see `update.rs`
/// for when that is possible). `keys[i]` must change whenever anything of `docs[i]` does,
/// its body included (the build hashes the body's source; [`doc_key`] hashes everything);
/// `settings` covers whatever else decides the index (whether bodies are indexed).
/// `body(i)` gives the body of `docs[i]`, and is called only for the posts tokenized.
/// `reuse(path, key)` is asked, for each unchanged document, whether its doc file can be
/// taken from the previous output as it is; when it says no, the file is made again.
pub fn update_index(
    docs: &[SearchDoc],
    keys: &[u128],
    settings: u128,
    body: &(dyn Fn(usize) -> String + Sync),
    previous: Option<&IndexState>,
    reuse: &(dyn Fn(&str, u128) -> bool + Sync),
) -> IndexUpdate {
    use rayon::prelude::*;
    let order = index::id_order(docs);
    let ids: Vec<(&str, u128)> = order
        .iter()
        .map(|&i| (docs[i].url.as_str(), keys[i]))
        .collect();
    let updated = previous.and_then(|prev| {
        let plan = update::plan(prev, settings, &ids, &order)?;
        let (shards, snippets) = update::apply(&prev.shards, &plan, docs, body).ok()?;
        Some((shards, snippets, plan.tokenize.len()))
    });
    let (shards, doc_files, method) = match updated {
        Some((shards, snippets, n)) => {
            let mut fresh: Vec<Option<String>> = vec![None; order.len()];
            for (id, snippet) in snippets {
                fresh[id as usize] = Some(snippet);
            }
            let doc_files: Vec<Option<Vec<u8>>> = fresh
                .into_par_iter()
                .enumerate()
                .map(|(id, snippet)| {
                    let i = order[id];
                    match snippet {
                        Some(s) => Some(index::doc_file(&docs[i], s)),
                        None if reuse(&index::doc_path(id as u32), keys[i]) => None,
                        None => Some(index::doc_file(
                            &docs[i],
                            index::snippet_of(&docs[i], &body(i)),
                        )),
                    }
                })
                .collect();
            (shards, doc_files, IndexMethod::Updated(n))
        }
        None => {
            let full = index::build(docs, &order, body);
            let files = full.doc_files.into_iter().map(Some).collect();
            (full.shards, files, IndexMethod::Full)
        }
    };
    let key_of = update::file_key;
    let mut files = Vec::with_capacity(doc_files.len() + 1);
    let id_keys: Vec<u128> = ids.iter().map(|d| d.1).collect();
    let meta = index::meta_file(&shards, &id_keys);
    files.push(IndexFile {
        path: index::META_PATH.to_string(),
        key: key_of(&meta),
        bytes: meta,
    });
    for (id, bytes) in doc_files.into_iter().enumerate() {
        if let Some(bytes) = bytes {
            files.push(IndexFile {
                path: index::doc_path(id as u32),
                key: id_keys[id],
                bytes,
            });
        }
    }
    let meta_key = files[0].key;
    let state = IndexState::new(
        settings,
        ids.iter().map(|&(u, k)| (u.to_string(), k)).collect(),
        meta_key,
        shards,
    );
    IndexUpdate {
        files,
        state,
        method,
    }
}

/// How many results search.js shows at first (and adds per "more" click); [`query_cost`]
/// counts the doc files of this many results.
pub const RESULTS_PER_PAGE: usize = 10;

/// One result of [`search`], as the search page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchHit {
    /// Site-relative URL of the post.
    pub url: String,
    /// The post title.
    pub title: String,
    /// Date as shown to readers.
    pub date_display: Option<String>,
    /// Category names.
    pub categories: Vec<String>,
    /// The ranking score (higher first; see [`search`]), exposed so tests can say why one
    /// post ranks above another.
    pub score: u32,
}

/// Why the index files could not be searched: they are incomplete or not digest's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SearchError {
    /// A file the index refers to is not among the files given.
    #[error("search index file {0} is missing; rebuild the site")]
    Missing(String),
    /// A file is not in the expected format.
    #[error("search index file {path} is not valid: {message}")]
    Invalid {
        /// The file, relative to the output folder.
        path: String,
        /// What was wrong.
        message: String,
    },
}

/// Runs `query` over index files from [`build_index`], reading them the way search.js
/// does, so Rust tests can check what a reader would see. Returns every matching post,
/// best first.
///
/// A post matches when it holds every word of the query (for a CJK word, every character
/// pair of it). Each word scores by the fields holding it: title 12, tag or category 8,
/// summary 2, body 1, summed; the post's score is the sum over words. Equal scores put the
/// newer post first.
pub fn search(files: &[(String, Vec<u8>)], query: &str) -> Result<Vec<SearchHit>, SearchError> {
    query::search(files, query)
}

/// The files a browser fetches for one query, counted: `meta.json` (fetched once per page,
/// counted here as if this were the first query), the term shards the query needs, and the
/// doc files of the first [`RESULTS_PER_PAGE`] results. Sizes are uncompressed; servers
/// that gzip JSON (GitHub Pages does) send less.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueryCost {
    /// Bytes of `search/meta.json`.
    pub meta_bytes: usize,
    /// Term shards fetched.
    pub shard_files: usize,
    /// Bytes of the term shards fetched.
    pub shard_bytes: usize,
    /// Doc files fetched.
    pub doc_files: usize,
    /// Bytes of the doc files fetched.
    pub doc_bytes: usize,
    /// Number of matching posts.
    pub hits: usize,
}

impl QueryCost {
    /// All bytes fetched, the figure the "under 1 MB per query" budget is about.
    pub fn total_bytes(&self) -> usize {
        self.meta_bytes + self.shard_bytes + self.doc_bytes
    }
}

/// Counts what a browser downloads to answer `query` over these index files, for the
/// benchmark and the size tests (see [`QueryCost`]).
pub fn query_cost(files: &[(String, Vec<u8>)], query: &str) -> Result<QueryCost, SearchError> {
    query::query_cost(files, query)
}
