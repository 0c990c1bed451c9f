//! A post as the site model keeps it: what listing pages, feeds and links need, without the
//! body.
//!
//! Bodies are most of a site's bytes (a 10,000-post site has ~250 MB of body HTML and text
//! but ~10 MB of metadata), and only the post's own page, its feed entries and the search
//! index read them. Keeping them out of [`crate::site::Site`] is what lets memory grow with
//! the number of posts rather than their size: the build keeps each [`Body`] in a
//! [`crate::cache::BodyStore`] (in the cache folder, or in memory when there is none) and
//! loads it only for the pages that are rendered.

use std::path::PathBuf;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};

use crate::content::meta::reading_minutes;
use crate::content::Post;
pub use crate::key::BodyRef;

/// The body of a post: the sanitized HTML and its plain text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Body {
    /// Sanitized body HTML: the only post text templates may print unescaped.
    pub html: String,
    /// Plain text of the body, for search.
    pub text: String,
}

/// Everything about a post but its body; see the module docs for why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostMeta {
    /// Source path relative to the content folder.
    pub source: PathBuf,
    /// 1-based line of the record for TSV posts; 1 otherwise.
    pub source_line: usize,
    /// Title, stated or inferred.
    pub title: String,
    /// URL slug before clash suffixes are added.
    pub slug: String,
    /// Publication date; `None` when nothing in the post says.
    pub date: Option<DateTime<FixedOffset>>,
    /// Last update, when stated.
    pub updated: Option<DateTime<FixedOffset>>,
    /// Category paths, each from the top of a hierarchy down.
    pub categories: Vec<Vec<String>>,
    /// Tags as written.
    pub tags: Vec<String>,
    /// Plain-text summary.
    pub summary: String,
    /// Cover image URL.
    pub image: Option<String>,
    /// Author, stated.
    pub author: Option<String>,
    /// Link to the original article.
    pub source_url: Option<String>,
    /// Drafts are built only with `--drafts`.
    pub draft: bool,
    /// Front matter keys digest does not know, for templates as `page.extra`.
    pub extra: Map<String, Json>,
    /// Minutes to read, computed from the body while it is at hand.
    pub reading_minutes: usize,
    /// MinHash signature of the body text, for finding syndicated copies without the body.
    #[serde(default)]
    pub text_signature: Option<Vec<u64>>,
    /// Where the body is kept.
    pub body: BodyRef,
}

impl PostMeta {
    /// Splits a parsed post into what the site model keeps and its body.
    pub fn split(post: Post, body: BodyRef) -> (PostMeta, Body) {
        let meta = PostMeta {
            reading_minutes: reading_minutes(&post.body_text),
            text_signature: crate::site::duplicates::text_signature(&post.body_text),
            source: post.source,
            source_line: post.source_line,
            title: post.title,
            slug: post.slug,
            date: post.date,
            updated: post.updated,
            categories: post.categories,
            tags: post.tags,
            summary: post.summary,
            image: post.image,
            author: post.author,
            source_url: post.source_url,
            draft: post.draft,
            extra: post.extra,
            body,
        };
        let body = Body {
            html: post.body_html,
            text: post.body_text,
        };
        (meta, body)
    }
}
