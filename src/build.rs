//! `digest build`: load, parse (or take from the cache), build the site model, render and
//! write. Errors of any stage stop the build before the output folder is touched.
//!
//! The stages are the pure functions of [`crate::content`], [`crate::site`],
//! [`crate::render`] and [`crate::search`]; this module strings them together with the I/O
//! ends: [`crate::discover`] reads, [`crate::cache`] remembers, [`crate::output`] writes.
//!
//! Memory: the site model keeps each post's metadata and summary ([`PostMeta`]) and not its
//! body. A parsed body goes straight into the cache's body file (or, when the cache cannot
//! be written, into memory) and is loaded again only for the pages that show it, as they
//! are rendered; rendered pages are written as they come. So besides the source files read
//! at the start, memory grows with the number of posts, not with their length.
//!
//! Speed: sources are hashed and parsed in parallel; an unchanged source (same key, see
//! [`crate::cache`]) is not parsed at all. Pages are rendered in parallel, and a page
//! whose key is unchanged is not rendered: its file is hard-linked from the previous output.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::cache::{self, BodyStore, Cache, CachedSource, Key, KeyBuilder, Part, SourceIndex};
use crate::config::{normalize_base_url, Config};
use crate::content;
use crate::diagnostics::{self, Diagnostic};
use crate::discover::{self, Asset, SiteInput};
use crate::output::{self, SiteWriter, WriteStats};
use crate::render::{self, Collector, OutputFile, RenderStats, Sink};
use crate::search::{self, SearchDoc};
use crate::site::{BodyRef, PostMeta, Site};

/// What the user asked `digest build` to do, validated.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder (holds content/, digest.yaml, ...).
    pub root: PathBuf,
    /// The output folder.
    pub output: PathBuf,
    /// Replaces the configured base_url.
    pub base_url: Option<String>,
    /// Build drafts too.
    pub drafts: bool,
    /// Treat warnings as errors.
    pub strict: bool,
}

/// A finished build.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// Warnings (errors would have failed the build).
    pub diagnostics: Vec<Diagnostic>,
    /// Posts built.
    pub posts: usize,
    /// HTML pages written.
    pub pages: usize,
    /// What the write did.
    pub stats: WriteStats,
    /// Wall time of the whole build.
    pub elapsed: Duration,
    /// Source files read and parsed by this build.
    pub parsed: usize,
    /// Source files taken from the cache without parsing.
    pub cache_hits: usize,
    /// Pages and feeds rendered by this build.
    pub rendered: usize,
    /// Pages and feeds taken unrendered from the previous build.
    pub reused: usize,
    /// Problems with the cache (it could not be written): the site is fine, but the next
    /// build will not be faster. Not diagnostics, so `--strict` does not fail on them.
    pub cache_warnings: Vec<String>,
    /// Cache files found damaged or stale and rebuilt.
    pub cache_notes: Vec<String>,
    /// How the search index was made (`None`: search is off).
    pub search_index: Option<search::IndexMethod>,
}

/// A failed build: every problem found, sorted by file. The output folder is untouched.
#[derive(Debug, Clone)]
pub struct BuildFailure {
    /// Errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
}

/// Told how a build is getting on, for a progress bar. Every method has a default that does
/// nothing; implementations must be cheap, they are called from the worker threads.
pub trait Progress: Sync {
    /// A stage begins with `total` steps.
    fn stage(&self, _name: &str, _total: usize) {}
    /// One step of the current stage is done.
    fn tick(&self) {}
}

/// Progress nobody watches.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {}

/// The site built in memory: the files to write, the site model, and what was found.
#[derive(Debug, Clone)]
pub struct Built {
    /// Every output file, sorted by path.
    pub files: Vec<OutputFile>,
    /// The site model the pages were rendered from.
    pub site: Site,
    /// Errors and warnings, sorted.
    pub diagnostics: Vec<Diagnostic>,
}

/// Everything between reading and writing: the site model and what rendering needs.
struct Prepared<'a> {
    site: Site,
    config: Config,
    tera: tera::Tera,
    fingerprint: Key,
    assets: Vec<Asset>,
    statics: Vec<(String, Vec<u8>)>,
    theme_statics: Vec<(String, Vec<u8>)>,
    store: BodyStore<'a>,
    diagnostics: Vec<Diagnostic>,
    sources: SourceIndex,
    /// Whether `sources` differs from the cache's index (else it need not be saved).
    sources_changed: bool,
    parsed: usize,
    cache_hits: usize,
}

/// Parses (or takes from the cache) every source, in parallel, and builds the site model.
/// `root` is where sources are read again should a cached body go missing; `None` for a
/// build that keeps everything in memory.
fn prepare<'a>(
    input: SiteInput,
    drafts: bool,
    cache: &'a Cache,
    root: Option<PathBuf>,
    progress: &dyn Progress,
) -> Result<Prepared<'a>, (Vec<Diagnostic>, SourceIndex)> {
    let SiteInput {
        config,
        sources,
        assets,
        theme,
        statics,
        diagnostics: mut diags,
    } = input;
    let previous = cache.load_sources();
    let fp = cache::parse_fingerprint(&config);
    let reparse_config = config.clone();
    let store = BodyStore::new(cache, move |post: &PostMeta| {
        let src = discover::read_source(root.as_deref()?, &post.source)?;
        if cache::split_key(cache::source_key(fp, &src.path, &src.bytes)) != post.body.source {
            return None; // changed since this build read it
        }
        let parsed = content::parse_source(&src, &reparse_config);
        Some(
            parsed
                .posts
                .into_iter()
                .map(|p| PostMeta::split(p, post.body).1)
                .collect(),
        )
    });
    progress.stage("reading posts", sources.len());
    let loaded: Vec<(Key, CachedSource, bool)> = sources
        .into_par_iter()
        .map(|src| {
            let key = cache::source_key(fp, &src.path, &src.bytes);
            let hit = previous.get(&key).filter(|_| cache.has_bodies(key));
            let out = match hit {
                Some(c) => (key, c.clone(), true),
                None => {
                    let parsed = content::parse_source(&src, &config);
                    drop(src);
                    let mut posts = Vec::with_capacity(parsed.posts.len());
                    let mut bodies = Vec::with_capacity(parsed.posts.len());
                    for (k, post) in parsed.posts.into_iter().enumerate() {
                        let body = BodyRef {
                            source: cache::split_key(key),
                            index: k as u32,
                        };
                        let (meta, b) = PostMeta::split(post, body);
                        posts.push(meta);
                        bodies.push(b);
                    }
                    store.keep(key, bodies);
                    let source = CachedSource {
                        posts,
                        diagnostics: parsed.diagnostics,
                    };
                    (key, source, false)
                }
            };
            progress.tick();
            out
        })
        .collect();
    let cache_hits = loaded.iter().filter(|l| l.2).count();
    let parsed = loaded.len() - cache_hits;
    let mut posts = Vec::new();
    let mut index = SourceIndex::with_capacity(loaded.len());
    for (key, source, _) in loaded {
        posts.extend(source.posts.iter().cloned());
        diags.extend(source.diagnostics.iter().cloned());
        index.insert(key, source);
    }
    cache.remove_bodies(previous.keys().filter(|k| !index.contains_key(k)).copied());
    progress.stage("site model", 0);
    let (site, d) = Site::build(posts, &config, drafts);
    diags.extend(d);
    let fail = |mut diags: Vec<Diagnostic>, index| {
        diagnostics::sort(&mut diags);
        Err((diags, index))
    };
    if diags.iter().any(Diagnostic::is_error) {
        return fail(diags, index);
    }
    let tera = match render::compile(&theme) {
        Ok(t) => t,
        Err(e) => {
            diags.push(e);
            return fail(diags, index);
        }
    };
    diagnostics::sort(&mut diags);
    Ok(Prepared {
        fingerprint: cache::page_fingerprint(&config, &theme),
        site,
        config,
        tera,
        assets,
        statics,
        theme_statics: theme.statics,
        store,
        diagnostics: diags,
        sources_changed: parsed > 0 || index.len() != previous.len(),
        sources: index,
        parsed,
        cache_hits,
    })
}

/// Renders every page, the search index and the static files into `sink`. Pages come
/// first and so win over static files of the same path; the site's own static files win
/// over the theme's.
fn emit(
    p: &Prepared<'_>,
    cache: &Cache,
    sink: &dyn Sink,
    progress: &dyn Progress,
) -> Result<(RenderStats, Option<search::IndexMethod>), Diagnostic> {
    let bodies = |post: &PostMeta| p.store.get(post, Part::Html);
    progress.stage("rendering pages", render::page_count_of(&p.site, &p.config));
    let tick = || progress.tick();
    let stats = render::render_site(
        &p.site,
        &p.config,
        &p.tera,
        p.fingerprint,
        &bodies,
        sink,
        &tick,
    )?;
    let mut method = None;
    if p.config.search.enabled {
        progress.stage("search index", 0);
        method = Some(search_index(p, cache, sink)?);
    }
    progress.stage("static files", 0);
    for asset in assets_beside_posts(&p.assets, &p.site).iter().rev() {
        sink.put(&asset.path, &asset.path, 0, &asset.bytes)?;
    }
    for (path, bytes) in p.statics.iter().rev().chain(p.theme_statics.iter().rev()) {
        sink.put(path, path, 0, bytes)?;
    }
    Ok((stats, method))
}

/// The search index: updated from the last build's (kept in the cache) when few posts
/// changed, built afresh otherwise; a doc file whose post did not change is taken from the
/// previous output.
fn search_index(
    p: &Prepared<'_>,
    cache: &Cache,
    sink: &dyn Sink,
) -> Result<search::IndexMethod, Diagnostic> {
    let docs: Vec<SearchDoc> = p
        .site
        .posts
        .iter()
        .zip(&p.site.urls)
        .map(|(post, url)| search_doc(post, url, &p.config))
        .collect();
    let with_bodies = p.config.search.include_bodies;
    // A document's key: its fields and the identity of its body (the key of its source
    // file), not the templates, so a theme edit leaves the index alone.
    let keys: Vec<Key> = docs
        .par_iter()
        .zip(&p.site.posts)
        .map(|(doc, post)| {
            let mut key = KeyBuilder::new(0, "search-doc");
            for f in [&doc.url, &doc.title, &doc.summary] {
                key.bytes(f.as_bytes());
            }
            for f in [&doc.date, &doc.date_display] {
                key.bytes(f.as_deref().unwrap_or("\u{0}").as_bytes());
            }
            key.bytes(doc.categories.join("\u{0}").as_bytes());
            key.bytes(doc.tags.join("\u{0}").as_bytes());
            key.body(&post.body);
            key.finish()
        })
        .collect();
    let settings = KeyBuilder::new(0, "search")
        .bytes(&[u8::from(with_bodies)])
        .finish();
    let body = |i: usize| {
        if with_bodies {
            p.store
                .get(&p.site.posts[i], Part::Text)
                .unwrap_or_default()
        } else {
            String::new()
        }
    };
    let head = cache.load_search_head();
    if let Some(files) = head
        .as_ref()
        .and_then(|h| h.unchanged_files(settings, &search::index_ids(&docs, &keys)))
    {
        // nothing changed: take every file from the previous output, shards unread
        let mut all = true;
        for (path, key) in files {
            all &= sink.reuse(&path, key)?;
        }
        if all {
            return Ok(search::IndexMethod::Updated(0));
        }
    }
    let previous = head.clone().and_then(|h| cache.load_search_state(h));
    let reuse = |path: &str, key: Key| sink.reuse(path, key).unwrap_or(false);
    let update = search::update_index(&docs, &keys, settings, &body, previous.as_ref(), &reuse);
    for (path, key, bytes) in update.shard_files() {
        sink.put(&path, &path, key, bytes)?;
    }
    for f in &update.files {
        sink.put(&f.path, &f.path, f.key, &f.bytes)?;
    }
    cache.store_search_state(&update.state, head.as_ref());
    Ok(update.method)
}

/// Builds the whole site in memory. Pure: no file is read or written, no cache is used.
pub fn build_in_memory(input: &SiteInput, drafts: bool) -> Result<Built, Vec<Diagnostic>> {
    let cache = Cache::disabled();
    let p = prepare(input.clone(), drafts, &cache, None, &NoProgress).map_err(|e| e.0)?;
    let sink = Collector::default();
    emit(&p, &cache, &sink, &NoProgress).map_err(|e| {
        let mut d = p.diagnostics.clone();
        d.push(e);
        d
    })?;
    Ok(Built {
        files: sink.into_files(),
        site: p.site,
        diagnostics: p.diagnostics,
    })
}

fn search_doc(p: &PostMeta, url: &str, config: &Config) -> SearchDoc {
    SearchDoc {
        url: url.to_string(),
        title: p.title.clone(),
        date: p
            .date
            .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        date_display: p
            .date
            .map(|d| render::context::display_date(&d, &config.language)),
        categories: p
            .categories
            .iter()
            .filter_map(|c| c.last().cloned())
            .collect(),
        tags: p.tags.clone(),
        summary: p.summary.clone(),
        // filled in by the index builder, one block of posts at a time
        body: String::new(),
    }
}

/// Images and other files beside a post are copied next to its page, so relative links in
/// the post keep working.
fn assets_beside_posts(assets: &[Asset], site: &Site) -> Vec<OutputFile> {
    let mut out = Vec::new();
    for asset in assets {
        let Some(asset_dir) = asset.path.parent() else {
            continue;
        };
        for (post, url) in site.posts.iter().zip(&site.urls) {
            let post_dir = post.source.parent().unwrap_or(Path::new(""));
            let rel = if asset_dir == post_dir {
                asset.path.file_name().map(PathBuf::from)
            } else if !post_dir.as_os_str().is_empty() {
                asset
                    .path
                    .strip_prefix(post_dir)
                    .ok()
                    .map(Path::to_path_buf)
            } else {
                None
            };
            if let Some(rel) = rel {
                let rel: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.push(OutputFile::new(
                    format!("{url}{}", rel.join("/")),
                    asset.bytes.clone(),
                ));
            }
        }
    }
    out
}

/// Runs a whole build: load, build, write atomically.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildFailure> {
    build_with(opts, &NoProgress)
}

/// [`build`], telling `progress` how it goes.
pub fn build_with(
    opts: &BuildOptions,
    progress: &dyn Progress,
) -> Result<BuildReport, BuildFailure> {
    let start = Instant::now();
    // a refused output folder stops the build before anything, the cache included, is written
    output::check_output_dir(&opts.root, &opts.output).map_err(|d| BuildFailure {
        diagnostics: vec![d],
    })?;
    progress.stage("loading sources", 0);
    let mut input =
        discover::load(&opts.root).map_err(|diagnostics| BuildFailure { diagnostics })?;
    if let Some(url) = &opts.base_url {
        input.config.base_url = normalize_base_url(url);
    }
    let cache = Cache::new(&opts.root);
    cache.prepare();
    let prepared = prepare(
        input,
        opts.drafts,
        &cache,
        Some(opts.root.clone()),
        progress,
    );
    let p = match prepared {
        Ok(p) => p,
        Err((diagnostics, index)) => {
            // what was parsed is still worth keeping for the next try
            cache.store_sources(&index);
            return Err(BuildFailure { diagnostics });
        }
    };
    if p.sources_changed {
        progress.stage("saving cache", 0);
        cache.store_sources(&p.sources);
    }
    if opts.strict && !p.diagnostics.is_empty() {
        return Err(BuildFailure {
            diagnostics: p.diagnostics,
        });
    }
    let fail = |d: Diagnostic| {
        let mut diagnostics = p.diagnostics.clone();
        diagnostics.push(d);
        BuildFailure { diagnostics }
    };
    let output = output::absolute(&opts.output);
    progress.stage("reading manifest", 0);
    let writer =
        SiteWriter::begin(&opts.root, &output, cache.load_manifest(&output)).map_err(fail)?;
    let (rendered, search_index) = emit(&p, &cache, &writer, progress).map_err(fail)?;
    progress.stage("writing", 0);
    let (stats, manifest) = writer.finish().map_err(fail)?;
    if let Some(manifest) = manifest {
        cache.store_manifest(&output, &manifest);
    }
    Ok(BuildReport {
        posts: p.site.posts.len(),
        pages: rendered.pages,
        stats,
        elapsed: start.elapsed(),
        parsed: p.parsed,
        cache_hits: p.cache_hits,
        rendered: rendered.rendered,
        reused: rendered.reused,
        cache_warnings: cache.warnings(),
        cache_notes: cache.notes(),
        diagnostics: p.diagnostics,
        search_index,
    })
}
