//! Whole inputs: pulldown-cmark's output, seed 001, classic XSS vectors, determinism.

use super::{clean, LAZY, REL};
use crate::content::sanitize::{first_image_src, html_to_text, policy_violations, sanitize_html};

#[test]
fn markdown_output_of_pulldown_cmark_survives() {
    use pulldown_cmark::{html::push_html, Options, Parser};
    let markdown = concat!(
        "# 标题\n\n",
        "正文[^1]，见[官网](https://www.qingcloud.com)。\n\n",
        "- [x] 完成\n- [ ] 未完成\n\n",
        "| 左 | 中 |\n|:---|:--:|\n| a | b |\n\n",
        "```rust\nfn main() {}\n```\n\n",
        "~~删除~~\n\n",
        "[^1]: 脚注。\n",
    );
    let options = Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH;
    let mut html = String::new();
    push_html(&mut html, Parser::new_ext(markdown, options));
    let expected = format!(
        concat!(
            "<h1>标题</h1>\n",
            "<p>正文<sup class=\"footnote-reference\"><a href=\"#user-content-1\" {rel}>1</a></sup>，",
            "见<a href=\"https://www.qingcloud.com\" {rel}>官网</a>。</p>\n",
            "<ul>\n<li><input type=\"checkbox\" checked=\"\" disabled=\"\">\n完成</li>\n",
            "<li><input type=\"checkbox\" disabled=\"\">\n未完成</li>\n</ul>\n",
            "<table><thead><tr><th class=\"align-left\">左</th><th class=\"align-center\">中</th></tr></thead>",
            "<tbody>\n<tr><td class=\"align-left\">a</td><td class=\"align-center\">b</td></tr>\n</tbody></table>\n",
            "<pre><code class=\"language-rust\">fn main() {{}}\n</code></pre>\n",
            "<p><del>删除</del></p>\n",
            "<div class=\"footnote-definition\" id=\"user-content-1\">",
            "<sup class=\"footnote-definition-label\">1</sup>\n<p>脚注。</p>\n</div>\n",
        ),
        rel = REL
    );
    assert_eq!(clean(&html), expected, "from:\n{html}");
}

/// Seed 001: a hidden paragraph, stock-widget comments, a linked chart image with
/// styles, classes, data attributes and `target`, then the article.
#[test]
fn seed_001_body_shape() {
    let html = concat!(
        r#"<p style="display:none;height:1px;overflow:hidden;"><br /></p>"#,
        "<!-- EM_StockImg_Start -->",
        r#"<p style="text-align:center;"><a href="http://quote.eastmoney.com/unify/r/1.688316" "#,
        r#"data-code="688316|1|1" class="EmImageRemark" target="_blank">"#,
        r#"<img src="https://webquoteklinepic.eastmoney.com/GetPic.aspx?nid=1.688316&imageType=k&at=1" "#,
        r#"border="0" alt="K图 688316_0" style="border:#d1d1d1 1px solid;" width="578" height="276" /></a></p>"#,
        "<!-- EM_StockImg_End -->",
        "<p>4月28日“中国混合云第一股”青云科技发布财报。<br /></p>",
    );
    let expected = concat!(
        r#"<p><a href="http://quote.eastmoney.com/unify/r/1.688316" rel="noopener noreferrer nofollow">"#,
        r#"<img alt="K图 688316_0" height="276" width="578" "#,
        r#"src="https://webquoteklinepic.eastmoney.com/GetPic.aspx?nid=1.688316&amp;imageType=k&amp;at=1" "#,
        r#"loading="lazy" referrerpolicy="no-referrer"></a></p>"#,
        "<p>4月28日“中国混合云第一股”青云科技发布财报。<br></p>",
    );
    assert_eq!(clean(html), expected);
    assert_eq!(
        html_to_text(html),
        "4月28日“中国混合云第一股”青云科技发布财报。"
    );
    assert_eq!(
        first_image_src(html).as_deref(),
        Some("https://webquoteklinepic.eastmoney.com/GetPic.aspx?nid=1.688316&imageType=k&at=1")
    );
}

const XSS_VECTORS: &[&str] = &[
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"x\" onerror=\"alert(1)\"//>",
    "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text x=20 y=20>XSS</text></a></svg>",
    "<svg><animate href=#x attributeName=href values=javascript:alert(1) /><a id=x><text>X</text></a></svg>",
    "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
    "<a href=\"  JaVaScRiPt:alert(1)\">x</a>",
    "<a href=\"java\0script:alert(1)\">x</a>",
    "<a href=\"&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)\">x</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
    "<a href=\"vbscript:msgbox(1)\">x</a>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\"></iframe>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<math><mtext><table><mglyph><style><!--</style><img title=\"--&gt;&lt;img src=1 onerror=alert(1)&gt;\">",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<form><button formaction=javascript:alert(1)>X</button></form>",
    "<form action=\"javascript:alert(1)\"><input type=submit></form>",
    "<form id=test></form><button form=test formaction=javascript:alert(1)>X</button>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<base href=\"javascript:alert(1)//\">",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"data:text/html,<script>alert(1)</script>\">",
    "<details open ontoggle=alert(1)>",
    "<input type=checkbox onfocus=alert(1) autofocus>",
    "<video><source onerror=\"alert(1)\"></video>",
    "<audio src=x onerror=alert(1)>",
    "<body onload=alert(1)>",
    "<table background=\"javascript:alert(1)\"><tr><td>x</td></tr></table>",
    "<div style=\"background-image:url(javascript:alert(1))\">x</div>",
    "<div style=\"width:expression(alert(1))\">x</div>",
    "<a href=\"https://example.com\" style=\"position:fixed;top:0;left:0;width:100%;height:100%\">x</a>",
    "<link rel=import href=\"https://evil.example/x.html\">",
    "<style>@import 'https://evil.example/x.css';</style>",
    "<template><img src=x onerror=alert(1)></template>",
    "<xmp><img src=x onerror=alert(1)></xmp>",
    "<textarea><img src=x onerror=alert(1)></textarea>",
    "<title><img src=x onerror=alert(1)></title>",
    "<noembed><img src=x onerror=alert(1)></noembed>",
    "<plaintext><img src=x onerror=alert(1)>",
    "<select><template><style><img src=x onerror=alert(1)>",
    "<!--<img src=x onerror=alert(1)>-->",
    "<![CDATA[<img src=x onerror=alert(1)>]]>",
    "<isindex action=javascript:alert(1) type=image>",
    "<a href=\"javascript&colon;alert(1)\">x</a>",
    "<div id=\"search-input\" name=\"getElementById\">x</div>",
    "<img src=\"https://x.example/a.png\" srcset=\"javascript:alert(1) 2x\">",
    "<p>a</p></body></html><script>alert(1)</script>",
    "<img src='x' onerror='alert(1)'/><img src=`x`onerror=alert(1)>",
    "<a href=\"#\" onclick=\"alert(1)\">x</a>",
    "<image src=x onerror=alert(1)>",
    "<keygen autofocus onfocus=alert(1)>",
    "<marquee onstart=alert(1)>x</marquee>",
];

#[test]
fn classic_xss_vectors_come_out_inert() {
    for vector in XSS_VECTORS {
        let out = clean(vector);
        assert!(
            !out.to_ascii_lowercase().contains("alert(1)</script"),
            "{vector} -> {out}"
        );
        // Inside and after other markup too.
        clean(&format!("<p>a<b>{vector}</b>c</p><ul><li>{vector}"));
    }
    assert_eq!(
        clean("<img src=x onerror=alert(1)>"),
        format!(r#"<img alt="" src="x" {LAZY}>"#)
    );
    assert_eq!(clean("<svg onload=alert(1)><circle r=1 /></svg>y"), "y");
}

#[test]
fn policy_violations_finds_what_the_policy_forbids() {
    let found = policy_violations(concat!(
        "<script>x</script><a href=\"javascript:x\" onclick=\"y\">a</a>",
        "<img src=\"//x/a.png\"><p style=\"color:red\" class=\"btn\"><!-- c --></p>",
    ));
    assert_eq!(found.len(), 9, "{found:#?}");
    assert!(policy_violations(&sanitize_html("<a href=x>x</a>")).is_empty());
}

#[test]
fn output_is_deterministic() {
    let html = concat!(
        r#"<p class="x" style="y" id="a" data-z="1" title="t">p</p>"#,
        r#"<img width="2" height="3" alt="a" title="t" data-src="//a/b.png" class="c" id="i">"#,
        r#"<a target="_blank" title="t" href="//x" id="l" class="footnote-reference q">a</a>"#
    );
    let first = clean(html);
    for _ in 0..20 {
        assert_eq!(sanitize_html(html), first);
    }
}
