//! The search documents of a site: what the index knows of each post, and the key that
//! tells the next build whether the post's document changed.

use rayon::prelude::*;

use super::SearchDoc;
use crate::config::Config;
use crate::key::{Key, KeyBuilder};
use crate::site::{PostMeta, Site};

/// Every post's document (its body left empty: the index builder reads bodies a block of
/// posts at a time) and its key, in the site's order.
pub(crate) fn site_documents(site: &Site, config: &Config) -> (Vec<SearchDoc>, Vec<Key>) {
    let docs: Vec<SearchDoc> = site
        .posts
        .iter()
        .zip(&site.urls)
        .map(|(post, url)| document(post, url, config))
        .collect();
    // A document's key: its fields and the identity of its body (the key of its source
    // file), not the templates, so a theme edit leaves the index alone.
    let keys: Vec<Key> = docs
        .par_iter()
        .zip(&site.posts)
        .map(|(doc, post)| {
            let mut key = KeyBuilder::new(0, "search-doc");
            for f in [&doc.url, &doc.title, &doc.summary] {
                key.bytes(f.as_bytes());
            }
            for f in [&doc.date, &doc.date_display] {
                key.bytes(f.as_deref().unwrap_or("\u{0}").as_bytes());
            }
            key.bytes(doc.categories.join("\u{0}").as_bytes());
            key.bytes(doc.tags.join("\u{0}").as_bytes());
            key.body(&post.body);
            key.finish()
        })
        .collect();
    (docs, keys)
}

/// The key of the settings the whole index depends on.
pub(crate) fn settings_key(config: &Config) -> Key {
    KeyBuilder::new(0, "search")
        .bytes(&[u8::from(config.search.include_bodies)])
        .finish()
}

fn document(p: &PostMeta, url: &str, config: &Config) -> SearchDoc {
    SearchDoc {
        url: url.to_string(),
        title: p.title.clone(),
        date: p
            .date
            .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        date_display: p
            .date
            .map(|d| crate::render::context::display_date(&d, &config.language)),
        categories: p
            .categories
            .iter()
            .filter_map(|c| c.last().cloned())
            .collect(),
        tags: p.tags.clone(),
        summary: p.summary.clone(),
        // filled in by the index builder, one block of posts at a time
        body: String::new(),
    }
}
