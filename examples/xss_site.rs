//! Writes and builds a digest site that carries every XSS vector of
//! ../shared/corpora/xss-vectors in every field of a post, for the browser test
//! (tests/e2e/xss.mjs), which opens each of its pages in headless Chromium.
//!
//! ```sh
//! cargo run --example xss_site -- OUT [BASE_URL]
//! node tests/e2e/xss.mjs OUT/public BASE_PATH
//! ```
//!
//! OUT must not exist or be empty; the site's sources go to OUT/content and the built site
//! to OUT/public. BASE_URL defaults to `/xss/` (the path the browser test serves it under).
//! The corpora are found at `$DIGEST_CORPORA`, else `../shared/corpora` beside the crate.

#[path = "../tests/xss/site.rs"]
mod xss_site;

use std::path::PathBuf;
use std::process::ExitCode;

use digest::build::{build, BuildOptions};

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let Some(out) = args.next().map(PathBuf::from) else {
        eprintln!("usage: xss_site OUT [BASE_URL]");
        return ExitCode::FAILURE;
    };
    let base_url = args
        .next()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "/xss/".into());
    if out.exists() && std::fs::read_dir(&out).map_or(true, |mut d| d.next().is_some()) {
        eprintln!("error: {} exists and is not empty", out.display());
        return ExitCode::FAILURE;
    }
    let corpora = xss_site::corpora_dir();
    let vectors = match xss_site::load_vectors(&corpora) {
        Ok(v) => v,
        Err(e) => {
            eprintln!(
                "error: cannot read the XSS vectors in {}: {e}",
                corpora.display()
            );
            return ExitCode::FAILURE;
        }
    };
    if let Err(e) = xss_site::write_content(&out, &vectors) {
        eprintln!("error: cannot write {}: {e}", out.display());
        return ExitCode::FAILURE;
    }
    let opts = BuildOptions {
        root: out.clone(),
        output: out.join("public"),
        base_url: Some(base_url),
        drafts: false,
        strict: false,
    };
    match build(&opts) {
        Ok(report) => {
            println!(
                "xss site: {} vectors x {} fields, {} posts, {} pages in {}",
                vectors.len(),
                xss_site::FIELDS.len(),
                report.posts,
                report.pages,
                opts.output.display()
            );
            ExitCode::SUCCESS
        }
        Err(failure) => {
            for d in &failure.diagnostics {
                eprintln!("{d}");
            }
            ExitCode::FAILURE
        }
    }
}
