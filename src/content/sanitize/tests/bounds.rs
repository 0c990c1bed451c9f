//! Bounds: deep nesting cannot overflow the stack or go quadratic, large input stays linear.
//! The measured times are printed (run with `--nocapture`), never asserted.

use std::time::Instant;

use scraper::Html;

use super::{assert_inert, clean, on_small_stack};
use crate::content::sanitize::parse::{html_element, parse_bounded, CHUNK_BYTES};
use crate::content::sanitize::{first_image_src, html_to_text, policy_violations, sanitize_html};

#[test]
fn deep_nesting_neither_overflows_nor_goes_quadratic() {
    on_small_stack(|| {
        let shapes: [(&str, &str); 6] = [
            ("<div>", ""),
            ("<div>", "</div>"),
            ("<ul><li>", ""),
            ("<b>", ""),
            ("<table><tr><td>", ""),
            ("<a href=x><i>", ""),
        ];
        for (open, close) in shapes {
            let html = format!(
                "{}深<script>alert(1)</script><p hidden>藏</p><p>文 &amp; 字</p>{}",
                open.repeat(100_000),
                close.repeat(100_000)
            );
            let start = Instant::now();
            let out = sanitize_html(&html);
            // Without the depth limit this takes hours; with it, the tokenizer's linear pass.
            let elapsed = start.elapsed();
            eprintln!(
                "{open}{close} ×100000, {} KB: {elapsed:?}",
                html.len() / 1000
            );
            assert_eq!(out, "<p>深</p>\n<p>文 &amp; 字</p>", "{open}");
            assert_eq!(html_to_text(&html), "深\n文 & 字", "{open}");
            assert_eq!(first_image_src(&html), None);
            assert_inert(&out);
        }
        assert_eq!(policy_violations(&"<div>".repeat(100_000)).len(), 1);
    });
}

#[test]
fn feeding_the_parser_in_pieces_changes_nothing() {
    // Tags, entities and multi-byte characters straddling every piece boundary.
    let unit = "<p class=\"c\">云&amp;计&#x7B97;<a href=\"https://x.example/?a=1&amp;b=2\">链</a><!-- c --></p>";
    for pad in 0..unit.len() {
        let html = format!(
            "{}{}",
            "x".repeat(pad),
            unit.repeat(2 * CHUNK_BYTES / unit.len() + 2)
        );
        let pieces =
            parse_bounded(&html).and_then(|doc| html_element(&doc).map(|e| e.inner_html()));
        let whole = Html::parse_fragment(&html).root_element().inner_html();
        assert_eq!(pieces.as_deref(), Some(whole.as_str()), "pad {pad}");
    }
}

#[test]
fn nesting_below_the_limit_keeps_its_markup() {
    on_small_stack(|| {
        let html = format!("{}x{}", "<div>".repeat(400), "</div>".repeat(400));
        assert_eq!(clean(&html), html);
        assert_eq!(html_to_text(&html), "x");
    });
}

#[test]
fn ten_megabytes_on_one_line_are_cleaned() {
    let unit = concat!(
        r#"<p style="text-align:center">云计算市场<b>持续增长</b>，"#,
        r#"<a href="//example.com/a?x=1&y=2" target="_blank">链接</a>"#,
        r#"<img src="https://img.example.com/a.png" width="600" height="400">"#,
        r#"<span style="display:none">隐藏</span><!-- c --><script>x()</script></p>"#,
    );
    let run = |bytes: usize| {
        let html = unit.repeat(bytes / unit.len() + 1);
        let start = Instant::now();
        let out = sanitize_html(&html);
        let text = html_to_text(&html);
        let elapsed = start.elapsed();
        assert!(!out.contains("隐藏") && !text.contains("隐藏"));
        assert_eq!(text.lines().count(), html.matches("<p ").count());
        elapsed
    };
    let one = run(1 << 20);
    let ten = run(10 << 20);
    // Linear is ×10, quadratic ×100: printed for a reader, not asserted (a busy machine
    // would make any bound flaky; the benchmarks own timing targets).
    eprintln!(
        "1 MB: {one:?}, 10 MB: {ten:?} (×{:.1})",
        ten.as_secs_f64() / one.as_secs_f64()
    );
}
