//! Metadata a post does not state but its text implies: title, summary, source link.

use super::text::is_cjk;

/// The longest inferred title, in characters, before it is cut with `…`.
pub const MAX_TITLE_CHARS: usize = 60;
/// About how long an inferred summary is, in characters (CJK has no spaces to count words by).
pub const SUMMARY_CHARS: usize = 150;

const SENTENCE_END: &[char] = &['。', '！', '？', '!', '?'];

/// A title from the first lines of a text: the first non-empty line if it is short and not
/// a sentence, else the first sentence, cut with `…` when long. Returns the title and
/// whether it was the whole first line (so the caller can drop that line from the body).
pub fn infer_title(text: &str) -> Option<(String, bool)> {
    let first = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    let first_clean = first.trim_start_matches(['#', ' ', '\u{3000}']).trim();
    let n = first_clean.chars().count();
    let is_sentence = first_clean.trim_end().ends_with(SENTENCE_END)
        || first_clean.contains('。')
        || first_clean.contains(['，', ',']) && n > 30;
    if n > 0 && n <= MAX_TITLE_CHARS && !is_sentence {
        return Some((first_clean.to_string(), true));
    }
    let sentence_end = first_clean
        .char_indices()
        .find(|(_, c)| SENTENCE_END.contains(c))
        .map(|(i, _)| i);
    let sentence = match sentence_end {
        Some(i) => &first_clean[..i],
        None => first_clean,
    };
    Some((cut(sentence.trim(), MAX_TITLE_CHARS), false))
}

/// Cuts text to at most `max` characters, ending with `…` when anything was cut.
pub fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out = out.trim_end().to_string();
    out.push('…');
    out
}

/// A summary from plain text: about [`SUMMARY_CHARS`] characters, ending on a sentence
/// boundary when one is near, else cut with `…`.
pub fn summarize(text: &str) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let flat = flat.trim();
    if flat.chars().count() <= SUMMARY_CHARS {
        return flat.to_string();
    }
    let head: Vec<(usize, char)> = flat.char_indices().take(SUMMARY_CHARS).collect();
    // the last sentence end in the second half of the window
    let boundary = head
        .iter()
        .enumerate()
        .rev()
        .take_while(|(n, _)| *n >= SUMMARY_CHARS / 2)
        .find(|(_, (_, c))| SENTENCE_END.contains(c) || *c == '；')
        .map(|(_, (i, c))| i + c.len_utf8());
    match boundary {
        Some(end) => flat[..end].to_string(),
        None => cut(flat, SUMMARY_CHARS),
    }
}

/// Reading time in minutes: about 400 CJK characters or 200 Latin words a minute, at least 1.
pub fn reading_minutes(text: &str) -> usize {
    let cjk = text.chars().filter(|c| is_cjk(*c)).count();
    let words = text
        .split(|c: char| c.is_whitespace() || is_cjk(c))
        .filter(|w| w.chars().any(|c| c.is_alphanumeric()))
        .count();
    let minutes = cjk as f64 / 400.0 + words as f64 / 200.0;
    (minutes.ceil() as usize).max(1)
}

/// An original-source link the text names: `原文：URL`, `原文链接：URL`, `来源：URL`,
/// `Source: URL`.
pub fn source_link_in_text(text: &str) -> Option<String> {
    for marker in [
        "原文链接",
        "原文地址",
        "原文",
        "本文链接",
        "来源",
        "Source",
        "source",
    ] {
        let mut from = 0;
        while let Some(pos) = text[from..].find(marker) {
            let after = &text[from + pos + marker.len()..];
            let after = after.trim_start_matches([':', '：', ' ', '\u{3000}']);
            if after.starts_with("http://") || after.starts_with("https://") {
                let end = after
                    .find(|c: char| {
                        c.is_whitespace() || !c.is_ascii() || matches!(c, '<' | '>' | '"' | '\'')
                    })
                    .unwrap_or(after.len());
                let url = after[..end].trim_end_matches(['.', ',', ';', ')', ']']);
                return Some(url.to_string());
            }
            from += pos + marker.len();
        }
    }
    None
}

/// A year and month (and maybe day) from an article URL's path, as news sites write them
/// (`/201706/20170612415097.shtml`), completed by a `6月12日` in the text's first lines.
/// News wires state the day in the text but the year only in the URL.
pub fn date_from_url_and_text(url: &str, text: &str) -> Option<(i32, u32, u32)> {
    let path = url.split("://").nth(1)?.split_once('/')?.1;
    let digits_runs = path
        .split(|c: char| !c.is_ascii_digit())
        .filter(|r| r.len() >= 6);
    let mut year_month = None;
    for run in digits_runs {
        let y: i32 = run.get(..4)?.parse().ok()?;
        let m: u32 = run.get(4..6)?.parse().ok()?;
        if (1990..=2100).contains(&y) && (1..=12).contains(&m) {
            year_month = Some((y, m));
            break;
        }
    }
    let (y, m) = year_month?;
    let head: String = text.chars().take(300).collect();
    // the first `M月D日` of the same month
    let mut rest = head.as_str();
    while let Some(pos) = rest.find('月') {
        let before: String = rest[..pos]
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let after = &rest[pos + '月'.len_utf8()..];
        let day: String = after.chars().take_while(char::is_ascii_digit).collect();
        let is_day = after[day.len()..].starts_with('日');
        if let (Ok(mm), Ok(dd)) = (before.parse::<u32>(), day.parse::<u32>()) {
            if is_day && mm == m && (1..=31).contains(&dd) {
                return Some((y, m, dd));
            }
        }
        rest = after;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_first_line_is_the_title() {
        assert_eq!(
            infer_title("\n\n政府领导及企业高管参阅\n\n正文。"),
            Some(("政府领导及企业高管参阅".into(), true))
        );
    }

    #[test]
    fn first_sentence_when_the_line_is_a_paragraph() {
        let t = "云计算为中国式创新打开了一扇门。OpenStack席卷产业期间,中国开发者为之疯狂。";
        assert_eq!(
            infer_title(t),
            Some(("云计算为中国式创新打开了一扇门".into(), false))
        );
    }

    #[test]
    fn summary_ends_on_a_sentence() {
        let text = "第一句话说完了。".repeat(30);
        let s = summarize(&text);
        assert!(s.ends_with('。'));
        assert!(s.chars().count() <= SUMMARY_CHARS);
    }

    #[test]
    fn reading_time_counts_characters() {
        assert_eq!(reading_minutes(&"云".repeat(800)), 2);
        assert_eq!(reading_minutes("hello"), 1);
    }

    #[test]
    fn date_from_news_url() {
        assert_eq!(
            date_from_url_and_text(
                "http://pe.pedaily.cn/201706/20170612415097.shtml",
                "投资界6月12日消息"
            ),
            Some((2017, 6, 12))
        );
        assert_eq!(
            date_from_url_and_text("http://x.cn/201706/a.html", "5月12日"),
            None
        );
        assert_eq!(
            date_from_url_and_text("http://x.cn/a/b.html", "6月12日"),
            None
        );
    }

    #[test]
    fn source_link() {
        assert_eq!(
            source_link_in_text(
                "作者：charlotte，原文：http://pe.pedaily.cn/201706/20170612415097.shtml 【本文】"
            ),
            Some("http://pe.pedaily.cn/201706/20170612415097.shtml".into())
        );
    }
}
