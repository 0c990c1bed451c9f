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

mod index;
mod postings;
mod query;
mod tokenize;

#[cfg(test)]
mod testgen;
#[cfg(test)]
mod tests;

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
    index::build(docs, &|i| docs[i].body.clone())
}

/// [`build_index`] for docs whose `body` is left empty and given by `body(i)` instead, read
/// a block of posts at a time: the build keeps post bodies out of memory until needed.
pub fn build_index_with(
    docs: &[SearchDoc],
    body: &(dyn Fn(usize) -> String + Sync),
) -> Vec<(String, Vec<u8>)> {
    index::build(docs, body)
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
