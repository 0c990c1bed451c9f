//! Atom feeds and the sitemap.

use std::collections::BTreeMap;

use tera::Tera;

use super::context::{ConfigContext, Contexts};
use super::{error_chain, OutputFile};
use crate::config::Config;
use crate::content::text::escape_html;
use crate::diagnostics::Diagnostic;
use crate::site::Site;

/// An Atom feed of the newest `config.feed_limit` posts among `posts` (newest first).
pub fn atom(
    tera: &Tera,
    ctx: &Contexts<'_>,
    config_ctx: &ConfigContext,
    posts: &[usize],
    path: &str,
    title: &str,
) -> Result<OutputFile, Diagnostic> {
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
                "post": summary,
                "published": p.date.map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
                "updated": date,
                "content": p.body_html,
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
    let xml = tera.render("atom.xml", &context).map_err(|e| {
        Diagnostic::error(
            "templates/atom.xml",
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
