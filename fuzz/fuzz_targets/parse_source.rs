//! Bytes -> posts: the entry point every file under content/ goes through.
//! The first byte picks the file extension, so every format sniffing path is reached.
#![no_main]

use std::path::PathBuf;

use digest::config::Config;
use digest::content::{parse_source, SourceFile};
use libfuzzer_sys::fuzz_target;

const NAMES: &[&str] = &[
    "a.md",
    "a.txt",
    "a.html",
    "a.tsv",
    "2022-04-28-a.md",
    "金融/财联社/a.markdown",
    "_posts/-1.md",
    "a.htm",
];

fuzz_target!(|data: &[u8]| {
    let (name, bytes) = match data.split_first() {
        Some((first, rest)) => (NAMES[usize::from(*first) % NAMES.len()], rest),
        None => ("a.md", data),
    };
    let src = SourceFile {
        path: PathBuf::from(name),
        bytes: bytes.to_vec(),
    };
    let parsed = parse_source(&src, &Config::default());
    for post in &parsed.posts {
        // every post has a usable slug component and bounded output
        assert!(!post.slug.contains('/'), "slug {:?}", post.slug);
        assert!(post.body_html.len() <= 64 * bytes.len() + 4096);
    }
});
