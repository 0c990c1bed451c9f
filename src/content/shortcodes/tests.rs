use super::*;

fn md(s: &str) -> String {
    expand(s, Format::Markdown).into_owned()
}

fn html(s: &str) -> String {
    expand(s, Format::Html).into_owned()
}

#[test]
fn asset_img_becomes_an_image() {
    assert_eq!(
        md("前文\n\n{% asset_img settings.png 设置 %}\n"),
        "前文\n\n![设置](<settings.png> \"设置\")\n"
    );
    assert_eq!(
        md("{% asset_img \"lic.jpg\" \"lic\" %}"),
        "![lic](<lic.jpg> \"lic\")"
    );
    // `"title" "alt"`: the alt text is used
    assert_eq!(
        md("{% asset_img a.png 600 400 \"标题\" \"说明\" %}"),
        "![说明](<a.png> \"说明\")"
    );
    assert_eq!(
        html("<p>{% asset_img a.png 标题 %}</p>"),
        "<p><img src=\"a.png\" alt=\"标题\"></p>"
    );
}

#[test]
fn post_link_shows_the_title_or_the_slug() {
    assert_eq!(
        md("见{% post_link 人力vocaloid 人力vocaloid %}。"),
        "见人力vocaloid。"
    );
    assert_eq!(md("{% post_link hello-world %}"), "hello\\-world");
    assert_eq!(md("{% post_link a 标题 false %}"), "标题");
    // the `% }` typo a real Hexo post has
    assert_eq!(
        md("参考{% post_link unlimited 无限存储空间 % }的章节"),
        "参考无限存储空间的章节"
    );
}

#[test]
fn unknown_tags_are_removed_and_never_evaluated() {
    assert_eq!(md("a{% include foo.html %}b"), "ab");
    assert_eq!(md("{% spoiler %}秘密{% endspoiler %}"), "秘密");
    assert_eq!(md("{% if x %}甲{% else %}乙{% endif %}"), "甲乙");
    assert_eq!(md("x {{< youtube abc >}} y"), "x  y");
    // Liquid output is text, not a tag
    assert_eq!(md("{{ site.url }} {{x}}"), "{{ site.url }} {{x}}");
}

#[test]
fn raw_is_copied_verbatim() {
    assert_eq!(
        md("{% raw %}{% assign a = 1 %}{{ a }}{% endraw %}"),
        "{% assign a = 1 %}{{ a }}"
    );
    assert_eq!(md("{%raw%}x{%endraw%}"), "x");
}

#[test]
fn code_is_left_alone() {
    let s = "`{% include x %}` and\n\n```\n{% if x %}\n```\n\n    {{< y >}}\n";
    assert_eq!(md(s), s);
    let h = "<pre>{% if x %}</pre><code>{{< y >}}</code>";
    assert_eq!(html(h), h);
}

#[test]
fn hugo_highlight_becomes_a_fenced_block() {
    assert_eq!(
        md("文字\n{{< highlight go >}}\nfmt.Println(\"{{< x >}}\")\n{{< /highlight >}}\n后文"),
        "文字\n\n```go\nfmt.Println(\"{{< x >}}\")\n```\n后文"
    );
    // `{{< / highlight >}}` with a space, inside an indented paragraph, code with backticks
    assert_eq!(
        md("步骤\n\t{{< highlight html >}}\n\t<p>```</p>\n\t{{< / highlight >}}\n"),
        "步骤\n\t\n\n````html\n<p>```</p>\n````\n"
    );
    assert_eq!(
        html("{{< highlight go >}}a<b{{< /highlight >}}"),
        "<pre><code class=\"language-go\">a&lt;b</code></pre>\n"
    );
}

#[test]
fn jekyll_highlight_and_hexo_codeblock() {
    assert_eq!(
        md("{% highlight ruby linenos %}\nputs 1\n{% endhighlight %}\n"),
        "\n```ruby\nputs 1\n```\n"
    );
    assert_eq!(
        md("{% codeblock a.js lang:javascript %}\nf()\n{% endcodeblock %}"),
        "\n```javascript\nf()\n```\n"
    );
}

#[test]
fn blockquote_and_figure_and_link() {
    assert_eq!(
        md("{% blockquote 鲁迅 %}\n一句话\n{% endblockquote %}"),
        "\n> 一句话\n>\n> — 鲁迅\n\n"
    );
    assert_eq!(
        md("{{< figure src=\"/img/a.png\" title=\"图一\" >}}"),
        "![图一](</img/a.png> \"图一\")"
    );
    assert_eq!(
        md("{% link 百度 https://www.baidu.com %}"),
        "[百度](<https://www.baidu.com>)"
    );
}

#[test]
fn hugo_comment_form_writes_the_shortcode_literally() {
    assert_eq!(
        md("{{</* highlight go */>}}"),
        "\\{\\{\\< highlight go \\>\\}\\}"
    );
}

#[test]
fn unclosed_tags_stay_text_and_stay_fast() {
    assert_eq!(md("{% not closed\n\n%}"), "{% not closed\n\n%}");
    assert_eq!(md("{% raw %}never ended"), "never ended");
    let many = "{% raw %}{% highlight %}{{< highlight >}}{% ".repeat(20_000);
    let start = std::time::Instant::now();
    let _ = md(&many);
    assert!(start.elapsed().as_secs() < 20);
}

#[test]
fn text_and_tsv_are_not_touched() {
    assert_eq!(expand("{% x %}", Format::Text), "{% x %}");
    assert_eq!(expand("{% x %}", Format::Tsv), "{% x %}");
}
