//! Pages from the site model: tera templates in, `(path, bytes)` out. No I/O.

pub mod context;
pub mod feeds;
pub mod seo;
pub mod theme;

use serde::Serialize;
use tera::Tera;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::site::{Site, Taxonomy};

use context::{ConfigContext, Contexts, PageNumber, Paginator, PostSummary};
pub use theme::Theme;

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path under the output folder, `/`-separated, never absolute, never with `..`.
    pub path: String,
    /// The bytes to write.
    pub bytes: Vec<u8>,
}

impl OutputFile {
    /// A file of the built site.
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Self {
            path: path.into(),
            bytes: bytes.into(),
        }
    }
}

/// Compiles the theme's templates; a template error names the template and line.
pub fn compile(theme: &Theme) -> Result<Tera, Diagnostic> {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".htm", ".xml"]);
    tera.set_escape_fn(escape);
    tera.add_raw_templates(
        theme
            .templates
            .iter()
            .map(|(n, s)| (n.as_str(), s.as_str())),
    )
    .map_err(|e| template_error(&e, theme))?;
    Ok(tera)
}

/// A template that does not compile, located at `templates/<name>:line:column` when tera
/// says where (a syntax error), so an editor can go straight to it.
fn template_error(e: &tera::Error, theme: &Theme) -> Diagnostic {
    let chain = error_chain(e);
    let name = chain
        .split_once("Failed to parse '")
        .and_then(|(_, rest)| rest.split_once('\''))
        .map(|(name, _)| name);
    let Some(name) = name else {
        return Diagnostic::error("templates", format!("template error: {chain}"));
    };
    let location = chain.split_once(" --> ").and_then(|(_, rest)| {
        let (line, col) = rest.split_whitespace().next()?.split_once(':')?;
        Some((line.parse::<usize>().ok()?, col.parse::<usize>().ok()?))
    });
    let expected = chain
        .lines()
        .find_map(|l| l.trim().strip_prefix("= "))
        .unwrap_or("the template is not valid tera syntax");
    let source = theme
        .templates
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, s)| s.as_str());
    let file = format!("templates/{name}");
    match (location, source) {
        (Some((line, col)), Some(src)) => Diagnostic::error(
            file,
            format!("template syntax error: {expected}"),
        )
        .at(src, line, Some(col)),
        _ => Diagnostic::error(file, format!("template error: {chain}")),
    }
}

/// HTML/XML escaping for template output: the five characters that matter, nothing more
/// (tera's default also escapes `/`, which bloats every URL without making anything safer).
/// Characters XML 1.0 does not allow at all, not even as references (C0 controls other than
/// tab and newlines, U+FFFE, U+FFFF), become U+FFFD: one of them in a title or category made
/// every feed it appeared in unreadable to a feed reader. Replaced, never dropped: dropping
/// would join what it separated, and `java\u{1}script:` would become `javascript:`.
fn escape(s: &str) -> String {
    if s.chars().any(|c| !is_xml_char(c)) {
        let kept: String = s
            .chars()
            .map(|c| if is_xml_char(c) { c } else { '\u{FFFD}' })
            .collect();
        crate::content::text::escape_html(&kept)
    } else {
        crate::content::text::escape_html(s)
    }
}

/// Whether XML 1.0 allows `c` in a document (its `Char` production).
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// A tera error with its causes, which hold the useful part (the template and line).
pub fn error_chain(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}

struct Renderer<'a> {
    tera: &'a Tera,
    ctx: Contexts<'a>,
    config_ctx: ConfigContext,
    files: Vec<OutputFile>,
}

impl Renderer<'_> {
    fn render(
        &mut self,
        template: &str,
        path: String,
        extra: impl Serialize,
    ) -> Result<(), Diagnostic> {
        let mut context = tera::Context::from_serialize(extra).map_err(|e| {
            Diagnostic::error(
                format!("templates/{template}"),
                format!("context error: {}", error_chain(&e)),
            )
        })?;
        context.insert("config", &self.config_ctx);
        context.insert("current_path", &path);
        context.insert(
            "current_url",
            &self.ctx.url(path.trim_end_matches("index.html")),
        );
        let html = self.tera.render(template, &context).map_err(|e| {
            Diagnostic::error(
                format!("templates/{template}"),
                format!("cannot render {path}: {}", error_chain(&e)),
            )
        })?;
        self.files.push(OutputFile::new(path, html));
        Ok(())
    }

    /// Renders a listing of `posts` split into pages under `dir` (`` for home, `categories/x/`).
    fn paginated(
        &mut self,
        template: &str,
        dir: &str,
        posts: &[usize],
        mut extra: serde_json::Map<String, serde_json::Value>,
    ) -> Result<(), Diagnostic> {
        let per_page = self.ctx.config.paginate;
        let total = posts.len().div_ceil(per_page).max(1);
        let base = self.ctx.config.base_url.clone();
        let page_url = |n: usize| {
            if n == 1 {
                format!("{base}{dir}")
            } else {
                format!("{base}{dir}page/{n}/")
            }
        };
        let numbers: Vec<PageNumber> = (1..=total)
            .map(|n| PageNumber {
                number: n,
                url: page_url(n),
            })
            .collect();
        for n in 1..=total {
            let chunk = posts.chunks(per_page).nth(n - 1).unwrap_or(&[]);
            let summaries: Vec<PostSummary> = chunk.iter().map(|&i| self.ctx.summary(i)).collect();
            let paginator = Paginator {
                current: n,
                total,
                prev_url: (n > 1).then(|| page_url(n - 1)),
                next_url: (n < total).then(|| page_url(n + 1)),
                pages: numbers.clone(),
            };
            extra.insert(
                "posts".into(),
                serde_json::to_value(&summaries).unwrap_or_default(),
            );
            extra.insert(
                "paginator".into(),
                serde_json::to_value(&paginator).unwrap_or_default(),
            );
            let path = if n == 1 {
                format!("{dir}index.html")
            } else {
                format!("{dir}page/{n}/index.html")
            };
            self.render(template, path, &extra)?;
        }
        Ok(())
    }

    fn taxonomy(&mut self, tax: &Taxonomy) -> Result<(), Diagnostic> {
        let folder = tax.kind.folder();
        let entries = self.ctx.terms(tax);
        let mut list = serde_json::Map::new();
        list.insert("kind".into(), folder.into());
        list.insert(
            "terms".into(),
            serde_json::to_value(&entries).unwrap_or_default(),
        );
        self.render("taxonomy.html", format!("{folder}/index.html"), &list)?;
        for (idx, term) in tax.terms.iter().enumerate() {
            let dir = Contexts::term_path(tax.kind, &term.path);
            let mut extra = serde_json::Map::new();
            extra.insert("kind".into(), folder.into());
            extra.insert(
                "term".into(),
                serde_json::to_value(&entries[idx]).unwrap_or_default(),
            );
            self.paginated("term.html", &dir, &term.posts, extra)?;
            let feed = feeds::atom(
                self.tera,
                &self.ctx,
                &self.config_ctx,
                &term.posts,
                &format!("{}atom.xml", dir),
                &format!("{} - {}", term.name, self.ctx.config.title),
            )?;
            self.files.push(feed);
        }
        Ok(())
    }
}

/// Renders every page of the site. The first template error stops rendering (the rest
/// would fail the same way) and is returned with the template's name.
pub fn render_site(
    site: &Site,
    config: &Config,
    tera: &Tera,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let mut r = Renderer {
        tera,
        ctx: Contexts { site, config },
        config_ctx: ConfigContext::new(config),
        files: Vec::new(),
    };
    let all: Vec<usize> = (0..site.posts.len()).collect();
    r.paginated("index.html", "", &all, serde_json::Map::new())?;
    for i in 0..site.posts.len() {
        let mut extra = serde_json::Map::new();
        extra.insert(
            "page".into(),
            serde_json::to_value(r.ctx.post(i)).unwrap_or_default(),
        );
        r.render("post.html", format!("{}index.html", site.urls[i]), &extra)?;
    }
    r.taxonomy(&site.categories)?;
    r.taxonomy(&site.tags)?;
    let years: Vec<serde_json::Value> = site
        .archives
        .iter()
        .map(|y| {
            let months: Vec<serde_json::Value> = y
                .months
                .iter()
                .map(|m| {
                    let posts: Vec<PostSummary> =
                        m.posts.iter().map(|&i| r.ctx.summary(i)).collect();
                    serde_json::json!({ "month": m.month, "count": posts.len(), "posts": posts })
                })
                .collect();
            let count: usize = y.months.iter().map(|m| m.posts.len()).sum();
            serde_json::json!({ "year": y.year, "count": count, "months": months })
        })
        .collect();
    let undated: Vec<PostSummary> = (0..site.posts.len())
        .filter(|&i| site.posts[i].date.is_none())
        .map(|i| r.ctx.summary(i))
        .collect();
    r.render(
        "archives.html",
        "archives/index.html".into(),
        serde_json::json!({ "years": years, "undated": undated }),
    )?;
    if config.search.enabled {
        r.render(
            "search.html",
            "search/index.html".into(),
            serde_json::json!({}),
        )?;
    }
    r.render("404.html", "404.html".into(), serde_json::json!({}))?;
    let feed = feeds::atom(tera, &r.ctx, &r.config_ctx, &all, "atom.xml", &config.title)?;
    r.files.push(feed);
    let rss = feeds::feed(
        tera,
        &r.ctx,
        &r.config_ctx,
        &all,
        "rss.xml",
        &config.title,
        feeds::FeedKind::Rss,
    )?;
    r.files.push(rss);
    let mut files = r.files;
    files.push(feeds::sitemap(&files, site, config));
    // A Sitemap line must hold an absolute URL; a site built for a bare path (`/digest/`)
    // has none to give.
    let sitemap_line = if config.base_url.starts_with("http") {
        format!("\nSitemap: {}sitemap.xml\n", config.base_url)
    } else {
        String::new()
    };
    files.push(OutputFile::new(
        "robots.txt",
        format!("User-agent: *\nAllow: /\n{sitemap_line}"),
    ));
    files.push(OutputFile::new(".nojekyll", ""));
    if let Some(cname) = &config.cname {
        files.push(OutputFile::new("CNAME", format!("{}\n", cname.trim())));
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: a vertical tab in a category name made its Atom feed ill-formed. And
    /// the first fix, which dropped such characters, turned a sanitized body's harmless
    /// `java\u{1}script:` link into `javascript:` in the feeds (found by corpora_xss).
    #[test]
    fn escaping_replaces_what_xml_forbids() {
        assert_eq!(
            escape("a\u{b}b\u{0}c\u{FFFE}<d>"),
            "a\u{FFFD}b\u{FFFD}c\u{FFFD}&lt;d&gt;"
        );
        assert_eq!(escape("java\u{1}script:"), "java\u{FFFD}script:");
        assert_eq!(escape("云\t计算\n"), "云\t计算\n");
    }
}
