//! Real posts from Jekyll, Hexo and Hugo sites (../shared/corpora, not in the repository):
//! every one builds, and the fields a reader sees are read right.
//! Runs with `cargo test --features corpora`; .ci/run calls it.

mod common;

use std::path::{Path, PathBuf};

use common::{attrs, copy_dir, texts, TestSite};

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

/// A site whose content/ is a copy of one corpus folder.
fn site_from(corpus: &str, posts_dir: &str) -> TestSite {
    let site = TestSite::new();
    copy_dir(
        &corpora().join(corpus).join(posts_dir),
        &site.root().join("content"),
    );
    site
}

fn count_md(dir: &Path) -> usize {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .count()
}

fn post_pages(site: &TestSite) -> Vec<String> {
    site.files()
        .into_iter()
        .filter(|f| f.starts_with("posts/") && f.ends_with("/index.html"))
        .collect()
}

fn page_titled(site: &TestSite, title: &str) -> String {
    post_pages(site)
        .into_iter()
        .find(|p| {
            texts(&site.read(p), "h1.post-title")
                .first()
                .map(String::as_str)
                == Some(title)
        })
        .unwrap_or_else(|| panic!("no page titled {title}"))
}

#[test]
fn jekyll_mzlogin_builds_with_dates_categories_and_keywords() {
    let site = site_from("jekyll-mzlogin", "_posts");
    site.build_ok();
    assert_eq!(
        post_pages(&site).len(),
        count_md(&corpora().join("jekyll-mzlogin/_posts"))
    );
    let page = page_titled(&site, "使用 VBA 将 Excel 数据导入到 Word 表格中");
    assert!(
        page.starts_with("posts/2011/05/export-data-from-excel-to-word-by-vba/"),
        "{page}"
    );
    let html = site.read(&page);
    assert_eq!(
        attrs(&html, ".post-meta time", "datetime"),
        vec!["2011-05-25T00:00:00+08:00"]
    );
    assert_eq!(texts(&html, ".post-terms .cat a"), vec!["Excel"]);
    assert_eq!(
        texts(&html, ".post-terms a.tag"),
        vec!["Excel", "VBA", "Word"]
    );
}

#[test]
fn jekyll_lijiaocn_builds() {
    let site = site_from("jekyll-lijiaocn", "_posts");
    site.build_ok();
    assert_eq!(
        post_pages(&site).len(),
        count_md(&corpora().join("jekyll-lijiaocn/_posts"))
    );
    let page = page_titled(&site, "wscat: 使用wscat连接websocket");
    let html = site.read(&page);
    assert_eq!(
        attrs(&html, ".post-meta time", "datetime"),
        vec!["2010-01-01T00:00:00+08:00"]
    );
    assert_eq!(texts(&html, ".post-terms .cat a"), vec!["技巧"]);
    assert_eq!(texts(&html, ".post-meta .author"), vec!["李佶澳"]);
}

#[test]
fn hexo_suyu0925_builds() {
    let site = site_from("hexo-suyu0925", "source/_posts");
    site.build_ok();
    assert_eq!(
        post_pages(&site).len(),
        count_md(&corpora().join("hexo-suyu0925/source/_posts"))
    );
}

#[test]
fn hexo_mushanshitiancai_builds_and_skips_the_autosave_file() {
    let site = site_from("hexo-mushanshitiancai", "source/_posts");
    site.build_ok();
    // the Emacs autosave file `#...md#` is not a post
    assert_eq!(
        post_pages(&site).len(),
        count_md(&corpora().join("hexo-mushanshitiancai/source/_posts"))
    );
}

#[test]
fn hugo_yuantops_builds() {
    let site = site_from("hugo-yuantops", "content");
    site.build_ok();
    let all = count_md(&corpora().join("hugo-yuantops/content"));
    // one post is `draft = true`
    assert_eq!(post_pages(&site).len(), all - 1);
}
