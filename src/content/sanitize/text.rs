//! Plain text from HTML: [`html_to_text`] on the parsed tree, and the tokenizer-only
//! fallback ([`text_fallback`]) for bodies too deeply nested to parse into a tree.

use std::cell::RefCell;
use std::ops::ControlFlow;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::LocalName;
use scraper::node::Element;
use scraper::{Html, Node};

use super::parse::{html_element, parse_bounded, NodeId};
use super::prepass::{drops_with_content, style_hides};
use super::DROPPED_WITH_CONTENT;

/// Elements that end a line of text in [`html_to_text`].
const TEXT_BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "caption",
    "center",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "legend",
    "li",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "tfoot",
    "thead",
    "tr",
    "ul",
];

/// Elements that never have content, so a start tag alone is the whole element.
const VOID_ELEMENTS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
    "source", "track", "wbr",
];

/// The visible text of an HTML body, one line per block (paragraph, list item, heading,
/// table row, `<br>`), with whitespace collapsed inside lines.
///
/// Summaries, the search index and reading time all want text, not markup. Content that
/// [`sanitize_html`](super::sanitize_html) would drop (scripts, hidden elements, ...) is skipped here too, so
/// the text matches what a reader sees even for unsanitized input. A line break in the
/// source between two CJK characters, or next to full-width punctuation, is removed
/// rather than turned into a space (as CSS does between CJK characters), because
/// hard-wrapped Chinese text has no spaces to keep.
pub fn html_to_text(html: &str) -> String {
    let Some(doc) = parse_bounded(html) else {
        return text_fallback(html).join("\n");
    };
    let mut text = TextBuilder::default();
    let mut preformatted = 0usize;
    walk_visible(&doc, |visit| {
        match visit {
            Visit::Text(t) => text.push_text(t, preformatted > 0),
            Visit::Open(e) => {
                let name = e.name();
                if name == "pre" || name == "listing" {
                    preformatted += 1;
                }
                if name == "br" || TEXT_BLOCKS.contains(&name) {
                    text.end_line();
                } else if name == "td" || name == "th" {
                    text.cell();
                }
            }
            Visit::Close(e) => {
                let name = e.name();
                if name == "pre" || name == "listing" {
                    preformatted = preformatted.saturating_sub(1);
                }
                if TEXT_BLOCKS.contains(&name) {
                    text.end_line();
                }
            }
        }
        ControlFlow::Continue(())
    });
    text.finish()
}

pub(super) enum Visit<'a> {
    Text(&'a str),
    Open(&'a Element),
    Close(&'a Element),
}

/// Walks the elements and text a reader would see (skipping what [`sanitize_html`](super::sanitize_html) drops
/// with its content), in document order, without recursion.
pub(super) fn walk_visible<'a>(doc: &'a Html, mut visit: impl FnMut(Visit<'a>) -> ControlFlow<()>) {
    enum Step {
        Enter(NodeId),
        Leave(NodeId),
    }
    let Some(root) = html_element(doc) else {
        return;
    };
    let mut stack: Vec<Step> = root.children().rev().map(|c| Step::Enter(c.id())).collect();
    while let Some(step) = stack.pop() {
        let (id, entering) = match step {
            Step::Enter(id) => (id, true),
            Step::Leave(id) => (id, false),
        };
        let Some(node) = doc.tree.get(id) else {
            continue;
        };
        let flow = match node.value() {
            Node::Text(text) if entering => visit(Visit::Text(text)),
            Node::Element(e) if !entering => visit(Visit::Close(e)),
            Node::Element(e) if !drops_with_content(e) => {
                stack.push(Step::Leave(id));
                stack.extend(node.children().rev().map(|c| Step::Enter(c.id())));
                visit(Visit::Open(e))
            }
            _ => ControlFlow::Continue(()),
        };
        if flow.is_break() {
            return;
        }
    }
}

/// Collects text into lines, collapsing whitespace the way a browser renders it.
#[derive(Default)]
struct TextBuilder {
    lines: Vec<String>,
    line: String,
    gap: Gap,
    last: Option<char>,
}

/// Whitespace seen since the last character on the line.
#[derive(Default, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Gap {
    #[default]
    None,
    /// Spaces or tabs: one space.
    Space,
    /// Whitespace with a line break in it: one space, or nothing between CJK characters.
    Break,
    /// Between table cells: always one space.
    Cell,
}

impl TextBuilder {
    fn push_text(&mut self, text: &str, preformatted: bool) {
        for c in text.chars() {
            if c == '\n' && preformatted {
                self.end_line();
            } else if c == '\n' || c == '\r' {
                self.gap = self.gap.max(Gap::Break);
            } else if c.is_whitespace() {
                self.gap = self.gap.max(Gap::Space);
            } else {
                self.push_char(c);
            }
        }
    }

    fn push_char(&mut self, c: char) {
        if !self.line.is_empty() {
            let no_space = self.last.is_some_and(|last| {
                (is_wide(last) && is_wide(c)) || is_cjk_punctuation(last) || is_cjk_punctuation(c)
            });
            match self.gap {
                Gap::None => {}
                Gap::Break if no_space => {}
                Gap::Space | Gap::Break | Gap::Cell => self.line.push(' '),
            }
        }
        self.gap = Gap::None;
        self.line.push(c);
        self.last = Some(c);
    }

    fn cell(&mut self) {
        self.gap = Gap::Cell;
    }

    fn end_line(&mut self) {
        if !self.line.is_empty() {
            self.lines.push(std::mem::take(&mut self.line));
        }
        self.gap = Gap::None;
        self.last = None;
    }

    fn finish(mut self) -> String {
        self.end_line();
        self.lines.join("\n")
    }
}

/// Han, kana, CJK punctuation and full-width forms: scripts written without spaces.
/// (Hangul is left out, as in CSS: Korean uses spaces.)
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF     // radicals, Kangxi
        | 0x3000..=0x303F   // CJK symbols and punctuation
        | 0x3040..=0x30FF   // hiragana, katakana
        | 0x3100..=0x312F   // bopomofo
        | 0x31A0..=0x31FF   // bopomofo extended, katakana extensions
        | 0x3200..=0x9FFF   // enclosed, compatibility, extension A, unified ideographs
        | 0xF900..=0xFAFF   // compatibility ideographs
        | 0xFE30..=0xFE4F   // vertical and compatibility forms
        | 0xFF00..=0xFFEF   // full-width and half-width forms
        | 0x20000..=0x3FFFF // supplementary ideographic planes
    )
}

/// CJK characters plus the general punctuation Chinese text uses between them (curly
/// quotes, ellipsis, dash, middle dot), which Unicode leaves ambiguous in width.
fn is_wide(c: char) -> bool {
    is_cjk(c)
        || matches!(
            c,
            '\u{2018}' | '\u{2019}' | '\u{201C}' | '\u{201D}' | '…' | '—' | '·'
        )
}

/// Full-width punctuation (，。！？：；（）「」…), which carries its own spacing.
fn is_cjk_punctuation(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F
        | 0xFE30..=0xFE4F
        | 0xFF01..=0xFF0F
        | 0xFF1A..=0xFF20
        | 0xFF3B..=0xFF40
        | 0xFF5B..=0xFF65
    )
}

/// The text of a body too deeply nested to parse into a tree, read with the tokenizer
/// alone (linear time): one string per line, skipping the content of elements
/// [`sanitize_html`](super::sanitize_html) drops.
pub(super) fn text_fallback(html: &str) -> Vec<String> {
    let sink = TextSink {
        text: RefCell::new(TextBuilder::default()),
        skipping: RefCell::new(None),
    };
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let mut text = tokenizer.sink.text.take();
    text.end_line();
    text.lines
}

/// Lines of text as escaped paragraphs.
pub(super) fn text_paragraphs(lines: &[String]) -> String {
    lines
        .iter()
        .map(|line| {
            let mut p = String::with_capacity(line.len() + 7);
            p.push_str("<p>");
            for c in line.chars() {
                match c {
                    '&' => p.push_str("&amp;"),
                    '<' => p.push_str("&lt;"),
                    '>' => p.push_str("&gt;"),
                    '"' => p.push_str("&quot;"),
                    _ => p.push(c),
                }
            }
            p.push_str("</p>");
            p
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Token sink for [`text_fallback`].
struct TextSink {
    text: RefCell<TextBuilder>,
    /// The element whose content is being skipped, and how many of its kind are open.
    skipping: RefCell<Option<(LocalName, usize)>>,
}

impl TextSink {
    fn tag(&self, tag: &Tag) {
        let mut skipping = self.skipping.borrow_mut();
        if let Some((name, open)) = skipping.as_mut() {
            if *name == tag.name {
                match tag.kind {
                    TagKind::StartTag if !tag.self_closing => *open += 1,
                    TagKind::StartTag => {}
                    TagKind::EndTag => *open = open.saturating_sub(1),
                }
                if *open == 0 {
                    *skipping = None;
                }
            }
            return;
        }
        let name = &*tag.name;
        let mut text = self.text.borrow_mut();
        match tag.kind {
            TagKind::StartTag => {
                let void = VOID_ELEMENTS.contains(&name)
                    || (tag.self_closing && (name == "svg" || name == "math"));
                if !void && tag_drops_content(tag) {
                    *skipping = Some((tag.name.clone(), 1));
                } else if name == "br" || TEXT_BLOCKS.contains(&name) {
                    text.end_line();
                } else if name == "td" || name == "th" {
                    text.cell();
                }
            }
            TagKind::EndTag => {
                if TEXT_BLOCKS.contains(&name) {
                    text.end_line();
                }
            }
        }
    }
}

/// Like [`drops_with_content`], for a start tag seen by the tokenizer.
fn tag_drops_content(tag: &Tag) -> bool {
    let attr = |name: &str| {
        tag.attrs
            .iter()
            .find(|a| &*a.name.local == name)
            .map(|a| &*a.value)
    };
    DROPPED_WITH_CONTENT.contains(&&*tag.name)
        || attr("hidden").is_some()
        || attr("style").is_some_and(style_hides)
}

impl TokenSink for TextSink {
    type Handle = ();

    fn process_token(&self, token: Token, _line_number: u64) -> TokenSinkResult<()> {
        match token {
            Token::TagToken(tag) => {
                self.tag(&tag);
                if tag.kind == TagKind::StartTag {
                    // Switch the tokenizer the way the tree builder would, so the content of
                    // these elements is read as text (and skipped), not as markup.
                    return match &*tag.name {
                        "script" => TokenSinkResult::RawData(RawKind::ScriptData),
                        "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
                            TokenSinkResult::RawData(RawKind::Rawtext)
                        }
                        "textarea" | "title" => TokenSinkResult::RawData(RawKind::Rcdata),
                        "plaintext" => TokenSinkResult::Plaintext,
                        _ => TokenSinkResult::Continue,
                    };
                }
            }
            Token::CharacterTokens(text) if self.skipping.borrow().is_none() => {
                self.text.borrow_mut().push_text(&text, false);
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}
