//! The text view of a body and the first image a reader sees.

use crate::content::sanitize::{first_image_src, html_to_text};

#[test]
fn text_has_one_line_per_block_and_collapsed_whitespace() {
    assert_eq!(
        html_to_text("<p>Hello\n   world</p><p>second</p>"),
        "Hello world\nsecond"
    );
    assert_eq!(
        html_to_text("<ul><li>a</li><li>b<br>c</li></ul>"),
        "a\nb\nc"
    );
    assert_eq!(
        html_to_text("<h2>标题</h2>正文<div>块</div>尾"),
        "标题\n正文\n块\n尾"
    );
    assert_eq!(
        html_to_text("<table><tr><th>名称</th><td>值</td></tr><tr><td>c</td></tr></table>"),
        "名称 值\nc"
    );
    assert_eq!(
        html_to_text("<pre>line 1\n  line  2\n\n</pre>"),
        "line 1\nline 2"
    );
    assert_eq!(html_to_text("<p>云<b>计</b>算</p>"), "云计算");
    assert_eq!(
        html_to_text("<p>a<!-- b -->c<script>d</script><span hidden>e</span>f</p>"),
        "acf"
    );
    assert_eq!(
        html_to_text("<p>\u{3000}\u{3000}青云科技&nbsp;发布 &amp; 增长</p>"),
        "青云科技 发布 & 增长"
    );
    assert_eq!(html_to_text(""), "");
    assert_eq!(html_to_text("<br><br><p> </p>"), "");
}

#[test]
fn text_joins_hard_wrapped_cjk_lines_without_a_space() {
    // Seed 002 was hard-wrapped mid-sentence by a PDF export.
    assert_eq!(
        html_to_text("<p>云计算市场\n持续增长，\nAWS\n和阿里云\n“领先”\nin\nChina</p>"),
        "云计算市场持续增长，AWS 和阿里云“领先” in China"
    );
    // A space the author typed stays.
    assert_eq!(html_to_text("<p>云计算 市场</p>"), "云计算 市场");
}

#[test]
fn first_image_skips_what_readers_do_not_see() {
    let html = concat!(
        r#"<div style="display:none"><img src="https://x.example/hidden.png"></div>"#,
        r#"<img src="https://t.example/p.gif" width="1" height="1">"#,
        r#"<img src="data:image/png;base64,AAAA">"#,
        r#"<p><img data-src="//img.example.com/real.png" src="grey.gif"></p>"#,
        r#"<img src="https://x.example/second.png">"#,
    );
    assert_eq!(
        first_image_src(html).as_deref(),
        Some("https://img.example.com/real.png")
    );
    assert_eq!(first_image_src("<p>no image</p>"), None);
}
