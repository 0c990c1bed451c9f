//! What feed readers, crawlers and link previews read from a built site.

mod common;

use common::{attrs, texts, TestSite};

fn news_site() -> TestSite {
    TestSite::new()
        .file(
            "digest.yaml",
            "title: 云摘\nbase_url: https://org.github.io/digest/\ncname: news.example.com\nfeed_limit: 2\n",
        )
        .file(
            "content/a.md",
            "---\ntitle: 阿里云出海\ndate: 2022-06-19 12:00:00\ncategories: [云计算]\ntags: [阿里云, 出海]\nimage: /img/cover.png\nauthor: 记者\n---\n正文<a href=\"/about/\">关于</a>\n",
        )
        .file(
            "content/b.md",
            "---\ntitle: 腾讯云出海\ndate: 2022-06-18\ncategories: [云计算]\ntags: [出海]\n---\n正文\n",
        )
        .file(
            "content/c.md",
            "---\ntitle: 无关的旧闻\ndate: 2020-01-01\ncategories: [其他]\n---\n正文\n",
        )
        .file(
            "content/d.md",
            "---\ntitle: \"</script><script>alert(1)</script>\"\ndate: 2019-01-01\nsummary: \"\\\"><img src=x onerror=alert(1)>\"\n---\n正文\n",
        )
}

#[test]
fn feeds_for_the_site_and_each_term() {
    let site = news_site();
    site.build_ok();
    let atom = site.read("atom.xml");
    assert_eq!(atom.matches("<entry>").count(), 2, "feed_limit applies");
    assert!(atom.contains("<title>阿里云出海</title>"));
    assert!(atom.contains("<published>2022-06-19T12:00:00+08:00</published>"));
    assert!(atom.contains("<link rel=\"alternate\" type=\"text/html\" href=\"https://org.github.io/digest/posts/2022/06/aliyunchuhai/\"/>"));
    // root-relative links in bodies are put under the base URL
    assert!(atom.contains("https://org.github.io/digest/about/"));
    let rss = site.read("rss.xml");
    assert_eq!(rss.matches("<item>").count(), 2);
    assert!(rss.contains("<pubDate>Sun, 19 Jun 2022 12:00:00 +0800</pubDate>"));
    let tag = site.read("tags/chuhai/atom.xml");
    assert_eq!(tag.matches("<entry>").count(), 2);
    let cat = site.read("categories/qita/atom.xml");
    assert_eq!(cat.matches("<entry>").count(), 1);
    // announced on the pages
    let term_page = site.read("tags/chuhai/index.html");
    assert!(attrs(&term_page, "link[rel=alternate]", "href")
        .contains(&"https://org.github.io/digest/tags/chuhai/atom.xml".to_string()));
    let home = site.read("index.html");
    assert_eq!(
        attrs(&home, "link[rel=alternate]", "href"),
        vec![
            "https://org.github.io/digest/atom.xml",
            "https://org.github.io/digest/rss.xml"
        ]
    );
}

#[test]
fn post_pages_carry_canonical_open_graph_and_json_ld() {
    let site = news_site();
    site.build_ok();
    let html = site.read("posts/2022/06/aliyunchuhai/index.html");
    let url = "https://org.github.io/digest/posts/2022/06/aliyunchuhai/";
    assert_eq!(attrs(&html, "link[rel=canonical]", "href"), vec![url]);
    assert_eq!(
        attrs(&html, "meta[property='og:url']", "content"),
        vec![url]
    );
    assert_eq!(
        attrs(&html, "meta[property='og:type']", "content"),
        vec!["article"]
    );
    assert_eq!(
        attrs(&html, "meta[property='og:title']", "content"),
        vec!["阿里云出海"]
    );
    assert_eq!(
        attrs(&html, "meta[property='og:image']", "content"),
        vec!["https://org.github.io/img/cover.png"]
    );
    assert_eq!(
        attrs(&html, "meta[name='twitter:card']", "content"),
        vec!["summary_large_image"]
    );
    // a cover the body does not show is shown above it
    assert_eq!(attrs(&html, ".cover img", "src"), vec!["/img/cover.png"]);
    let ld = texts(&html, "script[type='application/ld+json']");
    let v: serde_json::Value = serde_json::from_str(&ld[0]).unwrap();
    assert_eq!(v["@type"], "NewsArticle");
    assert_eq!(v["headline"], "阿里云出海");
    assert_eq!(v["datePublished"], "2022-06-19T12:00:00+08:00");
    assert_eq!(v["author"]["name"], "记者");
    // reading time for CJK text
    assert!(texts(&html, ".reading-time")[0].contains('1'));
    // related: the other 出海 post first, the unrelated one not at all
    let related = texts(&html, ".related a");
    assert_eq!(related.first().map(String::as_str), Some("腾讯云出海"));
    assert!(!related.contains(&"无关的旧闻".to_string()));
}

#[test]
fn metadata_from_posts_is_escaped_everywhere() {
    let site = news_site();
    site.build_ok();
    for f in site.files() {
        if f.ends_with(".html") || f.ends_with(".xml") {
            let text = site.read(&f);
            assert!(!text.contains("<script>alert"), "{f} carries a script");
            assert!(!text.contains("<img src=x"), "{f} carries an injected tag");
        }
    }
    let html = site
        .files()
        .into_iter()
        .find(|f| f.starts_with("posts/2019/"))
        .unwrap();
    let page = site.read(&html);
    assert!(page.contains("\\u003c/script\\u003e"), "JSON-LD escapes <");
}

#[test]
fn github_pages_files() {
    let site = news_site();
    site.build_ok();
    assert_eq!(site.read("CNAME"), "news.example.com\n");
    assert!(site.exists(".nojekyll"));
    assert!(site
        .read("robots.txt")
        .contains("Sitemap: https://org.github.io/digest/sitemap.xml"));
    assert!(site.read("404.html").contains("页面不存在"));
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains(
        "<loc>https://org.github.io/digest/posts/2022/06/aliyunchuhai/</loc>\n    <lastmod>2022-06-19T12:00:00+08:00</lastmod>"
    ));
    assert!(!sitemap.contains("404"));
}
