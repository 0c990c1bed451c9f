//! The [`Post`]: everything the site needs to know about one post, as plain data.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use serde_json::{Map, Value as Json};

use crate::config::Config;
use crate::diagnostics::Diagnostic;

use super::format::{self, Format};
use super::frontmatter::{self, Field, FrontMatter};
use super::{date, decode, html, markdown, meta, nesting, sanitize, shortcodes, slug, text, tsv};

/// A file found under `content/`, read but not yet understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Path relative to the content folder, with `/` separators.
    pub path: PathBuf,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// One post, ready to be placed in the site.
#[derive(Debug, Clone, PartialEq)]
pub struct Post {
    /// Source path relative to the content folder.
    pub source: PathBuf,
    /// 1-based line of the record for TSV posts (several posts share one file); 1 otherwise.
    pub source_line: usize,
    /// The format the body was read as.
    pub format: Format,
    /// The encoding the file was in.
    pub encoding: &'static str,
    /// Title, stated or inferred.
    pub title: String,
    /// URL slug (a single safe path component), before clash suffixes are added.
    pub slug: String,
    /// Publication date; `None` when nothing in the post says.
    pub date: Option<DateTime<FixedOffset>>,
    /// Last update, when stated.
    pub updated: Option<DateTime<FixedOffset>>,
    /// Category paths: each inner list runs from the top of a hierarchy down.
    pub categories: Vec<Vec<String>>,
    /// Tags as written (terms are merged by slug later).
    pub tags: Vec<String>,
    /// Plain-text summary.
    pub summary: String,
    /// Sanitized body HTML: the only post text templates may print unescaped.
    pub body_html: String,
    /// Plain text of the body, for search and reading time.
    pub body_text: String,
    /// Cover image URL (http(s) or site-relative).
    pub image: Option<String>,
    /// Author, stated.
    pub author: Option<String>,
    /// Link to the original article, when the post names one.
    pub source_url: Option<String>,
    /// Drafts are built only with `--drafts`.
    pub draft: bool,
    /// Front matter keys digest does not know, for templates as `page.extra`.
    pub extra: Map<String, Json>,
}

/// What reading one file gave: its posts and the problems found on the way.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    /// The file's posts: one, or one per TSV record, or none when the file is unusable.
    pub posts: Vec<Post>,
    /// Errors and warnings, each naming the file (as `content/...`).
    pub diagnostics: Vec<Diagnostic>,
}

/// Everything about a post that comes from its text before the body is rendered.
struct Draft {
    title: Option<String>,
    date: Option<DateTime<FixedOffset>>,
    summary: Option<String>,
    author: Option<String>,
    image: Option<String>,
    source_url: Option<String>,
}

/// How a post's source file is named in messages: `content/...`.
pub fn display_path(path: &Path) -> PathBuf {
    Path::new("content").join(path)
}

/// Reads one source file into posts. Pure: the bytes are already in memory.
pub fn parse_source(src: &SourceFile, config: &Config) -> Parsed {
    let mut out = Parsed::default();
    let file = display_path(&src.path);
    let decoded = match decode::decode(&src.bytes) {
        Ok(d) => d,
        Err(e) => {
            // not a post at all (an image saved as .txt): skipped, never read as mojibake
            out.diagnostics.push(Diagnostic::warning(
                &file,
                format!("{e}; expected UTF-8, UTF-16, GBK or Big5 text; the file is skipped"),
            ));
            return out;
        }
    };
    let text = decoded.text.as_str();
    let split = frontmatter::split(text);
    let fm = match split.front {
        Some((syntax, block)) => match frontmatter::parse(syntax, block, split.front_line) {
            Ok(fm) => Some(fm),
            Err(e) => {
                let mut d = Diagnostic::error(&file, e.message);
                if let Some(line) = e.line {
                    d = d.at(text, line, e.column);
                }
                out.diagnostics.push(d);
                return out;
            }
        },
        None => None,
    };
    let ext = src
        .path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let fmt = format::sniff(split.body, &ext, fm.is_some());
    if fmt == Format::Tsv {
        parse_tsv(
            src,
            &file,
            split.body,
            split.body_line,
            decoded.encoding,
            config,
            &mut out,
        );
        return out;
    }
    let fm = fm.unwrap_or_default();
    let mut draft = Draft {
        title: fm.title.clone(),
        date: None,
        summary: fm.summary.clone(),
        author: fm.author.clone(),
        image: None,
        source_url: None,
    };
    let fm_date_given = fm.date.is_some();
    if let Some(f) = &fm.date {
        draft.date = read_date(f, config, &file, text, &mut out.diagnostics);
    }
    let updated = fm
        .updated
        .as_ref()
        .and_then(|f| read_date(f, config, &file, text, &mut out.diagnostics));
    draft.image = fm
        .image
        .as_ref()
        .and_then(|f| checked_url(f, "image", &file, text, &mut out.diagnostics));
    draft.source_url = fm
        .source
        .as_ref()
        .and_then(|f| checked_url(f, "source", &file, text, &mut out.diagnostics));

    // Scraped text (no front matter) carries comment-box junk and PDF line breaks.
    let scraped = split.front.is_none();
    let mut body = split.body.to_string();
    if scraped && fmt != Format::Html {
        body = text::strip_junk(&body, &config.strip_lines);
        body = text::join_broken_lines(&body);
    }
    // generator tags become what they stand for before the body is rendered
    if let std::borrow::Cow::Owned(expanded) = shortcodes::expand(&body, fmt) {
        body = expanded;
    }
    let body_html = match fmt {
        Format::Markdown => {
            let r = markdown::render(&body, draft.title.is_none());
            if draft.title.is_none() {
                draft.title = r.title;
            }
            r.html
        }
        Format::Html => {
            if html::is_document(&body) {
                let page = html::read_document(&capped(&body));
                draft.title = draft.title.or(page.title);
                draft.author = draft.author.or(page.author);
                draft.summary = draft.summary.or(page.description);
                if draft.date.is_none() {
                    draft.date = page
                        .date
                        .and_then(|d| date::parse_date(&d, config.timezone).ok());
                }
                if draft.image.is_none() {
                    draft.image = page
                        .image
                        .filter(|u| is_safe_url(u))
                        .map(|u| fix_protocol_relative(&u));
                }
                page.body
            } else {
                html::render_fragment(&body)
            }
        }
        Format::Text | Format::Tsv => {
            if draft.title.is_none() {
                if let Some((title, whole_line)) = meta::infer_title(&body) {
                    if whole_line {
                        body = drop_first_line(&body);
                    }
                    draft.title = Some(title);
                }
            }
            text::text_to_html(&body)
        }
    };
    // looked for only now: rendering may have changed `body` (a plain-text title line is
    // dropped from it), so a position taken before would be stale
    let more_head = markdown::more_marker(&body).map(|pos| body[..pos].to_string());
    let body_html = sanitize::sanitize_html(&capped(&body_html));
    let body_text = sanitize::html_to_text(&body_html);
    if draft.title.is_none() {
        draft.title = meta::infer_title(&body_text).map(|(t, _)| t);
    }
    if draft.summary.is_none() {
        if let Some(head) = more_head {
            let head = match fmt {
                Format::Markdown => markdown::render(&head, false).html,
                _ => head,
            };
            let head_text = sanitize::html_to_text(&sanitize::sanitize_html(&capped(&head)));
            if !head_text.trim().is_empty() {
                draft.summary = Some(head_text.split_whitespace().collect::<Vec<_>>().join(" "));
            }
        }
    }
    if draft.date.is_none() {
        draft.date = stem_date(&src.path, config).map(|(d, _)| d);
    }
    // Hugo falls back to `lastmod` when a post has no date; so do we.
    if draft.date.is_none() {
        draft.date = updated;
    }
    if draft.date.is_none() && scraped {
        draft.date = date::find_date_in_text(&body_text, config.timezone);
    }
    if draft.source_url.is_none() {
        draft.source_url =
            meta::source_link_in_text(&body_text).or_else(|| trailing_link(split.body));
    }
    if draft.date.is_none() && scraped {
        draft.date = url_date(draft.source_url.as_deref(), &body_text, config);
    }
    let title = draft.title.unwrap_or_else(|| file_stem(&src.path));
    let slug_source = fm
        .slug
        .clone()
        .or_else(|| {
            stem_date(&src.path, config)
                .map(|(_, rest)| rest)
                .filter(|r| !r.is_empty())
        })
        .unwrap_or_else(|| title.clone());
    let post = Post {
        source: src.path.clone(),
        source_line: 1,
        format: fmt,
        encoding: decoded.encoding,
        slug: slug::slugify(&slug_source, config.slug_style),
        categories: categories(&fm, &src.path, config),
        tags: dedup_tags(fm.tags.clone().unwrap_or_default()),
        summary: draft
            .summary
            .map(|s| flatten(&s))
            .unwrap_or_else(|| meta::summarize(&body_text)),
        title,
        date: draft.date,
        updated,
        body_html,
        body_text,
        image: draft.image,
        author: draft.author,
        source_url: draft.source_url,
        draft: fm.draft,
        extra: fm.extra,
    };
    // a `date:` that holds no date, or a wrong one, has had its own message already
    let told_undated = fm_date_given;
    if post.date.is_none() && !told_undated {
        out.diagnostics.push(Diagnostic::warning(
            &file,
            "no date found: expected a `date:` in front matter, a YYYY-MM-DD file name prefix or a date in the first lines; the post is listed after dated ones",
        ));
    }
    out.posts.push(post);
    out
}

#[allow(clippy::too_many_arguments)]
fn parse_tsv(
    src: &SourceFile,
    file: &Path,
    body: &str,
    body_line: usize,
    encoding: &'static str,
    config: &Config,
    out: &mut Parsed,
) {
    let (records, errors) = tsv::parse(body, body_line);
    for e in errors {
        out.diagnostics
            .push(Diagnostic::error(file, e.message).at_line(e.line, None, e.text));
    }
    for r in records {
        let body_html = sanitize::sanitize_html(&text::text_to_html(&text::strip_junk(
            r.body,
            &config.strip_lines,
        )));
        let body_text = sanitize::html_to_text(&body_html);
        let summary = if r.summary.is_empty() {
            meta::summarize(&body_text)
        } else {
            flatten(r.summary)
        };
        let source_url = meta::source_link_in_text(&body_text);
        let date = stem_date(&src.path, config)
            .map(|(d, _)| d)
            .or_else(|| date::find_date_in_text(&body_text, config.timezone))
            .or_else(|| url_date(source_url.as_deref(), &body_text, config));
        let title = r.title.to_string();
        let post = Post {
            source: src.path.clone(),
            source_line: r.line,
            format: Format::Tsv,
            encoding,
            slug: slug::slugify(&title, config.slug_style),
            categories: categories(&FrontMatter::default(), &src.path, config),
            tags: Vec::new(),
            summary,
            source_url,
            title,
            date,
            updated: None,
            body_html,
            body_text,
            image: None,
            author: None,
            draft: false,
            extra: Map::new(),
        };
        if post.date.is_none() {
            out.diagnostics.push(
                Diagnostic::warning(
                    file,
                    "no date found for this record; it is listed after dated posts",
                )
                .at_line(r.line, None, r.text),
            );
        }
        out.posts.push(post);
    }
}

fn read_date(
    f: &Field,
    config: &Config,
    file: &Path,
    text: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<DateTime<FixedOffset>> {
    match date::parse_date(&f.value, config.timezone) {
        Ok(d) => Some(d),
        Err(e) => {
            // `date:  +0800` (a feed converter's empty date) is a missing date, not a bad one
            let mut d = if date::holds_no_date(&f.value) {
                Diagnostic::warning(
                    file,
                    format!(
                        "{}: '{}' holds no date; {}, so the post is treated as undated",
                        f.key, f.value, DATE_EXPECTED
                    ),
                )
            } else {
                Diagnostic::error(file, format!("{}: {e}", f.key))
            };
            if let Some(line) = f.line {
                d = d.at(text, line, value_column(text, line, &f.value));
            }
            diags.push(d);
            None
        }
    }
}

/// What a date should look like, for messages.
const DATE_EXPECTED: &str = "expected a date such as 2022-04-28 or 2022-04-28 13:44:07 +0800";

/// The 1-based character column where `value` starts on `line` of `text`, after the key.
fn value_column(text: &str, line: usize, value: &str) -> Option<usize> {
    let l = text.lines().nth(line.checked_sub(1)?)?;
    // look after the `key:` (or `key =`) so a value equal to part of the key is not found
    let after_key = l.find([':', '=']).map_or(0, |i| i + 1);
    let b = after_key + l.get(after_key..)?.find(value)?;
    Some(l[..b].chars().count() + 1)
}

/// HTML nested no deeper than HTML parsers handle in linear time (see [`nesting`]).
fn capped(html: &str) -> std::borrow::Cow<'_, str> {
    nesting::limit_depth(html, nesting::MAX_DEPTH)
}

/// Whether a URL from a post may be used as an image or link target outside the sanitized
/// body: http(s), protocol-relative, or site-relative.
pub fn is_safe_url(url: &str) -> bool {
    let u = url.trim();
    let lower = u.to_ascii_lowercase();
    if u.is_empty() || u.chars().any(|c| c.is_control()) {
        return false;
    }
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("//") {
        return true;
    }
    // relative: no scheme before the first '/', '?' or '#'
    let head = lower.split(['/', '?', '#']).next().unwrap_or("");
    !head.contains(':')
}

/// `//host/x` becomes `https://host/x`: the site is served over https.
pub fn fix_protocol_relative(url: &str) -> String {
    let u = url.trim();
    match u.strip_prefix("//") {
        Some(rest) => format!("https://{rest}"),
        None => u.to_string(),
    }
}

fn checked_url(
    f: &Field,
    key: &str,
    file: &Path,
    text: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    if is_safe_url(&f.value) {
        return Some(fix_protocol_relative(&f.value));
    }
    let mut d = Diagnostic::warning(
        file,
        format!(
            "{key}: expected an http(s) or site-relative URL, found '{}'; it is left out",
            f.value
        ),
    );
    if let Some(line) = f.line {
        d = d.at(text, line, None);
    }
    diags.push(d);
    None
}

/// The date a news URL and the text's `M月D日` give together, at midnight in the site timezone.
fn url_date(url: Option<&str>, text: &str, config: &Config) -> Option<DateTime<FixedOffset>> {
    let (y, m, d) = meta::date_from_url_and_text(url?, text)?;
    let day = chrono::NaiveDate::from_ymd_opt(y, m, d)?;
    date::localize(day.and_hms_opt(0, 0, 0)?, config.timezone)
}

fn stem_date(path: &Path, config: &Config) -> Option<(DateTime<FixedOffset>, String)> {
    let stem = path.file_stem()?.to_str()?;
    date::date_from_file_stem(stem, config.timezone).map(|(d, rest)| (d, rest.to_string()))
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("untitled")
        .to_string()
}

/// Folders under `content/` that hold posts but are not categories.
fn is_container_dir(name: &str) -> bool {
    matches!(name, "posts" | "post" | "_posts" | "articles") || name.starts_with('_')
}

fn categories(fm: &FrontMatter, path: &Path, config: &Config) -> Vec<Vec<String>> {
    if let Some(c) = &fm.categories {
        let c: Vec<Vec<String>> = c.iter().filter(|p| !p.is_empty()).cloned().collect();
        if !c.is_empty() {
            return c;
        }
    }
    let folders: Vec<String> = path
        .parent()
        .into_iter()
        .flat_map(|p| p.components())
        .filter_map(|c| c.as_os_str().to_str())
        .filter(|c| !is_container_dir(c))
        .map(str::to_string)
        .collect();
    if folders.is_empty() {
        vec![vec![config.default_category.clone()]]
    } else {
        vec![folders]
    }
}

fn dedup_tags(tags: Vec<String>) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for t in tags {
        let key = t.to_lowercase();
        if !seen.contains(&key) {
            seen.push(key);
            out.push(t);
        }
    }
    out
}

fn flatten(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn drop_first_line(body: &str) -> String {
    let trimmed = body.trim_start_matches(['\n', ' ', '\t']);
    match trimmed.find('\n') {
        Some(i) => trimmed[i + 1..].to_string(),
        None => String::new(),
    }
}

/// A lone URL at the end of a post (`<http://...>` or bare), which feed converters write as
/// the link to the original article.
fn trailing_link(body: &str) -> Option<String> {
    let chunks: Vec<&str> = body
        .split("\n\n")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    chunks.into_iter().rev().take(3).find_map(|chunk| {
        let inner = chunk
            .strip_prefix('<')
            .and_then(|c| c.strip_suffix('>'))
            .unwrap_or(chunk);
        let is_url = (inner.starts_with("http://") || inner.starts_with("https://"))
            && !inner.contains(char::is_whitespace);
        is_url.then(|| inner.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(path: &str, text: &str) -> Parsed {
        parse_source(
            &SourceFile {
                path: PathBuf::from(path),
                bytes: text.as_bytes().to_vec(),
            },
            &Config::default(),
        )
    }

    #[test]
    fn bad_date_is_an_error_at_its_line() {
        let p = parse("a.md", "---\ntitle: x\ndate: 2022-13-45\n---\nbody\n");
        let d = &p.diagnostics[0];
        assert!(d.is_error());
        assert_eq!(d.line, Some(3));
        assert_eq!(d.column, Some(7));
        assert!(d.message.contains("found '2022-13-45'"), "{}", d.message);
    }

    #[test]
    fn folder_is_the_category() {
        let p = parse("观察/a.txt", "标题\n\n正文。\n");
        assert_eq!(p.posts[0].categories, vec![vec!["观察".to_string()]]);
        let p = parse("posts/a.txt", "标题\n\n正文。\n");
        assert_eq!(p.posts[0].categories, vec![vec!["未分类".to_string()]]);
    }

    #[test]
    fn unsafe_urls_are_refused() {
        assert!(!is_safe_url("javascript:alert(1)"));
        assert!(!is_safe_url(" JaVaScRiPt:alert(1)"));
        assert!(!is_safe_url("data:image/png;base64,xx"));
        assert!(is_safe_url("/img/a.png"));
        assert!(is_safe_url("https://img.cls.cn/a.png"));
        assert!(is_safe_url("a/b.png"));
    }

    #[test]
    fn jekyll_file_name_gives_date_and_slug() {
        let p = parse(
            "_posts/2021-03-04-hello-world.md",
            "---\ntitle: 你好\n---\nx\n",
        );
        let post = &p.posts[0];
        assert_eq!(post.slug, "hello-world");
        assert_eq!(post.date.unwrap().to_rfc3339(), "2021-03-04T00:00:00+08:00");
    }
}
