//! Every shape of post an editor or a feed can send, as small inline fixtures: the fields
//! digest reads from each, and the exact place of every error it reports.
//!
//! Most tests go through `digest::content::parse_source` (the entry point from bytes to
//! posts); those about a whole build (links between pages, errors that keep public/ as it
//! was, --strict) go through `digest::build::build` with a `TestSite`.

#[path = "../common/mod.rs"]
mod common;

mod build_errors;
mod dates;
mod encodings;
mod front_matter;
mod markdown;
mod plain_text;
mod tsv;

use std::path::PathBuf;

use digest::config::Config;
use digest::content::{parse_source, Parsed, Post, SourceFile};
use digest::diagnostics::Diagnostic;

/// Parses one file's bytes, as `content/<path>`.
pub fn parse_bytes(path: &str, bytes: &[u8]) -> Parsed {
    parse_source(
        &SourceFile {
            path: PathBuf::from(path),
            bytes: bytes.to_vec(),
        },
        &Config::default(),
    )
}

/// Parses one file's text.
pub fn parse(path: &str, text: &str) -> Parsed {
    parse_bytes(path, text.as_bytes())
}

/// The one post of a file that must parse without errors.
pub fn post(path: &str, text: &str) -> Post {
    let mut p = parse(path, text);
    let errors: Vec<&Diagnostic> = p.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "unexpected errors: {errors:?}");
    assert_eq!(p.posts.len(), 1, "expected one post");
    p.posts.remove(0)
}

/// The only error of a file.
pub fn the_error(path: &str, text: &str) -> Diagnostic {
    let p = parse(path, text);
    let errors: Vec<Diagnostic> = p.diagnostics.into_iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "expected one error: {errors:?}");
    errors.into_iter().next().expect("one error")
}

/// A post's date as RFC 3339, or "none".
pub fn date(p: &Post) -> String {
    p.date.map_or("none".into(), |d| d.to_rfc3339())
}

/// `[["a", "b"], ["c"]]` from string slices.
pub fn paths(p: &[&[&str]]) -> Vec<Vec<String>> {
    p.iter()
        .map(|path| path.iter().map(|s| s.to_string()).collect())
        .collect()
}

/// Strings from slices.
pub fn strings(s: &[&str]) -> Vec<String> {
    s.iter().map(|s| s.to_string()).collect()
}
