//! A cap on how deeply HTML elements nest, applied before any HTML parser sees a body.
//!
//! html5ever (behind ammonia and scraper) checks the stack of open elements for every start
//! tag, so its time grows with the square of the nesting depth: a one-line post of a million
//! `>` (a million nested blockquotes) or `<div>`s would keep a build busy for hours. No real
//! post nests a hundred elements deep, so elements deeper than [`MAX_DEPTH`] lose their
//! tags (their text stays). Bodies within the cap are returned untouched.

use std::borrow::Cow;

/// The deepest nesting kept. Real posts stay far below it (lists in quotes in tables: ~10).
pub const MAX_DEPTH: usize = 100;

/// Elements that never have content, so they never nest.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Elements whose content is text up to their end tag.
const RAW_TEXT: &[&str] = &["script", "style", "textarea", "title", "xmp", "noscript"];

/// Elements a second start tag of the same name closes (`<p>a<p>b`, `<li>a<li>b`).
const SELF_CLOSING_SIBLINGS: &[&str] = &["p", "li", "dt", "dd", "option", "tr", "td", "th"];

/// One piece of HTML, as the scanner reads it.
enum Piece<'a> {
    /// Text, comments, doctypes: copied as they are.
    Other(&'a str),
    /// `<name ...>`; `self_closing` for `<name/>`.
    Start {
        name: String,
        all: &'a str,
        self_closing: bool,
    },
    /// `</name>`.
    End { name: String, all: &'a str },
}

/// Reads the HTML piece at `pos`; returns it and where the next one starts.
fn piece_at(html: &str, pos: usize) -> (Piece<'_>, usize) {
    let rest = &html[pos..];
    if !rest.starts_with('<') {
        let end = rest.find('<').map_or(html.len(), |i| pos + i.max(1));
        return (Piece::Other(&html[pos..end]), end);
    }
    if rest.starts_with("<!--") {
        let end = rest.find("-->").map_or(html.len(), |i| pos + i + 3);
        return (Piece::Other(&html[pos..end]), end);
    }
    let is_end = rest.starts_with("</");
    let name_start = if is_end { 2 } else { 1 };
    let name: String = rest[name_start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect::<String>()
        .to_ascii_lowercase();
    if name.is_empty() || !rest[name_start..].starts_with(|c: char| c.is_ascii_alphabetic()) {
        // `<` that starts no tag, `<!doctype>`, `<?xml ?>`: not an element
        let end = if rest[1..].starts_with(['!', '?']) {
            rest.find('>').map_or(html.len(), |i| pos + i + 1)
        } else {
            pos + 1
        };
        return (Piece::Other(&html[pos..end]), end);
    }
    let end = tag_end(rest).map_or(html.len(), |i| pos + i + 1);
    let all = &html[pos..end];
    if is_end {
        (Piece::End { name, all }, end)
    } else {
        let self_closing = all.ends_with("/>");
        (
            Piece::Start {
                name,
                all,
                self_closing,
            },
            end,
        )
    }
}

/// The index of the `>` that ends the tag at the start of `s`, skipping quoted values.
fn tag_end(s: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices().skip(1) {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '>' => return Some(i),
            None => {}
        }
    }
    None
}

/// Where `</name` (in any case) first occurs in `s`, without copying `s`.
fn find_end_tag(s: &str, name: &str) -> Option<usize> {
    s.match_indices("</").map(|(i, _)| i).find(|&i| {
        s.get(i + 2..i + 2 + name.len())
            .is_some_and(|n| n.eq_ignore_ascii_case(name))
    })
}

/// Walks the HTML, keeping a stack of open elements, and calls `emit` for every piece with
/// whether it is kept (a start or end tag deeper than `max` is not).
fn walk<'a>(html: &'a str, max: usize, mut emit: impl FnMut(&'a str, bool)) -> usize {
    // (name, kept)
    let mut stack: Vec<(String, bool)> = Vec::new();
    let mut deepest = 0;
    let mut pos = 0;
    while pos < html.len() {
        let (piece, next) = piece_at(html, pos);
        pos = next;
        match piece {
            Piece::Other(s) => emit(s, true),
            Piece::Start {
                name,
                all,
                self_closing,
            } => {
                if VOID.contains(&name.as_str()) || self_closing {
                    emit(all, true);
                    continue;
                }
                if SELF_CLOSING_SIBLINGS.contains(&name.as_str())
                    && stack.last().is_some_and(|(top, _)| *top == name)
                {
                    stack.pop();
                }
                let kept = stack.len() < max;
                emit(all, kept);
                if RAW_TEXT.contains(&name.as_str()) {
                    let end = find_end_tag(&html[pos..], &name).map_or(html.len(), |i| pos + i);
                    emit(&html[pos..end], true);
                    pos = end;
                }
                stack.push((name, kept));
                deepest = deepest.max(stack.len());
            }
            Piece::End { name, all } => match stack.iter().rposition(|(n, _)| *n == name) {
                Some(at) => {
                    let kept = stack[at].1;
                    stack.truncate(at);
                    emit(all, kept);
                }
                None => emit(all, true),
            },
        }
    }
    deepest
}

/// The HTML with elements nested deeper than `max` reduced to their content.
pub fn limit_depth(html: &str, max: usize) -> Cow<'_, str> {
    // cheap test first: a body with fewer tags than the cap cannot exceed it
    if html.matches('<').count() <= max || walk(html, max, |_, _| {}) <= max {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    walk(html, max, |s, kept| {
        if kept {
            out.push_str(s);
        }
    });
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shallow_html_is_untouched() {
        let h = "<div><p>a<p>b<ul><li>c<li>d</ul><br><img src=x></div><!-- <div> -->";
        assert!(matches!(limit_depth(h, 5), Cow::Borrowed(_)));
    }

    #[test]
    fn deep_elements_lose_their_tags_not_their_text() {
        let h =
            "<blockquote><blockquote><blockquote><p>深</p></blockquote></blockquote></blockquote>";
        assert_eq!(
            limit_depth(h, 2),
            "<blockquote><blockquote>深</blockquote></blockquote>"
        );
    }

    #[test]
    fn quoted_brackets_and_raw_text_do_not_confuse_it() {
        let h = "<div title=\"a>b\"><script>if (a<b) {}</script><div><div>x</div></div></div>";
        assert_eq!(
            limit_depth(h, 2),
            "<div title=\"a>b\"><script>if (a<b) {}</script><div>x</div></div>"
        );
    }

    /// A million nested blockquotes used to keep html5ever busy for hours.
    #[test]
    fn a_million_levels_are_cut_in_linear_time() {
        let h = "<blockquote>\n".repeat(1_000_000);
        let start = std::time::Instant::now();
        let out = limit_depth(&h, MAX_DEPTH);
        assert_eq!(out.matches("<blockquote>").count(), MAX_DEPTH);
        assert!(start.elapsed().as_secs() < 30);
    }
}
