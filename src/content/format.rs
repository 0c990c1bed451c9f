//! Which format a body is in, decided by its content (the file's extension only breaks ties).

/// The shape of a post body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// CommonMark with extensions.
    Markdown,
    /// An HTML fragment or a whole scraped page; blank-line-separated non-HTML chunks are markdown.
    Html,
    /// Plain text: paragraphs at line breaks and full-width indents.
    Text,
    /// Tab-separated `title TAB summary TAB body` records, one post per line.
    Tsv,
}

/// Guesses a body's format from its text and the file's extension (lower-case, no dot).
///
/// `.md` always means markdown and `.tsv` always TSV; `.html` means HTML; everything else
/// (`.txt` above all, which is what feeds and scrapers write) is decided by content.
pub fn sniff(body: &str, extension: &str, has_front_matter: bool) -> Format {
    match extension {
        "md" | "markdown" => return Format::Markdown,
        "tsv" => return Format::Tsv,
        "html" | "htm" => return Format::Html,
        _ => {}
    }
    if !has_front_matter && looks_like_tsv(body) {
        return Format::Tsv;
    }
    if looks_like_html(body) {
        return Format::Html;
    }
    if markdown_signals(body) >= 2 {
        return Format::Markdown;
    }
    Format::Text
}

/// TSV when the first non-empty line has exactly three tab-separated fields (or is the
/// `title TAB summary TAB body` header).
fn looks_like_tsv(body: &str) -> bool {
    let Some(first) = body.lines().find(|l| !l.trim().is_empty()) else {
        return false;
    };
    let fields: Vec<&str> = first.split('\t').collect();
    fields.len() == 3 && !fields[0].trim().is_empty()
}

/// HTML when the body starts with a tag and block-level tags make up its structure.
fn looks_like_html(body: &str) -> bool {
    let start = body.trim_start();
    if !starts_with_tag(start) {
        return false;
    }
    let lower: String = start
        .chars()
        .take(4096)
        .collect::<String>()
        .to_ascii_lowercase();
    [
        "<p",
        "<div",
        "<br",
        "<html",
        "<body",
        "<article",
        "<section",
        "<table",
        "<ul",
        "<h1",
        "<h2",
        "<h3",
        "<img",
        "<span",
        "<figure",
        "<!doctype",
    ]
    .iter()
    .any(|t| lower.contains(t))
}

/// Whether text starts with an HTML tag or comment (and not a `<https://...>` autolink).
pub fn starts_with_tag(s: &str) -> bool {
    let mut chars = s.chars();
    if chars.next() != Some('<') {
        return false;
    }
    match chars.next() {
        Some('!') | Some('/') => true,
        Some(c) if c.is_ascii_alphabetic() => {
            let name: String = s[1..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            let after = s[1 + name.len()..].chars().next();
            matches!(
                after,
                Some('>') | Some(' ') | Some('\t') | Some('\n') | Some('/') | None
            )
        }
        _ => false,
    }
}

/// Counts markdown constructs plain text would not have.
fn markdown_signals(body: &str) -> usize {
    let mut score = 0;
    let mut list_items = 0;
    for line in body.lines().take(2000) {
        let t = line.trim_start();
        if t.starts_with("# ") || t.starts_with("## ") || t.starts_with("### ") {
            score += 1;
        }
        if t.starts_with("- ") || t.starts_with("* ") || t.starts_with("+ ") {
            list_items += 1;
        }
        if t.starts_with("```")
            || t.starts_with("> ")
            || t.starts_with("|---")
            || t.starts_with("| ---")
        {
            score += 1;
        }
        if t.contains("**") {
            score += 1;
        }
        if t.contains("](") {
            score += 1;
        }
        if t.contains("<http://") || t.contains("<https://") {
            score += 1;
        }
        if score >= 4 {
            break;
        }
    }
    score + list_items.min(2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extension_decides_for_md() {
        assert_eq!(sniff("plain", "md", false), Format::Markdown);
    }

    #[test]
    fn content_decides_for_txt() {
        assert_eq!(sniff("a\tb\tc\n", "txt", false), Format::Tsv);
        assert_eq!(sniff("<p>hi</p>", "txt", true), Format::Html);
        assert_eq!(sniff("- a\n- b\n**x**\n", "txt", false), Format::Markdown);
        assert_eq!(sniff("一行。\n两行。\n", "txt", false), Format::Text);
    }

    #[test]
    fn autolink_is_not_a_tag() {
        assert!(!starts_with_tag("<http://example.com>"));
        assert!(starts_with_tag("<p class=x>"));
        assert!(starts_with_tag("<!-- c -->"));
    }
}
