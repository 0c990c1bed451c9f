//! `digest check`: everything `digest build` validates, plus the links and images of the
//! rendered pages, without writing anything.
//!
//! The site goes through the pipeline of `build` ([`crate::build::prepare`] and
//! [`crate::build::emit`]) with the site's own build cache, so an unchanged post is not
//! parsed again, into a sink that keeps the files in memory; then every HTML page is parsed and
//! each link under base_url and each site-relative image must resolve to a file of that same
//! build. A problem on a post's page is reported at the post's source file, at the line that
//! holds the URL when the URL is written there; a problem that comes from a template (the
//! same URL broken on pages the posts do not explain) is reported once, at the template.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::build::{self, Built, NoProgress};
use crate::cache::Cache;
use crate::content::{decode, post_display_path};
use crate::diagnostics::{self, Diagnostic};
use crate::discover::{self, SiteInput};
use crate::output::Collector;

/// What a check found.
#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    /// Every problem, sorted by file and line: build errors and warnings, then broken links.
    pub diagnostics: Vec<Diagnostic>,
    /// HTML pages whose links were checked (0 when the site does not build).
    pub pages: usize,
    /// Links and image references checked.
    pub references: usize,
    /// Whether the site built; links are only checked when it did.
    pub built: bool,
}

impl CheckReport {
    /// Whether anything is an error (the command exits 1).
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Builds the site in memory and checks it. `input` is already loaded; the site's build
/// cache (in `input.root`) is read and updated as `digest build` does, nothing else is
/// written.
pub fn check_site(input: &SiteInput, drafts: bool) -> CheckReport {
    match build_checked(input, drafts) {
        Err(diagnostics) => CheckReport {
            diagnostics,
            ..CheckReport::default()
        },
        Ok(built) => {
            let (mut diagnostics, pages, references) = check_links(input, &built);
            diagnostics.extend(built.diagnostics.iter().cloned());
            diagnostics::sort(&mut diagnostics);
            CheckReport {
                diagnostics,
                pages,
                references,
                built: true,
            }
        }
    }
}

/// The pipeline of a build, with the site's cache, into memory.
fn build_checked(input: &SiteInput, drafts: bool) -> Result<Built, Vec<Diagnostic>> {
    let cache = Cache::new(&input.root);
    cache.prepare();
    let p = build::prepare(input.clone(), drafts, &cache, &NoProgress)?;
    let sink = Collector::default();
    if let Err(e) = build::emit(&p, &cache, &sink, &NoProgress) {
        let mut d = p.diagnostics.clone();
        d.push(e);
        return Err(d);
    }
    Ok(Built {
        files: sink.into_files(),
        site: p.site,
        diagnostics: p.diagnostics,
    })
}

/// A reference on a page that does not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Broken {
    page: String,
    url: String,
    image: bool,
    why: String,
    severity_error: bool,
}

/// Checks every link and image of the built pages; returns the problems, the number of
/// pages and the number of references checked.
pub fn check_links(input: &SiteInput, built: &Built) -> (Vec<Diagnostic>, usize, usize) {
    let files: HashSet<&str> = built.files.iter().map(|f| f.path.as_str()).collect();
    let base = Base::parse(&input.config.base_url);
    let pages: Vec<(&str, &[u8])> = built
        .files
        .iter()
        .filter(|f| f.path.ends_with(".html"))
        .map(|f| (f.path.as_str(), f.bytes.as_slice()))
        .collect();
    let per_page: Vec<(Vec<Broken>, usize)> = pages
        .par_iter()
        .map(|(path, bytes)| check_page(path, &String::from_utf8_lossy(bytes), &base, &files))
        .collect();
    let references = per_page.iter().map(|(_, n)| n).sum();
    let broken: Vec<Broken> = per_page.into_iter().flat_map(|(b, _)| b).collect();

    // Which post each post page was rendered from.
    let mut post_of_page: BTreeMap<String, usize> = BTreeMap::new();
    for (i, url) in built.site.urls.iter().enumerate() {
        post_of_page.insert(format!("{url}index.html"), i);
    }
    let mut out = Vec::new();
    let mut explained: HashSet<&str> = HashSet::new();
    let mut from_templates: BTreeMap<&str, Vec<&Broken>> = BTreeMap::new();
    for b in &broken {
        let located = post_of_page.get(&b.page).and_then(|&i| {
            let post = &built.site.posts[i];
            let text = source_text(input, &post.source)?;
            let line = find_line(&text, &b.url, post.source_line)?;
            Some(diagnostic(b, post_display_path(&post.source)).at(&text, line, None))
        });
        match located {
            Some(d) => {
                explained.insert(&b.url);
                out.push(d);
            }
            None => from_templates.entry(&b.url).or_default().push(b),
        }
    }
    for (url, list) in from_templates {
        if explained.contains(url) {
            continue;
        }
        let Some(first) = list.first() else { continue };
        let mut d = diagnostic(
            first,
            PathBuf::from("templates").join(template_of(&first.page)),
        );
        if list.len() > 1 {
            d.message
                .push_str(&format!(" (and on {} more pages)", list.len() - 1));
        }
        out.push(d);
    }
    (out, pages.len(), references)
}

fn diagnostic(b: &Broken, file: PathBuf) -> Diagnostic {
    let what = if b.image {
        "missing image"
    } else {
        "broken link"
    };
    let page = b.page.strip_suffix("index.html").unwrap_or(&b.page);
    let msg = format!("{what} '{}' on page /{page}: {}", b.url, b.why);
    if b.severity_error {
        Diagnostic::error(file, msg)
    } else {
        Diagnostic::warning(file, msg)
    }
}

/// The template a page is rendered from, by the page's place in the site.
fn template_of(page: &str) -> &'static str {
    let first = page.split('/').next().unwrap_or("");
    let depth = page.matches('/').count();
    match first {
        "index.html" | "page" => "index.html",
        "posts" => "post.html",
        "categories" | "tags" if depth <= 1 => "taxonomy.html",
        "categories" | "tags" => "term.html",
        "archives" => "archives.html",
        "search" => "search.html",
        "404.html" => "404.html",
        _ => "base.html",
    }
}

/// A post's source text, decoded as the build decodes it, so line numbers match.
fn source_text(input: &SiteInput, source: &Path) -> Option<String> {
    let src = discover::read_source(&input.root, source).ok()?;
    decode::decode(&src.bytes).ok().map(|d| d.text)
}

/// The 1-based line of `text` that holds `url` (as written or HTML-escaped), searching from
/// `from` (a TSV record's line) on.
fn find_line(text: &str, url: &str, from: usize) -> Option<usize> {
    let escaped = url.replace('&', "&amp;");
    text.lines()
        .enumerate()
        .skip(from.saturating_sub(1))
        .find(|(_, l)| l.contains(url) || l.contains(&escaped))
        .map(|(i, _)| i + 1)
}

/// Parses one page and checks its references; returns the broken ones and how many there were.
fn check_page(page: &str, html: &str, base: &Base, files: &HashSet<&str>) -> (Vec<Broken>, usize) {
    let doc = scraper::Html::parse_document(html);
    let mut broken = Vec::new();
    let mut count = 0;
    for (selector, attr, image) in REFERENCES {
        let Ok(sel) = scraper::Selector::parse(selector) else {
            continue;
        };
        for el in doc.select(&sel) {
            let Some(url) = el.value().attr(attr) else {
                continue;
            };
            count += 1;
            let problem = match base.resolve(page, url) {
                Target::Skip => None,
                Target::Inside(path) => (!exists(&path, files)).then(|| {
                    (
                        format!("no file /{path} in the built site"),
                        true,
                    )
                }),
                Target::AboveRoot => Some(("the path climbs out of the site".to_string(), true)),
                Target::OutsideBase => Some((
                    format!(
                        "it is outside base_url {}, so it will not resolve where the site is published",
                        base.path
                    ),
                    false,
                )),
            };
            if let Some((mut why, severity_error)) = problem {
                if *image {
                    why.push_str(" (put the image beside the post or in static/)");
                }
                broken.push(Broken {
                    page: page.to_string(),
                    url: url.to_string(),
                    image: *image,
                    why,
                    severity_error,
                });
            }
        }
    }
    (broken, count)
}

/// The elements and attributes that reference other files, and whether each is an image.
const REFERENCES: &[(&str, &str, bool)] = &[
    ("a[href]", "href", false),
    ("link[href]", "href", false),
    ("img[src]", "src", true),
    ("source[src]", "src", true),
    ("script[src]", "src", false),
];

/// Whether a site path (decoded, no leading `/`) names a built file, directly or as a
/// folder with an index page (which servers and GitHub Pages redirect to).
fn exists(path: &str, files: &HashSet<&str>) -> bool {
    if path.is_empty() || path.ends_with('/') {
        return files.contains(format!("{path}index.html").as_str());
    }
    files.contains(path) || files.contains(format!("{path}/index.html").as_str())
}

/// Where a reference leads.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    /// Another site, another scheme (`mailto:`), or the page itself (`#top`): not checked.
    Skip,
    /// A path inside the site, decoded, without the leading `/`.
    Inside(String),
    /// A relative path with more `..` than the page is deep.
    AboveRoot,
    /// A root-relative path on the site's host but outside base_url's path.
    OutsideBase,
}

/// base_url cut into the parts links are compared with.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Base {
    /// `https://org.github.io`, or empty when base_url is only a path.
    origin: String,
    /// `/digest/`, always with both slashes.
    path: String,
}

impl Base {
    fn parse(base_url: &str) -> Base {
        let lower = base_url.to_ascii_lowercase();
        let after_scheme = ["https://", "http://"]
            .iter()
            .find(|s| lower.starts_with(*s))
            .map(|s| s.len());
        match after_scheme {
            Some(n) => {
                let slash = base_url[n..].find('/').map_or(base_url.len(), |i| n + i);
                Base {
                    origin: lower[..slash].to_string(),
                    path: normalise_dir(&base_url[slash..]),
                }
            }
            None => Base {
                origin: String::new(),
                path: normalise_dir(base_url),
            },
        }
    }

    /// Resolves a reference found on `page` (an output path such as `posts/a/index.html`).
    fn resolve(&self, page: &str, url: &str) -> Target {
        let url = url.trim();
        let end = url.find(['#', '?']).unwrap_or(url.len());
        let url = &url[..end];
        if url.is_empty() {
            return Target::Skip;
        }
        let lower = url.to_ascii_lowercase();
        let absolute = lower.starts_with("//") || has_scheme(&lower);
        let rooted = if let Some(rest) = lower.strip_prefix("//") {
            // protocol-relative: the same site only if the host is base_url's
            match self.origin.split_once("//") {
                Some((_, host)) if rest.starts_with(host) => &url[2 + host.len()..],
                _ => return Target::Skip,
            }
        } else if absolute {
            if self.origin.is_empty() || !lower.starts_with(&self.origin) {
                return Target::Skip;
            }
            &url[self.origin.len()..]
        } else if url.starts_with('/') {
            url
        } else {
            let dir = page.rfind('/').map_or("", |i| &page[..=i]);
            return match join(dir, url) {
                Some(p) => Target::Inside(percent_decode(&p)),
                None => Target::AboveRoot,
            };
        };
        let rooted = if rooted.is_empty() { "/" } else { rooted };
        if let Some(rest) = rooted.strip_prefix(self.path.as_str()) {
            return match join("", rest) {
                Some(p) => Target::Inside(percent_decode(&p)),
                None => Target::AboveRoot,
            };
        }
        if format!("{rooted}/") == self.path {
            Target::Inside(String::new())
        } else if absolute {
            // another site on the same host (or not a path at all): not ours to check
            Target::Skip
        } else {
            Target::OutsideBase
        }
    }
}

fn normalise_dir(p: &str) -> String {
    let t = p.trim_matches('/');
    if t.is_empty() {
        "/".into()
    } else {
        format!("/{t}/")
    }
}

/// Whether a URL starts with a scheme (`https:`, `mailto:`, `data:`).
fn has_scheme(lower: &str) -> bool {
    let head = lower.split(['/', '?', '#']).next().unwrap_or("");
    match head.split_once(':') {
        Some((scheme, _)) => {
            !scheme.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// Joins a relative reference to a folder path, resolving `.` and `..`; `None` when it
/// climbs above the root. A trailing `/` is kept (it names a folder).
fn join(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    let folder = rel.is_empty() || rel.ends_with('/') || rel.ends_with("/.") || rel == ".";
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if folder && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = (bytes[i] == b'%')
            .then(|| s.get(i + 1..i + 3))
            .flatten()
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match hex {
            Some(b) => {
                out.push(b);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inside(p: &str) -> Target {
        Target::Inside(p.into())
    }

    #[test]
    fn references_resolve_against_page_and_base() {
        let b = Base::parse("https://org.github.io/digest/");
        let page = "posts/2022/04/a/index.html";
        assert_eq!(
            b.resolve(page, "chart.png"),
            inside("posts/2022/04/a/chart.png")
        );
        assert_eq!(b.resolve(page, "../b/"), inside("posts/2022/04/b/"));
        assert_eq!(b.resolve(page, "/digest/tags/"), inside("tags/"));
        assert_eq!(b.resolve(page, "/digest"), inside(""));
        assert_eq!(
            b.resolve(page, "https://org.github.io/digest/style.css"),
            inside("style.css")
        );
        assert_eq!(b.resolve(page, "//org.github.io/digest/x/"), inside("x/"));
        assert_eq!(b.resolve(page, "/img/a.png"), Target::OutsideBase);
        assert_eq!(b.resolve(page, "../../../../../x"), Target::AboveRoot);
        assert_eq!(b.resolve(page, "https://example.org/"), Target::Skip);
        assert_eq!(b.resolve(page, "//cdn.example.org/a.png"), Target::Skip);
        assert_eq!(b.resolve(page, "mailto:a@b.c"), Target::Skip);
        assert_eq!(b.resolve(page, "#top"), Target::Skip);
        assert_eq!(b.resolve(page, "?q=x"), Target::Skip);
        assert_eq!(
            b.resolve(page, "%E5%9B%BE.png"),
            inside("posts/2022/04/a/图.png")
        );
        let root = Base::parse("/");
        assert_eq!(root.resolve("index.html", "/"), inside(""));
        assert_eq!(
            root.resolve("index.html", "/posts/a/#x"),
            inside("posts/a/")
        );
        assert_eq!(root.resolve("index.html", "https://x.org/"), Target::Skip);
    }

    #[test]
    fn folders_resolve_to_their_index() {
        let files: HashSet<&str> = ["index.html", "posts/a/index.html", "style.css"]
            .into_iter()
            .collect();
        assert!(exists("", &files));
        assert!(exists("posts/a/", &files));
        assert!(exists("posts/a", &files));
        assert!(exists("style.css", &files));
        assert!(!exists("posts/b/", &files));
        assert!(!exists("posts/", &files));
    }

    #[test]
    fn lines_are_found_from_the_record_on() {
        let text = "a\nsee /x/ here\nb\nsee /x/ again\n";
        assert_eq!(find_line(text, "/x/", 1), Some(2));
        assert_eq!(find_line(text, "/x/", 3), Some(4));
        assert_eq!(find_line(text, "/y/", 1), None);
        assert_eq!(find_line("?a=1&amp;b=2", "?a=1&b=2", 1), Some(1));
    }
}
