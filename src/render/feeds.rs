//! Atom feeds and the sitemap.

use std::collections::BTreeMap;

use super::context::{ConfigContext, Contexts};
use crate::config::Config;
use crate::content::text::escape_html;
use crate::output::OutputFile;
use crate::site::Site;

/// Which feed format a feed template writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedKind {
    /// Atom 1.0 (`atom.xml`): every feed of the site.
    Atom,
    /// RSS 2.0 (`rss.xml`): the whole site only, for readers that want RSS.
    Rss,
}

/// The context of a feed of the newest `config.feed_limit` posts among `posts` (newest
/// first), with each entry's `content` left empty, and the posts whose bodies go there.
/// The page key is taken from this context before any body is loaded ([`fill_feed`]).
pub fn feed_context(
    ctx: &Contexts<'_>,
    config_ctx: &ConfigContext,
    posts: &[usize],
    path: &str,
    title: &str,
) -> (serde_json::Value, Vec<usize>) {
    let shown: Vec<usize> = posts.iter().take(ctx.config.feed_limit).copied().collect();
    let entries: Vec<serde_json::Value> = shown
        .iter()
        .map(|&i| {
            let p = &ctx.site.posts[i];
            let summary = ctx.summary(i);
            let date = p
                .updated
                .or(p.date)
                .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                .unwrap_or_else(|| "1970-01-01T00:00:00+00:00".into());
            serde_json::json!({
                "rfc2822": p.date.map(|d| d.to_rfc2822()),
                "post": summary,
                "published": p.date.map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
                "updated": date,
                "content": "",
            })
        })
        .collect();
    let updated = entries
        .iter()
        .filter_map(|e| e["updated"].as_str())
        .max()
        .unwrap_or("1970-01-01T00:00:00+00:00")
        .to_string();
    let context = serde_json::json!({
        "config": config_ctx,
        "entries": entries,
        "feed_title": title,
        "feed_url": ctx.url(path),
        "updated": updated,
    });
    (context, shown)
}

/// Puts each entry's body HTML (root-relative links made absolute under the base URL) into
/// a context from [`feed_context`]; `bodies[k]` is the body of entry `k`.
pub fn fill_feed(context: &mut serde_json::Value, bodies: &[String], base_url: &str) {
    if let Some(entries) = context["entries"].as_array_mut() {
        for (e, html) in entries.iter_mut().zip(bodies) {
            e["content"] = super::seo::rebase_root_relative(html, base_url).into();
        }
    }
}

/// The template of a feed format.
pub fn template(kind: FeedKind) -> &'static str {
    match kind {
        FeedKind::Atom => "atom.xml",
        FeedKind::Rss => "rss.xml",
    }
}

/// sitemap.xml: every HTML page but 404.html, with each post's date as `lastmod`.
pub fn sitemap(paths: &[String], site: &Site, config: &Config) -> OutputFile {
    let lastmod: BTreeMap<String, String> = site
        .posts
        .iter()
        .zip(&site.urls)
        .filter_map(|(p, u)| {
            let d = p.updated.or(p.date)?;
            Some((
                format!("{u}index.html"),
                d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            ))
        })
        .collect();
    let mut paths: Vec<&str> = paths
        .iter()
        .map(String::as_str)
        .filter(|p| p.ends_with(".html") && *p != "404.html")
        .collect();
    paths.sort_unstable();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in paths {
        let loc = format!("{}{}", config.base_url, p.trim_end_matches("index.html"));
        xml.push_str("  <url>\n    <loc>");
        xml.push_str(&escape_html(&loc));
        xml.push_str("</loc>\n");
        if let Some(d) = lastmod.get(p) {
            xml.push_str("    <lastmod>");
            xml.push_str(d);
            xml.push_str("</lastmod>\n");
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    OutputFile::new("sitemap.xml", xml)
}
