//! The default theme's navigation: pagination windows, the tag cloud's sizes, the nested
//! category list, breadcrumbs, and what a site built for a bare path leaves out.

mod common;

use common::{attrs, texts, TestSite};

fn many_posts(n: usize, paginate: usize) -> TestSite {
    let mut site = TestSite::new().file("digest.yaml", format!("paginate: {paginate}\n"));
    for i in 0..n {
        site = site.file(
            &format!("content/p{i:03}.md"),
            format!(
                "---\ntitle: 文章{i}\ndate: 2022-01-01 00:{:02}:{:02}\n---\n正文。\n",
                i / 60,
                i % 60
            ),
        );
    }
    site
}

/// The numbers a pagination bar shows, `…` for a gap, the current page in brackets.
fn page_bar(html: &str) -> String {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(".pagination li").unwrap();
    doc.select(&sel)
        .filter_map(|li| {
            let text = li.text().collect::<String>().trim().to_string();
            let a = li.first_child().and_then(scraper::ElementRef::wrap);
            let current = a.is_some_and(|a| a.value().attr("aria-current") == Some("page"));
            match text.as_str() {
                "上一页" | "下一页" => None,
                _ if current => Some(format!("[{text}]")),
                _ => Some(text),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

// Regression: the bar listed every page, 500 links on a 500-page listing.
#[test]
fn pagination_shows_a_window_with_first_and_last() {
    let site = many_posts(40, 2);
    site.build_ok();
    assert_eq!(page_bar(&site.read("index.html")), "[1] 2 3 … 20");
    assert_eq!(
        page_bar(&site.read("page/5/index.html")),
        "1 2 3 4 [5] 6 7 … 20"
    );
    assert_eq!(
        page_bar(&site.read("page/10/index.html")),
        "1 … 8 9 [10] 11 12 … 20"
    );
    assert_eq!(page_bar(&site.read("page/20/index.html")), "1 … 18 19 [20]");
    let home = site.read("index.html");
    assert_eq!(
        attrs(&home, ".pagination a[rel=next]", "href"),
        vec!["/page/2/"]
    );
    assert_eq!(
        attrs(&home, ".pagination a[aria-label='第 20 页']", "href"),
        vec!["/page/20/"]
    );
}

#[test]
fn tag_cloud_sizes_come_from_classes_not_inline_styles() {
    let mut site = TestSite::new();
    // 阿里云 on 20 posts, 出海 on 5 (a quarter), 芯片 on 1 (less than a sixteenth)
    for i in 0..20 {
        let tags = match i {
            0 => "[阿里云, 出海, 芯片]",
            1..=4 => "[阿里云, 出海]",
            _ => "[阿里云]",
        };
        site = site.file(
            &format!("content/p{i:02}.md"),
            format!(
                "---\ntitle: 文章{i}\ndate: 2022-01-{:02}\ntags: {tags}\n---\n正文。\n",
                i + 1
            ),
        );
    }
    site.build_ok();
    let tags = site.read("tags/index.html");
    assert!(!tags.contains("style="), "inline style in the tag cloud");
    assert_eq!(texts(&tags, ".tag-cloud a"), vec!["阿里云", "出海", "芯片"]);
    assert_eq!(
        attrs(&tags, ".tag-cloud a", "class"),
        vec!["s5", "s4", "s1"]
    );
}

#[test]
fn category_list_nests_children_under_their_parent() {
    // `a-b` sorts between `a` and `a/c` by slug path; the list must still nest `c` under `a`
    let site = TestSite::new()
        .file(
            "content/1.md",
            "---\ntitle: 一\ndate: 2022-01-01\ncategories: [[a, c]]\n---\nx\n",
        )
        .file(
            "content/2.md",
            "---\ntitle: 二\ndate: 2022-01-02\ncategories: [a-b]\n---\nx\n",
        )
        .file(
            "content/3.md",
            "---\ntitle: 三\ndate: 2022-01-03\ncategories: [[金融, 财联社]]\n---\nx\n",
        );
    site.build_ok();
    let cats = site.read("categories/index.html");
    assert_eq!(texts(&cats, ".term-tree > li > ul a"), vec!["c", "财联社"]);
    assert_eq!(
        texts(&cats, ".term-tree > li > a"),
        vec!["a-b", "a", "金融"]
    );
    // breadcrumbs on the child's page lead up through the parent
    let child = site.read("categories/a/c/index.html");
    assert_eq!(texts(&child, ".breadcrumbs a"), vec!["首页", "分类", "a"]);
    let post = site.read("posts/2022/01/san/index.html");
    assert_eq!(
        texts(&post, ".breadcrumbs a"),
        vec!["首页", "金融", "财联社"]
    );
}

#[test]
fn a_site_built_for_a_bare_path_has_no_relative_canonical_or_sitemap_line() {
    // canonical links and robots.txt's Sitemap line must be absolute URLs
    let site = TestSite::new().file("content/a.md", "---\ntitle: 一\ndate: 2022-01-01\n---\nx\n");
    site.build_with(|o| o.base_url = Some("/digest/".into()))
        .unwrap();
    let home = site.read("index.html");
    assert!(attrs(&home, "link[rel=canonical]", "href").is_empty());
    assert!(attrs(&home, "meta[property='og:url']", "content").is_empty());
    assert!(!site.read("robots.txt").contains("Sitemap"));
    assert_eq!(
        attrs(&home, "link[rel=icon]", "href"),
        vec!["/digest/favicon.svg"]
    );
    assert!(site.exists("favicon.svg"));
}

#[test]
fn pages_have_a_skip_link_landmarks_and_chinese_dates() {
    let site = TestSite::new().file(
        "content/a.md",
        "---\ntitle: 一\ndate: 2022-04-28 10:00\n---\n正文。\n",
    );
    site.build_ok();
    let home = site.read("index.html");
    assert_eq!(attrs(&home, "a.skip-link", "href"), vec!["#main"]);
    assert_eq!(attrs(&home, "main", "id"), vec!["main"]);
    assert_eq!(
        texts(&home, "nav.site-nav a[aria-current=page]"),
        vec!["首页"]
    );
    for sel in ["header", "nav", "main", "footer"] {
        assert_eq!(texts(&home, sel).len(), 1, "{sel}");
    }
    assert_eq!(texts(&home, ".post-meta time"), vec!["2022年4月28日"]);
}
