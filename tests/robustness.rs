//! No input makes digest panic or produce unbounded output: arbitrary bytes and post-like
//! strings through `parse_source` and through each pure stage on its own; and a large post
//! parses in well under a second per megabyte (measured and printed, not asserted: timings
//! depend on the machine and the build profile).

use std::path::PathBuf;
use std::time::Instant;

use digest::config::{Config, SlugStyle};
use digest::content::format::{self, Format};
use digest::content::{
    date, decode, frontmatter, html, markdown, meta, parse_source, sanitize, shortcodes, slug,
    text, tsv, SourceFile,
};
use proptest::prelude::*;

const NAMES: &[&str] = &[
    "a.md",
    "a.txt",
    "a.html",
    "a.tsv",
    "_posts/2022-04-28-a.md",
    "金融/财联社/a.markdown",
];

/// Pieces real posts are made of, so random strings reach the interesting paths.
const PIECES: &[&str] = &[
    "---\n",
    "+++\n",
    "title: ",
    "date: ",
    "2022-04-28 13:44:07 +0800",
    "2022-13-45",
    "categories: [[金融, 财联社]]\n",
    "tags: a，b、c\n",
    "\n",
    "\n\n",
    "\t",
    "　　",
    "云计算",
    "。",
    "，",
    "**",
    "__",
    "# ",
    "- ",
    "> ",
    "| a | b |\n|---|---|\n",
    "```\n",
    "    ",
    "<p>",
    "</p>",
    "<div style=\"display:none\">",
    "<!--more-->",
    "<!-- x -->",
    "<script>",
    "<http://a.example/x>",
    "[a](javascript:x)",
    "![i](x.png)",
    "{% raw %}",
    "{% endraw %}",
    "{% asset_img a.png 标题 %}",
    "{% post_link a b %}",
    "{%",
    "%}",
    "{{< highlight go >}}",
    "{{< /highlight >}}",
    "{{<",
    ">}}",
    "{{ x }}",
    "[^1]",
    "[^1]: n\n",
    "http://x.cn/201706/a.html",
    "6月12日",
    "2017年5月",
    "\u{FEFF}",
    "\r\n",
    "\r",
    "&amp;",
    "<",
    ">",
    "\"",
    "'",
    "`",
    "全部0条评论\n",
    "ａ",
    "𠀀",
    "\u{0}",
];

fn post_like() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => prop::sample::select(PIECES).prop_map(str::to_string),
            1 => any::<String>(),
        ],
        0..64,
    )
    .prop_map(|v| v.concat())
}

/// Output may grow with the input, but only by a bounded factor.
fn bounded(out: usize, input: usize) -> bool {
    out <= 64 * input + 4096
}

fn parse(name: &str, bytes: Vec<u8>) -> digest::content::Parsed {
    parse_source(
        &SourceFile {
            path: PathBuf::from(name),
            bytes,
        },
        &Config::default(),
    )
}

fn check_parsed(p: &digest::content::Parsed, input: usize) {
    for post in &p.posts {
        assert!(
            bounded(post.body_html.len(), input),
            "{}",
            post.body_html.len()
        );
        assert!(bounded(post.body_text.len(), input));
        assert!(post.summary.chars().count() <= input.max(150) + 1);
        assert!(!post.slug.contains('/') && !post.slug.contains('\\'));
        assert!(post.slug.len() <= 200, "{}", post.slug);
    }
    for d in &p.diagnostics {
        assert!(d.file.starts_with("content"));
        assert!(d.line.map_or(true, |l| l >= 1));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn parse_source_takes_any_bytes(
        name in prop::sample::select(NAMES),
        bytes in prop::collection::vec(any::<u8>(), 0..2048),
    ) {
        let n = bytes.len();
        check_parsed(&parse(name, bytes), n);
    }

    #[test]
    fn parse_source_takes_any_post_like_text(
        name in prop::sample::select(NAMES),
        s in post_like(),
    ) {
        let n = s.len();
        check_parsed(&parse(name, s.into_bytes()), n);
    }

    #[test]
    fn each_stage_takes_any_text(s in post_like(), bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let n = s.len();
        if let Ok(d) = decode::decode(&bytes) {
            prop_assert!(d.text.len() <= 3 * bytes.len());
        }
        let split = frontmatter::split(&s);
        prop_assert!(split.body.len() <= n);
        if let Some((syntax, block)) = split.front {
            let _ = frontmatter::parse(syntax, block, split.front_line);
        }
        for ext in ["md", "txt", "html", "tsv", ""] {
            let _ = format::sniff(&s, ext, false);
        }
        let _ = date::parse_date(&s, chrono_tz::Asia::Shanghai);
        let _ = date::find_date_in_text(&s, chrono_tz::Asia::Shanghai);
        let _ = date::holds_no_date(&s);
        let (records, errors) = tsv::parse(&s, 1);
        prop_assert!(records.len() + errors.len() <= s.lines().count());
        for f in [Format::Markdown, Format::Html, Format::Text, Format::Tsv] {
            prop_assert!(bounded(shortcodes::expand(&s, f).len(), n));
        }
        prop_assert!(bounded(markdown::render(&s, true).html.len(), n));
        let _ = markdown::more_marker(&s);
        prop_assert!(bounded(html::render_fragment(&s).len(), n));
        prop_assert!(bounded(html::read_document(&s).body.len(), n));
        prop_assert!(bounded(text::text_to_html(&s).len(), n));
        prop_assert!(text::join_broken_lines(&s).len() <= n);
        prop_assert!(text::strip_junk(&s, &["全部0条评论".to_string()]).len() <= n);
        prop_assert!(bounded(text::linkify(&s).len(), n));
        if let Some((title, _)) = meta::infer_title(&s) {
            prop_assert!(title.chars().count() <= meta::MAX_TITLE_CHARS.max(n));
        }
        prop_assert!(meta::summarize(&s).chars().count() <= meta::SUMMARY_CHARS.max(n));
        let _ = meta::source_link_in_text(&s);
        for style in [SlugStyle::Pinyin, SlugStyle::Unicode] {
            let slug = slug::slugify(&s, style);
            prop_assert!(!slug.contains('/'));
        }
        prop_assert!(bounded(sanitize::sanitize_html(&s).len(), n));
    }
}

/// A post of about `mb` megabytes: front matter, then a mix of everything a body can hold.
fn big_post(mb: usize) -> String {
    let chunk = "## 云计算的十字路口\n\n　　阿里云、腾讯云和华为云在2022年4月28日发布财报，**主要研究方向：**一、云计算交易模式。\
                 详见<http://pe.pedaily.cn/201706/20170612415097.shtml>和[原文](https://www.cls.cn/a)。\n\n\
                 - 第一点 {% asset_img a.png 图 %}\n- 第二点 {{ site.url }}\n\n| 厂商 | 份额 |\n|---|---|\n| 阿里云 | 36% |\n\n\
                 <p>一段 <b>HTML</b> <span style=\"display:none\">隐藏</span></p>\n\n```go\nfmt.Println(\"{% raw %}\")\n```\n\n";
    let mut s = String::from("---\ntitle: 大文件\ndate: 2022-04-28\ntags: [a, b]\n---\n");
    while s.len() < mb * 1024 * 1024 {
        s.push_str(chunk);
    }
    s
}

#[test]
fn a_five_megabyte_post_parses() {
    let s = big_post(5);
    let mb = s.len() as f64 / (1024.0 * 1024.0);
    let start = Instant::now();
    let p = parse("big.md", s.into_bytes());
    let secs = start.elapsed().as_secs_f64();
    println!(
        "5 MB post: {mb:.1} MB in {secs:.2} s = {:.2} s/MB ({} build)",
        secs / mb,
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );
    assert_eq!(p.posts.len(), 1);
    assert!(p.posts[0].body_text.contains("阿里云、腾讯云和华为云"));
}

/// Shapes that make naive parsers quadratic, one megabyte each; printed like the above.
#[test]
fn pathological_megabytes_parse() {
    let shapes: Vec<(&str, &str, String)> = vec![
        (
            "unclosed tags",
            "a.md",
            "{% raw %}{{< highlight >}}{%".repeat(40_000),
        ),
        ("asterisks", "a.md", "**云".repeat(250_000)),
        ("one long line", "a.txt", "云计算".repeat(120_000)),
        ("angle brackets", "a.html", "<p><".repeat(250_000)),
        ("nested quotes", "a.md", ">".repeat(1_000_000)),
        ("tsv", "a.tsv", "标题\t摘要\t　　正文。\n".repeat(35_000)),
        (
            "list of links",
            "a.md",
            "- [a](http://x.cn/)\n".repeat(50_000),
        ),
        (
            "table",
            "a.md",
            format!(
                "|{}\n|{}\n{}",
                "a|".repeat(2000),
                "-|".repeat(2000),
                "|\n".repeat(2000)
            ),
        ),
    ];
    for (what, name, s) in shapes {
        let n = s.len();
        let start = Instant::now();
        let p = parse(name, s.into_bytes());
        let secs = start.elapsed().as_secs_f64();
        println!("{what}: {:.2} MB in {secs:.2} s", n as f64 / 1048576.0);
        check_parsed(&p, n);
    }
}
