//! The input end of the pipeline: reads a site folder into plain data. The only other place
//! that touches the file system is [`crate::output`].

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::content::SourceFile;
use crate::diagnostics::Diagnostic;
use crate::theme::Theme;

/// File extensions that hold posts; every other file under `content/` is an asset.
pub const POST_EXTENSIONS: &[&str] = &["md", "markdown", "html", "htm", "txt", "tsv"];

/// A non-post file under `content/`, copied next to the pages of the posts beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Path relative to the content folder.
    pub path: PathBuf,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// What a post file's metadata says about its bytes: its length and modification time.
/// An unchanged stamp lets a rebuild take the file's posts from the cache without reading
/// it, as make and cargo do; see [`crate::parse`] for when a stamp is trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    /// Length in bytes.
    pub len: u64,
    /// Modification time in nanoseconds since the Unix epoch (0 when unknown).
    pub mtime_ns: i64,
}

impl Stamp {
    /// The stamp of a file's metadata.
    pub fn of(m: &fs::Metadata) -> Stamp {
        let mtime_ns = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .and_then(|d| i64::try_from(d.as_nanos()).ok())
            .unwrap_or(0);
        Stamp {
            len: m.len(),
            mtime_ns,
        }
    }
}

/// A post file found under `content/`, not read yet: the parse stage reads only the files
/// whose stamp changed (or cannot be trusted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// Path relative to the content folder.
    pub path: PathBuf,
    /// Its length and modification time when it was listed.
    pub stamp: Stamp,
}

/// Everything a build reads, as plain data, but the post files themselves, which the parse
/// stage reads through [`read_source`] when it needs their bytes.
#[derive(Debug, Clone)]
pub struct SiteInput {
    /// The site folder.
    pub root: PathBuf,
    /// Settings from digest.yaml (or defaults).
    pub config: Config,
    /// Post files, sorted by path.
    pub sources: Vec<Listed>,
    /// Other files under content/, sorted by path.
    pub assets: Vec<Asset>,
    /// Templates and static files after overrides.
    pub theme: Theme,
    /// The site's own `static/` files, by output path.
    pub statics: Vec<(String, Vec<u8>)>,
    /// Problems met while reading (skipped files and the like).
    pub diagnostics: Vec<Diagnostic>,
}

/// Whether a file name is one editors and tools leave behind, never content.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.starts_with('~')
        || name.ends_with('~')
        || name.ends_with('#')
        || [
            ".swp",
            ".swo",
            ".swx",
            ".tmp",
            ".bak",
            ".orig",
            ".crdownload",
            ".part",
        ]
        .iter()
        .any(|s| name.ends_with(s))
        || name == "Thumbs.db"
        || name == "desktop.ini"
}

/// Walks a folder in sorted order, skipping ignored names and symlinks that lead outside
/// `root`. Returns `(path, path relative to dir, stamp)` and diagnostics for what was
/// skipped; nothing is read.
fn list_files(dir: &Path, root_canon: &Path) -> (Vec<(PathBuf, PathBuf, Stamp)>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut found = Vec::new();
    if !dir.is_dir() {
        return (found, diags);
    }
    let walker = WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| dir.to_path_buf());
                diags.push(Diagnostic::warning(
                    path,
                    format!("cannot read: {e}; skipped"),
                ));
                continue;
            }
        };
        let path = entry.path();
        let file_type = entry.file_type();
        if file_type.is_symlink() {
            match fs::canonicalize(path) {
                Ok(target) if target.starts_with(root_canon) => {
                    if !target.is_file() {
                        diags.push(Diagnostic::warning(
                            path,
                            "symlink to a folder is not followed",
                        ));
                        continue;
                    }
                }
                _ => {
                    diags.push(Diagnostic::warning(
                        path,
                        "symlink leads outside the site folder; skipped",
                    ));
                    continue;
                }
            }
        } else if !file_type.is_file() {
            continue;
        }
        let rel = match path.strip_prefix(dir) {
            Ok(r) => r.to_path_buf(),
            Err(_) => continue,
        };
        // metadata() follows a symlink that stays inside the site to its file
        let stamp = match fs::metadata(path) {
            Ok(m) => Stamp::of(&m),
            Err(e) => {
                diags.push(Diagnostic::error(path, format!("cannot read: {e}")));
                continue;
            }
        };
        found.push((path.to_path_buf(), rel, stamp));
    }
    (found, diags)
}

/// [`list_files`], then reads every file found: `(path relative to dir, bytes)` pairs.
fn walk_files(dir: &Path, root_canon: &Path) -> (Vec<(PathBuf, Vec<u8>)>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let (found, mut diags) = list_files(dir, root_canon);
    // Read in parallel: a big site's content is a hundred MB or more, and one thread
    // reading file after file leaves the other cores idle.
    let read: Vec<Result<(PathBuf, Vec<u8>), Diagnostic>> = found
        .into_par_iter()
        .map(|(path, rel, _)| match fs::read(&path) {
            Ok(bytes) => Ok((rel, bytes)),
            Err(e) => Err(Diagnostic::error(path, format!("cannot read: {e}"))),
        })
        .collect();
    for r in read {
        match r {
            Ok(file) => files.push(file),
            Err(d) => diags.push(d),
        }
    }
    (files, diags)
}

fn to_slash(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads the site under `root`: configuration, content, theme and static files.
pub fn load(root: &Path) -> Result<SiteInput, Vec<Diagnostic>> {
    let config = Config::load(root).map_err(|d| vec![d.relative_to(root)])?;
    let root_canon = fs::canonicalize(root).map_err(|e| {
        vec![Diagnostic::error(
            root,
            format!("cannot open the site folder: {e}"),
        )]
    })?;
    let content_dir = root.join("content");
    let mut diagnostics = Vec::new();
    if !content_dir.is_dir() {
        diagnostics.push(Diagnostic::warning(
            "content",
            "no content/ folder: the site has no posts (create content/ and put posts in it)",
        ));
    }
    let (files, diags) = list_files(&content_dir, &root_canon);
    diagnostics.extend(diags);
    let mut sources = Vec::new();
    let mut asset_files = Vec::new();
    for (full, path, stamp) in files {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        if POST_EXTENSIONS.contains(&ext.as_str()) {
            sources.push(Listed { path, stamp });
        } else {
            asset_files.push((full, path));
        }
    }
    let read: Vec<Result<Asset, Diagnostic>> = asset_files
        .into_par_iter()
        .map(|(full, path)| match fs::read(&full) {
            Ok(bytes) => Ok(Asset { path, bytes }),
            Err(e) => Err(Diagnostic::error(full, format!("cannot read: {e}"))),
        })
        .collect();
    let mut assets = Vec::with_capacity(read.len());
    for r in read {
        match r {
            Ok(a) => assets.push(a),
            Err(d) => diagnostics.push(d),
        }
    }

    let mut theme = Theme::builtin();
    let theme_dir = root.join("themes").join(&config.theme);
    if theme_dir.is_dir() {
        theme.overlay(read_theme_dir(&theme_dir, &root_canon, &mut diagnostics));
    } else if config.theme != "default" {
        return Err(vec![Diagnostic::error(
            "digest.yaml",
            format!("theme: no folder themes/{} in the site", config.theme),
        )]);
    }
    let (overrides, diags) = walk_files(&root.join("templates"), &root_canon);
    diagnostics.extend(diags);
    theme.overlay(Theme {
        templates: text_files(overrides, &mut diagnostics, "templates"),
        statics: Vec::new(),
    });
    let (statics, diags) = walk_files(&root.join("static"), &root_canon);
    diagnostics.extend(diags);
    let statics = statics
        .into_iter()
        .map(|(p, b)| (to_slash(&p), b))
        .collect();
    let diagnostics = diagnostics
        .into_iter()
        .map(|d| d.relative_to(root))
        .collect();
    Ok(SiteInput {
        root: root.to_path_buf(),
        config,
        sources,
        assets,
        theme,
        statics,
        diagnostics,
    })
}

fn text_files(
    files: Vec<(PathBuf, Vec<u8>)>,
    diags: &mut Vec<Diagnostic>,
    dir: &str,
) -> Vec<(String, String)> {
    files
        .into_iter()
        .filter_map(|(p, b)| match String::from_utf8(b) {
            Ok(s) => Some((to_slash(&p), s)),
            Err(_) => {
                diags.push(Diagnostic::error(
                    Path::new(dir).join(&p),
                    "template is not UTF-8 text",
                ));
                None
            }
        })
        .collect()
}

fn read_theme_dir(dir: &Path, root_canon: &Path, diags: &mut Vec<Diagnostic>) -> Theme {
    let (templates, d) = walk_files(&dir.join("templates"), root_canon);
    diags.extend(d);
    let (statics, d) = walk_files(&dir.join("static"), root_canon);
    diags.extend(d);
    Theme {
        templates: text_files(templates, diags, "themes"),
        statics: statics
            .into_iter()
            .map(|(p, b)| (to_slash(&p), b))
            .collect(),
    }
}

/// Reads one post file of the site at `root`; `path` is relative to its content folder.
/// The error names the file as the editor knows it (`content/...`).
pub fn read_source(root: &Path, path: &Path) -> Result<SourceFile, Diagnostic> {
    let shown = Path::new("content").join(path);
    match fs::read(root.join(&shown)) {
        Ok(bytes) => Ok(SourceFile {
            path: path.to_path_buf(),
            bytes,
        }),
        Err(e) => Err(Diagnostic::error(shown, format!("cannot read: {e}"))),
    }
}
