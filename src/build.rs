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

use crate::cache::{BodyStore, Cache, Part};
use crate::config::{normalize_base_url, Config};
use crate::diagnostics::{self, Diagnostic};
use crate::discover::{self, Asset, SiteInput};
use crate::key::{self, Key};
use crate::output::{self, Collector, OutputFile, Sink, SiteWriter, WriteStats};
use crate::parse;
use crate::render::{self, RenderStats};
use crate::search;
use crate::site::{PostMeta, Site};

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

pub use crate::progress::{NoProgress, Progress};

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
pub(crate) struct Prepared<'a> {
    pub(crate) site: Site,
    pub(crate) config: Config,
    tera: tera::Tera,
    fingerprint: Key,
    assets: Vec<Asset>,
    statics: Vec<(String, Vec<u8>)>,
    theme_statics: Vec<(String, Vec<u8>)>,
    store: BodyStore<'a>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) parsed: usize,
    pub(crate) cache_hits: usize,
}

/// The load phase: parses (or takes from the store) every source and builds the site
/// model; what was parsed is saved in the store even when the site has errors, so the
/// next try is quicker. Errors of this phase stop a build before any output is touched.
pub(crate) fn prepare<'a>(
    input: SiteInput,
    drafts: bool,
    cache: &'a Cache,
    progress: &dyn Progress,
) -> Result<Prepared<'a>, Vec<Diagnostic>> {
    let started = std::time::SystemTime::now();
    let SiteInput {
        root,
        config,
        sources,
        assets,
        theme,
        statics,
        diagnostics: mut diags,
    } = input;
    let store = parse::body_store(cache, &root, &config);
    let parsed = parse::parse_sources(&root, sources, &config, cache, &store, started, progress);
    cache.store_sources(parsed.index, parsed.changed);
    diags.extend(parsed.diagnostics);
    progress.stage("site model", 0);
    let (site, d) = Site::build(parsed.posts, &config, drafts);
    diags.extend(d);
    let fail = |mut diags: Vec<Diagnostic>| {
        diagnostics::sort(&mut diags);
        Err(diags)
    };
    if diags.iter().any(Diagnostic::is_error) {
        return fail(diags);
    }
    let tera = match render::compile(&theme) {
        Ok(t) => t,
        Err(e) => {
            diags.push(e);
            return fail(diags);
        }
    };
    diagnostics::sort(&mut diags);
    Ok(Prepared {
        fingerprint: key::page_fingerprint(&config, &theme),
        site,
        config,
        tera,
        assets,
        statics,
        theme_statics: theme.statics,
        store,
        diagnostics: diags,
        parsed: parsed.parsed,
        cache_hits: parsed.hits,
    })
}

/// Renders every page, the search index and the static files into `sink`. Pages come
/// first and so win over static files of the same path; the site's own static files win
/// over the theme's.
pub(crate) fn emit(
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
    let (docs, keys) = search::site_documents(&p.site, &p.config);
    let with_bodies = p.config.search.include_bodies;
    let settings = search::settings_key(&p.config);
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
    cache.store_search_state(update.state, head.as_ref());
    Ok(update.method)
}

/// Builds the whole site in memory, through the same stages as every build, with a store
/// that keeps nothing and a sink that collects every file: for tests and tools that want
/// the files of a build without a cache or an output folder. Writes nothing.
pub fn build_in_memory(input: &SiteInput, drafts: bool) -> Result<Built, Vec<Diagnostic>> {
    let cache = Cache::disabled();
    let p = prepare(input.clone(), drafts, &cache, &NoProgress)?;
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
    let p = prepare(input, opts.drafts, &cache, progress)
        .map_err(|diagnostics| BuildFailure { diagnostics })?;
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
