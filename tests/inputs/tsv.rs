//! Tab-separated records: many per file, an optional header, wrong field counts.

use digest::content::format::Format;

use super::{parse, post};

#[test]
fn every_record_is_a_post_with_its_line() {
    let text = "云A\t摘要A\t　　第一段。　　第二段。\n\n云B\t\t　　正文B。\n云C\t摘要C\t正文C 2022-04-28\n";
    let p = parse("feed.tsv", text);
    assert!(
        p.diagnostics.iter().all(|d| !d.is_error()),
        "{:?}",
        p.diagnostics
    );
    let lines: Vec<usize> = p.posts.iter().map(|p| p.source_line).collect();
    assert_eq!(lines, vec![1, 3, 4]);
    let a = &p.posts[0];
    assert_eq!(a.format, Format::Tsv);
    assert_eq!(a.title, "云A");
    assert_eq!(a.summary, "摘要A");
    assert_eq!(a.body_html, "<p>第一段。</p>\n<p>第二段。</p>\n");
    // an empty summary column: the summary comes from the body
    assert_eq!(p.posts[1].summary, "正文B。");
    // every record has its own slug, made from its title
    let slugs: Vec<&str> = p.posts.iter().map(|p| p.slug.as_str()).collect();
    assert_eq!(slugs, vec!["yun-a", "yun-b", "yun-c"]);
}

#[test]
fn a_header_line_is_recognised() {
    for header in [
        "title\tsummary\tbody",
        "Title\tSummary\tBody",
        "标题\t摘要\t正文",
    ] {
        let p = parse("a.tsv", &format!("{header}\n甲\t乙\t丙\n"));
        assert_eq!(p.posts.len(), 1, "{header}");
        assert_eq!(p.posts[0].source_line, 2);
    }
}

#[test]
fn a_txt_file_of_records_is_tsv_by_content() {
    let p = post("a.txt", "标题\t摘要\t　　正文。\n");
    assert_eq!(p.format, Format::Tsv);
}

#[test]
fn wrong_field_counts_are_errors_naming_file_and_line() {
    let p = parse(
        "feed.tsv",
        "甲\t摘要\t正文\n乙\t只有两列\n丙\t一\t二\t三\n丁\t摘要\t正文\n",
    );
    assert_eq!(p.posts.len(), 2);
    let errors: Vec<_> = p.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0].file.to_str(), Some("content/feed.tsv"));
    assert_eq!(errors[0].line, Some(2));
    assert_eq!(
        errors[0].message,
        "expected 3 tab-separated fields (title, summary, body), found 2"
    );
    assert_eq!(errors[0].source_line.as_deref(), Some("乙\t只有两列"));
    assert_eq!(errors[1].line, Some(3));
    assert!(errors[1].message.ends_with("found 4"));
}

#[test]
fn an_empty_title_is_an_error() {
    let p = parse("feed.tsv", "甲\t摘要\t正文\n\t摘要\t正文\n");
    let e = p
        .diagnostics
        .iter()
        .find(|d| d.is_error())
        .expect("an error");
    assert_eq!(e.line, Some(2));
    assert!(e.message.contains("expected a title"), "{}", e.message);
}

#[test]
fn slugs_are_stable_whatever_else_the_file_holds() {
    let one = parse("a.tsv", "甲\t\t正文\n乙\t\t正文\n");
    let two = parse("a.tsv", "丙\t\t正文\n甲\t\t正文二\n乙\t\t正文\n");
    let slug = |p: &digest::content::Parsed, t: &str| {
        p.posts
            .iter()
            .find(|x| x.title == t)
            .map(|x| x.slug.clone())
    };
    assert_eq!(slug(&one, "甲"), slug(&two, "甲"));
    assert_eq!(slug(&one, "乙"), slug(&two, "乙"));
}

#[test]
fn many_records() {
    let text: String = (0..2000)
        .map(|i| format!("标题{i}\t摘要{i}\t正文{i}。\n"))
        .collect();
    let p = parse("big.tsv", &text);
    assert_eq!(p.posts.len(), 2000);
    assert_eq!(p.posts[1999].source_line, 2000);
    assert_eq!(p.posts[1999].title, "标题1999");
}

/// Regression: each record's warning looked its line up from the top of the file, so a
/// file of 35,000 undated records took minutes.
#[test]
fn many_undated_records_are_reported_in_linear_time() {
    let text = "标题\t摘要\t　　正文。\n".repeat(20_000);
    let start = std::time::Instant::now();
    let p = parse("big.tsv", &text);
    assert_eq!(p.posts.len(), 20_000);
    let last = p.diagnostics.last().expect("a warning per record");
    assert_eq!(last.line, Some(20_000));
    assert_eq!(last.source_line.as_deref(), Some("标题\t摘要\t　　正文。"));
    assert!(start.elapsed().as_secs() < 60, "{:?}", start.elapsed());
}
