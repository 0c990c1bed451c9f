//! Site-level features: drafts, overrides, static files, assets, configuration errors, CLI.

mod common;

use std::process::Command;

use common::{attrs, texts, TestSite};

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = TestSite::new()
        .file(
            "content/a.md",
            "---\ntitle: 已发布\ndate: 2022-01-01\n---\nx\n",
        )
        .file(
            "content/b.md",
            "---\ntitle: 草稿\ndate: 2022-01-02\ndraft: true\n---\nx\n",
        );
    site.build_ok();
    assert_eq!(
        texts(&site.read("index.html"), ".post-card-title a"),
        vec!["已发布"]
    );
    site.build_with(|o| o.drafts = true).unwrap();
    assert_eq!(
        texts(&site.read("index.html"), ".post-card-title a"),
        vec!["草稿", "已发布"]
    );
}

#[test]
fn site_templates_override_the_theme_by_name() {
    let site = TestSite::new()
        .file("content/a.md", "---\ntitle: 标题\ndate: 2022-01-01\n---\nx\n")
        .file(
            "templates/post.html",
            "{% extends \"base.html\" %}{% block content %}<h1 class=\"post-title\">自定义：{{ page.title }}</h1>{% endblock content %}",
        );
    site.build_ok();
    let page = site.read("posts/2022/01/biaoti/index.html");
    assert_eq!(texts(&page, "h1.post-title"), vec!["自定义：标题"]);
    // the other templates are still the theme's
    assert!(site.read("index.html").contains("post-card"));
}

#[test]
fn static_files_and_assets_beside_posts_are_copied() {
    let site = TestSite::new()
        .file("static/favicon.ico", [0u8, 1, 2])
        .file("static/style.css", "/* the site's own */")
        .file(
            "content/news/a.md",
            "---\ntitle: 有图\ndate: 2022-01-01\n---\n![图](chart.png)\n",
        )
        .file("content/news/chart.png", [137u8, 80, 78, 71]);
    site.build_ok();
    assert_eq!(
        std::fs::read(site.public().join("favicon.ico")).unwrap(),
        vec![0, 1, 2]
    );
    assert_eq!(
        site.read("style.css"),
        "/* the site's own */",
        "site static wins over the theme's"
    );
    let page = site.read("posts/2022/01/youtu/index.html");
    assert_eq!(attrs(&page, ".post-body img", "src"), vec!["chart.png"]);
    assert!(site.exists("posts/2022/01/youtu/chart.png"));
}

#[test]
fn configuration_errors_name_the_key() {
    let site = TestSite::new()
        .file("digest.yaml", "title: x\npaginte: 3\n")
        .file("content/a.md", "x");
    let err = site.build().unwrap_err();
    let shown = err.diagnostics[0].to_string();
    assert!(shown.starts_with("error: digest.yaml:2:"), "{shown}");
    assert!(shown.contains("unknown field `paginte`"), "{shown}");
    assert!(!site.public().exists());

    let site = TestSite::new().file("digest.yaml", "paginate: zero\n");
    let shown = site.build().unwrap_err().diagnostics[0].to_string();
    assert!(shown.contains("paginate"), "{shown}");
}

#[test]
fn a_folder_with_only_content_builds_with_the_binary() {
    let site = TestSite::new().file("content/a.txt", "第一行标题\n\n正文第一段。\n");
    let out = Command::new(env!("CARGO_BIN_EXE_digest"))
        .arg("build")
        .current_dir(site.root())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("built 1 posts"), "{stderr}");
    assert!(site.exists("index.html"));
    assert!(
        site.exists("style.css"),
        "the embedded theme's static files are written"
    );
}

#[test]
fn help_explains_the_commands() {
    let out = Command::new(env!("CARGO_BIN_EXE_digest"))
        .arg("--help")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("build"), "{text}");
    let out = Command::new(env!("CARGO_BIN_EXE_digest"))
        .args(["build", "--help"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for flag in ["--root", "--output", "--base-url", "--drafts"] {
        assert!(text.contains(flag), "{flag} missing from build --help");
    }
}

#[test]
fn hierarchical_categories_link_both_levels() {
    let site = TestSite::new().file(
        "content/a.md",
        "---\ntitle: 层级\ndate: 2022-01-01\ncategories: [[金融, 财联社]]\n---\nx\n",
    );
    site.build_ok();
    let page = site.read("posts/2022/01/cengji/index.html");
    assert_eq!(texts(&page, ".post-terms .cat a"), vec!["金融", "财联社"]);
    assert_eq!(
        attrs(&page, ".post-terms .cat a", "href"),
        vec!["/categories/jinrong/", "/categories/jinrong/cailianshe/"]
    );
    assert!(site.exists("categories/jinrong/cailianshe/index.html"));
    let parent = site.read("categories/jinrong/index.html");
    assert_eq!(texts(&parent, ".post-card-title a"), vec!["层级"]);
    assert_eq!(texts(&parent, ".sub-terms a"), vec!["财联社"]);
}
