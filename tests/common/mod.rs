//! A whole site in a temporary folder: write files, build, read what was written.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use digest::build::{build, BuildFailure, BuildOptions, BuildReport};
use tempfile::TempDir;

/// A site folder under a temporary directory, removed when dropped.
pub struct TestSite {
    dir: TempDir,
}

impl TestSite {
    /// An empty site.
    pub fn new() -> Self {
        TestSite {
            dir: tempfile::tempdir().expect("temporary folder"),
        }
    }

    /// A site holding a copy of the repository's own content/ (the five sample posts).
    pub fn with_sample_content() -> Self {
        let site = Self::new();
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        copy_dir(&src, &site.root().join("content"));
        site
    }

    /// The site folder.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// The output folder.
    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    /// Writes a file under the site folder, creating folders as needed.
    pub fn file(self, rel: &str, contents: impl AsRef<[u8]>) -> Self {
        let path = self.root().join(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(&path, contents).expect("write");
        self
    }

    /// Writes (or overwrites) a file under the site folder after the site was set up.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let path = self.root().join(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(&path, contents).expect("write");
    }

    /// Removes a file under the site folder.
    pub fn remove(&self, rel: &str) {
        fs::remove_file(self.root().join(rel)).expect("remove");
    }

    /// Every written file with its bytes and identity (inode, mtime): a file that was
    /// rewritten gets a new inode, one hard-linked from the previous build keeps its own.
    pub fn snapshot(&self) -> std::collections::BTreeMap<String, FileState> {
        self.files()
            .into_iter()
            .map(|rel| {
                let path = self.public().join(&rel);
                let meta = fs::metadata(&path).expect("metadata");
                let state = FileState {
                    bytes: fs::read(&path).expect("read"),
                    identity: identity(&meta),
                };
                (rel, state)
            })
            .collect()
    }

    /// Default build options for this site.
    pub fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root().to_path_buf(),
            output: self.public(),
            base_url: None,
            drafts: false,
            strict: false,
        }
    }

    /// Builds into public/.
    pub fn build(&self) -> Result<BuildReport, BuildFailure> {
        build(&self.options())
    }

    /// Builds with adjusted options.
    pub fn build_with(
        &self,
        f: impl FnOnce(&mut BuildOptions),
    ) -> Result<BuildReport, BuildFailure> {
        let mut opts = self.options();
        f(&mut opts);
        build(&opts)
    }

    /// Builds and panics with every diagnostic when the build fails.
    pub fn build_ok(&self) -> BuildReport {
        match self.build() {
            Ok(r) => r,
            Err(f) => panic!(
                "build failed:\n{}",
                f.diagnostics
                    .iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
                    .join("\n")
            ),
        }
    }

    /// Reads a written file as text.
    pub fn read(&self, rel: &str) -> String {
        let path = self.public().join(rel);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    /// Reads a written file as bytes (pages built from hostile input need not be UTF-8).
    pub fn read_bytes(&self, rel: &str) -> Vec<u8> {
        let path = self.public().join(rel);
        fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    /// Whether a file was written.
    pub fn exists(&self, rel: &str) -> bool {
        self.public().join(rel).exists()
    }

    /// Every written file, relative to public/, `/`-separated, sorted.
    pub fn files(&self) -> Vec<String> {
        let mut out = Vec::new();
        list(&self.public(), &self.public(), &mut out);
        out.sort();
        out
    }
}

/// A written file as [`TestSite::snapshot`] sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileState {
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// Inode and modification time: unchanged only when the file was not rewritten.
    pub identity: (u64, std::time::SystemTime),
}

#[cfg(unix)]
fn identity(meta: &fs::Metadata) -> (u64, std::time::SystemTime) {
    use std::os::unix::fs::MetadataExt;
    (meta.ino(), meta.modified().expect("mtime"))
}

#[cfg(not(unix))]
fn identity(meta: &fs::Metadata) -> (u64, std::time::SystemTime) {
    (0, meta.modified().expect("mtime"))
}

fn list(base: &Path, dir: &Path, out: &mut Vec<String>) {
    for e in fs::read_dir(dir).expect("read_dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            list(base, &p, out);
        } else {
            let rel = p.strip_prefix(base).expect("prefix");
            out.push(
                rel.components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/"),
            );
        }
    }
}

/// Copies a folder tree.
pub fn copy_dir(src: &Path, dst: &Path) {
    fs::create_dir_all(dst).expect("mkdir");
    for e in fs::read_dir(src).expect("read_dir").flatten() {
        let p = e.path();
        let to = dst.join(e.file_name());
        if p.is_dir() {
            copy_dir(&p, &to);
        } else {
            fs::copy(&p, &to).expect("copy");
        }
    }
}

/// The values of an attribute on every element matching a CSS selector.
pub fn attrs(html: &str, selector: &str, attr: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(selector).expect("selector");
    doc.select(&sel)
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

/// The text of every element matching a CSS selector.
pub fn texts(html: &str, selector: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(selector).expect("selector");
    doc.select(&sel)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

/// The inner HTML of the first element matching a selector.
pub fn inner(html: &str, selector: &str) -> String {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(selector).expect("selector");
    doc.select(&sel)
        .next()
        .map(|e| e.inner_html())
        .unwrap_or_default()
}

/// Maps a link on a page to the file in public/ it should resolve to, for a site built
/// with `base` as base_url. Returns None for links that leave the site.
pub fn link_target(base: &str, href: &str) -> Option<String> {
    let href = href.split('#').next()?.split('?').next()?;
    if href.is_empty() || href.starts_with("//") {
        return None;
    }
    let rest = href.strip_prefix(base)?;
    let rest = percent_decode(rest);
    if rest.is_empty() || rest.ends_with('/') {
        Some(format!("{rest}index.html"))
    } else {
        Some(rest)
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
