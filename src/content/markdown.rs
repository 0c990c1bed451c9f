//! Markdown to HTML with pulldown-cmark, tuned for Chinese text.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::text::is_cjk;

/// The CommonMark extensions digest turns on: tables, strikethrough, task lists, footnotes.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
}

/// Rendered markdown, with the first-level heading that opened it, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The body as (unsanitized) HTML.
    pub html: String,
    /// The text of a `# heading` that stood first in the document; it is left out of `html`
    /// so the page does not show the title twice.
    pub title: Option<String>,
}

/// Renders markdown; `take_title` lifts a leading `# heading` out as the title.
pub fn render(md: &str, take_title: bool) -> Rendered {
    let mut events: Vec<Event<'_>> = Parser::new_ext(md, options()).collect();
    let mut title = None;
    if take_title {
        if let Some(Event::Start(Tag::Heading {
            level: HeadingLevel::H1,
            ..
        })) = events.first()
        {
            if let Some(end) = events
                .iter()
                .position(|e| matches!(e, Event::End(TagEnd::Heading(HeadingLevel::H1))))
            {
                let text: String = events[1..end]
                    .iter()
                    .filter_map(|e| match e {
                        Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                        _ => None,
                    })
                    .collect();
                if !text.trim().is_empty() {
                    title = Some(text.trim().to_string());
                    events.drain(..=end);
                }
            }
        }
    }
    join_cjk_soft_breaks(&mut events);
    let events = cjk_strong_fallback(events);
    let mut html = String::with_capacity(md.len() + md.len() / 4);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    Rendered { html, title }
}

/// A soft line break between two Han characters is an artifact of wrapping, not a space:
/// browsers would show it as one, in the middle of a word.
fn join_cjk_soft_breaks(events: &mut [Event<'_>]) {
    for i in 0..events.len() {
        if !matches!(events[i], Event::SoftBreak) {
            continue;
        }
        let before = events[..i].iter().rev().find_map(|e| match e {
            Event::Text(t) => t.chars().last(),
            _ => None,
        });
        let after = events[i + 1..].iter().find_map(|e| match e {
            Event::Text(t) => t.chars().next(),
            _ => None,
        });
        if before.is_some_and(cjk_or_fullwidth) && after.is_some_and(cjk_or_fullwidth) {
            events[i] = Event::Text(CowStr::Borrowed(""));
        }
    }
}

/// CommonMark will not close `**` between CJK punctuation and a Han character
/// (`**主要研究方向：**一、`), which Chinese text does all the time; the delimiters are left
/// as literal text. This turns such leftover `**...**` pairs inside one text run into bold.
fn cjk_strong_fallback(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut out: Vec<Event<'_>> = Vec::with_capacity(events.len());
    let mut pending = String::new();
    let flush = |pending: &mut String, out: &mut Vec<Event<'_>>| {
        if pending.is_empty() {
            return;
        }
        let text = std::mem::take(pending);
        if !text.contains("**") {
            out.push(Event::Text(CowStr::from(text)));
            return;
        }
        let mut rest = text.as_str();
        while let Some(open) = rest.find("**") {
            let after = &rest[open + 2..];
            let Some(close) = after.find("**") else { break };
            let inner = &after[..close];
            if inner.is_empty()
                || inner.starts_with(char::is_whitespace)
                || inner.ends_with(char::is_whitespace)
                || inner.contains('\n')
            {
                break;
            }
            // only where CJK text is what kept CommonMark from closing the pair; ASCII
            // text such as `a**"foo"**` stays as the spec renders it
            let next = after[close + 2..].chars().next();
            let touches_cjk = inner.chars().next().is_some_and(cjk_or_fullwidth)
                || inner.chars().last().is_some_and(cjk_or_fullwidth)
                || next.is_some_and(cjk_or_fullwidth);
            if !touches_cjk {
                break;
            }
            if open > 0 {
                out.push(Event::Text(CowStr::from(rest[..open].to_string())));
            }
            out.push(Event::Html(CowStr::Borrowed("<strong>")));
            out.push(Event::Text(CowStr::from(inner.to_string())));
            out.push(Event::Html(CowStr::Borrowed("</strong>")));
            rest = &after[close + 2..];
        }
        if !rest.is_empty() {
            out.push(Event::Text(CowStr::from(rest.to_string())));
        }
    };
    for e in events {
        match e {
            Event::Text(t) => pending.push_str(&t),
            other => {
                flush(&mut pending, &mut out);
                out.push(other);
            }
        }
    }
    flush(&mut pending, &mut out);
    out
}

fn cjk_or_fullwidth(c: char) -> bool {
    is_cjk(c) || matches!(c as u32, 0x3000..=0x303F | 0xFF00..=0xFFEF)
}

/// Where `<!--more-->` (or `<!-- more -->`) cuts the summary from the rest, if anywhere.
pub fn more_marker(text: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(pos) = text[from..].find("<!--") {
        let start = from + pos;
        let rest = &text[start + 4..];
        let end = rest.find("-->")?;
        if rest[..end].trim().eq_ignore_ascii_case("more") {
            return Some(start);
        }
        from = start + 4;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leading_heading_becomes_title() {
        let r = render("# 标题\n\n正文", true);
        assert_eq!(r.title.as_deref(), Some("标题"));
        assert_eq!(r.html, "<p>正文</p>\n");
    }

    #[test]
    fn soft_breaks_inside_chinese_vanish() {
        let r = render("内蒙\n古的能源\nand\nmore", false);
        assert_eq!(r.html, "<p>内蒙古的能源\nand\nmore</p>\n");
    }

    #[test]
    fn extensions_are_on() {
        let r = render(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~x~~\n\n- [x] done\n",
            false,
        );
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("<del>x</del>"));
        assert!(r.html.contains("checkbox"));
    }

    #[test]
    fn bold_closes_before_han_characters() {
        let r = render("**主要研究方向：**一、云计算交易模式", false);
        assert_eq!(
            r.html,
            "<p><strong>主要研究方向：</strong>一、云计算交易模式</p>\n"
        );
        let r = render("`**x**` and 2**3**4 <b>", false);
        assert!(r.html.contains("<code>**x**</code>"));
        // CommonMark examples 382, 393: ASCII text keeps its literal asterisks
        assert_eq!(render("a**\"foo\"**", false).html, "<p>a**\"foo\"**</p>\n");
        assert_eq!(render("**foo bar **", false).html, "<p>**foo bar **</p>\n");
        assert_eq!(
            render("**“云”**计算", false).html,
            "<p><strong>“云”</strong>计算</p>\n"
        );
    }

    #[test]
    fn more_marker_found() {
        assert_eq!(more_marker("a\n<!-- more -->\nb"), Some(2));
        assert_eq!(more_marker("a <!-- c --> b"), None);
    }
}
