//! The whole site as plain data: posts in order, their URLs, taxonomies and archives.
//! No I/O and no HTML here; rendering reads this. Posts are kept without their bodies
//! ([`PostMeta`]), so the model stays small however long the posts are.

pub mod duplicates;
pub mod post;
pub mod related;
pub mod taxonomy;

use std::collections::BTreeMap;

use chrono::Datelike;

use crate::config::Config;
use crate::content::slug::slugify;
use crate::diagnostics::Diagnostic;

pub use post::{Body, BodyRef, PostMeta};
pub use taxonomy::{Taxonomy, TaxonomyKind, Term};

/// All posts of a build, newest first, with the indexes listing pages need.
#[derive(Debug, Clone)]
pub struct Site {
    /// Posts, newest first; undated posts last, in source order.
    pub posts: Vec<PostMeta>,
    /// Site-relative URL of each post (same order as `posts`), such as `posts/2022/04/qingyun/`.
    pub urls: Vec<String>,
    /// Categories, hierarchical.
    pub categories: Taxonomy,
    /// Tags, flat.
    pub tags: Taxonomy,
    /// Dated posts grouped by year (newest first) and month (newest first).
    pub archives: Vec<ArchiveYear>,
    /// For each post, the posts most related to it (indexes into `posts`).
    pub related: Vec<Vec<usize>>,
}

/// One year of the archives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveYear {
    /// The year.
    pub year: i32,
    /// Its months that have posts, newest first.
    pub months: Vec<ArchiveMonth>,
}

/// One month of the archives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveMonth {
    /// 1 to 12.
    pub month: u32,
    /// Indexes into [`Site::posts`], newest first.
    pub posts: Vec<usize>,
}

impl Site {
    /// Orders posts, gives each a unique URL and builds taxonomies and archives.
    /// Drafts are left out unless `drafts`. Slug clashes get `-2`, `-3`, ... in source order,
    /// with a warning; so do posts that repeat another's title or text.
    pub fn build(
        mut posts: Vec<PostMeta>,
        config: &Config,
        drafts: bool,
    ) -> (Site, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        posts.retain(|p| drafts || !p.draft);
        // source order first, so clash suffixes are stable whatever the dates
        posts.sort_by(|a, b| (&a.source, a.source_line).cmp(&(&b.source, b.source_line)));
        diags.extend(duplicates::find(&posts));
        let mut taken: BTreeMap<String, usize> = BTreeMap::new();
        let mut urls = Vec::with_capacity(posts.len());
        for (i, post) in posts.iter().enumerate() {
            let dir = match post.date {
                Some(d) => format!("posts/{:04}/{:02}/", d.year(), d.month()),
                None => "posts/".to_string(),
            };
            let base = if post.slug.is_empty() {
                fallback_slug(&format!("{}:{}", post.source.display(), post.source_line))
            } else {
                post.slug.clone()
            };
            let mut slug = base.clone();
            let mut n = 1;
            while taken.contains_key(&format!("{dir}{slug}/")) {
                n += 1;
                slug = format!("{base}-{n}");
            }
            if n > 1 {
                let other = &posts[taken[&format!("{dir}{base}/")]];
                diags.push(Diagnostic::warning(
                    crate::content::post_display_path(&post.source),
                    format!(
                        "slug '{base}' is already used by {}; this post gets '{slug}'",
                        crate::content::post_display_path(&other.source).display()
                    ),
                ));
            }
            let url = format!("{dir}{slug}/");
            taken.insert(url.clone(), i);
            urls.push(url);
        }
        // newest first; undated last in source order (the sort is stable)
        let mut order: Vec<usize> = (0..posts.len()).collect();
        order.sort_by(|&a, &b| match (posts[a].date, posts[b].date) {
            (Some(x), Some(y)) => y.cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
        let mut slots: Vec<Option<(PostMeta, String)>> =
            posts.into_iter().zip(urls).map(Some).collect();
        let (posts, urls): (Vec<PostMeta>, Vec<String>) =
            order.iter().filter_map(|&i| slots[i].take()).unzip();

        let categories = Taxonomy::categories(&posts, config);
        let tags = Taxonomy::tags(&posts, config);
        let archives = archives(&posts);
        let related = related::related(posts.len(), &categories, &tags);
        (
            Site {
                posts,
                urls,
                categories,
                tags,
                archives,
                related,
            },
            diags,
        )
    }
}

/// A slug for a title that has no letters or digits at all: stable, derived from the source.
pub fn fallback_slug(key: &str) -> String {
    // FNV-1a: stable across runs and platforms, unlike the std hasher
    let mut h: u64 = 0xcbf29ce484222325;
    for b in key.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("p-{:08x}", h as u32)
}

/// A term's slug, never empty.
pub fn term_slug(name: &str, config: &Config) -> String {
    let s = slugify(name, config.slug_style);
    if s.is_empty() {
        fallback_slug(name)
    } else {
        s
    }
}

fn archives(posts: &[PostMeta]) -> Vec<ArchiveYear> {
    let mut years: Vec<ArchiveYear> = Vec::new();
    for (i, p) in posts.iter().enumerate() {
        let Some(d) = p.date else { continue };
        let (y, m) = (d.year(), d.month());
        if years.last().map(|l| l.year) != Some(y) {
            years.push(ArchiveYear {
                year: y,
                months: Vec::new(),
            });
        }
        if let Some(year) = years.last_mut() {
            if year.months.last().map(|l| l.month) != Some(m) {
                year.months.push(ArchiveMonth {
                    month: m,
                    posts: Vec::new(),
                });
            }
            if let Some(month) = year.months.last_mut() {
                month.posts.push(i);
            }
        }
    }
    years
}
