//! Whole builds: problems reported together and sorted, errors that leave public/ as it
//! was, --strict, and what the built pages show of hierarchies and duplicates.

use std::collections::BTreeMap;
use std::fs;

use super::common::{attrs, texts, TestSite};

/// Every file under public/ with its bytes.
fn snapshot(site: &TestSite) -> BTreeMap<String, Vec<u8>> {
    site.files()
        .into_iter()
        .map(|f| {
            let bytes = fs::read(site.public().join(&f)).expect("read");
            (f, bytes)
        })
        .collect()
}

const GOOD: &str = "---\ntitle: 好文章\ndate: 2022-04-28\n---\n正文。\n";

#[test]
fn an_error_leaves_the_published_site_byte_identical() {
    let site = TestSite::new().file("content/good.md", GOOD);
    site.build_ok();
    let before = snapshot(&site);
    assert!(before.contains_key("index.html"));
    let site = site.file(
        "content/broken.md",
        "---\ntitle: 坏文章\ndate: 2022-13-45\n---\n正文。\n",
    );
    let failure = site.build().expect_err("the build must fail");
    let errors: Vec<_> = failure
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    let e = errors[0];
    assert_eq!(e.file.to_str(), Some("content/broken.md"));
    assert_eq!((e.line, e.column), (Some(3), Some(7)));
    assert!(e.to_string().contains("found '2022-13-45'"));
    assert_eq!(
        snapshot(&site),
        before,
        "public/ changed after a failed build"
    );
}

#[test]
fn all_problems_are_reported_together_sorted_by_file() {
    let site = TestSite::new()
        .file("content/z.md", "---\ndate: 2022-02-30\n---\nx\n")
        .file("content/a.md", "---\ntitle: [oops\n---\nx\n")
        .file("content/m/feed.tsv", "甲\t乙\t丙\n丁\t戊\n")
        .file("content/undated.md", "---\ntitle: 无日期\n---\n正文。\n")
        .file("content/ok.md", GOOD);
    let failure = site.build().expect_err("the build must fail");
    let shown: Vec<(String, Option<usize>, bool)> = failure
        .diagnostics
        .iter()
        .map(|d| (d.file.display().to_string(), d.line, d.is_error()))
        .collect();
    assert_eq!(
        shown,
        vec![
            ("content/a.md".to_string(), Some(3), true),
            ("content/m/feed.tsv".to_string(), Some(1), false),
            ("content/m/feed.tsv".to_string(), Some(2), true),
            ("content/undated.md".to_string(), None, false),
            ("content/z.md".to_string(), Some(2), true),
        ],
        // (a wrong date is not also reported as a missing one)
        "{:#?}",
        failure.diagnostics
    );
    assert!(
        !site.public().exists(),
        "nothing is written by a failed build"
    );
}

#[test]
fn every_message_shows_the_offending_line_and_what_was_expected() {
    let site = TestSite::new().file(
        "content/a.md",
        "---\ntitle: 标题\ndate: 2022年13月1日\n---\n正文。\n",
    );
    let failure = site.build().expect_err("must fail");
    assert_eq!(failure.diagnostics.len(), 1, "{:?}", failure.diagnostics);
    let shown = failure.diagnostics[0].to_string();
    assert_eq!(
        shown,
        "error: content/a.md:3:7: date: expected a date such as 2022-04-28 or 2022-04-28 13:44:07 +0800, found '2022年13月1日'\n  |\n3 | date: 2022年13月1日\n  |       ^"
    );
}

#[test]
fn warnings_do_not_fail_a_build_unless_strict() {
    let site = TestSite::new()
        .file("content/a.md", "---\ntitle: 无日期\n---\n正文。\n")
        .file("content/b.md", GOOD);
    let report = site.build_ok();
    assert_eq!(report.posts, 2);
    assert!(report
        .diagnostics
        .iter()
        .any(|d| d.message.starts_with("no date found")));
    let before = snapshot(&site);
    let failure = site
        .build_with(|o| o.strict = true)
        .expect_err("--strict fails on warnings");
    assert!(failure.diagnostics.iter().all(|d| !d.is_error()));
    assert_eq!(snapshot(&site), before);
}

#[test]
fn a_file_that_is_not_text_is_skipped_with_a_warning() {
    let site = TestSite::new()
        .file("content/a.txt", b"\x00\x01\x02\x03binary\x00".as_slice())
        .file("content/b.md", GOOD);
    let report = site.build_ok();
    assert_eq!(report.posts, 1);
    assert!(report.diagnostics[0].message.starts_with("not a text file"));
}

#[test]
fn hexo_nested_categories_are_shown_and_linked_at_both_levels() {
    let site = TestSite::new().file(
        "content/a.md",
        "---\ntitle: 商汤暂缓上市\ndate: 2021-12-13 10:03:11\ncategories: [[金融, 财联社]]\n---\n正文。\n",
    );
    site.build_ok();
    let html = site.read("posts/2021/12/shangtangzanhuanshangshi/index.html");
    assert_eq!(texts(&html, ".post-terms .cat a"), vec!["金融", "财联社"]);
    // the theme draws the separator's spacing with CSS
    let cat: Vec<String> = texts(&html, ".post-terms .cat")
        .iter()
        .map(|c| c.split_whitespace().collect())
        .collect();
    assert_eq!(cat, vec!["金融›财联社"]);
    let links = attrs(&html, ".post-terms .cat a", "href");
    assert_eq!(
        links,
        vec!["/categories/jinrong/", "/categories/jinrong/cailianshe/"]
    );
    for page in [
        "categories/jinrong/index.html",
        "categories/jinrong/cailianshe/index.html",
    ] {
        assert!(site.read(page).contains("商汤暂缓上市"), "{page}");
    }
}

#[test]
fn duplicate_posts_and_slug_clashes_are_warnings_naming_both_files() {
    let story = "阿里云宣布在海外新建数据中心，进一步扩大其全球基础设施布局，服务当地企业客户的数字化转型需求。".repeat(3);
    let site = TestSite::new()
        .file(
            "content/a.md",
            format!("---\ntitle: 阿里云出海\ndate: 2022-04-28\n---\n{story}\n"),
        )
        .file(
            "content/b.md",
            format!("---\ntitle: 阿里云再次出海\ndate: 2022-04-28\n---\n{story}\n"),
        )
        .file(
            "content/c.md",
            "---\ntitle: 阿里云出海\ndate: 2022-04-29\n---\n另一篇。\n",
        );
    let report = site.build_ok();
    let messages: Vec<String> = report.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(
        messages.iter().any(|m| m.starts_with(
            "warning: content/b.md: duplicate post: its text is nearly the same as content/a.md"
        )),
        "{messages:#?}"
    );
    assert!(
        messages.iter().any(|m| m.starts_with("warning: content/c.md: duplicate post: the title '阿里云出海' is also the title of content/a.md")),
        "{messages:#?}"
    );
    let site = TestSite::new()
        .file(
            "content/a.md",
            "---\ntitle: 同名\ndate: 2022-04-28\nslug: same\n---\n甲。\n",
        )
        .file(
            "content/b.md",
            "---\ntitle: 另名\ndate: 2022-04-28\nslug: same\n---\n乙。\n",
        );
    let report = site.build_ok();
    assert!(report.diagnostics.iter().any(|d| d
        .message
        .contains("slug 'same' is already used by content/a.md")));
    assert!(site.exists("posts/2022/04/same-2/index.html"));
}
