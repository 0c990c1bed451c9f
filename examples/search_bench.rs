//! Index size and bytes per query of a built site's search index, for
//! `scripts/bench-search.sh`.
//!
//! ```text
//! cargo run --release --example search_bench -- PUBLIC_DIR [--json FILE] QUERY...
//! ```
//!
//! Reads every file under `PUBLIC_DIR/search/`, prints the index size (bytes and files, by
//! kind), then for each query what a browser fetches to show its first page of results
//! ([`digest::search::query_cost`]: `meta.json`, the term shards, the doc files of the first
//! ten results, uncompressed) and the URLs of the first ten results ([`digest::search::search`],
//! the Rust mirror of search.js; the JSON also has the first hundred). With `--json FILE` the same figures, queries included, are
//! also written to FILE as JSON, which `tests/e2e/search-bench.mjs` reads.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use digest::search::{query_cost, search, RESULTS_PER_PAGE};
use serde_json::json;

/// Every file under `public/search/`, as `(path relative to public, bytes)`, sorted by path.
fn load(public: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    let dir = public.join("search");
    if !dir.is_dir() {
        bail!(
            "{} is not a folder: build the site with search on",
            dir.display()
        );
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(&dir) {
        let entry = entry?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(public)?;
        let rel: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let bytes = std::fs::read(entry.path())
            .with_context(|| format!("reading {}", entry.path().display()))?;
        files.push((rel.join("/"), bytes));
    }
    files.sort();
    Ok(files)
}

/// Bytes and count of the files whose path starts with `prefix`.
fn sizes(files: &[(String, Vec<u8>)], prefix: &str) -> (usize, usize) {
    files
        .iter()
        .filter(|(p, _)| p.starts_with(prefix))
        .fold((0, 0), |(b, n), (_, bytes)| (b + bytes.len(), n + 1))
}

/// `s` padded with spaces to `width` terminal columns, CJK characters counting two.
fn pad(s: &str, width: usize) -> String {
    let cols: usize = s
        .chars()
        .map(|c| if u32::from(c) >= 0x1100 { 2 } else { 1 })
        .sum();
    format!("{s}{}", " ".repeat(width.saturating_sub(cols)))
}

fn run() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let mut public: Option<PathBuf> = None;
    let mut json_out: Option<PathBuf> = None;
    let mut queries: Vec<String> = Vec::new();
    while let Some(a) = args.next() {
        if a == "--json" {
            json_out = Some(args.next().context("--json needs a file")?.into());
        } else if public.is_none() {
            public = Some(a.into());
        } else {
            queries.push(a);
        }
    }
    let public = public.context("usage: search_bench PUBLIC_DIR [--json FILE] QUERY...")?;

    let files = load(&public)?;
    let (total, count) = sizes(&files, "search/");
    let (shard_bytes, shards) = sizes(&files, "search/t/");
    let (doc_bytes, docs) = sizes(&files, "search/d/");
    let (meta_bytes, _) = sizes(&files, "search/meta.json");
    println!(
        "digest index: {total} bytes in {count} files ({:.1} MB)",
        total as f64 / 1e6
    );
    println!("  meta.json {meta_bytes} B; {shards} term shards {shard_bytes} B; {docs} doc files {doc_bytes} B");
    println!();
    println!(
        "{} {:>6} {:>7} {:>9} {:>6} {:>9} {:>10}",
        pad("query", 18),
        "hits",
        "shards",
        "shard B",
        "docs",
        "doc B",
        "total B"
    );

    let mut rows = Vec::new();
    for q in &queries {
        let hits = search(&files, q).with_context(|| format!("query {q}"))?;
        let cost = query_cost(&files, q).with_context(|| format!("query {q}"))?;
        println!(
            "{} {:>6} {:>7} {:>9} {:>6} {:>9} {:>10}",
            pad(q, 18),
            cost.hits,
            cost.shard_files,
            cost.shard_bytes,
            cost.doc_files,
            cost.doc_bytes,
            cost.total_bytes()
        );
        let top: Vec<&str> = hits
            .iter()
            .take(RESULTS_PER_PAGE)
            .map(|h| h.url.as_str())
            .collect();
        let top100: Vec<&str> = hits.iter().take(100).map(|h| h.url.as_str()).collect();
        rows.push(json!({
            "query": q,
            "hits": cost.hits,
            "meta_bytes": cost.meta_bytes,
            "shard_files": cost.shard_files,
            "shard_bytes": cost.shard_bytes,
            "doc_files": cost.doc_files,
            "doc_bytes": cost.doc_bytes,
            "total_bytes": cost.total_bytes(),
            "top": top,
            "top100": top100,
        }));
    }
    if let Some(path) = json_out {
        let doc = json!({
            "index": {
                "bytes": total,
                "files": count,
                "meta_bytes": meta_bytes,
                "shards": shards,
                "shard_bytes": shard_bytes,
                "docs": docs,
                "doc_bytes": doc_bytes,
            },
            "queries": rows,
        });
        std::fs::write(&path, serde_json::to_vec_pretty(&doc)?)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
