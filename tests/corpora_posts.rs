//! Real posts from Jekyll, Hexo and Hugo sites, and GBK/Big5 text (../shared/corpora, not in
//! the repository):
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

/// Every post page's body text, one string per page.
fn body_texts(site: &TestSite) -> Vec<String> {
    post_pages(site)
        .iter()
        .map(|p| texts(&site.read(p), ".post-body").join("\n"))
        .collect()
}

#[test]
fn jekyll_finews_builds_including_its_broken_post() {
    let site = site_from("jekyll-finews", "_posts");
    let report = site.build_ok();
    assert_eq!(post_pages(&site).len(), 2);
    let page = page_titled(&site, "离岸人民币兑美元升至2018年以来最高水平");
    assert!(page.starts_with("posts/2021/12/"), "{page}");
    let html = site.read(&page);
    // `date: 2021-12-08 10:46:18` has no offset: the site timezone applies
    assert_eq!(
        attrs(&html, ".post-meta time", "datetime"),
        vec!["2021-12-08T10:46:18+08:00"]
    );
    assert_eq!(texts(&html, ".post-terms .cat a"), vec!["emnews"]);
    assert_eq!(texts(&html, ".post-terms a.tag"), vec!["东财滚动新闻"]);
    // the broken post: empty title, `date:  +0800`, `<>` autolink, no trailing newline
    let broken = "content/-202205262391921712.md";
    let warnings: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.file.to_str() == Some(broken))
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!((warnings[0].line, warnings[0].column), (Some(4), Some(8)));
    assert!(warnings[0].message.contains("'+0800' holds no date"));
    let page = page_titled(
        &site,
        "据霍尼韦尔官网消息，5月24日，霍尼韦尔宣布为蔚来旗下ET7新能源汽车提供HFO-1234yf(四氟丙烯)制冷剂",
    );
    // undated posts live under posts/ without a year and month
    assert_eq!(page.matches('/').count(), 2, "{page}");
    let html = site.read(&page);
    assert!(attrs(&html, ".post-meta time", "datetime").is_empty());
    assert_eq!(texts(&html, ".post-terms .cat a"), vec!["emnews"]);
    let body = texts(&html, ".post-body").join("");
    assert!(body.contains("国内首款使用超低GWP(全球变暖潜值)制冷剂的新能源汽车来了"));
    // the empty autolink `<>` stays text; it makes no link to nowhere
    let hrefs = attrs(&html, ".post-body a", "href");
    assert!(hrefs.iter().all(|h| !h.is_empty()), "{hrefs:?}");
}

#[test]
fn hexo_rsshub_page_builds_with_quotes_in_name_and_title() {
    let site = site_from("hexo-rsshub-page", "source/_posts");
    site.build_ok();
    assert_eq!(post_pages(&site).len(), 1);
    let page = page_titled(
        &site,
        "\"AI第一股\"商汤集团暂缓上市 17家券商买单31亿退款利息",
    );
    assert!(page.starts_with("posts/2021/12/"), "{page}");
    let html = site.read(&page);
    assert_eq!(
        attrs(&html, ".post-meta time", "datetime"),
        vec!["2021-12-13T10:03:11Z"]
    );
    assert_eq!(
        texts(&html, ".post-terms .cat a"),
        vec!["金融", "财联社", "深度"]
    );
    assert_eq!(texts(&html, ".post-meta .author"), vec!["财联社"]);
    // the cover is the post's image (the theme shows it once: here the body carries it)
    assert_eq!(
        attrs(&html, "meta[property='og:image']", "content"),
        vec!["https://img.cls.cn/images/20211213/4qrUz9wRf1.jpeg"]
    );
    let body = texts(&html, ".post-body").join("");
    assert!(body.contains("商汤暂缓上市已成确定性消息"));
}

#[test]
fn gbk_and_big5_files_build_as_posts_decoded() {
    let site = TestSite::new();
    let dir = corpora().join("gbk-chinese-text");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("chardet-tests-GB2312"))
        .expect("read_dir")
        .flatten()
        .map(|e| e.path())
        .collect();
    files.push(dir.join("html5lib-tests-test_big5.txt"));
    for f in &files {
        let name = format!(
            "{}.txt",
            f.file_name().and_then(|n| n.to_str()).unwrap_or("x")
        );
        let to = site.root().join("content").join(name);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(f, to).expect("copy");
    }
    site.build_ok();
    assert_eq!(post_pages(&site).len(), files.len());
    let bodies = body_texts(&site);
    for body in &bodies {
        assert!(
            !body.contains('\u{FFFD}'),
            "replacement character in {body:.200}"
        );
        assert!(
            body.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)),
            "no Chinese text in {body:.200}"
        );
    }
    for expected in [
        // GB2312 RSS feeds and a GB2312 web page
        "推出了开放图书项目",
        "标准在中国的应用",
        "冬季的日子滑雪是最好的运动了",
        "网费天天最低",
        // Big5, traditional characters
        "玄之又玄，眾妙之門",
    ] {
        assert!(
            bodies.iter().any(|b| b.contains(expected)),
            "'{expected}' not found in any page"
        );
    }
    let page = page_titled(&site, "老子《道德經》 第一~四十章");
    assert!(site.read(&page).contains("道可道，非常道。"));
}
