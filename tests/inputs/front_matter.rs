//! YAML and TOML front matter in every place and spelling the generators write it.

use digest::content::format::Format;
use serde_json::json;

use super::{date, parse, parse_bytes, paths, post, strings, the_error};

#[test]
fn yaml_front_matter_is_read() {
    let p = post(
        "a.md",
        "---\ntitle: 青云发布新品\ndate: 2022-04-28 13:44:07 +0800\ncategories: 云计算\ntags: [IaaS, 混合云]\n---\n正文。\n",
    );
    assert_eq!(p.title, "青云发布新品");
    assert_eq!(date(&p), "2022-04-28T13:44:07+08:00");
    assert_eq!(p.categories, paths(&[&["云计算"]]));
    assert_eq!(p.tags, strings(&["IaaS", "混合云"]));
    assert_eq!(p.format, Format::Markdown);
    assert_eq!(p.body_html, "<p>正文。</p>\n");
}

#[test]
fn yaml_after_leading_blank_lines_as_hexo_writes_it() {
    let p = post("a.md", "\n\n  \n---\ntitle: 甲\n---\n正文\n");
    assert_eq!(p.title, "甲");
    assert!(!p.body_html.contains("title"));
}

#[test]
fn yaml_behind_a_byte_order_mark_with_crlf() {
    let p = parse_bytes(
        "a.md",
        b"\xEF\xBB\xBF---\r\ntitle: \xE7\x94\xB2\r\ndate: 2022-04-28\r\n---\r\nbody\r\n",
    );
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let p = &p.posts[0];
    assert_eq!(p.title, "甲");
    assert_eq!(date(p), "2022-04-28T00:00:00+08:00");
    assert_eq!(p.body_html, "<p>body</p>\n");
}

#[test]
fn crlf_error_lines_count_like_lf() {
    let e = the_error(
        "a.md",
        "---\r\ntitle: a\r\ndate: 2022-13-45\r\n---\r\nx\r\n",
    );
    assert_eq!((e.line, e.column), (Some(3), Some(7)));
    assert_eq!(e.source_line.as_deref(), Some("date: 2022-13-45"));
}

#[test]
fn toml_front_matter_as_hugo_and_zola_write_it() {
    let p = post(
        "a.md",
        "+++\ntitle = \"标题\"\ndate = 2021-09-12T00:00:00+08:00\n[taxonomies]\ncategories = [\"金融\"]\n+++\n正文\n",
    );
    assert_eq!(p.title, "标题");
    assert_eq!(date(&p), "2021-09-12T00:00:00+08:00");
    // Zola's [taxonomies] table is not read as digest's categories: kept for templates
    assert_eq!(
        p.extra.get("taxonomies"),
        Some(&json!({"categories": ["金融"]}))
    );
    let p = post(
        "b.md",
        "+++\ntitle = \"b\"\nCategories = [\"Tech\"]\ntags = [\"Go\", \"k8s\"]\ndraft = true\n+++\nx\n",
    );
    assert_eq!(p.categories, paths(&[&["Tech"]]));
    assert_eq!(p.tags, strings(&["Go", "k8s"]));
    assert!(p.draft);
}

#[test]
fn every_key_alias_is_read() {
    let p = post(
        "a.md",
        "---\ntitle: t\npubDate: 2022-01-02\nlastmod: 2022-02-03\ncategory: 观察\nkeywords: 云计算，AWS、aws; 边缘\nexcerpt: 摘要\nheadimg: https://img.example.com/a.png\nauthors: [张三, 李四]\nslug: my-post\nlink: https://news.example.com/1\nlayout: post\n---\nx\n",
    );
    assert_eq!(date(&p), "2022-01-02T00:00:00+08:00");
    assert_eq!(
        p.updated.map(|d| d.to_rfc3339()).as_deref(),
        Some("2022-02-03T00:00:00+08:00")
    );
    assert_eq!(p.categories, paths(&[&["观察"]]));
    // `AWS` and `aws` are one tag
    assert_eq!(p.tags, strings(&["云计算", "AWS", "边缘"]));
    assert_eq!(p.summary, "摘要");
    assert_eq!(p.image.as_deref(), Some("https://img.example.com/a.png"));
    assert_eq!(p.author.as_deref(), Some("张三、李四"));
    assert_eq!(p.slug, "my-post");
    assert_eq!(p.source_url.as_deref(), Some("https://news.example.com/1"));
    assert_eq!(p.extra.get("layout"), Some(&json!("post")));
    assert_eq!(p.extra.len(), 1, "{:?}", p.extra);
}

#[test]
fn the_other_aliases() {
    for (key, value) in [
        ("published", "2022-01-02"),
        ("created", "2022-01-02"),
        ("date", "2022-01-02"),
    ] {
        let p = post("a.md", &format!("---\n{key}: {value}\n---\nx\n"));
        assert_eq!(date(&p), "2022-01-02T00:00:00+08:00", "{key}");
    }
    for key in ["updated", "modified", "lastmod"] {
        let p = post(
            "a.md",
            &format!("---\ndate: 2022-01-01\n{key}: 2022-01-05\n---\nx\n"),
        );
        assert!(p.updated.is_some(), "{key}");
    }
    for key in ["summary", "description", "excerpt"] {
        assert_eq!(
            post("a.md", &format!("---\n{key}: 摘要\n---\nx\n")).summary,
            "摘要"
        );
    }
    for key in ["image", "cover", "headimg", "thumbnail", "banner"] {
        let p = post("a.md", &format!("---\n{key}: /img/a.png\n---\nx\n"));
        assert_eq!(p.image.as_deref(), Some("/img/a.png"), "{key}");
    }
    for key in ["source", "link", "original_url"] {
        let p = post(
            "a.md",
            &format!("---\n{key}: https://x.example/1\n---\nx\n"),
        );
        assert_eq!(
            p.source_url.as_deref(),
            Some("https://x.example/1"),
            "{key}"
        );
    }
    for key in ["tags", "tag", "keywords"] {
        assert_eq!(
            post("a.md", &format!("---\n{key}: a\n---\nx\n")).tags,
            strings(&["a"])
        );
    }
    assert_eq!(
        post("a.md", "---\nauthor: 王五\n---\nx\n")
            .author
            .as_deref(),
        Some("王五")
    );
    // Hexo's `published: false` is a draft
    assert!(post("a.md", "---\npublished: false\n---\nx\n").draft);
    assert!(post("a.md", "---\ndraft: true\n---\nx\n").draft);
}

#[test]
fn categories_as_string_list_and_nested_list() {
    let p = post("a.md", "---\ncategories: 金融\n---\nx\n");
    assert_eq!(p.categories, paths(&[&["金融"]]));
    let p = post("a.md", "---\ncategories:\n - 金融\n - 财联社\n---\nx\n");
    assert_eq!(p.categories, paths(&[&["金融"], &["财联社"]]));
    let p = post("a.md", "---\ncategories: [[金融, 财联社], 深度]\n---\nx\n");
    assert_eq!(p.categories, paths(&[&["金融", "财联社"], &["深度"]]));
    // without categories, the folder under content/ is the category
    let p = post("观察/深度/a.md", "---\ntitle: x\n---\nx\n");
    assert_eq!(p.categories, paths(&[&["观察", "深度"]]));
    let p = post("_posts/a.md", "---\ntitle: x\n---\nx\n");
    assert_eq!(p.categories, paths(&[&["未分类"]]));
}

#[test]
fn tags_as_a_string_split_on_every_separator() {
    let p = post(
        "a.md",
        "---\ntags: 云计算,AI，大模型、芯片;边缘；存储\n---\nx\n",
    );
    assert_eq!(
        p.tags,
        strings(&["云计算", "AI", "大模型", "芯片", "边缘", "存储"])
    );
}

#[test]
fn jekyll_file_names_give_date_and_slug() {
    let p = post(
        "_posts/2021-03-04-hello-world.md",
        "---\ntitle: 你好\n---\nx\n",
    );
    assert_eq!(p.slug, "hello-world");
    assert_eq!(date(&p), "2021-03-04T00:00:00+08:00");
    // the front matter date wins over the file name; the name still gives the slug
    let p = post(
        "_posts/2021-03-04-hello.md",
        "---\ntitle: 你好\ndate: 2021-03-05 08:00:00 +0800\n---\nx\n",
    );
    assert_eq!(date(&p), "2021-03-05T08:00:00+08:00");
    assert_eq!(p.slug, "hello");
    // a front matter slug wins over the file name
    let p = post("_posts/2021-03-04-hello.md", "---\nslug: other\n---\nx\n");
    assert_eq!(p.slug, "other");
    // not a date: the whole stem is not a date prefix
    let p = post("_posts/2021-03-041.md", "---\ntitle: 你好\n---\nx\n");
    assert_eq!(date(&p), "none");
    assert_eq!(p.slug, "nihao");
}

#[test]
fn unknown_keys_reach_templates_as_extra() {
    let p = post(
        "a.md",
        "---\ntitle: x\ncomments: false\nmathjax: true\nseries: {name: 云, part: 2}\n---\nx\n",
    );
    assert_eq!(p.extra.get("comments"), Some(&json!(false)));
    assert_eq!(
        p.extra.get("series"),
        Some(&json!({"name": "云", "part": 2}))
    );
}

#[test]
fn broken_yaml_is_an_error_at_its_line_and_column() {
    let e = the_error(
        "a.md",
        "---\ntitle: a\ntags: [x, y\ndate: 2022-01-01\n---\nbody\n",
    );
    assert!(
        e.message.starts_with("front matter: invalid YAML"),
        "{}",
        e.message
    );
    assert_eq!(e.file.to_str(), Some("content/a.md"));
    assert_eq!((e.line, e.column), (Some(4), Some(5)));
    assert_eq!(e.source_line.as_deref(), Some("date: 2022-01-01"));
}

#[test]
fn broken_yaml_after_blank_lines_counts_them() {
    let e = the_error("a.md", "\n\n---\ntitle: [a\n---\nbody\n");
    assert_eq!(e.line, Some(5), "{e}");
}

#[test]
fn broken_toml_is_an_error_at_its_line_and_column() {
    let e = the_error("a.md", "+++\ntitle = \"a\"\ndate = 2022-13-45\n+++\nbody\n");
    assert!(
        e.message.starts_with("front matter: invalid TOML"),
        "{}",
        e.message
    );
    assert_eq!((e.line, e.column), (Some(3), Some(8)));
    assert_eq!(e.source_line.as_deref(), Some("date = 2022-13-45"));
}

#[test]
fn a_list_where_front_matter_should_be_is_an_error() {
    let e = the_error("a.md", "---\n- a\n- b\n---\nbody\n");
    assert_eq!(e.line, Some(2));
    assert!(
        e.message.contains("expected `key: value` lines"),
        "{}",
        e.message
    );
}

#[test]
fn an_unclosed_fence_is_body_text() {
    let p = parse("a.md", "---\ntitle: a\n\nbody\n");
    assert_eq!(p.posts.len(), 1);
    assert!(p.diagnostics.iter().all(|d| !d.is_error()));
}
