//! `digest check`: each kind of problem is found and reported where the editor can fix it.

mod common;

use std::path::Path;
use std::process::Command;

use common::TestSite;
use digest::check::{check_site, CheckReport};
use digest::diagnostics::Diagnostic;

fn check(site: &TestSite) -> CheckReport {
    let input = digest::discover::load(site.root()).unwrap_or_else(|d| panic!("load: {d:?}"));
    check_site(&input, false)
}

fn errors(report: &CheckReport) -> Vec<&Diagnostic> {
    report.diagnostics.iter().filter(|d| d.is_error()).collect()
}

const POST: &str = "---
title: 测试
date: 2024-01-02 10:00:00 +0800
---

第一段。

见[另一篇](/posts/2024/01/nope/)和[标签](/tags/)。

![图表](chart.png)

![外链](https://example.org/x.png)
";

#[test]
fn broken_internal_link_is_reported_at_the_post_line() {
    let site = TestSite::new().file("content/posts/2024-01-02-a.md", POST);
    let report = check(&site);
    let link = report
        .diagnostics
        .iter()
        .find(|d| d.message.contains("'/posts/2024/01/nope/'"))
        .unwrap_or_else(|| panic!("not reported: {:#?}", report.diagnostics));
    assert!(link.is_error());
    assert_eq!(link.file, Path::new("content/posts/2024-01-02-a.md"));
    assert_eq!(link.line, Some(8));
    assert!(link.message.starts_with("broken link"), "{}", link.message);
    // the good links are not reported
    assert!(!report
        .diagnostics
        .iter()
        .any(|d| d.message.contains("'/tags/'") || d.message.contains("example.org")));
}

#[test]
fn missing_image_is_reported_at_the_post_line_and_found_once_added() {
    let site = TestSite::new().file("content/posts/2024-01-02-a.md", POST);
    let report = check(&site);
    let image = report
        .diagnostics
        .iter()
        .find(|d| d.message.contains("'chart.png'"))
        .unwrap_or_else(|| panic!("not reported: {:#?}", report.diagnostics));
    assert!(image.is_error());
    assert!(
        image.message.starts_with("missing image"),
        "{}",
        image.message
    );
    assert_eq!(image.file, Path::new("content/posts/2024-01-02-a.md"));
    assert_eq!(image.line, Some(10));
    assert_eq!(errors(&report).len(), 2, "{:#?}", report.diagnostics);

    // an image beside the post is copied next to its page, so the reference resolves
    let site = site.file("content/posts/chart.png", b"\x89PNG\r\n");
    let report = check(&site);
    assert!(!report
        .diagnostics
        .iter()
        .any(|d| d.message.contains("'chart.png'")));
}

#[test]
fn bad_date_is_reported_at_its_line_and_column() {
    let site = TestSite::new().file(
        "content/posts/a.md",
        "---\ntitle: x\ndate: 2022-13-45\n---\nbody\n",
    );
    let report = check(&site);
    assert!(!report.built);
    let e = errors(&report);
    assert_eq!(e.len(), 1, "{e:#?}");
    assert_eq!(e[0].file, Path::new("content/posts/a.md"));
    assert_eq!((e[0].line, e[0].column), (Some(3), Some(7)));
    assert!(e[0].message.contains("2022-13-45"), "{}", e[0].message);
}

#[test]
fn template_syntax_error_is_reported_in_the_template_at_its_line() {
    let site = TestSite::with_sample_content().file(
        "templates/post.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.title }</h1>\n{% endblock content %}\n",
    );
    let report = check(&site);
    let e = errors(&report);
    assert_eq!(e.len(), 1, "{e:#?}");
    assert_eq!(e[0].file, Path::new("templates/post.html"));
    assert_eq!((e[0].line, e[0].column), (Some(3), Some(19)));
    assert!(e[0].message.contains("template"), "{}", e[0].message);
}

#[test]
fn link_broken_by_a_template_is_reported_once_at_the_template() {
    let site = TestSite::with_sample_content().file(
        "templates/404.html",
        "{% extends \"base.html\" %}\n{% block content %}<a href=\"{{ config.base_url }}gone/\">x</a>{% endblock content %}\n",
    );
    let report = check(&site);
    let e = errors(&report);
    assert_eq!(e.len(), 1, "{e:#?}");
    assert_eq!(e[0].file, Path::new("templates/404.html"));
    assert!(e[0].message.contains("'/gone/'"), "{}", e[0].message);
}

#[test]
fn sample_site_has_no_errors() {
    let site = TestSite::with_sample_content();
    let report = check(&site);
    assert!(report.built);
    assert!(!report.has_errors(), "{:#?}", report.diagnostics);
    assert!(report.pages > 10 && report.references > 100);
}

#[test]
fn command_prints_file_and_line_exits_1_and_writes_nothing() {
    let site = TestSite::new().file("content/posts/2024-01-02-a.md", POST);
    let out = Command::new(env!("CARGO_BIN_EXE_digest"))
        .args(["check", "--root"])
        .arg(site.root())
        .output()
        .expect("run digest check");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr
            .contains("error: content/posts/2024-01-02-a.md:8: broken link '/posts/2024/01/nope/'"),
        "{stderr}"
    );
    assert!(
        stderr.contains("error: content/posts/2024-01-02-a.md:10: missing image 'chart.png'"),
        "{stderr}"
    );
    assert!(stderr.contains("2 errors"), "{stderr}");
    assert!(!site.public().exists());

    let fine = TestSite::with_sample_content();
    let out = Command::new(env!("CARGO_BIN_EXE_digest"))
        .args(["check", "--root"])
        .arg(fine.root())
        .output()
        .expect("run digest check");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!fine.public().exists());
}
