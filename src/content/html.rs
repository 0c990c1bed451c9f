//! HTML bodies: whole scraped pages reduced to their article, and fragments with markdown
//! chunks mixed in (feeds append `[返回首页](...)` links under the HTML).

use scraper::{Html, Selector};

use super::format::starts_with_tag;
use super::markdown;

/// What a whole HTML page (with `<html>`/`<head>`/`<body>`) says about itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageMeta {
    /// `og:title`, else `<title>`, else the first `<h1>`.
    pub title: Option<String>,
    /// `article:published_time` or a `date`/`pubdate` meta, as written.
    pub date: Option<String>,
    /// `author` meta.
    pub author: Option<String>,
    /// `description` / `og:description` meta.
    pub description: Option<String>,
    /// `og:image` meta.
    pub image: Option<String>,
    /// The inner HTML of `<article>` (or `<main>`, else `<body>`).
    pub body: String,
}

/// Whether the body is a whole page rather than a fragment.
pub fn is_document(body: &str) -> bool {
    let head: String = body
        .chars()
        .take(2048)
        .collect::<String>()
        .to_ascii_lowercase();
    head.contains("<html") || head.contains("<head") || head.contains("<!doctype")
}

fn sel(s: &str) -> Option<Selector> {
    Selector::parse(s).ok()
}

fn first_attr(doc: &Html, selectors: &[&str], attr: &str) -> Option<String> {
    selectors.iter().find_map(|s| {
        let sel = sel(s)?;
        let v = doc
            .select(&sel)
            .next()?
            .value()
            .attr(attr)?
            .trim()
            .to_string();
        (!v.is_empty()).then_some(v)
    })
}

fn first_text(doc: &Html, selector: &str) -> Option<String> {
    let sel = sel(selector)?;
    let text: String = doc.select(&sel).next()?.text().collect();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

/// Reads a scraped page: its metadata and the part of it that is the article.
pub fn read_document(body: &str) -> PageMeta {
    let Some(doc) = super::sanitize::parse_document(body) else {
        // Nested deeper than browsers go: no metadata, and the sanitizer keeps its text.
        return PageMeta {
            body: body.to_string(),
            ..PageMeta::default()
        };
    };
    let title = first_attr(&doc, &["meta[property='og:title']"], "content")
        .or_else(|| first_text(&doc, "title"))
        .or_else(|| first_text(&doc, "h1"));
    let date = first_attr(
        &doc,
        &[
            "meta[property='article:published_time']",
            "meta[name='pubdate']",
            "meta[name='publishdate']",
            "meta[name='date']",
        ],
        "content",
    )
    .or_else(|| first_attr(&doc, &["time[datetime]"], "datetime"));
    let author = first_attr(&doc, &["meta[name='author']"], "content");
    let description = first_attr(
        &doc,
        &[
            "meta[name='description']",
            "meta[property='og:description']",
        ],
        "content",
    );
    let image = first_attr(&doc, &["meta[property='og:image']"], "content");
    let body = ["article", "main", "body"]
        .iter()
        .find_map(|s| Some(doc.select(&sel(s)?).next()?.inner_html()))
        .unwrap_or_default();
    PageMeta {
        title,
        date,
        author,
        description,
        image,
        body,
    }
}

/// Renders an HTML fragment: blank-line-separated chunks that start with a tag stay as they
/// are; the others are markdown (links, emphasis, autolinks after the HTML).
pub fn render_fragment(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut markdown_run = String::new();
    for chunk in body.split("\n\n") {
        if chunk.trim().is_empty() {
            continue;
        }
        if starts_with_tag(chunk.trim_start()) {
            if !markdown_run.is_empty() {
                out.push_str(&markdown::render(&markdown_run, false).html);
                markdown_run.clear();
            }
            out.push_str(chunk.trim());
            out.push('\n');
        } else {
            markdown_run.push_str(chunk);
            markdown_run.push_str("\n\n");
        }
    }
    if !markdown_run.is_empty() {
        out.push_str(&markdown::render(&markdown_run, false).html);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_markdown_links_render() {
        let html = render_fragment(
            "<p>正文</p>\n\n<http://a.example/x>\n\n[返回](//b.example/)｜[首页](//b.example/)\n",
        );
        assert!(html.starts_with("<p>正文</p>\n"));
        assert!(html.contains("<a href=\"http://a.example/x\">"));
        assert!(html.contains("<a href=\"//b.example/\">返回</a>"));
    }

    #[test]
    fn document_meta_and_article() {
        let m = read_document(
            "<!doctype html><html><head><title>站点 - 标题</title><meta name=author content=张三>\
             <meta property='article:published_time' content='2022-04-28T13:44:07+08:00'></head>\
             <body><nav>菜单</nav><article><p>正文</p></article></body></html>",
        );
        assert_eq!(m.title.as_deref(), Some("站点 - 标题"));
        assert_eq!(m.author.as_deref(), Some("张三"));
        assert_eq!(m.date.as_deref(), Some("2022-04-28T13:44:07+08:00"));
        assert_eq!(m.body, "<p>正文</p>");
    }

    /// Regression: an unbounded parse of a page nested 100,000 deep took hours.
    #[test]
    fn a_page_nested_too_deep_is_read_as_its_text() {
        let n = 100_000;
        let page = format!(
            "<html><head><title>深</title></head><body>{}文字{}</body></html>",
            "<div>".repeat(n),
            "</div>".repeat(n)
        );
        let m = read_document(&page);
        assert_eq!(m.title, None);
        assert_eq!(
            crate::content::sanitize::sanitize_html(&m.body),
            "<p>文字</p>"
        );
    }
}
