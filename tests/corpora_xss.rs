//! Every XSS vector of ../shared/corpora/xss-vectors (H5SC items and vectors.txt, DOMPurify's
//! test payloads) in every field of a post — HTML, markdown and plain-text bodies, markdown
//! link and image targets, title, tag, category, summary, cover image, author, source link,
//! page.extra, a TSV record — built into sites of many vectors each, and every written page
//! checked for executable content:
//!
//! - post bodies pass `policy_violations`, the sanitizer's own independent check;
//! - everything else on a page is held to what the theme itself emits: every element and
//!   attribute outside the post body must appear on the pages of a site built from harmless
//!   posts, every `<script>` must be one of the theme's (and its JSON-LD must be JSON), no
//!   attribute is an event handler, no URL attribute holds `javascript:`, `vbscript:` or
//!   `data:`, and `<head>` holds only what the theme puts there;
//! - feeds are well-formed XML with only the theme's elements, and the HTML they carry (Atom
//!   `content`, RSS `description` and `content:encoded`) passes `policy_violations`;
//! - the JSON search index parses and points only at the site's own pages.
//!
//! Runs with `cargo test --features corpora --test corpora_xss`; .ci/run calls it.

mod common;
#[path = "xss/site.rs"]
mod xss_site;

use std::collections::BTreeSet;

use digest::content::sanitize::policy_violations;
use scraper::{ElementRef, Html};

use common::TestSite;
use xss_site::{corpora_dir, load_vectors, write_content, Vector, FIELDS};

/// Vectors per site: enough that a build exercises pagination, taxonomies and feeds with
/// many hostile terms at once, few enough that a failure is easy to find.
const VECTORS_PER_SITE: usize = 128;

/// What the theme itself emits, learned from a site of harmless posts built the same way.
#[derive(Default)]
struct Vocabulary {
    /// `head|meta|name`, `body|a|href`, `body|a|` (the element itself), ...
    html: BTreeSet<String>,
    /// `type|src` of every `<script>`.
    scripts: BTreeSet<String>,
    /// Every kind of element `<head>` holds: tag plus the attributes that say what it is.
    head: BTreeSet<String>,
    /// `element` and `element@attribute` of every feed and sitemap.
    xml: BTreeSet<String>,
}

/// Whether `element` lies inside the sanitized body of a post.
fn in_post_body(element: &ElementRef<'_>) -> bool {
    element
        .ancestors()
        .filter_map(ElementRef::wrap)
        .any(|a| a.value().name() == "div" && a.value().classes().any(|c| c == "post-body"))
}

fn in_head(element: &ElementRef<'_>) -> bool {
    element
        .ancestors()
        .filter_map(ElementRef::wrap)
        .any(|a| a.value().name() == "head")
}

/// What a `<head>` child is, by its tag and the attributes that name its kind.
fn head_signature(e: &ElementRef<'_>) -> String {
    let v = e.value();
    let mut names: Vec<&str> = v.attrs().map(|(n, _)| n).collect();
    names.sort_unstable();
    let kind = ["name", "property", "rel", "type", "http-equiv", "charset"]
        .iter()
        .filter_map(|k| v.attr(k).map(|x| format!("{k}={x}")))
        .collect::<Vec<_>>()
        .join(",");
    format!("{}[{}]{{{kind}}}", v.name(), names.join(" "))
}

fn script_signature(e: &ElementRef<'_>) -> String {
    format!(
        "{}|{}",
        e.value().attr("type").unwrap_or(""),
        e.value().attr("src").unwrap_or("")
    )
}

/// A URL as a browser reads its scheme: leading and trailing C0 controls and spaces
/// dropped, tabs and newlines inside removed, lower-cased.
fn dangerous_url(value: &str) -> bool {
    let squeezed: String = value
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|p| squeezed.starts_with(p))
}

const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "poster",
    "data",
    "srcset",
    "background",
    "cite",
    "xlink:href",
    "ping",
];

impl Vocabulary {
    fn learn(&mut self, site: &TestSite) {
        for path in site.files() {
            let text = site.read_bytes(&path);
            let text = String::from_utf8_lossy(&text);
            if path.ends_with(".html") {
                let doc = Html::parse_document(&text);
                for e in doc
                    .root_element()
                    .descendants()
                    .filter_map(ElementRef::wrap)
                {
                    if in_post_body(&e) {
                        continue;
                    }
                    let ctx = if in_head(&e) { "head" } else { "body" };
                    let tag = e.value().name();
                    self.html.insert(format!("{ctx}|{tag}|"));
                    for (name, _) in e.value().attrs() {
                        self.html.insert(format!("{ctx}|{tag}|{name}"));
                    }
                    if tag == "script" {
                        self.scripts.insert(script_signature(&e));
                    }
                    if e.parent()
                        .and_then(ElementRef::wrap)
                        .map(|p| p.value().name())
                        == Some("head")
                    {
                        self.head.insert(head_signature(&e));
                    }
                }
            } else if path.ends_with(".xml") {
                let doc = roxmltree::Document::parse(&text).expect("theme XML parses");
                for n in doc.descendants().filter(|n| n.is_element()) {
                    let tag = xml_name(n);
                    for a in n.attributes() {
                        self.xml.insert(format!("{tag}@{}", a.name()));
                    }
                    self.xml.insert(tag);
                }
            }
        }
    }
}

fn xml_name(n: roxmltree::Node<'_, '_>) -> String {
    let name = n.tag_name();
    match name.namespace() {
        Some(ns) => format!("{{{ns}}}{}", name.name()),
        None => name.name().to_string(),
    }
}

/// Findings for one site, and what was looked at.
#[derive(Default)]
struct Findings {
    problems: Vec<String>,
    pages: usize,
    feeds: usize,
    json: usize,
    bodies: usize,
}

impl Findings {
    fn check_site(&mut self, site: &TestSite, vocab: &Vocabulary) {
        for path in site.files() {
            let bytes = site.read_bytes(&path);
            let text = String::from_utf8_lossy(&bytes);
            if path.ends_with(".html") {
                self.pages += 1;
                self.check_page(&path, &text, vocab);
            } else if path.ends_with(".xml") {
                self.feeds += 1;
                self.check_xml(&path, &text, vocab);
            } else if path.ends_with(".json") {
                self.json += 1;
                self.check_json(&path, &text);
            }
        }
    }

    fn problem(&mut self, path: &str, what: String) {
        self.problems.push(format!("{path}: {what}"));
    }

    fn check_page(&mut self, path: &str, text: &str, vocab: &Vocabulary) {
        let doc = Html::parse_document(text);
        for e in doc
            .root_element()
            .descendants()
            .filter_map(ElementRef::wrap)
        {
            let v = e.value();
            let tag = v.name();
            if tag == "div" && v.classes().any(|c| c == "post-body") && !in_post_body(&e) {
                self.bodies += 1;
                for found in policy_violations(&e.inner_html()) {
                    self.problem(path, format!("post body: {found}"));
                }
                continue;
            }
            if in_post_body(&e) {
                continue;
            }
            let ctx = if in_head(&e) { "head" } else { "body" };
            if !vocab.html.contains(&format!("{ctx}|{tag}|")) {
                self.problem(
                    path,
                    format!("<{tag}> in {ctx}, which the theme never writes"),
                );
            }
            for (name, value) in v.attrs() {
                if !vocab.html.contains(&format!("{ctx}|{tag}|{name}")) {
                    self.problem(
                        path,
                        format!("{name}=\"{value}\" on <{tag}>, which the theme never writes"),
                    );
                }
                if name.to_ascii_lowercase().starts_with("on") {
                    self.problem(path, format!("event handler {name} on <{tag}>"));
                }
                if URL_ATTRIBUTES.contains(&name) && dangerous_url(value) {
                    self.problem(path, format!("<{tag} {name}=\"{value}\">"));
                }
            }
            if tag == "meta" {
                let content = v.attr("content").unwrap_or("");
                let url_like = matches!(
                    v.attr("property").or(v.attr("name")),
                    Some("og:image" | "og:url" | "twitter:image")
                ) || v.attr("http-equiv").is_some();
                if url_like
                    && (dangerous_url(content) || content.to_ascii_lowercase().contains("url="))
                {
                    self.problem(path, format!("meta content=\"{content}\""));
                }
            }
            if tag == "script" {
                if !vocab.scripts.contains(&script_signature(&e)) {
                    self.problem(
                        path,
                        format!("<script> {} not the theme's", script_signature(&e)),
                    );
                }
                if v.attr("type") == Some("application/ld+json") {
                    let json: String = e.text().collect();
                    if serde_json::from_str::<serde_json::Value>(&json).is_err() {
                        self.problem(
                            path,
                            "JSON-LD is not JSON: its script was broken out of".into(),
                        );
                    }
                }
            }
            if e.parent()
                .and_then(ElementRef::wrap)
                .map(|p| p.value().name())
                == Some("head")
                && !vocab.head.contains(&head_signature(&e))
            {
                self.problem(
                    path,
                    format!("injected into <head>: {}", head_signature(&e)),
                );
            }
        }
    }

    fn check_xml(&mut self, path: &str, text: &str, vocab: &Vocabulary) {
        let doc = match roxmltree::Document::parse(text) {
            Ok(doc) => doc,
            Err(e) => {
                self.problem(path, format!("not well-formed XML: {e}"));
                return;
            }
        };
        for n in doc.descendants().filter(|n| n.is_element()) {
            let tag = xml_name(n);
            if !vocab.xml.contains(&tag) {
                self.problem(path, format!("element {tag}, which the theme never writes"));
            }
            for a in n.attributes() {
                if !vocab.xml.contains(&format!("{tag}@{}", a.name())) {
                    self.problem(
                        path,
                        format!("attribute {}=\"{}\" on {tag}", a.name(), a.value()),
                    );
                }
                if dangerous_url(a.value()) {
                    self.problem(path, format!("{tag}@{}=\"{}\"", a.name(), a.value()));
                }
            }
            let local = n.tag_name().name();
            let text: String = n.text().unwrap_or("").to_string();
            // What feed readers render as HTML.
            let is_html = (local == "content" && n.attribute("type") == Some("html"))
                || local == "encoded"
                || (local == "description" && path.ends_with("rss.xml"));
            if is_html {
                for found in policy_violations(&text) {
                    self.problem(path, format!("{local} carries {found}"));
                }
            }
            if matches!(local, "link" | "id" | "loc" | "guid") && dangerous_url(&text) {
                self.problem(path, format!("<{local}>{text}</{local}>"));
            }
        }
    }

    fn check_json(&mut self, path: &str, text: &str) {
        let value: serde_json::Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                self.problem(path, format!("not JSON: {e}"));
                return;
            }
        };
        // A search result links to `base + u`: it must be one of the site's own pages.
        if let Some(u) = value.get("u").and_then(|u| u.as_str()) {
            if u.contains(':') || u.contains("..") || u.starts_with('/') || !u.starts_with("posts/")
            {
                self.problem(path, format!("search doc points at {u:?}"));
            }
        }
    }
}

/// Harmless posts in the same shapes, for the theme's own vocabulary.
fn harmless() -> Vec<Vector> {
    [
        "普通的一段文字",
        "<p>段落 <a href=\"https://example.com/\">链接</a> <img src=\"https://example.com/a.png\"></p>",
        "https://example.com/cover.png",
        "/img/b.png",
        "<h2>标题</h2><ul><li>一</li></ul><table><tr><td>格</td></tr></table>",
    ]
    .iter()
    .enumerate()
    .map(|(i, p)| Vector {
        id: format!("harmless#{i}"),
        payload: p.to_string(),
    })
    .collect()
}

/// What the theme writes outside post bodies, learned from a site of harmless posts. One post
/// a page, so that every listing is long enough to show the pagination window with its gaps:
/// the vector sites have long listings, and the vocabulary must know all that the theme can
/// write there.
fn theme_vocabulary() -> (Vocabulary, TestSite) {
    let baseline = TestSite::new();
    write_content(baseline.root(), &harmless()).expect("write");
    baseline.write("digest.yaml", "paginate: 1\n");
    baseline.build_ok();
    let mut vocab = Vocabulary::default();
    vocab.learn(&baseline);
    (vocab, baseline)
}

#[test]
fn no_vector_in_any_field_reaches_a_page_as_executable_content() {
    let corpora = corpora_dir();
    assert!(
        corpora.is_dir(),
        "corpora not found at {} (set DIGEST_CORPORA)",
        corpora.display()
    );
    let vectors = load_vectors(&corpora).unwrap_or_else(|e| panic!("{e}"));
    // SOURCE.md: 149 H5SC items, 139 in vectors.txt, 223 DOMPurify cases.
    assert_eq!(vectors.len(), 149 + 139 + 223, "the collections changed");

    let (vocab, _baseline) = theme_vocabulary();

    let mut findings = Findings::default();
    let mut posts = 0;
    for chunk in vectors.chunks(VECTORS_PER_SITE) {
        let site = TestSite::new();
        write_content(site.root(), chunk).expect("write");
        let report = site.build_ok();
        posts += report.posts;
        findings.check_site(&site, &vocab);
    }
    eprintln!(
        "xss corpora: {} vectors x {} fields ({}), {} posts; checked {} pages ({} post bodies), {} feeds, {} JSON files: {} problems",
        vectors.len(),
        FIELDS.len(),
        FIELDS.join(", "),
        posts,
        findings.pages,
        findings.bodies,
        findings.feeds,
        findings.json,
        findings.problems.len()
    );
    let shown: Vec<&String> = findings.problems.iter().take(60).collect();
    assert!(findings.problems.is_empty(), "{shown:#?}");
}

/// The checks themselves catch what they are for: a page with an injected script, an event
/// handler, a `javascript:` link or an extra `<head>` element fails them.
#[test]
fn the_page_checks_catch_injections() {
    let (vocab, baseline) = theme_vocabulary();
    let page = baseline.read("index.html");
    for (what, injected) in [
        (
            "script",
            page.replacen("</main>", "<script>alert(1)</script></main>", 1),
        ),
        (
            "handler",
            page.replacen("<main ", "<main onclick=\"alert(1)\" ", 1),
        ),
        (
            "javascript",
            page.replacen("href=\"/\"", "href=\"javascript:alert(1)\"", 1),
        ),
        (
            "head",
            page.replacen("</head>", "<base href=\"https://evil.example/\"></head>", 1),
        ),
        (
            "meta refresh",
            page.replacen(
                "</head>",
                "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\"></head>",
                1,
            ),
        ),
    ] {
        let mut f = Findings::default();
        f.check_page("index.html", &injected, &vocab);
        assert!(!f.problems.is_empty(), "{what} not caught");
    }
    let mut f = Findings::default();
    f.check_page("index.html", &page, &vocab);
    assert!(f.problems.is_empty(), "{:#?}", f.problems);
}
