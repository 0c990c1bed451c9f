//! Markdown bodies: extensions, raw HTML, the summary marker, generator tags; HTML bodies.

use digest::content::format::Format;

use super::post;

#[test]
fn commonmark_extensions_are_on() {
    let p = post(
        "a.md",
        "# 标题\n\n| 云 | 份额 |\n|---|---|\n| 阿里云 | 36% |\n\n~~旧~~ 新\n\n- [x] 完成\n- [ ] 未完成\n\n脚注[^1]。\n\n[^1]: 说明。\n",
    );
    assert_eq!(p.title, "标题");
    let h = &p.body_html;
    assert!(
        h.contains("<table>") && h.contains("<td>阿里云</td>"),
        "{h}"
    );
    assert!(h.contains("<del>旧</del>"), "{h}");
    // task list items (the checkbox itself is the sanitizer's business)
    assert!(h.contains("完成") && !h.contains("[x]"), "{h}");
    assert!(h.contains("说明。"), "{h}");
    // the leading heading became the title and is not repeated in the body
    assert!(!h.contains("<h1>"), "{h}");
}

#[test]
fn raw_html_in_markdown_goes_through_the_sanitizer() {
    let p = post(
        "a.md",
        "---\ntitle: x\n---\n正文 <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[点我](javascript:alert(1))\n\n<iframe src=\"https://evil.example\"></iframe>\n",
    );
    let h = p.body_html.to_lowercase();
    for bad in ["<script", "onerror", "javascript:", "<iframe"] {
        assert!(!h.contains(bad), "{bad} in {h}");
    }
    assert!(h.contains("正文"));
}

#[test]
fn more_marker_ends_the_summary() {
    let p = post(
        "a.md",
        "---\ntitle: x\n---\n这是**摘要**部分。\n\n<!--more-->\n\n这是正文的其余部分。\n",
    );
    assert_eq!(p.summary, "这是摘要部分。");
    assert!(p.body_html.contains("其余部分"));
    // a front matter summary wins
    let p = post("a.md", "---\nsummary: 前言\n---\n甲\n<!-- more -->\n乙\n");
    assert_eq!(p.summary, "前言");
}

#[test]
fn without_a_marker_the_summary_is_about_150_characters() {
    let p = post(
        "a.md",
        &format!(
            "---\ntitle: x\n---\n{}\n",
            "云计算正在改变行业。".repeat(40)
        ),
    );
    assert!(p.summary.chars().count() <= 150);
    assert!(p.summary.ends_with('。'));
}

#[test]
fn hexo_tags_render_sensibly() {
    let p = post(
        "a.md",
        "---\ntitle: x\n---\n见{% post_link other-post 另一篇文章 %}。\n\n{% asset_img settings.png 设置页面 %}\n\n{% include ad.html %}{% youtube abc %}结束\n",
    );
    let h = &p.body_html;
    assert!(h.contains("见另一篇文章。"), "{h}");
    assert!(
        h.contains("src=\"settings.png\"") && h.contains("alt=\"设置页面\""),
        "{h}"
    );
    assert!(!h.contains("{%") && !h.contains("include"), "{h}");
    assert!(h.contains("结束"), "{h}");
}

#[test]
fn hugo_highlight_renders_as_a_code_block() {
    let p = post(
        "a.md",
        "+++\ntitle = \"x\"\n+++\n示例：\n\n{{< highlight go >}}\nfunc main() { fmt.Println(\"<b>\") }\n{{< /highlight >}}\n\n后文\n",
    );
    let h = &p.body_html;
    // (whether the language class survives is the sanitizer's business)
    assert!(h.contains("<pre><code"), "{h}");
    assert!(
        h.contains(">func main() { fmt.Println(\"&lt;b&gt;\") }\n</code></pre>"),
        "{h}"
    );
    assert!(h.contains("<p>后文</p>"), "{h}");
}

#[test]
fn liquid_output_is_never_evaluated() {
    let p = post(
        "a.md",
        "---\ntitle: x\n---\n{{ site.title }} 和 {% raw %}{% if %}{% endraw %}\n",
    );
    assert!(
        p.body_html.contains("{{ site.title }} 和 {% if %}"),
        "{}",
        p.body_html
    );
}

#[test]
fn html_body_with_hidden_parts_and_markdown_after_it() {
    let p = post(
        "a.md",
        "---\ntitle: x\n---\n<p>正文。</p><!-- 注释 -->\n\n[返回首页](https://www.example.com/)\n",
    );
    assert!(p.body_html.contains("<p>正文。</p>"));
    assert!(!p.body_html.contains("注释"));
    assert!(p.body_html.contains(">返回首页</a>"), "{}", p.body_html);
    let p = post("a.html", "<div><p>网页正文。</p></div>");
    assert_eq!(p.format, Format::Html);
}

#[test]
fn a_scraped_page_gives_its_metadata() {
    let p = post(
        "a.html",
        "<!doctype html><html><head><title>云计算新闻</title><meta name=\"author\" content=\"张三\"><meta property=\"article:published_time\" content=\"2022-04-28T13:44:07+08:00\"></head><body><nav>菜单</nav><article><p>正文。</p></article></body></html>",
    );
    assert_eq!(p.title, "云计算新闻");
    assert_eq!(p.author.as_deref(), Some("张三"));
    assert_eq!(super::date(&p), "2022-04-28T13:44:07+08:00");
    assert!(!p.body_html.contains("菜单"));
}
