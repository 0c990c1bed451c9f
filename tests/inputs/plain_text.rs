//! Plain text: paragraphs, links, PDF line breaks, comment-box junk.

use digest::content::format::Format;

use super::{parse, post};

#[test]
fn paragraphs_at_blank_lines_line_breaks_and_fullwidth_indents() {
    let p = post(
        "a.txt",
        "云计算的十字路口\n\n第一段。\n第二段。\n\n　　第三段。　　第四段。\n",
    );
    assert_eq!(p.format, Format::Text);
    assert_eq!(p.title, "云计算的十字路口");
    assert_eq!(
        p.body_html,
        "<p>第一段。</p>\n<p>第二段。</p>\n<p>第三段。</p>\n<p>第四段。</p>\n"
    );
}

#[test]
fn urls_become_links() {
    let p = post(
        "a.txt",
        "标题\n\n原文：https://news.example.com/a?b=1&c=2 。\n",
    );
    assert!(
        p.body_html
            .contains("<a href=\"https://news.example.com/a?b=1&amp;c=2\""),
        "{}",
        p.body_html
    );
    assert_eq!(
        p.source_url.as_deref(),
        Some("https://news.example.com/a?b=1&c=2")
    );
}

/// Seed 002: a PDF export broke "内蒙古" across lines.
#[test]
fn lines_broken_mid_sentence_are_joined() {
    let p = post(
        "a.txt",
        "报告\n\n除了地理位置上的重要性以及极低的土地成本等条件之外，内蒙\n\n古的能源与气候条件对云计算发展更具有得天独厚的优势。\n",
    );
    assert!(p.body_text.contains("内蒙古的能源"), "{}", p.body_text);
}

/// Seed 004: the comment box of the page it was scraped from.
#[test]
fn comment_box_junk_at_the_end_is_dropped() {
    let p = post(
        "a.txt",
        "标题\n\n正文。\n全部0条评论\n快来发表一下你的评论吧 !\n",
    );
    assert!(!p.body_text.contains("评论"), "{}", p.body_text);
}

#[test]
fn the_junk_list_is_configurable() {
    use digest::config::Config;
    use digest::content::{parse_source, SourceFile};
    let config = Config {
        strip_lines: vec!["点击关注我们".to_string()],
        ..Config::default()
    };
    let src = SourceFile {
        path: "a.txt".into(),
        bytes: "标题\n\n正文。\n点击关注我们\n全部0条评论\n"
            .as_bytes()
            .to_vec(),
    };
    let p = parse_source(&src, &config);
    let text = &p.posts[0].body_text;
    assert!(!text.contains("点击关注我们"));
    // the default list was replaced
    assert!(text.contains("全部0条评论"));
}

#[test]
fn a_title_is_inferred_from_the_first_sentence() {
    let p = post(
        "a.txt",
        "云计算为中国式创新打开了一扇门。OpenStack席卷产业期间，中国开发者为之疯狂。\n",
    );
    assert_eq!(p.title, "云计算为中国式创新打开了一扇门");
}

#[test]
fn text_is_escaped_not_read_as_html() {
    let p = parse(
        "a.txt",
        "标题\n\n一行 <script>alert(1)</script> 文字 {{ x }} {% y %}\n",
    );
    let html = &p.posts[0].body_html;
    assert!(!html.contains("<script"), "{html}");
    assert!(
        html.contains("{{ x }}") && html.contains("{% y %}"),
        "{html}"
    );
}

/// Regression (found by proptest): the summary marker's position was taken before the
/// inferred title line was dropped from a plain-text body, and then sliced out of bounds.
#[test]
fn more_marker_in_plain_text_with_an_inferred_title() {
    let p = post("a.txt", "短标题\n\n第一段。<!--more-->第二段。\n");
    assert_eq!(p.title, "短标题");
    assert_eq!(p.summary, "第一段。");
}
