//! Every page of the site, rendered in parallel and only when it changed.
//!
//! The site's pages are listed first as small [`Spec`]s (home page 3, post 17, the feed of
//! tag 5, ...). Each spec is then, on any rayon thread, given a key: the templates and
//! settings, the page's path, and what its context is made from, which for the many kinds
//! of page (posts, listings, feeds) is the keys of the posts it shows
//! ([`Contexts::post_key`]), the identity of any body it shows, and its own few values.
//! Only when the sink cannot reuse the previous build's file for that key is the context
//! made, the body loaded and the template rendered. A post page's key holds its newer and
//! older links and its related posts, so a post page is rendered again when a neighbour's
//! title changes, and not otherwise.

use rayon::prelude::*;
use serde::Serialize;
use serde_json::{json, Value as Json};
use tera::Tera;

use super::context::{
    ConfigContext, Contexts, PageNumber, Paginator, PostPage, PostSummary, TermEntry,
};
use super::error_chain;
use super::feeds::{self, FeedKind};
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::key::{Key, KeyBuilder};
use crate::output::Sink;
use crate::site::{PostMeta, Site, Taxonomy, TaxonomyKind};

/// What rendering did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RenderStats {
    /// HTML pages in the site.
    pub pages: usize,
    /// Pages and feeds rendered by this build.
    pub rendered: usize,
    /// Pages and feeds taken unrendered from the previous build.
    pub reused: usize,
}

/// One page or feed to make.
#[derive(Debug, Clone, Copy)]
enum Spec {
    Home(usize),
    Post(usize),
    TaxonomyList(TaxonomyKind),
    Term(TaxonomyKind, usize, usize),
    TermFeed(TaxonomyKind, usize),
    Archives,
    Search,
    NotFound,
    Feed(FeedKind),
}

/// Which post bodies a page shows.
enum Fill {
    None,
    Post(usize),
    Feed(Vec<usize>),
}

/// A spec made concrete: the path, the template and its context without bodies.
struct Plan {
    path: String,
    template: &'static str,
    context: Ctx,
    fill: Fill,
}

/// A template context. The frequent kinds are typed, so that their key is hashed straight
/// from the structs (no `serde_json::Value` is built for a page that is not rendered).
enum Ctx {
    Listing(Box<Listing>),
    Post(Box<PostCtx>),
    Json(Json),
}

/// A home or term page's context.
#[derive(Serialize)]
struct Listing {
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    term: Option<TermEntry>,
    posts: Vec<PostSummary>,
    paginator: Paginator,
}

/// A post page's context.
#[derive(Serialize)]
struct PostCtx {
    page: PostPage,
}

impl Ctx {
    /// Feeds the context's JSON into a key.
    fn hash_into(&self, key: &mut KeyBuilder) {
        let _ = match self {
            Ctx::Listing(c) => serde_json::to_writer(&mut *key, c),
            Ctx::Post(c) => serde_json::to_writer(&mut *key, c),
            Ctx::Json(c) => serde_json::to_writer(&mut *key, c),
        };
    }

    fn into_json(self) -> Json {
        match self {
            Ctx::Listing(c) => serde_json::to_value(c).unwrap_or_default(),
            Ctx::Post(c) => serde_json::to_value(c).unwrap_or_default(),
            Ctx::Json(c) => c,
        }
    }
}

/// How the renderer gets a post's body HTML; `None` when it can no longer be had.
pub type Bodies<'a> = dyn Fn(&PostMeta) -> Option<String> + Sync + 'a;

/// Renders every page of `site` into `sink`, in parallel, skipping pages whose key is
/// unchanged. `fingerprint` is [`crate::key::page_fingerprint`]; `tick` is called once a
/// page (for a progress bar). The first template error in page order is returned.
pub fn render_site(
    site: &Site,
    config: &Config,
    tera: &Tera,
    fingerprint: Key,
    bodies: &Bodies<'_>,
    sink: &dyn Sink,
    tick: &(dyn Fn() + Sync),
) -> Result<RenderStats, Diagnostic> {
    let r = Renderer {
        tera,
        ctx: Contexts::new(site, config),
        config_ctx: ConfigContext::new(config),
        fingerprint,
        bodies,
    };
    let specs = r.specs();
    let results: Vec<Result<(bool, bool), Diagnostic>> = specs
        .par_iter()
        .map(|spec| {
            let path = r.path(*spec);
            let html = path.ends_with(".html");
            let rendered = r.key(*spec, &path).and_then(|(key, plan)| {
                if sink.reuse(&path, key)? {
                    return Ok(false);
                }
                let plan = plan.unwrap_or_else(|| r.plan(*spec));
                r.render(plan, key, sink).map(|()| true)
            });
            tick();
            rendered.map(|x| (x, html))
        })
        .collect();
    let mut stats = RenderStats::default();
    for result in results {
        let (rendered, html) = result?;
        stats.pages += usize::from(html);
        if rendered {
            stats.rendered += 1;
        } else {
            stats.reused += 1;
        }
    }
    let paths: Vec<String> = specs.iter().map(|s| r.path(*s)).collect();
    // A Sitemap line must hold an absolute URL; a site built for a bare path (`/digest/`)
    // has none to give.
    let sitemap_line = if config.base_url.starts_with("http") {
        format!("\nSitemap: {}sitemap.xml\n", config.base_url)
    } else {
        String::new()
    };
    let mut extra = vec![
        feeds::sitemap(&paths, site, config),
        crate::output::OutputFile::new(
            "robots.txt",
            format!("User-agent: *\nAllow: /\n{sitemap_line}"),
        ),
        crate::output::OutputFile::new(".nojekyll", ""),
    ];
    if let Some(cname) = &config.cname {
        extra.push(crate::output::OutputFile::new(
            "CNAME",
            format!("{}\n", cname.trim()),
        ));
    }
    for f in extra {
        sink.put(&f.path, &f.path, 0, &f.bytes)?;
    }
    Ok(stats)
}

/// How many pages and feeds [`render_site`] makes (for a progress bar).
pub fn page_count_of(site: &Site, config: &Config) -> usize {
    let per_page = config.paginate.max(1);
    let terms = site.categories.terms.iter().chain(&site.tags.terms);
    let term_pages: usize = terms.map(|t| page_count(t.posts.len(), per_page) + 1).sum();
    site.posts.len() + page_count(site.posts.len(), per_page) + term_pages + 2 + 5
}

/// How many pages a listing of `count` posts has at `per_page` a page (at least one).
fn page_count(count: usize, per_page: usize) -> usize {
    count.div_ceil(per_page.max(1)).max(1)
}

struct Renderer<'a> {
    tera: &'a Tera,
    ctx: Contexts<'a>,
    config_ctx: ConfigContext,
    fingerprint: Key,
    bodies: &'a Bodies<'a>,
}

impl Renderer<'_> {
    fn taxonomy(&self, kind: TaxonomyKind) -> &Taxonomy {
        match kind {
            TaxonomyKind::Categories => &self.ctx.site.categories,
            TaxonomyKind::Tags => &self.ctx.site.tags,
        }
    }

    fn specs(&self) -> Vec<Spec> {
        let site = self.ctx.site;
        let per_page = self.ctx.config.paginate;
        let mut specs: Vec<Spec> = (0..site.posts.len()).map(Spec::Post).collect();
        specs.extend((1..=page_count(site.posts.len(), per_page)).map(Spec::Home));
        for kind in [TaxonomyKind::Categories, TaxonomyKind::Tags] {
            specs.push(Spec::TaxonomyList(kind));
            for (idx, term) in self.taxonomy(kind).terms.iter().enumerate() {
                let pages = page_count(term.posts.len(), per_page);
                specs.extend((1..=pages).map(|n| Spec::Term(kind, idx, n)));
                specs.push(Spec::TermFeed(kind, idx));
            }
        }
        specs.push(Spec::Archives);
        if self.ctx.config.search.enabled {
            specs.push(Spec::Search);
        }
        specs.push(Spec::NotFound);
        specs.push(Spec::Feed(FeedKind::Atom));
        specs.push(Spec::Feed(FeedKind::Rss));
        specs
    }

    fn list_path(dir: &str, n: usize) -> String {
        if n == 1 {
            format!("{dir}index.html")
        } else {
            format!("{dir}page/{n}/index.html")
        }
    }

    fn path(&self, spec: Spec) -> String {
        match spec {
            Spec::Home(n) => Self::list_path("", n),
            Spec::Post(i) => format!("{}index.html", self.ctx.site.urls[i]),
            Spec::TaxonomyList(kind) => format!("{}/index.html", kind.folder()),
            Spec::Term(kind, idx, n) => {
                let dir = Contexts::term_path(kind, &self.taxonomy(kind).terms[idx].path);
                Self::list_path(&dir, n)
            }
            Spec::TermFeed(kind, idx) => {
                let dir = Contexts::term_path(kind, &self.taxonomy(kind).terms[idx].path);
                format!("{dir}atom.xml")
            }
            Spec::Archives => "archives/index.html".into(),
            Spec::Search => "search/index.html".into(),
            Spec::NotFound => "404.html".into(),
            Spec::Feed(kind) => feeds::template(kind).into(),
        }
    }

    fn plan(&self, spec: Spec) -> Plan {
        let path = self.path(spec);
        let page = |template, context| Plan {
            path: path.clone(),
            template,
            context,
            fill: Fill::None,
        };
        match spec {
            Spec::Home(n) => {
                let count = self.ctx.site.posts.len();
                let from = (n - 1) * self.ctx.config.paginate.max(1);
                let shown: Vec<usize> = (from..count)
                    .take(self.ctx.config.paginate.max(1))
                    .collect();
                let listing = self.listing("", count, &shown, n, None, None);
                page("index.html", Ctx::Listing(Box::new(listing)))
            }
            Spec::Post(i) => Plan {
                fill: Fill::Post(i),
                ..page(
                    "post.html",
                    Ctx::Post(Box::new(PostCtx {
                        page: self.ctx.post(i),
                    })),
                )
            },
            Spec::TaxonomyList(kind) => {
                let entries = self.ctx.terms(self.taxonomy(kind));
                page(
                    "taxonomy.html",
                    Ctx::Json(json!({ "kind": kind.folder(), "terms": entries })),
                )
            }
            Spec::Term(kind, idx, n) => {
                let tax = self.taxonomy(kind);
                let term = &tax.terms[idx];
                let entry = self.ctx.term(tax, idx, term.posts.len());
                let dir = Contexts::term_path(kind, &term.path);
                let per_page = self.ctx.config.paginate.max(1);
                let shown = term.posts.chunks(per_page).nth(n - 1).unwrap_or(&[]);
                let listing = self.listing(
                    &dir,
                    term.posts.len(),
                    shown,
                    n,
                    Some(kind.folder()),
                    Some(entry),
                );
                page("term.html", Ctx::Listing(Box::new(listing)))
            }
            Spec::TermFeed(kind, idx) => {
                let term = &self.taxonomy(kind).terms[idx];
                let title = format!("{} - {}", term.name, self.ctx.config.title);
                self.feed(path.clone(), FeedKind::Atom, &term.posts, &title)
            }
            Spec::Archives => page("archives.html", Ctx::Json(self.archives())),
            Spec::Search => page("search.html", Ctx::Json(json!({}))),
            Spec::NotFound => page("404.html", Ctx::Json(json!({}))),
            Spec::Feed(kind) => {
                let all: Vec<usize> = (0..self.ctx.site.posts.len()).collect();
                self.feed(path.clone(), kind, &all, &self.ctx.config.title)
            }
        }
    }

    fn feed(&self, path: String, kind: FeedKind, posts: &[usize], title: &str) -> Plan {
        let (context, shown) =
            feeds::feed_context(&self.ctx, &self.config_ctx, posts, &path, title);
        Plan {
            path,
            template: feeds::template(kind),
            context: Ctx::Json(context),
            fill: Fill::Feed(shown),
        }
    }

    /// Page `n` of a listing of `count` posts under `dir` (`` for home, `categories/x/`),
    /// showing the posts `shown`.
    fn listing(
        &self,
        dir: &str,
        count: usize,
        shown: &[usize],
        n: usize,
        kind: Option<&'static str>,
        term: Option<TermEntry>,
    ) -> Listing {
        let per_page = self.ctx.config.paginate.max(1);
        let total = page_count(count, per_page);
        let base = &self.ctx.config.base_url;
        let page_url = |k: usize| {
            if k == 1 {
                format!("{base}{dir}")
            } else {
                format!("{base}{dir}page/{k}/")
            }
        };
        let mut numbers: Vec<PageNumber> = Vec::new();
        let mut last = 0;
        // the first, the last and two either side of this page; a gap of one page shows
        // that page instead of "…"
        let core = |k: usize| k == 1 || k == total || k.abs_diff(n) <= 2;
        for k in 1..=total {
            let shown = core(k) || (k > 1 && k < total && core(k - 1) && core(k + 1));
            if shown {
                numbers.push(PageNumber {
                    number: k,
                    url: page_url(k),
                    gap_before: k > last + 1,
                });
                last = k;
            }
        }
        Listing {
            kind,
            term,
            posts: shown.iter().map(|&i| self.ctx.summary(i)).collect(),
            paginator: Paginator {
                current: n,
                total,
                prev_url: (n > 1).then(|| page_url(n - 1)),
                next_url: (n < total).then(|| page_url(n + 1)),
                pages: numbers,
            },
        }
    }

    fn archives(&self) -> Json {
        let site = self.ctx.site;
        let years: Vec<Json> = site
            .archives
            .iter()
            .map(|y| {
                let months: Vec<Json> = y
                    .months
                    .iter()
                    .map(|m| {
                        let posts: Vec<PostSummary> =
                            m.posts.iter().map(|&i| self.ctx.summary(i)).collect();
                        json!({ "month": m.month, "count": posts.len(), "posts": posts })
                    })
                    .collect();
                let count: usize = y.months.iter().map(|m| m.posts.len()).sum();
                json!({ "year": y.year, "count": count, "months": months })
            })
            .collect();
        let undated: Vec<PostSummary> = (0..site.posts.len())
            .filter(|&i| site.posts[i].date.is_none())
            .map(|i| self.ctx.summary(i))
            .collect();
        json!({ "years": years, "undated": undated })
    }

    fn body_html(&self, i: usize) -> Result<String, Diagnostic> {
        let post = &self.ctx.site.posts[i];
        (self.bodies)(post).ok_or_else(|| {
            Diagnostic::error(
                crate::content::post_display_path(&post.source),
                "cannot read this post again to render its page: was it removed during the build?",
            )
        })
    }

    /// The key of a page: what it is made from, hashed without making its context. The
    /// many kinds (posts, listings, feeds) hash their posts' keys ([`Contexts::post_key`])
    /// and whatever else their context holds; the few others hash their context, and hand
    /// it back so it is not made twice.
    fn key(&self, spec: Spec, path: &str) -> Result<(Key, Option<Plan>), Diagnostic> {
        let site = self.ctx.site;
        let mut key = KeyBuilder::new(self.fingerprint, path);
        let post = |key: &mut KeyBuilder, i: usize| {
            key.bytes(&self.ctx.post_key(i).to_le_bytes());
        };
        match spec {
            Spec::Post(i) => {
                key.bytes(b"post.html");
                post(&mut key, i);
                for j in [i.checked_sub(1), Some(i + 1)] {
                    match j.filter(|&j| j < site.posts.len()) {
                        Some(j) => key
                            .bytes(site.posts[j].title.as_bytes())
                            .bytes(site.urls[j].as_bytes()),
                        None => key.bytes(b"\0"),
                    };
                }
                let related = site.related.get(i).map(Vec::as_slice).unwrap_or(&[]);
                key.bytes(&(related.len() as u64).to_le_bytes());
                for &j in related {
                    post(&mut key, j);
                }
                key.body(&site.posts[i].body);
            }
            Spec::Home(n) => {
                key.bytes(b"index.html");
                let count = site.posts.len();
                let from = (n - 1) * self.ctx.config.paginate.max(1);
                let shown = from..count.min(from + self.ctx.config.paginate.max(1));
                key.bytes(&[count as u64, n as u64].map(u64::to_le_bytes).concat());
                for i in shown {
                    post(&mut key, i);
                }
            }
            Spec::Term(kind, idx, n) => {
                key.bytes(b"term.html");
                let tax = self.taxonomy(kind);
                let term = &tax.terms[idx];
                let entry = self.ctx.term(tax, idx, term.posts.len());
                let _ = serde_json::to_writer(&mut key, &(kind.folder(), entry));
                let per_page = self.ctx.config.paginate.max(1);
                let shown = term.posts.chunks(per_page).nth(n - 1).unwrap_or(&[]);
                key.bytes(
                    &[term.posts.len() as u64, n as u64]
                        .map(u64::to_le_bytes)
                        .concat(),
                );
                for &i in shown {
                    post(&mut key, i);
                }
            }
            Spec::TermFeed(kind, idx) => {
                let term = &self.taxonomy(kind).terms[idx];
                key.bytes(feeds::template(FeedKind::Atom).as_bytes());
                key.bytes(term.name.as_bytes());
                for &i in term.posts.iter().take(self.ctx.config.feed_limit) {
                    post(&mut key, i);
                    key.body(&site.posts[i].body);
                }
            }
            Spec::Feed(kind) => {
                key.bytes(feeds::template(kind).as_bytes());
                for i in (0..site.posts.len()).take(self.ctx.config.feed_limit) {
                    post(&mut key, i);
                    key.body(&site.posts[i].body);
                }
            }
            Spec::TaxonomyList(_) | Spec::Archives | Spec::Search | Spec::NotFound => {
                let plan = self.plan(spec);
                key.bytes(plan.template.as_bytes());
                plan.context.hash_into(&mut key);
                return Ok((key.finish(), Some(plan)));
            }
        }
        Ok((key.finish(), None))
    }

    /// Renders a plan whose key the sink did not reuse, and puts the file.
    fn render(&self, plan: Plan, key: Key, sink: &dyn Sink) -> Result<(), Diagnostic> {
        let mut context = plan.context;
        let base_url = &self.ctx.config.base_url;
        if let (Fill::Post(i), Ctx::Post(post)) = (&plan.fill, &mut context) {
            let html = self.body_html(*i)?;
            post.page.content = super::seo::rebase_root_relative(&html, base_url);
        }
        let mut context = context.into_json();
        match &plan.fill {
            Fill::None | Fill::Post(_) => {}
            Fill::Feed(posts) => {
                let html: Vec<String> = posts
                    .iter()
                    .map(|&i| self.body_html(i))
                    .collect::<Result<_, _>>()?;
                feeds::fill_feed(&mut context, &html, base_url);
            }
        }
        let is_feed = matches!(plan.fill, Fill::Feed(_));
        if !is_feed {
            if let Json::Object(map) = &mut context {
                map.insert(
                    "config".into(),
                    serde_json::to_value(&self.config_ctx).unwrap_or_default(),
                );
                map.insert("current_path".into(), plan.path.clone().into());
                let url = self.ctx.url(plan.path.trim_end_matches("index.html"));
                map.insert("current_url".into(), url.into());
            }
        }
        let tera_context = tera::Context::from_value(context).map_err(|e| {
            Diagnostic::error(
                format!("templates/{}", plan.template),
                format!("context error: {}", error_chain(&e)),
            )
        })?;
        let bytes = self
            .tera
            .render(plan.template, &tera_context)
            .map_err(|e| {
                Diagnostic::error(
                    format!("templates/{}", plan.template),
                    format!("cannot render {}: {}", plan.path, error_chain(&e)),
                )
            })?;
        sink.put(&plan.path, &plan.path, key, bytes.as_bytes())
    }
}
