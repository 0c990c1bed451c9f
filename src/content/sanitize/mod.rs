//! The one sanitizing policy applied to every post body, whatever its format.
//!
//! Bodies come from scraped web pages: they carry scripts, trackers, hidden SEO text, editor
//! comments and markup from every CMS in China. Every body, whether it started as HTML,
//! markdown or plain text, goes through the same three steps:
//!
//! 1. **Bounded parse.** html5ever (through scraper) builds the tree, but parsing stops as
//!    soon as an element would sit deeper than `MAX_DEPTH` levels. html5ever's tree builder
//!    scans its stack of open elements on most tags, as the HTML standard says, so its cost
//!    grows with depth × tags: a few hundred KB of nested `<div>` would take minutes.
//!    Browsers stop nesting at 512 for the same reason. A body that deep is not an article;
//!    it is kept as escaped plain text, read with the (linear) tokenizer alone.
//! 2. **Pre-pass on the tree**, for what ammonia cannot judge: content hidden with
//!    `display:none`, `visibility:hidden` or `hidden` goes with everything inside it, and so
//!    do comments, 1×1 tracking pixels, form controls and the code-carrying elements
//!    (`script`, `style`, `template`, `svg`, ...). Image sources are taken from lazy-loading
//!    attributes, protocol-relative URLs become `https:`, ids get a prefix, and images get
//!    `loading="lazy"` and `referrerpolicy="no-referrer"`.
//! 3. **ammonia**, the safety gate: an allowlist of tags, attributes, classes and URL
//!    schemes, applied to the pre-pass output. Safety never depends on the pre-pass; the
//!    pre-pass only decides what a reader should see.
//!
//! Every tree walk here is iterative (explicit stacks, ego_tree's arena), so no input can
//! overflow the stack. `docs/sanitizing.md` states the policy for editors and reviewers.
//!
//! The steps live in their own files: `parse` (the depth-bounded parse), `prepass`,
//! `policy` (the ammonia configuration), `text` (plain text, and the tokenizer-only
//! fallback for too-deep bodies) and `check` ([`policy_violations`]).

mod check;
mod parse;
mod policy;
mod prepass;
#[cfg(test)]
mod tests;
mod text;

use std::ops::ControlFlow;

pub use check::policy_violations;
pub use text::html_to_text;

use parse::{html_element, parse_bounded, parse_document_bounded};
use policy::policy;
use prepass::{image_src, prepass};
use text::{text_fallback, text_paragraphs, walk_visible, Visit};

/// Deepest element nesting a body may have before it is kept as plain text only.
/// Browsers stop nesting at the same depth (`kMaximumHTMLParserDOMTreeDepth`).
const MAX_DEPTH: usize = 512;

/// Put in front of every `id` (and every `#fragment` link), so a post cannot clobber the
/// ids the theme's own page and scripts rely on.
pub const ID_PREFIX: &str = "user-content-";

/// The `rel` every link gets.
const LINK_REL: &str = "noopener noreferrer nofollow";

/// Elements kept, with the attributes listed in `policy`. Everything else not in
/// `DROPPED_WITH_CONTENT` is unwrapped: the tag goes, its content stays.
const ALLOWED_TAGS: &[&str] = &[
    "a",
    "abbr",
    "article",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "input",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "section",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
];

/// Elements removed together with everything inside them: code (`script`, `style`,
/// `template`, ...), embedded documents and plugins, media players, form controls, SVG and
/// MathML, and document-level elements that make no sense inside an article.
const DROPPED_WITH_CONTENT: &[&str] = &[
    "applet",
    "area",
    "audio",
    "base",
    "bgsound",
    "button",
    "canvas",
    "datalist",
    "dialog",
    "embed",
    "frame",
    "frameset",
    "head",
    "iframe",
    "link",
    "map",
    "math",
    "meta",
    "noembed",
    "noframes",
    "noscript",
    "object",
    "optgroup",
    "option",
    "param",
    "plaintext",
    "portal",
    "script",
    "select",
    "source",
    "style",
    "svg",
    "template",
    "textarea",
    "title",
    "track",
    "video",
    "xmp",
];

/// Classes that survive: the ones pulldown-cmark writes for footnotes and GitHub-style
/// alerts. `language-*` on code blocks is allowed as well (see `is_allowed_class`).
const ALLOWED_CLASSES: &[&str] = &[
    "align-center",
    "align-justify",
    "align-left",
    "align-right",
    "footnote-definition",
    "footnote-definition-label",
    "footnote-reference",
    "markdown-alert-caution",
    "markdown-alert-important",
    "markdown-alert-note",
    "markdown-alert-tip",
    "markdown-alert-warning",
];

/// Attributes lazy-loading scripts keep the real image address in, tried before `src`
/// (which then usually holds a placeholder).
const IMAGE_SOURCE_ATTRS: &[&str] = &[
    "data-src",
    "data-original",
    "data-actualsrc",
    "data-lazy-src",
    "data-url",
    "src",
];

/// Cleans an untrusted HTML body so it can go into a page as is.
///
/// This is the only place post content becomes trusted markup: templates mark its result
/// safe and escape everything else. The policy (what is kept, what is dropped and why) is in
/// the module documentation and in `docs/sanitizing.md`. The result is deterministic (same
/// input, same bytes) and idempotent: cleaning it again changes nothing.
pub fn sanitize_html(html: &str) -> String {
    let Some(mut doc) = parse_bounded(html) else {
        return text_paragraphs(&text_fallback(html));
    };
    prepass(&mut doc);
    let prepared = html_element(&doc)
        .map(|root| root.inner_html())
        .unwrap_or_default();
    policy().clean(&prepared).to_string()
}

/// Parses a whole scraped page (`<html>`, `<head>`, `<body>`) for reading its metadata and
/// article, or `None` when it nests deeper than browsers do.
///
/// `scraper::Html::parse_document` has no such bound: html5ever's tree builder then does
/// work proportional to depth on every tag, and a page of 100,000 nested `<div>` takes
/// hours. A page this deep is not an article; callers keep its text instead.
pub fn parse_document(html: &str) -> Option<scraper::Html> {
    parse_document_bounded(html)
}

/// The address of the first image a reader would see in an HTML body, if any.
///
/// A post without a cover image in its front matter uses its first image, for the post
/// list and for feed and social previews. Images [`sanitize_html`] would drop (tracking
/// pixels, hidden, `data:` URLs) are skipped, lazy-loading attributes are honoured and a
/// protocol-relative address comes back as `https:`.
pub fn first_image_src(html: &str) -> Option<String> {
    let doc = parse_bounded(html)?;
    let mut found = None;
    walk_visible(&doc, |visit| match visit {
        Visit::Open(e) if e.name() == "img" => {
            found = image_src(e);
            ControlFlow::Break(())
        }
        _ => ControlFlow::Continue(()),
    });
    found
}
