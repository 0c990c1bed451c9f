//! Atom feeds and the sitemap.

use std::collections::BTreeMap;

use tera::Tera;

use super::context::{ConfigContext, Contexts};
use super::{error_chain, OutputFile};
use crate::config::Config;
use crate::content::text::escape_html;
use crate::diagnostics::Diagnostic;
use crate::site::Site;

/// Which feed format a feed template writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedKind {
    /// Atom 1.0 (`atom.xml`): every feed of the site.
    Atom,
    /// RSS 2.0 (`rss.xml`): the whole site only, for readers that want RSS.
    Rss,
}

/// An Atom feed of the newest `config.feed_limit` posts among `posts` (newest first).
pub fn atom(
    tera: &Tera,
    ctx: &Contexts<'_>,
    config_ctx: &ConfigContext,
    posts: &[usize],
    path: &str,
    title: &str,
) -> Result<OutputFile, Diagnostic> {
    feed(tera, ctx, config_ctx, posts, path, title, FeedKind::Atom)
}

/// A feed of the newest `config.feed_limit` posts among `posts`, in the given format.
pub fn feed(
    tera: &Tera,
    ctx: &Contexts<'_>,
    config_ctx: &ConfigContext,
    posts: &[usize],
    path: &str,
    title: &str,
    kind: FeedKind,
) -> Result<OutputFile, Diagnostic> {
    let template = match kind {
        FeedKind::Atom => "atom.xml",
        FeedKind::Rss => "rss.xml",
    };
    let entries: Vec<serde_json::Value> = posts
        .iter()
        .take(ctx.config.feed_limit)
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
                "content": super::seo::rebase_root_relative(&p.body_html, &ctx.config.base_url),
            })
        })
        .collect();
    let updated = entries
        .iter()
        .filter_map(|e| e["updated"].as_str())
        .max()
        .unwrap_or("1970-01-01T00:00:00+00:00")
        .to_string();
    let mut context = tera::Context::new();
    context.insert("config", config_ctx);
    context.insert("entries", &entries);
    context.insert("feed_title", title);
    context.insert("feed_url", &ctx.url(path));
    context.insert("updated", &updated);
    let xml = tera.render(template, &context).map_err(|e| {
        Diagnostic::error(
            format!("templates/{template}"),
            format!("cannot render {path}: {}", error_chain(&e)),
        )
    })?;
    Ok(OutputFile::new(path, xml))
}

/// sitemap.xml: every HTML page but 404.html, with each post's date as `lastmod`.
pub fn sitemap(files: &[OutputFile], site: &Site, config: &Config) -> OutputFile {
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
    let mut paths: Vec<&str> = files
        .iter()
        .map(|f| f.path.as_str())
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
