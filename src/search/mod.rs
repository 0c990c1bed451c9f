//! The site's search index: CJK-aware, sharded, served as static files.
//!
//! STUB: issue 6 builds the real index; this writes nothing.

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

/// Builds the index files; paths are relative to the output folder (e.g. `search/index/meta.json`).
pub fn build_index(_docs: &[SearchDoc]) -> Vec<(String, Vec<u8>)> {
    Vec::new()
}
