//! The values templates see. Every field is documented in docs/themes.md; every string is
//! escaped by tera except `content`, the sanitized body.

use std::sync::OnceLock;

use chrono::{DateTime, Datelike, FixedOffset};
use serde::Serialize;
use serde_json::{Map, Value as Json};

use crate::config::Config;
use crate::site::{Site, Taxonomy, TaxonomyKind};

/// Site-wide settings every template gets as `config`.
#[derive(Debug, Clone, Serialize)]
pub struct ConfigContext {
    /// Site title.
    pub title: String,
    /// Site description.
    pub description: String,
    /// Base URL, always ending in `/`.
    pub base_url: String,
    /// Language tag, e.g. `zh-CN`.
    pub language: String,
    /// Whether the search page and box are built.
    pub search: bool,
}

impl ConfigContext {
    /// Copies what templates may see out of the configuration.
    pub fn new(config: &Config) -> Self {
        Self {
            title: config.title.clone(),
            description: config.description.clone(),
            base_url: config.base_url.clone(),
            language: config.language.clone(),
            search: config.search.enabled,
        }
    }
}

/// A link to a term or page.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Link {
    /// Text to show.
    pub name: String,
    /// Full URL (base_url included).
    pub url: String,
}

/// A category of a post: the leaf, and the trail from the top of its hierarchy.
#[derive(Debug, Clone, Serialize)]
pub struct CategoryLink {
    /// Leaf name.
    pub name: String,
    /// Leaf URL.
    pub url: String,
    /// Every level from the top down, the leaf last.
    pub trail: Vec<Link>,
}

/// A post as listing pages show it.
#[derive(Debug, Clone, Serialize)]
pub struct PostSummary {
    /// Title.
    pub title: String,
    /// Full URL of the post page.
    pub url: String,
    /// RFC 3339 date, or empty when undated.
    pub date: String,
    /// Date for readers: `2022年4月28日` in Chinese.
    pub date_display: String,
    /// Categories with their trails.
    pub categories: Vec<CategoryLink>,
    /// Tags.
    pub tags: Vec<Link>,
    /// Plain-text summary.
    pub summary: String,
    /// Cover image URL.
    pub image: Option<String>,
    /// Author.
    pub author: Option<String>,
}

/// A post page's `page`.
#[derive(Debug, Clone, Serialize)]
pub struct PostPage {
    /// Everything listing pages show.
    #[serde(flatten)]
    pub summary: PostSummary,
    /// Sanitized body HTML, the one value printed with `| safe`. Empty in [`Contexts::post`]:
    /// the renderer puts the body in only when the page must be rendered.
    pub content: String,
    /// RFC 3339 update date, or empty.
    pub updated: String,
    /// Link to the original article.
    pub source_url: Option<String>,
    /// Minutes to read (400 CJK characters or 200 words a minute).
    pub reading_minutes: usize,
    /// Unknown front matter keys.
    pub extra: Map<String, Json>,
    /// The newer post.
    pub newer: Option<Link>,
    /// The older post.
    pub older: Option<Link>,
    /// Posts sharing the most tags and categories.
    pub related: Vec<PostSummary>,
    /// Cover image as an absolute URL, for Open Graph and Twitter cards.
    pub image_absolute: Option<String>,
    /// JSON-LD `NewsArticle`, already escaped for a `<script>` element.
    pub json_ld: String,
}

/// Numbered pagination for listing pages.
#[derive(Debug, Clone, Serialize)]
pub struct Paginator {
    /// 1-based number of this page.
    pub current: usize,
    /// Number of pages.
    pub total: usize,
    /// URL of the previous page.
    pub prev_url: Option<String>,
    /// URL of the next page.
    pub next_url: Option<String>,
    /// The pages to link by number: the first, the last, and the two on each side of the
    /// current one. Listing every page made each of a 1,000-page listing's pages link all
    /// 1,000, a million links to render; a window keeps each page small.
    pub pages: Vec<PageNumber>,
}

/// One numbered page link.
#[derive(Debug, Clone, Serialize)]
pub struct PageNumber {
    /// 1-based page number.
    pub number: usize,
    /// Its URL.
    pub url: String,
    /// Whether pages were left out between the previous number and this one (show `…`).
    pub gap_before: bool,
}

/// A term in a term list, with its post count and nesting depth.
#[derive(Debug, Clone, Serialize)]
pub struct TermEntry {
    /// Name.
    pub name: String,
    /// URL of the term page.
    pub url: String,
    /// Number of posts (including those in child categories).
    pub count: usize,
    /// 0 for top-level terms.
    pub depth: usize,
    /// Trail from the top, the term itself last.
    pub trail: Vec<Link>,
    /// Direct children (categories only).
    pub children: Vec<Link>,
    /// URL of the term's Atom feed.
    pub feed_url: String,
}

/// The date as readers see it.
pub fn display_date(d: &DateTime<FixedOffset>, language: &str) -> String {
    if language.starts_with("zh") || language.starts_with("ja") {
        format!("{}年{}月{}日", d.year(), d.month(), d.day())
    } else {
        d.format("%Y-%m-%d").to_string()
    }
}

/// Builds contexts from the site; holds the pieces every page shares.
pub struct Contexts<'a> {
    /// The site.
    pub site: &'a Site,
    /// The configuration.
    pub config: &'a Config,
    /// Each post's summary, made once: a post shows up on a home page, its term pages,
    /// the archives, feeds and its neighbours' related lists, and making a summary means
    /// slugging every category and tag it names.
    summaries: Vec<OnceLock<PostSummary>>,
    /// Each post's key, made once: see [`Contexts::post_key`].
    keys: Vec<OnceLock<u128>>,
}

impl<'a> Contexts<'a> {
    /// Contexts for the pages of `site`.
    pub fn new(site: &'a Site, config: &'a Config) -> Self {
        Contexts {
            site,
            config,
            summaries: (0..site.posts.len()).map(|_| OnceLock::new()).collect(),
            keys: (0..site.posts.len()).map(|_| OnceLock::new()).collect(),
        }
    }

    /// Full URL of a site-relative path.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.config.base_url, path)
    }

    /// URL folder of a term: `categories/jinrong/`.
    pub fn term_path(kind: TaxonomyKind, slug_path: &str) -> String {
        format!("{}/{}/", kind.folder(), slug_path)
    }

    fn trail(&self, tax: &Taxonomy, names: &[String]) -> Vec<Link> {
        let mut trail = Vec::new();
        for depth in 1..=names.len() {
            let path = Taxonomy::path_of(&names[..depth], self.config);
            if let Some(term) = tax.get(&path) {
                trail.push(Link {
                    name: term.name.clone(),
                    url: self.url(&Self::term_path(tax.kind, &path)),
                });
            }
        }
        trail
    }

    /// A post as listings show it.
    pub fn summary(&self, i: usize) -> PostSummary {
        match self.summaries.get(i) {
            Some(slot) => slot.get_or_init(|| self.make_summary(i)).clone(),
            None => self.make_summary(i),
        }
    }

    fn make_summary(&self, i: usize) -> PostSummary {
        let post = &self.site.posts[i];
        let categories = post
            .categories
            .iter()
            .filter_map(|names| {
                let trail = self.trail(&self.site.categories, names);
                let leaf = trail.last()?.clone();
                Some(CategoryLink {
                    name: leaf.name,
                    url: leaf.url,
                    trail,
                })
            })
            .collect();
        let tags = post
            .tags
            .iter()
            .filter_map(|t| self.trail(&self.site.tags, std::slice::from_ref(t)).pop())
            .collect();
        PostSummary {
            title: post.title.clone(),
            url: self.url(&self.site.urls[i]),
            date: post
                .date
                .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                .unwrap_or_default(),
            date_display: post
                .date
                .map(|d| display_date(&d, &self.config.language))
                .unwrap_or_default(),
            categories,
            tags,
            summary: post.summary.clone(),
            image: post.image.clone(),
            author: post.author.clone().or_else(|| self.config.author.clone()),
        }
    }

    /// A hash of everything of post `i` that any page shows, its body aside: its summary
    /// (as listings show it) and the fields only its own page and feeds show. Page keys are
    /// made of these instead of the contexts themselves, so a page the previous build
    /// already has is recognised without making its context.
    pub fn post_key(&self, i: usize) -> u128 {
        let make = || {
            let post = &self.site.posts[i];
            let mut h = xxhash_rust::xxh3::Xxh3::new();
            let mut write = |bytes: &[u8]| {
                h.update(&(bytes.len() as u64).to_le_bytes());
                h.update(bytes);
            };
            write(&serde_json::to_vec(&self.summary(i)).unwrap_or_default());
            let own = (
                post.date.map(|d| d.to_rfc3339()),
                post.updated.map(|d| d.to_rfc3339()),
                &post.source_url,
                post.reading_minutes,
                &post.extra,
            );
            write(&serde_json::to_vec(&own).unwrap_or_default());
            h.digest128()
        };
        match self.keys.get(i) {
            Some(slot) => *slot.get_or_init(make),
            None => make(),
        }
    }

    /// A post page, without its body (see [`PostPage::content`]).
    pub fn post(&self, i: usize) -> PostPage {
        let post = &self.site.posts[i];
        let link = |j: usize| Link {
            name: self.site.posts[j].title.clone(),
            url: self.url(&self.site.urls[j]),
        };
        let summary = self.summary(i);
        let updated = post
            .updated
            .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            .unwrap_or_default();
        let json_ld = super::seo::news_article(&summary, &updated, self.config);
        PostPage {
            image_absolute: summary
                .image
                .as_ref()
                .map(|u| super::seo::absolute(&self.config.base_url, u)),
            json_ld,
            related: self
                .site
                .related
                .get(i)
                .map(|r| r.iter().map(|&j| self.summary(j)).collect())
                .unwrap_or_default(),
            summary,
            content: String::new(),
            updated,
            source_url: post.source_url.clone(),
            reading_minutes: post.reading_minutes,
            extra: post.extra.clone(),
            newer: i.checked_sub(1).map(link),
            older: (i + 1 < self.site.posts.len()).then(|| link(i + 1)),
        }
    }

    /// The entries of a term list.
    pub fn terms(&self, tax: &Taxonomy) -> Vec<TermEntry> {
        tax.terms
            .iter()
            .enumerate()
            .map(|(idx, t)| self.term(tax, idx, t.posts.len()))
            .collect()
    }

    /// One term's entry.
    pub fn term(&self, tax: &Taxonomy, idx: usize, count: usize) -> TermEntry {
        let t = &tax.terms[idx];
        let path = Self::term_path(tax.kind, &t.path);
        let mut trail = Vec::new();
        let mut cur = Some(idx);
        while let Some(c) = cur {
            let term = &tax.terms[c];
            trail.push(Link {
                name: term.name.clone(),
                url: self.url(&Self::term_path(tax.kind, &term.path)),
            });
            cur = term.parent;
        }
        trail.reverse();
        let children = tax
            .terms
            .iter()
            .filter(|c| c.parent == Some(idx))
            .map(|c| Link {
                name: c.name.clone(),
                url: self.url(&Self::term_path(tax.kind, &c.path)),
            })
            .collect();
        TermEntry {
            name: t.name.clone(),
            url: self.url(&path),
            count,
            depth: t.depth(),
            trail,
            children,
            feed_url: self.url(&format!("{path}atom.xml")),
        }
    }
}
