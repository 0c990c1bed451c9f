//! `digest build`: load, then build in memory, then write. Errors of any stage stop the
//! build before anything is written.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::normalize_base_url;
use crate::content::{self, Post};
use crate::diagnostics::{self, Diagnostic};
use crate::discover::{self, SiteInput};
use crate::output::{self, WriteStats};
use crate::render::{self, OutputFile};
use crate::search::{self, SearchDoc};
use crate::site::Site;

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
}

/// A failed build: every problem found, sorted by file. The output folder is untouched.
#[derive(Debug, Clone)]
pub struct BuildFailure {
    /// Errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
}

/// The site built in memory: the files to write, the posts, and what was found on the way.
#[derive(Debug, Clone)]
pub struct Built {
    /// Every output file.
    pub files: Vec<OutputFile>,
    /// The site model the pages were rendered from.
    pub site: Site,
    /// Errors and warnings, sorted.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses every source file (in parallel) into posts.
pub fn parse_all(input: &SiteInput) -> (Vec<Post>, Vec<Diagnostic>) {
    let parsed: Vec<content::Parsed> = input
        .sources
        .par_iter()
        .map(|s| content::parse_source(s, &input.config))
        .collect();
    let mut posts = Vec::new();
    let mut diags = Vec::new();
    for p in parsed {
        posts.extend(p.posts);
        diags.extend(p.diagnostics);
    }
    (posts, diags)
}

/// Builds the whole site in memory. Pure: no file is read or written.
/// Returns the files even when there are errors in `diagnostics`; callers decide.
pub fn build_in_memory(input: &SiteInput, drafts: bool) -> Result<Built, Vec<Diagnostic>> {
    let config = &input.config;
    let mut diags = input.diagnostics.clone();
    let (posts, d) = parse_all(input);
    diags.extend(d);
    let (site, d) = Site::build(posts, config, drafts);
    diags.extend(d);
    if diags.iter().any(Diagnostic::is_error) {
        diagnostics::sort(&mut diags);
        return Err(diags);
    }
    let tera = match render::compile(&input.theme) {
        Ok(t) => t,
        Err(e) => {
            diags.push(e);
            diagnostics::sort(&mut diags);
            return Err(diags);
        }
    };
    let mut files = match render::render_site(&site, config, &tera) {
        Ok(f) => f,
        Err(e) => {
            diags.push(e);
            diagnostics::sort(&mut diags);
            return Err(diags);
        }
    };
    if config.search.enabled {
        let docs: Vec<SearchDoc> = site
            .posts
            .iter()
            .zip(&site.urls)
            .map(|(p, url)| search_doc(p, url, config))
            .collect();
        files.extend(
            search::build_index(&docs)
                .into_iter()
                .map(|(path, bytes)| OutputFile::new(path, bytes)),
        );
    }
    // theme static files first, so the site's own static/ wins
    let mut statics: Vec<OutputFile> = input
        .theme
        .statics
        .iter()
        .chain(input.statics.iter())
        .map(|(p, b)| OutputFile::new(p.clone(), b.clone()))
        .collect();
    statics.extend(assets_beside_posts(input, &site));
    // pages win over static files of the same name
    let page_paths: std::collections::BTreeSet<String> =
        files.iter().map(|f| f.path.clone()).collect();
    statics.retain(|s| !page_paths.contains(&s.path));
    statics.extend(files);
    let mut files = statics;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files.dedup_by(|later, earlier| {
        if later.path == earlier.path {
            std::mem::swap(later, earlier);
            true
        } else {
            false
        }
    });
    diagnostics::sort(&mut diags);
    Ok(Built {
        files,
        site,
        diagnostics: diags,
    })
}

fn search_doc(p: &Post, url: &str, config: &crate::config::Config) -> SearchDoc {
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
        body: if config.search.include_bodies {
            p.body_text.clone()
        } else {
            String::new()
        },
    }
}

/// Images and other files beside a post are copied next to its page, so relative links in
/// the post keep working.
fn assets_beside_posts(input: &SiteInput, site: &Site) -> Vec<OutputFile> {
    let mut out = Vec::new();
    for asset in &input.assets {
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

/// Runs a whole build: load, build in memory, write atomically.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildFailure> {
    let start = Instant::now();
    let mut input =
        discover::load(&opts.root).map_err(|diagnostics| BuildFailure { diagnostics })?;
    if let Some(url) = &opts.base_url {
        input.config.base_url = normalize_base_url(url);
    }
    let built =
        build_in_memory(&input, opts.drafts).map_err(|diagnostics| BuildFailure { diagnostics })?;
    if opts.strict && !built.diagnostics.is_empty() {
        return Err(BuildFailure {
            diagnostics: built.diagnostics,
        });
    }
    let stats = output::write_site(&opts.root, &opts.output, &built.files).map_err(|d| {
        let mut diagnostics = built.diagnostics.clone();
        diagnostics.push(d);
        BuildFailure { diagnostics }
    })?;
    Ok(BuildReport {
        posts: built.site.posts.len(),
        pages: built
            .files
            .iter()
            .filter(|f| f.path.ends_with(".html"))
            .count(),
        diagnostics: built.diagnostics,
        stats,
        elapsed: start.elapsed(),
    })
}
