//! The CommonMark spec examples (../shared/corpora/commonmark-spec/spec.json) through
//! digest's markdown stage: every example that plain pulldown-cmark renders as the spec says
//! must render so in digest too, except where digest deliberately differs, and each such
//! difference is counted under its reason.
//! Runs with `cargo test --features corpora`; .ci/run calls it.

use std::path::{Path, PathBuf};

use digest::content::markdown;
use pulldown_cmark::{html, Options, Parser};

fn corpora() -> PathBuf {
    let dir = std::env::var_os("DIGEST_CORPORA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora"));
    assert!(
        dir.is_dir(),
        "corpora not found at {} (set DIGEST_CORPORA)",
        dir.display()
    );
    dir
}

#[derive(serde::Deserialize)]
struct Example {
    markdown: String,
    html: String,
    example: u32,
    section: String,
}

fn pulldown(md: &str, options: Options) -> String {
    let mut out = String::new();
    html::push_html(&mut out, Parser::new_ext(md, options));
    out
}

/// The same HTML written two ways compares equal: parsed and serialized again by html5ever
/// (attribute quoting, entities, `<br />`), with line breaks next to tags dropped, as the
/// spec's own test runner ignores them. Applied alike to the expected and the actual HTML.
fn normalize(html: &str) -> String {
    let frag = scraper::Html::parse_fragment(html);
    let serialized = frag.root_element().inner_html();
    let mut out = String::with_capacity(serialized.len());
    let mut chars = serialized.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\n' && (out.ends_with('>') || chars.peek() == Some(&'<')) {
            continue;
        }
        out.push(c);
    }
    out.trim().to_string()
}

fn has_cjk(s: &str) -> bool {
    s.chars().any(digest::content::text::is_cjk)
}

#[test]
fn commonmark_spec_examples_render_as_the_spec_says() {
    let path = corpora().join("commonmark-spec/spec.json");
    let examples: Vec<Example> =
        serde_json::from_slice(&std::fs::read(&path).expect("read spec.json")).expect("json");
    assert!(examples.len() > 600, "only {} examples", examples.len());
    let (mut plain_passes, mut digest_passes, mut verbatim) = (0, 0, 0);
    // Deliberate deviations, each with its reason:
    // - `extension`: digest turns on tables, strikethrough, task lists and footnotes
    //   (markdown::options), which read some CommonMark text differently (`~~x~~`,
    //   `[^1]`, lines of pipes). pulldown-cmark with the same options renders the example
    //   the way digest does, not the way the spec does.
    // - `cjk_bold`: markdown::render closes `**` pairs that CommonMark leaves as literal text
    //   (Chinese text writes `**主要：**一、` all the time); an example whose spec output
    //   keeps literal `**` may come out bold.
    // - `cjk_break`: a soft line break between two CJK characters is dropped, not kept as a
    //   space; only examples with CJK text can differ this way.
    let (mut extension, mut cjk_bold, mut cjk_break) = (Vec::new(), Vec::new(), Vec::new());
    let mut unexplained = Vec::new();
    for ex in &examples {
        let expected = normalize(&ex.html);
        if normalize(&pulldown(&ex.markdown, Options::empty())) != expected {
            continue;
        }
        plain_passes += 1;
        if pulldown(&ex.markdown, Options::empty()) == ex.html {
            verbatim += 1;
        }
        let ours = normalize(&markdown::render(&ex.markdown, false).html);
        if ours == expected {
            digest_passes += 1;
            continue;
        }
        let with_extensions = normalize(&pulldown(&ex.markdown, markdown::options()));
        if with_extensions != expected {
            extension.push(ex.example);
        } else if with_extensions.contains("**") || with_extensions.contains("__") {
            cjk_bold.push(ex.example);
        } else if has_cjk(&ex.markdown) {
            cjk_break.push(ex.example);
        } else {
            unexplained.push(format!(
                "example {} ({}):\n{:?}\nexpected {expected:?}\nfound    {ours:?}",
                ex.example, ex.section, ex.markdown
            ));
        }
    }
    println!(
        "commonmark spec: {} examples; pulldown-cmark passes {plain_passes} ({verbatim} byte \
         for byte); digest passes \
         {digest_passes} of those; deliberate deviations: {} extension {:?}, {} cjk_bold {:?}, \
         {} cjk_break {:?}",
        examples.len(),
        extension.len(),
        extension,
        cjk_bold.len(),
        cjk_bold,
        cjk_break.len(),
        cjk_break
    );
    assert!(
        unexplained.is_empty(),
        "{} examples differ without a reason:\n{}",
        unexplained.len(),
        unexplained.join("\n\n")
    );
    assert_eq!(
        digest_passes + extension.len() + cjk_bold.len() + cjk_break.len(),
        plain_passes
    );
    // the normalizer must not hide real differences: most examples match byte for byte
    assert!(
        verbatim * 10 >= plain_passes * 9,
        "{verbatim} of {plain_passes}"
    );
    // the deviations stay few: a change that breaks CommonMark wholesale fails here
    assert!(
        digest_passes * 100 >= plain_passes * 97,
        "{digest_passes} of {plain_passes}"
    );
}
