//! The five sample posts of content/ built into a site, checked from the written files.

mod common;

use std::collections::{BTreeSet, VecDeque};

use common::{attrs, inner, link_target, texts, TestSite};

/// Finds the post page whose <h1> is `title`, returning its path under public/.
fn post_page(site: &TestSite, title: &str) -> String {
    site.files()
        .into_iter()
        .filter(|f| f.starts_with("posts/") && f.ends_with("index.html"))
        .find(|f| {
            texts(&site.read(f), "h1.post-title")
                .first()
                .map(String::as_str)
                == Some(title)
        })
        .unwrap_or_else(|| panic!("no post page titled {title}"))
}

fn body(site: &TestSite, page: &str) -> String {
    inner(&site.read(page), ".post-body")
}

const T000: &str = "首发| 青云QingCloud宣布完成10.8亿元D轮融资，拆VIE谋求国内上市";
const T001: &str = "青云科技2021年报：深耕技术研发 服务数字中国";
const T003: &str = "阿里云们的十字路口：自研与出海并进  不再牺牲利润换营收";
const T004: &str = "云计算为中国式创新打开了一扇门";

#[test]
fn tsv_record_000_title_summary_and_paragraphs() {
    let site = TestSite::with_sample_content();
    site.build_ok();
    let page = post_page(&site, T000);
    let html = site.read(&page);
    // summary is column 2
    let desc = attrs(&html, "meta[name=description]", "content");
    assert_eq!(
        desc,
        vec!["此轮融资将用于加大ICT全产业链关键技术的研发投入、推进全球骨干网络建设、扩大行业与区域市场覆盖，以及增加企业服务生态建设投入，联合更多合作伙伴繁荣企业应用的开发与交付市场。"]
    );
    // paragraphs split at the full-width indents
    let paras = texts(&body(&site, &page), "p");
    assert!(paras.len() >= 8, "only {} paragraphs", paras.len());
    assert!(
        paras[0].starts_with("投资界（微信ID：pedaily2012）6月12日消息"),
        "{}",
        paras[0]
    );
    assert!(
        paras[1].starts_with("青云QingCloud市场副总裁刘靓表示"),
        "{}",
        paras[1]
    );
    assert!(paras.iter().all(|p| !p.contains('\u{3000}')));
    // the home page lists it with its summary
    let index = site.read("index.html");
    assert!(index.contains("此轮融资将用于加大ICT全产业链关键技术的研发投入"));
}

#[test]
fn jekyll_html_001_date_taxonomies_and_clean_body() {
    let site = TestSite::with_sample_content();
    site.build_ok();
    let page = post_page(&site, T001);
    assert!(page.starts_with("posts/2022/04/"), "{page}");
    let html = site.read(&page);
    assert_eq!(
        attrs(&html, ".post-meta time", "datetime"),
        vec!["2022-04-28T13:44:07+08:00"]
    );
    let cats = texts(&html, ".post-terms .cat a");
    assert_eq!(cats, vec!["zhongguozhengquanbao·zhongzhengwang"]);
    let tags = texts(&html, ".post-terms a.tag");
    assert_eq!(tags, vec!["中国证券报·中证网新闻"]);
    let b = body(&site, &page);
    assert!(
        !b.contains("display"),
        "hidden paragraph left a trace: {}",
        &b[..200]
    );
    assert!(!b.contains("EM_StockImg"), "HTML comment kept");
    assert!(
        !b.trim_start().starts_with("<p><br></p>"),
        "hidden paragraph kept: {}",
        &b[..100]
    );
    let imgs = attrs(&b, "img", "src");
    assert!(imgs
        .iter()
        .any(|s| s.starts_with("https://webquoteklinepic.eastmoney.com/GetPic.aspx")));
    let links = attrs(&b, "a", "href");
    assert!(
        links.contains(
            &"http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW202204282363779738"
                .to_string()
        ),
        "{links:?}"
    );
    let texts_of_links = texts(&b, "a");
    assert!(texts_of_links.contains(&"返回中国证券报·中证网新闻".to_string()));
    assert!(texts_of_links.contains(&"返回首页".to_string()));
    assert!(!b.contains("[返回首页]"), "markdown link left unrendered");
}

#[test]
fn markdown_report_002_lists_bold_and_autolinks() {
    let site = TestSite::with_sample_content();
    site.build_ok();
    let page = site
        .files()
        .into_iter()
        .find(|f| f.starts_with("posts/") && site.read(f).contains("云计算发展研究"))
        .expect("002 page");
    let b = body(&site, &page);
    let items = texts(&b, "li");
    assert!(
        items
            .iter()
            .any(|i| i.starts_with("云动态：5月云计算政策动态及行业动态汇总")),
        "{items:?}"
    );
    assert!(items.iter().any(|i| i == "内蒙古自治区"));
    assert!(texts(&b, "strong")
        .iter()
        .any(|s| s.contains("主要研究方向")));
    assert!(attrs(&b, "a", "href").contains(&"http://ccrc.shufe.edu.cn/".to_string()));
    // the PDF export broke 内蒙 / 古的能源 across a blank line
    assert!(b.contains("内蒙古的能源与气候条件"));
    // 2017年5月 in the first lines is its date
    let html = site.read(&page);
    assert_eq!(
        attrs(&html, ".post-meta time", "datetime"),
        vec!["2017-05-01T00:00:00+08:00"]
    );
}

#[test]
fn hexo_003_categories_date_author_cover() {
    let site = TestSite::with_sample_content();
    site.build_ok();
    let page = post_page(&site, T003);
    let html = site.read(&page);
    assert_eq!(
        attrs(&html, ".post-meta time", "datetime"),
        vec!["2022-06-19T04:35:46Z"]
    );
    assert_eq!(
        texts(&html, ".post-terms .cat a"),
        vec!["金融", "财联社", "深度"]
    );
    assert_eq!(texts(&html, ".post-meta .author"), vec!["财联社"]);
    // the cover (headimg) is the post's image for link previews; the page shows it once, in
    // the body where the article has it, not again above the text
    let cover = "https://img.cls.cn/images/20220619/LD0UNiEi81.PNG";
    assert_eq!(
        attrs(&html, "meta[property='og:image']", "content"),
        vec![cover]
    );
    assert!(attrs(&html, ".post-body img", "src").contains(&cover.to_string()));
    assert!(attrs(&html, ".cover img", "src").is_empty());
    // hotlink-protected CDN images keep working
    for img in scraper::Html::parse_fragment(&body(&site, &page))
        .select(&scraper::Selector::parse("img").unwrap())
    {
        assert_eq!(img.value().attr("referrerpolicy"), Some("no-referrer"));
    }
}

#[test]
fn plain_text_004_title_from_first_sentence_and_no_junk() {
    let site = TestSite::with_sample_content();
    site.build_ok();
    let page = post_page(&site, T004);
    let b = body(&site, &page);
    assert!(!b.contains("全部0条评论"));
    assert!(!b.contains("快来发表一下你的评论吧"));
    assert!(texts(&b, "p").len() > 10);
}

#[test]
fn term_pages_list_exactly_their_posts() {
    let site = TestSite::with_sample_content();
    site.build_ok();
    let titles_on = |path: &str| -> BTreeSet<String> {
        texts(&site.read(path), ".post-card-title a")
            .into_iter()
            .collect()
    };
    let cats = site.read("categories/index.html");
    let cat_links = attrs(&cats, ".term-tree a", "href");
    let cat_names = texts(&cats, ".term-tree a");
    let mut seen = BTreeSet::new();
    for (href, name) in cat_links.iter().zip(&cat_names) {
        let path = link_target("/", href).expect("internal");
        let listed = titles_on(&path);
        let expected: BTreeSet<String> = match name.as_str() {
            "金融" | "财联社" | "深度" => [T003.to_string()].into(),
            "zhongguozhengquanbao·zhongzhengwang" => [T001.to_string()].into(),
            "融资" => [T000.to_string()].into(),
            "观察" => [T004.to_string()].into(),
            "研究报告" => ["政府领导及企业高管参阅".to_string()].into(),
            other => panic!("unexpected category {other}"),
        };
        assert_eq!(listed, expected, "category {name}");
        seen.insert(name.clone());
    }
    assert_eq!(seen.len(), 7);
    let tags = site.read("tags/index.html");
    let tag_links = attrs(&tags, ".tag-cloud a", "href");
    assert_eq!(tag_links.len(), 1);
    let path = link_target("/", &tag_links[0]).unwrap();
    assert_eq!(titles_on(&path), [T001.to_string()].into());
    // counts are shown
    assert!(tags.contains("(1)"));
}

#[test]
fn every_page_is_reachable_from_the_home_page() {
    let site = TestSite::with_sample_content();
    site.build_ok();
    let mut seen = BTreeSet::new();
    let mut queue = VecDeque::from(["index.html".to_string()]);
    while let Some(page) = queue.pop_front() {
        if !seen.insert(page.clone()) {
            continue;
        }
        let html = site.read(&page);
        for href in attrs(&html, "a", "href") {
            if let Some(target) = link_target("/", &href) {
                assert!(site.exists(&target), "{page} links to missing {href}");
                if target.ends_with(".html") {
                    queue.push_back(target);
                }
            }
        }
    }
    let pages: BTreeSet<String> = site
        .files()
        .into_iter()
        .filter(|f| f.ends_with(".html") && f != "404.html")
        .collect();
    let unreached: Vec<_> = pages.difference(&seen).collect();
    assert!(unreached.is_empty(), "not reachable: {unreached:?}");
}

#[test]
fn building_twice_gives_identical_bytes() {
    let a = TestSite::with_sample_content();
    let b = TestSite::with_sample_content();
    a.build_ok();
    b.build_ok();
    let files = a.files();
    assert_eq!(files, b.files());
    for f in &files {
        assert_eq!(
            std::fs::read(a.public().join(f)).unwrap(),
            std::fs::read(b.public().join(f)).unwrap(),
            "{f} differs"
        );
    }
    // and a rebuild in place keeps every file (and its mtime)
    let report = a.build_ok();
    assert_eq!(report.stats.written, 0);
}

#[test]
fn base_url_with_a_path_prefixes_every_link() {
    let site = TestSite::with_sample_content();
    site.build_with(|o| o.base_url = Some("https://org.github.io/digest".into()))
        .unwrap();
    let index = site.read("index.html");
    for href in attrs(&index, "a", "href") {
        if href.starts_with('#') {
            continue;
        }
        assert!(href.starts_with("https://org.github.io/digest/"), "{href}");
        let target = link_target("https://org.github.io/digest/", &href).unwrap();
        assert!(site.exists(&target), "{href}");
    }
    assert_eq!(
        attrs(&index, "link[rel=stylesheet]", "href"),
        vec!["https://org.github.io/digest/style.css"]
    );
}

#[test]
fn home_page_is_paginated_ten_a_page() {
    let mut site = TestSite::new();
    for i in 0..23 {
        site = site.file(
            &format!("content/p{i:02}.md"),
            format!(
                "---\ntitle: 文章{i}\ndate: 2022-01-{:02}\n---\n正文。\n",
                i + 1
            ),
        );
    }
    site.build_ok();
    assert_eq!(
        texts(&site.read("index.html"), ".post-card-title a").len(),
        10
    );
    assert_eq!(
        texts(&site.read("page/2/index.html"), ".post-card-title a").len(),
        10
    );
    let last = texts(&site.read("page/3/index.html"), ".post-card-title a");
    assert_eq!(last, vec!["文章2", "文章1", "文章0"]);
    assert!(!site.exists("page/4/index.html"));
    // newest first
    assert_eq!(
        texts(&site.read("index.html"), ".post-card-title a")[0],
        "文章22"
    );
}
