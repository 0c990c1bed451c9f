//! Plain text to HTML paragraphs, and the clean-ups scraped and PDF-exported text needs.

/// Characters that may end a sentence or a paragraph; a line ending in anything else was
/// probably cut by a PDF export or a fixed-width wrap.
const CLOSERS: &[char] = &[
    '。', '！', '？', '!', '?', '.', '；', ';', '：', ':', '…', '”', '’', '」', '』', '）', ')',
    '】', '》', '>', '"', '\'', '|', '•', '*',
];

/// Whether a character is Han, kana or hangul (text without spaces between words).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0x20000..=0x2FA1F)
}

/// Drops lines that match one of `strip` (after trimming): comment-box and share-bar junk.
pub fn strip_junk(text: &str, strip: &[String]) -> String {
    if strip.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        if !t.is_empty() && strip.iter().any(|s| s.trim() == t) {
            continue;
        }
        out.push_str(line);
    }
    out
}

/// Lines that start a list item, heading or numbered section, which never continue a sentence.
fn starts_block(line: &str) -> bool {
    let t = line.trim_start();
    let first = t.chars().next();
    t.starts_with(['#', '-', '*', '+', '>', '|', '<', '(', '（', '•', '【', '['])
        || first.is_some_and(|c| c.is_ascii_digit())
        || t.starts_with(['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'])
            && t.contains('、')
}

/// Joins paragraphs and lines that a PDF export or a hard wrap broke in mid-sentence:
/// a long line that ends without closing punctuation, followed (after any blank lines) by
/// one that continues it with a Han character. `内蒙\n\n古的能源` becomes `内蒙古的能源`.
pub fn join_broken_lines(text: &str) -> String {
    const MIN_BROKEN_LEN: usize = 24;
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        out.push_str(line);
        let trimmed = line.trim_end();
        let ends_open = trimmed
            .chars()
            .last()
            .is_some_and(|c| is_cjk(c) && !CLOSERS.contains(&c));
        if ends_open && trimmed.chars().count() >= MIN_BROKEN_LEN && !starts_with_heading(trimmed) {
            // look past blank lines for a continuation
            let mut j = i + 1;
            while j < lines.len() && lines[j].trim().is_empty() && j - i <= 2 {
                j += 1;
            }
            if let Some(next) = lines.get(j) {
                let starts_cjk = next.chars().next().is_some_and(is_cjk);
                if starts_cjk && !starts_block(next) {
                    // drop the break: the next line continues this one
                    i = j;
                    continue;
                }
            }
        }
        i += 1;
        if i < lines.len() {
            out.push('\n');
        }
    }
    out
}

fn starts_with_heading(line: &str) -> bool {
    line.trim_start().starts_with('#')
}

/// Splits a run of text at full-width indents (two or more U+3000, or one at the start),
/// which is how Chinese news text marks paragraphs when it has no line breaks.
pub fn split_fullwidth_indents(s: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let bytes_len = s.len();
    let mut iter = s.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if c != '\u{3000}' {
            continue;
        }
        let run_start = i;
        let mut run_end = i + c.len_utf8();
        let mut count = 1;
        while let Some(&(j, d)) = iter.peek() {
            if d == '\u{3000}' {
                run_end = j + d.len_utf8();
                count += 1;
                iter.next();
            } else {
                break;
            }
        }
        let at_start = s[start..run_start].trim().is_empty();
        if count >= 2 || at_start {
            let piece = s[start..run_start].trim();
            if !piece.is_empty() {
                parts.push(piece);
            }
            start = run_end;
        }
    }
    if start < bytes_len {
        let piece = s[start..].trim();
        if !piece.is_empty() {
            parts.push(piece);
        }
    }
    parts
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes text and turns bare `http(s)://` URLs into links.
pub fn linkify(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    let mut rest = s;
    while let Some(pos) = find_url_start(rest) {
        out.push_str(&escape_html(&rest[..pos]));
        let tail = &rest[pos..];
        let mut end = tail
            .find(|c: char| {
                c.is_whitespace() || !c.is_ascii() || matches!(c, '<' | '>' | '"' | '\'' | '`')
            })
            .unwrap_or(tail.len());
        while end > 0 && tail[..end].ends_with(['.', ',', ';', ':', '!', '?', ')', ']']) {
            end -= 1;
        }
        let url = &tail[..end];
        if url.len() <= "https://".len() {
            out.push_str(&escape_html(url));
        } else {
            let e = escape_html(url);
            out.push_str(&format!("<a href=\"{e}\">{e}</a>"));
        }
        rest = &tail[end..];
        if end == 0 {
            // not a URL after all; move on one character
            let c = rest.chars().next().map_or(1, char::len_utf8);
            out.push_str(&escape_html(&rest[..c]));
            rest = &rest[c..];
        }
    }
    out.push_str(&escape_html(rest));
    out
}

/// Where the first `http://` or `https://` in `s` starts. One scan for `http`: searching
/// for both prefixes separately rescanned the rest of the line for the one that was absent
/// on every URL, which made a 10 MB line of links take hours.
fn find_url_start(s: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = s[from..].find("http") {
        let at = from + i;
        let rest = &s[at..];
        if rest.starts_with("http://") || rest.starts_with("https://") {
            return Some(at);
        }
        from = at + "http".len();
    }
    None
}

/// Plain text to HTML: a paragraph per line (blank lines are just spacing), split again at
/// full-width indents; URLs become links.
pub fn text_to_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for line in text.lines() {
        for para in split_fullwidth_indents(line) {
            out.push_str("<p>");
            out.push_str(&linkify(para));
            out.push_str("</p>\n");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: a line of many https links (and no http one) was quadratic.
    #[test]
    fn many_links_on_one_line_are_all_linked() {
        let line = "见 https://example.com/a 与 http://example.org/b 。".repeat(20_000);
        let html = linkify(&line);
        assert_eq!(html.matches("<a href=").count(), 40_000);
        assert_eq!(find_url_start("no links here"), None);
        assert_eq!(find_url_start("httpx http://a"), Some(6));
    }

    #[test]
    fn pdf_break_across_blank_line_is_joined() {
        let t = "除了地理位置上的重要性以及极低的土地成本等条件之外，内蒙\n\n古的能源与气候条件对云计展更具有得天独厚的优势。\n";
        assert_eq!(
            join_broken_lines(t),
            "除了地理位置上的重要性以及极低的土地成本等条件之外，内蒙古的能源与气候条件对云计展更具有得天独厚的优势。\n"
        );
    }

    #[test]
    fn headings_and_finished_sentences_stay_apart() {
        let t = "云计算动态\n\n随着政策推进。\n\n这一句已经结束了，而且它足够长足够长足够长。\n\n下一段。";
        assert_eq!(join_broken_lines(t), t);
        let list = "双方将发挥各自优势并以混合云领域为重点展开合作\n\n3. 5月12日";
        assert_eq!(join_broken_lines(list), list);
    }

    #[test]
    fn fullwidth_indents_split_paragraphs() {
        let s = "　　第一段。 　　第二段。 　　第三段";
        assert_eq!(
            split_fullwidth_indents(s),
            vec!["第一段。", "第二段。", "第三段"]
        );
        assert_eq!(split_fullwidth_indents("李　倩"), vec!["李　倩"]);
    }

    #[test]
    fn urls_become_links_and_text_is_escaped() {
        assert_eq!(
            linkify("原文：http://pe.pedaily.cn/a.shtml 【<b>】"),
            "原文：<a href=\"http://pe.pedaily.cn/a.shtml\">http://pe.pedaily.cn/a.shtml</a> 【&lt;b&gt;】"
        );
        assert_eq!(
            linkify("see https://x.org/a."),
            "see <a href=\"https://x.org/a\">https://x.org/a</a>."
        );
    }

    #[test]
    fn junk_lines_are_dropped() {
        let strip = vec!["全部0条评论".to_string()];
        assert_eq!(strip_junk("正文。\n全部0条评论\n", &strip), "正文。\n");
    }
}
