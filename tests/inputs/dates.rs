//! Every date form of DESIGN.md, quoted and unquoted, with and without an offset, and the
//! messages for dates that are wrong or missing.

use super::{date, parse, post, the_error};

/// The date a YAML front matter line `date: <value>` gives.
fn yaml_date(value: &str) -> String {
    date(&post("a.md", &format!("---\ndate: {value}\n---\nx\n")))
}

#[test]
fn every_form_with_and_without_offset() {
    let cases = [
        ("2022-04-28T13:44:07+08:00", "2022-04-28T13:44:07+08:00"),
        ("2022-04-28T05:44:07Z", "2022-04-28T05:44:07+00:00"),
        ("2022-04-28T13:44:07", "2022-04-28T13:44:07+08:00"),
        ("Sun, 19 Jun 2022 04:35:46 GMT", "2022-06-19T04:35:46+00:00"),
        (
            "Thu, 28 Apr 2022 13:44:07 +0800",
            "2022-04-28T13:44:07+08:00",
        ),
        ("2022-04-28 13:44:07 +0800", "2022-04-28T13:44:07+08:00"),
        ("2022-04-28 13:44:07 -0500", "2022-04-28T13:44:07-05:00"),
        ("2022-04-28 13:44:07", "2022-04-28T13:44:07+08:00"),
        ("2022-04-28 13:44", "2022-04-28T13:44:00+08:00"),
        ("2022/04/28", "2022-04-28T00:00:00+08:00"),
        ("2022/4/8 9:05", "2022-04-08T09:05:00+08:00"),
        ("2022年4月28日", "2022-04-28T00:00:00+08:00"),
        ("2022年4月28日 13:44", "2022-04-28T13:44:00+08:00"),
        ("2022-04-28", "2022-04-28T00:00:00+08:00"),
        ("1651124647", "2022-04-28T13:44:07+08:00"),
    ];
    for (written, expected) in cases {
        assert_eq!(yaml_date(written), expected, "unquoted {written}");
        assert_eq!(
            yaml_date(&format!("\"{written}\"")),
            expected,
            "quoted {written}"
        );
        assert_eq!(
            yaml_date(&format!("'{written}'")),
            expected,
            "single-quoted {written}"
        );
    }
}

#[test]
fn toml_dates_typed_and_as_strings() {
    for (written, expected) in [
        ("2021-09-12T00:00:00+08:00", "2021-09-12T00:00:00+08:00"),
        ("2021-09-12T10:00:00Z", "2021-09-12T10:00:00+00:00"),
        ("2021-09-12T10:00:00", "2021-09-12T10:00:00+08:00"),
        ("2021-09-12", "2021-09-12T00:00:00+08:00"),
        ("\"2021-09-12 10:00\"", "2021-09-12T10:00:00+08:00"),
        ("1651124647", "2022-04-28T13:44:07+08:00"),
    ] {
        let p = post("a.md", &format!("+++\ndate = {written}\n+++\nx\n"));
        assert_eq!(date(&p), expected, "{written}");
    }
    // extra spaces as in a real Hugo post
    let p = post("a.md", "+++\ndate =  \"2012-07-25T00:00:00Z\"\n+++\nx\n");
    assert_eq!(date(&p), "2012-07-25T00:00:00+00:00");
}

#[test]
fn the_site_timezone_applies_to_dates_without_offset() {
    use digest::config::Config;
    use digest::content::{parse_source, SourceFile};
    let config = Config {
        timezone: chrono_tz::America::New_York,
        ..Config::default()
    };
    let src = SourceFile {
        path: "a.md".into(),
        bytes: b"---\ndate: 2022-07-01 12:00\n---\nx\n".to_vec(),
    };
    let p = parse_source(&src, &config);
    assert_eq!(date(&p.posts[0]), "2022-07-01T12:00:00-04:00");
}

#[test]
fn an_impossible_date_is_an_error_that_points_at_it() {
    let e = the_error("a.md", "---\ntitle: x\ndate: 2022-13-45\n---\nbody\n");
    assert_eq!(e.file.to_str(), Some("content/a.md"));
    assert_eq!((e.line, e.column), (Some(3), Some(7)));
    assert_eq!(
        e.message,
        "date: expected a date such as 2022-04-28 or 2022-04-28 13:44:07 +0800, found '2022-13-45'"
    );
    assert_eq!(e.source_line.as_deref(), Some("date: 2022-13-45"));
    let shown = e.to_string();
    assert!(
        shown.starts_with("error: content/a.md:3:7: date: expected"),
        "{shown}"
    );
    assert!(shown.contains("3 | date: 2022-13-45"), "{shown}");
    // quoted, with the key as the post spells it: the column is the value's, inside the quotes
    let e = the_error("a.md", "---\npubDate: \"2022-02-30 10:00\"\n---\nbody\n");
    assert_eq!((e.line, e.column), (Some(2), Some(11)));
    assert!(e.message.starts_with("pubDate: expected"), "{}", e.message);
    // a time that does not exist
    let e = the_error("a.md", "---\ndate: 2022-04-28 25:61\n---\nbody\n");
    assert_eq!(e.line, Some(2));
}

#[test]
fn an_impossible_updated_date_is_an_error_too() {
    let e = the_error(
        "a.md",
        "---\ndate: 2022-01-01\nlastmod: 2022-00-10\n---\nbody\n",
    );
    assert_eq!((e.line, e.column), (Some(3), Some(10)));
    assert!(e.message.starts_with("lastmod: expected"), "{}", e.message);
}

/// Regression: the finews converter writes `date:  +0800` when its source had no date.
#[test]
fn a_date_that_holds_no_date_is_a_warning_and_the_post_is_undated() {
    let p = parse(
        "_posts/-1.md",
        "---\ntitle: \"\"\ndate:  +0800\n---\n正文。\n",
    );
    assert_eq!(p.posts.len(), 1);
    assert_eq!(date(&p.posts[0]), "none");
    assert_eq!(p.diagnostics.len(), 1, "{:?}", p.diagnostics);
    let w = &p.diagnostics[0];
    assert!(!w.is_error());
    assert_eq!((w.line, w.column), (Some(3), Some(8)));
    assert!(w.message.contains("'+0800' holds no date"), "{}", w.message);
    // the file name still gives a date
    let p = parse("_posts/2021-12-08-x.md", "---\ndate: ''\n---\n正文。\n");
    assert_eq!(date(&p.posts[0]), "2021-12-08T00:00:00+08:00");
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    // an empty `date:` is a missing date
    let p = parse("a.md", "---\ndate:\n---\n正文。\n");
    assert_eq!(date(&p.posts[0]), "none");
    assert!(p.diagnostics.iter().all(|d| !d.is_error()));
    assert!(p.diagnostics[0].message.starts_with("no date found"));
}

#[test]
fn dates_from_the_text_of_scraped_posts() {
    for (text, expected) in [
        (
            "研究报告\n2017年5月第5期\n\n正文。",
            "2017-05-01T00:00:00+08:00",
        ),
        (
            "标题\n来源：新华网 2022-04-28\n正文。",
            "2022-04-28T00:00:00+08:00",
        ),
        ("标题\n2022年4月28日\n正文。", "2022-04-28T00:00:00+08:00"),
    ] {
        assert_eq!(date(&post("a.txt", text)), expected, "{text}");
    }
    // a year alone is not a date; the post is undated, with a warning
    let p = parse("a.txt", "标题\n2021年总营收增长。\n");
    assert_eq!(date(&p.posts[0]), "none");
    assert!(p.diagnostics[0].message.starts_with("no date found"));
}

#[test]
fn the_date_is_never_the_file_mtime() {
    let a = post("a.md", "---\ntitle: x\n---\nx\n");
    assert_eq!(date(&a), "none");
}
