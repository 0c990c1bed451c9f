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

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::ops::ControlFlow;
use std::sync::OnceLock;

use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{local_name, ns, Attribute, LocalName, ParseOpts, QualName};
use scraper::node::Element;
use scraper::{ElementRef, Html, HtmlTreeSink, Node};

/// A node of scraper's tree (ego_tree's `NodeId`), named through the sink so that ego_tree
/// need not be a direct dependency.
type NodeId = <HtmlTreeSink as TreeSink>::Handle;

/// Deepest element nesting a body may have before it is kept as plain text only.
/// Browsers stop nesting at the same depth (`kMaximumHTMLParserDOMTreeDepth`).
const MAX_DEPTH: usize = 512;

/// Input is fed to the parser in pieces this large, so a too-deep body is noticed before the
/// tree builder has done much quadratic work.
const CHUNK_BYTES: usize = 4096;

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

/// The visible text of an HTML body, one line per block (paragraph, list item, heading,
/// table row, `<br>`), with whitespace collapsed inside lines.
///
/// Summaries, the search index and reading time all want text, not markup. Content that
/// [`sanitize_html`] would drop (scripts, hidden elements, ...) is skipped here too, so
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

/// Everything in `html` that this module's policy would not let through, one message each;
/// empty when the markup is inert.
///
/// An independent check of the output, not a second sanitizer: tests run it on everything
/// [`sanitize_html`] produces (including whole corpora of scraped pages), and `digest check`
/// can run it on the post bodies of a built site. It parses `html` and checks every node: only allowed
/// elements in the HTML namespace, no comments, only allowed attributes, no event handlers
/// or `style`, link and image targets only `http:`, `https:`, `mailto:` (links) or relative,
/// every link with `rel="noopener noreferrer nofollow"`, every image lazy and without
/// referrer.
pub fn policy_violations(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    let Some(doc) = parse_bounded(html) else {
        found.push(format!("nested deeper than {MAX_DEPTH} elements"));
        return found;
    };
    let Some(root) = html_element(&doc) else {
        return found;
    };
    for node in root.descendants().skip(1) {
        let element = match node.value() {
            Node::Text(_) => continue,
            Node::Element(e) => e,
            Node::Comment(c) => {
                found.push(format!("comment <!--{}-->", &**c));
                continue;
            }
            other => {
                found.push(format!("unexpected node {other:?}"));
                continue;
            }
        };
        check_element(element, &mut found);
    }
    found
}

fn check_element(e: &Element, found: &mut Vec<String>) {
    let tag = e.name();
    if e.name.ns != ns!(html) {
        found.push(format!("<{tag}> outside the HTML namespace"));
    }
    if !ALLOWED_TAGS.contains(&tag) {
        found.push(format!("element <{tag}> is not allowed"));
    }
    for (name, value) in e.attrs() {
        let allowed = match name {
            "id" | "lang" | "title" => true,
            "class" => value.split_ascii_whitespace().all(is_allowed_class),
            "href" | "rel" => tag == "a",
            "src" | "alt" | "width" | "height" => tag == "img",
            "loading" => tag == "img" && value == "lazy",
            "referrerpolicy" => tag == "img" && value == "no-referrer",
            "colspan" | "rowspan" | "align" => tag == "td" || tag == "th",
            "start" => tag == "ol",
            "open" => tag == "details",
            "type" => tag == "input" && value == "checkbox",
            "disabled" | "checked" => tag == "input",
            _ => false,
        };
        if !allowed {
            found.push(format!("attribute {name}=\"{value}\" on <{tag}>"));
        }
        if name == "href" || name == "src" {
            if let Some(problem) = unsafe_url(value, name == "href") {
                found.push(format!("<{tag} {name}=\"{value}\">: {problem}"));
            }
        }
    }
    let missing = |attr: &str, value: &str| e.attr(attr) != Some(value);
    if tag == "a" && missing("rel", LINK_REL) {
        found.push(format!("<a> without rel=\"{LINK_REL}\""));
    }
    if tag == "img" && (missing("loading", "lazy") || missing("referrerpolicy", "no-referrer")) {
        found.push("<img> without loading=\"lazy\" referrerpolicy=\"no-referrer\"".into());
    }
    if tag == "input" && (missing("type", "checkbox") || missing("disabled", "")) {
        found.push("<input> that is not a disabled checkbox".into());
    }
}

/// Why a link or image target is not acceptable, if it is not. Checked the way a browser
/// reads it: surrounding whitespace and control characters ignored, tabs and newlines
/// inside removed, case ignored; protocol-relative `//host` counts as external but is
/// expected to have been rewritten.
fn unsafe_url(value: &str, is_link: bool) -> Option<String> {
    let squeezed: String = value
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    if squeezed.starts_with("//") || squeezed.starts_with("\\\\") || squeezed.starts_with("/\\") {
        return Some("protocol-relative URL".into());
    }
    // A plain prefix test as well, so this check does not rest on `url_scheme` alone.
    let lower = squeezed.to_ascii_lowercase();
    if ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        return Some("script or data URL".into());
    }
    match url_scheme(&squeezed).as_deref() {
        None | Some("http") | Some("https") => None,
        Some("mailto") if is_link => None,
        Some(other) => Some(format!("scheme {other}: not allowed")),
    }
}

// ---------------------------------------------------------------------------------------
// Bounded parse
// ---------------------------------------------------------------------------------------

/// Parses an HTML fragment (in a `<body>`) into scraper's tree, or `None` when an element
/// would nest deeper than [`MAX_DEPTH`].
fn parse_bounded(html: &str) -> Option<Html> {
    let sink = DepthGuard {
        inner: HtmlTreeSink::new(Html::new_fragment()),
        too_deep: Cell::new(false),
    };
    let mut parser = html5ever::driver::parse_fragment(
        sink,
        ParseOpts::default(),
        QualName::new(None, ns!(html), local_name!("body")),
        Vec::new(),
        false,
    );
    let mut rest = html;
    while !rest.is_empty() {
        let mut cut = rest.len().min(CHUNK_BYTES);
        while !rest.is_char_boundary(cut) {
            cut += 1;
        }
        let (chunk, tail) = rest.split_at(cut);
        parser.process(StrTendril::from_slice(chunk));
        if parser.tokenizer.sink.sink.too_deep.get() {
            return None;
        }
        rest = tail;
    }
    parser.finish()
}

/// scraper's tree sink, plus a watch on how deep each inserted element lands.
///
/// The depth is measured on the tree itself (the inserted element's ancestors, counted up
/// to one past the limit) rather than kept per node, because the tree builder moves nodes
/// around (adoption agency, foster parenting) after inserting them. The stack of open
/// elements, whose length is what costs time, is (nearly) a subsequence of the current
/// node's ancestors, so bounding the one bounds the other.
struct DepthGuard {
    inner: HtmlTreeSink,
    too_deep: Cell<bool>,
}

impl DepthGuard {
    fn check(&self, node: Option<NodeId>) {
        let Some(id) = node else { return };
        if self.too_deep.get() {
            return;
        }
        let html = self.inner.0.borrow();
        if let Some(node) = html.tree.get(id) {
            if node.value().is_element() && node.ancestors().take(MAX_DEPTH + 1).count() > MAX_DEPTH
            {
                self.too_deep.set(true);
            }
        }
    }
}

fn appended_node(child: &NodeOrText<NodeId>) -> Option<NodeId> {
    match child {
        NodeOrText::AppendNode(id) => Some(*id),
        NodeOrText::AppendText(_) => None,
    }
}

impl TreeSink for DepthGuard {
    type Handle = NodeId;
    type Output = Option<Html>;
    type ElemName<'a>
        = <HtmlTreeSink as TreeSink>::ElemName<'a>
    where
        Self: 'a;

    fn finish(self) -> Option<Html> {
        if self.too_deep.get() {
            None
        } else {
            Some(self.inner.finish())
        }
    }

    // Parse errors are normal in scraped HTML and nobody reads them: not collecting them
    // keeps memory flat on large bodies.
    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> NodeId {
        self.inner.get_document()
    }

    fn elem_name<'a>(&'a self, target: &'a NodeId) -> Self::ElemName<'a> {
        self.inner.elem_name(target)
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> NodeId {
        self.inner.create_element(name, attrs, flags)
    }

    fn create_comment(&self, text: StrTendril) -> NodeId {
        self.inner.create_comment(text)
    }

    fn create_pi(&self, target: StrTendril, data: StrTendril) -> NodeId {
        self.inner.create_pi(target, data)
    }

    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        let node = appended_node(&child);
        self.inner.append(parent, child);
        self.check(node);
    }

    fn append_based_on_parent_node(
        &self,
        element: &NodeId,
        prev_element: &NodeId,
        child: NodeOrText<NodeId>,
    ) {
        let node = appended_node(&child);
        self.inner
            .append_based_on_parent_node(element, prev_element, child);
        self.check(node);
    }

    fn append_doctype_to_document(
        &self,
        name: StrTendril,
        public_id: StrTendril,
        system_id: StrTendril,
    ) {
        self.inner
            .append_doctype_to_document(name, public_id, system_id)
    }

    fn mark_script_already_started(&self, node: &NodeId) {
        self.inner.mark_script_already_started(node)
    }

    fn pop(&self, node: &NodeId) {
        self.inner.pop(node)
    }

    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        self.inner.get_template_contents(target)
    }

    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        self.inner.same_node(x, y)
    }

    fn set_quirks_mode(&self, mode: QuirksMode) {
        self.inner.set_quirks_mode(mode)
    }

    fn append_before_sibling(&self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        let node = appended_node(&new_node);
        self.inner.append_before_sibling(sibling, new_node);
        self.check(node);
    }

    fn add_attrs_if_missing(&self, target: &NodeId, attrs: Vec<Attribute>) {
        self.inner.add_attrs_if_missing(target, attrs)
    }

    fn associate_with_form(
        &self,
        target: &NodeId,
        form: &NodeId,
        nodes: (&NodeId, Option<&NodeId>),
    ) {
        self.inner.associate_with_form(target, form, nodes)
    }

    fn remove_from_parent(&self, target: &NodeId) {
        self.inner.remove_from_parent(target)
    }

    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        self.inner.reparent_children(node, new_parent)
    }

    fn is_mathml_annotation_xml_integration_point(&self, handle: &NodeId) -> bool {
        self.inner
            .is_mathml_annotation_xml_integration_point(handle)
    }

    fn set_current_line(&self, line_number: u64) {
        self.inner.set_current_line(line_number)
    }

    fn allow_declarative_shadow_roots(&self, intended_parent: &NodeId) -> bool {
        self.inner.allow_declarative_shadow_roots(intended_parent)
    }

    fn attach_declarative_shadow(
        &self,
        location: &NodeId,
        template: &NodeId,
        attrs: &[Attribute],
    ) -> bool {
        self.inner
            .attach_declarative_shadow(location, template, attrs)
    }

    fn maybe_clone_an_option_into_selectedcontent(&self, option: &NodeId) {
        self.inner
            .maybe_clone_an_option_into_selectedcontent(option)
    }
}

/// The `<html>` element a fragment parse puts everything under.
fn html_element(doc: &Html) -> Option<ElementRef<'_>> {
    doc.tree.root().children().find_map(ElementRef::wrap)
}

// ---------------------------------------------------------------------------------------
// Pre-pass
// ---------------------------------------------------------------------------------------

/// Removes what a reader must not see and normalises what stays (see the module docs).
fn prepass(doc: &mut Html) {
    let Some(root) = html_element(doc) else {
        return;
    };
    let mut dropped = Vec::new();
    let mut kept = Vec::new();
    let mut stack: Vec<NodeId> = root.children().map(|c| c.id()).collect();
    while let Some(id) = stack.pop() {
        let Some(node) = doc.tree.get(id) else {
            continue;
        };
        match node.value() {
            Node::Text(_) => {}
            Node::Element(e) if !drops_with_content(e) => {
                kept.push(id);
                stack.extend(node.children().map(|c| c.id()));
            }
            // Comments, doctypes, processing instructions and dropped elements.
            _ => dropped.push(id),
        }
    }
    for id in kept {
        if let Some(mut node) = doc.tree.get_mut(id) {
            if let Node::Element(e) = node.value() {
                rewrite_attributes(e);
            }
        }
    }
    for id in dropped {
        if let Some(mut node) = doc.tree.get_mut(id) {
            node.detach();
        }
    }
}

/// Whether an element goes away together with its content.
fn drops_with_content(e: &Element) -> bool {
    let tag = e.name();
    if e.name.ns != ns!(html) || DROPPED_WITH_CONTENT.contains(&tag) || is_hidden(e) {
        return true;
    }
    match tag {
        "input" => !e
            .attr("type")
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("checkbox")),
        "img" => image_src(e).is_none() || is_tracking_pixel(e),
        _ => false,
    }
}

/// Hidden with the `hidden` attribute or an inline style.
fn is_hidden(e: &Element) -> bool {
    e.attr("hidden").is_some() || e.attr("style").is_some_and(style_hides)
}

/// Whether an inline style says `display: none` or `visibility: hidden` (or `collapse`),
/// in any case, with any whitespace or comments, anywhere among its declarations.
fn style_hides(style: &str) -> bool {
    normalized_declarations(style).any(|(property, value)| match property.as_str() {
        "display" => value == "none" || value.starts_with("none!"),
        "visibility" => value.starts_with("hidden") || value.starts_with("collapse"),
        _ => false,
    })
}

/// The `text-align` of an inline style, when it is one `align` can say.
fn style_text_align(style: &str) -> Option<&'static str> {
    let (_, value) =
        normalized_declarations(style).find(|(property, _)| property == "text-align")?;
    let value = value.split('!').next().unwrap_or_default();
    ["left", "center", "right", "justify"]
        .into_iter()
        .find(|align| *align == value)
}

/// An inline style's declarations as (property, value), lower-cased, with all whitespace
/// and comments removed.
fn normalized_declarations(style: &str) -> impl Iterator<Item = (String, String)> {
    let mut squeezed = String::with_capacity(style.len());
    let mut rest = style;
    loop {
        let (text, after) = match rest.find("/*") {
            Some(start) => {
                let after_open = &rest[start + 2..];
                let after = after_open
                    .find("*/")
                    .map_or("", |end| &after_open[end + 2..]);
                (&rest[..start], Some(after))
            }
            None => (rest, None),
        };
        squeezed.extend(
            text.chars()
                .filter(|c| !c.is_whitespace())
                .map(|c| c.to_ascii_lowercase()),
        );
        match after {
            Some(after) => rest = after,
            None => break,
        }
    }
    squeezed
        .split(';')
        .filter_map(|decl| {
            let (property, value) = decl.split_once(':')?;
            Some((property.to_owned(), value.to_owned()))
        })
        .collect::<Vec<_>>()
        .into_iter()
}

/// An image's usable address: the first lazy-loading attribute or `src` that is an
/// `http(s)` or relative URL, protocol-relative made `https:`.
fn image_src(e: &Element) -> Option<String> {
    IMAGE_SOURCE_ATTRS
        .iter()
        .filter_map(|attr| e.attr(attr))
        .map(normalize_url)
        .find(|url| {
            !url.is_empty() && matches!(url_scheme(url).as_deref(), None | Some("http" | "https"))
        })
}

/// An image of at most 1×1 pixels (or with a zero side) is there to track readers.
fn is_tracking_pixel(e: &Element) -> bool {
    let side = |attr: &str| -> Option<f64> {
        let value = e.attr(attr)?.trim();
        let value = value.strip_suffix("px").unwrap_or(value).trim_end();
        value.parse().ok()
    };
    match (side("width"), side("height")) {
        (Some(w), Some(h)) => w <= 1.0 && h <= 1.0 || w <= 0.0 || h <= 0.0,
        (Some(d), None) | (None, Some(d)) => d <= 0.0,
        (None, None) => false,
    }
}

/// Rewrites a kept element's attributes. Everything not touched here is left for ammonia
/// to judge.
fn rewrite_attributes(e: &mut Element) {
    let tag = e.name.local.clone();
    if &*tag == "input" {
        // Only checkboxes get here: keep the tick, force the rest.
        let checked = e.attr("checked").is_some();
        let mut attrs = vec![attribute("type", "checkbox"), attribute("disabled", "")];
        if checked {
            attrs.push(attribute("checked", ""));
        }
        e.attrs = attrs.into_iter().collect();
        return;
    }
    let image = if &*tag == "img" { image_src(e) } else { None };
    let align = if &*tag == "td" || &*tag == "th" {
        e.attr("style").and_then(style_text_align)
    } else {
        None
    };
    let old: Vec<(QualName, StrTendril)> = std::mem::take(&mut e.attrs).into_iter().collect();
    let mut new = Vec::with_capacity(old.len() + 3);
    for (name, value) in old {
        let value = match &*name.local {
            _ if name.ns != ns!() => continue,
            "src" | "loading" | "referrerpolicy" if &*tag == "img" => continue,
            "align" if align.is_some() => continue,
            "id" => StrTendril::from(prefixed_id(&value)),
            "href" => StrTendril::from(prefixed_fragment(normalize_url(&value))),
            "src" => StrTendril::from(normalize_url(&value)),
            _ => value,
        };
        // Apply ammonia's value filter here too, so that ammonia never has to remove an
        // attribute (it does so with `swap_remove`, which shuffles the attribute order).
        let filtered = filter_attribute(&tag, &name.local, &value).map(|v| match v {
            Cow::Borrowed(_) => None,
            Cow::Owned(changed) => Some(changed),
        });
        let value = match filtered {
            None => continue,
            Some(None) => value,
            Some(Some(changed)) => StrTendril::from(changed),
        };
        new.push((name, value));
    }
    if let Some(src) = image {
        new.push(attribute("src", &src));
        new.push(attribute("loading", "lazy"));
        new.push(attribute("referrerpolicy", "no-referrer"));
    }
    if let Some(align) = align {
        new.push(attribute("align", align));
    }
    e.attrs = new.into_iter().collect();
}

fn attribute(name: &str, value: &str) -> (QualName, StrTendril) {
    (
        QualName::new(None, ns!(), LocalName::from(name)),
        StrTendril::from_slice(value),
    )
}

fn prefixed_id(id: &str) -> String {
    if id.is_empty() || id.starts_with(ID_PREFIX) {
        id.to_owned()
    } else {
        format!("{ID_PREFIX}{id}")
    }
}

/// `#name` becomes `#user-content-name`, to match the prefixed ids.
fn prefixed_fragment(url: String) -> String {
    match url.strip_prefix('#') {
        Some(name) if !name.is_empty() && !name.starts_with(ID_PREFIX) => {
            format!("#{ID_PREFIX}{name}")
        }
        _ => url,
    }
}

/// Trims a URL the way browsers do and turns protocol-relative `//host/x` (or `\\host`,
/// `/\host`) into `https://host/x`: the site is served over https, and a page opened from
/// disk would otherwise look for `file://host/x`.
fn normalize_url(value: &str) -> String {
    let trimmed = value.trim_matches(|c: char| c <= ' ');
    let slashes = trimmed
        .bytes()
        .take_while(|b| *b == b'/' || *b == b'\\')
        .count();
    if slashes >= 2 {
        format!("https://{}", &trimmed[slashes..])
    } else {
        trimmed.to_owned()
    }
}

/// The scheme of a URL, lower-cased, as a browser would find it (tabs and newlines inside
/// are ignored); `None` for a relative URL.
fn url_scheme(url: &str) -> Option<String> {
    let mut scheme = String::new();
    for c in url.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')) {
        match c {
            ':' if !scheme.is_empty() => return Some(scheme),
            'a'..='z' | 'A'..='Z' => scheme.push(c.to_ascii_lowercase()),
            '0'..='9' | '+' | '-' | '.' if !scheme.is_empty() => scheme.push(c),
            _ => return None,
        }
    }
    None
}

// ---------------------------------------------------------------------------------------
// ammonia, the gate
// ---------------------------------------------------------------------------------------

/// The ammonia configuration, built once.
fn policy() -> &'static ammonia::Builder<'static> {
    static POLICY: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    POLICY.get_or_init(|| {
        let set = |items: &[&'static str]| items.iter().copied().collect::<HashSet<_>>();
        let tag_attributes: HashMap<&str, HashSet<&str>> = [
            ("a", set(&["href"])),
            ("img", set(&["src", "alt", "width", "height"])),
            ("td", set(&["colspan", "rowspan", "align"])),
            ("th", set(&["colspan", "rowspan", "align"])),
            ("ol", set(&["start"])),
            ("details", set(&["open"])),
            ("input", set(&["checked"])),
        ]
        .into_iter()
        .collect();
        // Exact values; deliberately not `set_tag_attribute_values` for these, which iterates
        // a HashMap and would make attribute order differ from run to run.
        let tag_attribute_values: HashMap<&str, HashMap<&str, HashSet<&str>>> = [
            (
                "img",
                [
                    ("loading", set(&["lazy"])),
                    ("referrerpolicy", set(&["no-referrer"])),
                ]
                .into_iter()
                .collect(),
            ),
            (
                "input",
                [("type", set(&["checkbox"]))].into_iter().collect(),
            ),
        ]
        .into_iter()
        .collect();
        let mut builder = ammonia::Builder::empty();
        builder
            .tags(set(ALLOWED_TAGS))
            .clean_content_tags(set(DROPPED_WITH_CONTENT))
            .generic_attributes(set(&["id", "lang", "title", "class"]))
            .tag_attributes(tag_attributes)
            .tag_attribute_values(tag_attribute_values)
            .set_tag_attribute_value("input", "disabled", "")
            .url_schemes(set(&["http", "https", "mailto"]))
            .url_relative(ammonia::UrlRelative::PassThrough)
            .link_rel(Some(LINK_REL))
            .strip_comments(true)
            .attribute_filter(filter_attribute);
        builder
    })
}

/// ammonia's last word on attribute values: classes from the allowlist only, numbers
/// where numbers are meant.
fn filter_attribute<'u>(_element: &str, attribute: &str, value: &'u str) -> Option<Cow<'u, str>> {
    let is_number =
        |v: &str| !v.is_empty() && v.len() <= 6 && v.bytes().all(|b| b.is_ascii_digit());
    match attribute {
        "class" => {
            let kept: Vec<&str> = value
                .split_ascii_whitespace()
                .filter(|class| is_allowed_class(class))
                .collect();
            (!kept.is_empty()).then(|| Cow::Owned(kept.join(" ")))
        }
        "colspan" | "rowspan" | "start" | "width" | "height" => {
            is_number(value.trim()).then(|| Cow::Owned(value.trim().to_owned()))
        }
        "align" => ["left", "center", "right", "justify"]
            .contains(&value)
            .then_some(Cow::Borrowed(value)),
        _ => Some(Cow::Borrowed(value)),
    }
}

/// Footnote and alert classes from pulldown-cmark, and `language-xyz` on code blocks (for
/// a highlighter); nothing else, so a post cannot borrow the theme's classes.
fn is_allowed_class(class: &str) -> bool {
    ALLOWED_CLASSES.contains(&class)
        || class.strip_prefix("language-").is_some_and(|lang| {
            !lang.is_empty()
                && lang.len() <= 32
                && lang
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+-_.#".contains(&b))
        })
}

// ---------------------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------------------

enum Visit<'a> {
    Text(&'a str),
    Open(&'a Element),
    Close(&'a Element),
}

/// Walks the elements and text a reader would see (skipping what [`sanitize_html`] drops
/// with its content), in document order, without recursion.
fn walk_visible<'a>(doc: &'a Html, mut visit: impl FnMut(Visit<'a>) -> ControlFlow<()>) {
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
/// [`sanitize_html`] drops.
fn text_fallback(html: &str) -> Vec<String> {
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
fn text_paragraphs(lines: &[String]) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    /// Parses `html` and fails on anything the policy would not let through (see
    /// [`policy_violations`]), plus a raw look for the tags no output may ever contain.
    fn assert_inert(html: &str) {
        let violations = policy_violations(html);
        assert!(violations.is_empty(), "{violations:#?}\nin: {html}");
        let lower = html.to_ascii_lowercase();
        for tag in [
            "<script",
            "<style",
            "<iframe",
            "<frame",
            "<object",
            "<embed",
            "<svg",
            "<math",
            "<form",
            "<button",
            "<textarea",
            "<select",
            "<template",
            "<base",
            "<meta",
            "<link",
            "<noscript",
            "<!--",
        ] {
            assert!(!lower.contains(tag), "{tag} in: {html}");
        }
    }

    fn clean(html: &str) -> String {
        let out = sanitize_html(html);
        assert_inert(&out);
        assert_eq!(sanitize_html(&out), out, "not idempotent for: {html}");
        out
    }

    const REL: &str = r#"rel="noopener noreferrer nofollow""#;
    const LAZY: &str = r#"loading="lazy" referrerpolicy="no-referrer""#;

    #[test]
    fn keeps_ordinary_article_markup() {
        let html = concat!(
            "<h1>一</h1><h2>二</h2><h3>三</h3><h4>四</h4><h5>五</h5><h6>六</h6>",
            "<p><strong>粗</strong><b>b</b><em>斜</em><i>i</i><u>u</u><s>s</s><del>d</del>",
            "<ins>i</ins><sub>1</sub><sup>2</sup><mark>m</mark><small>s</small><code>c</code>",
            "<kbd>k</kbd><q>q</q><cite>c</cite><abbr title=\"Cloud\">云</abbr><br>",
            "<span lang=\"en\">x</span></p>",
            "<blockquote><p>引用</p></blockquote><hr><pre>pre\n  text</pre>",
            "<ul><li>a</li></ul><ol start=\"3\"><li>b</li></ol><dl><dt>t</dt><dd>d</dd></dl>",
            "<table><caption>c</caption><thead><tr><th colspan=\"2\">h</th></tr></thead>",
            "<tbody><tr><td rowspan=\"2\">1</td></tr></tbody><tfoot><tr><td>f</td></tr></tfoot>",
            "</table>",
            "<figure><img alt=\"图\" height=\"400\" title=\"t\" width=\"600\" ",
            "src=\"https://img.example.com/a.png\" loading=\"lazy\" referrerpolicy=\"no-referrer\">",
            "<figcaption>说明</figcaption></figure>",
            "<details open=\"\"><summary>s</summary><div><section><article>x</article></section>",
            "</div></details><ruby>云<rp>(</rp><rt>yún</rt><rp>)</rp></ruby>",
        );
        assert_eq!(clean(html), html);
    }

    #[test]
    fn drops_code_embeds_media_and_controls_with_their_content() {
        for tag in [
            "script", "style", "template", "noscript", "iframe", "noembed", "noframes", "object",
            "applet", "textarea", "select", "button", "audio", "video", "canvas", "title", "xmp",
            "dialog", "map", "datalist", "option", "optgroup", "portal",
        ] {
            let html = format!("<p>keep</p><{tag}>secret<p>nested</p></{tag}><p>too</p>");
            assert_eq!(clean(&html), "<p>keep</p><p>too</p>", "{tag}");
        }
        for void in [
            "<embed src=x.swf>",
            "<base href=\"https://evil.example/\">",
            "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">",
            "<link rel=\"stylesheet\" href=\"x.css\">",
            "<param name=a value=b>",
            "<source src=a.mp4>",
            "<track src=a.vtt>",
            "<area href=x>",
            "<input type=\"text\" value=\"x\">",
            "<input type=\"hidden\" name=\"csrf\" value=\"secret\">",
            "<input>",
        ] {
            assert_eq!(clean(&format!("<p>a{void}b</p>")), "<p>ab</p>", "{void}");
        }
        assert_eq!(clean("<p>a</p><plaintext><p>b</p>"), "<p>a</p>");
        for foreign in [
            "<svg><g><text>secret</text></g><style>x</style></svg>",
            "<math><mi>secret</mi><mo>+</mo><mtext>y</mtext></math>",
        ] {
            assert_eq!(
                clean(&format!("<p>a{foreign}b</p>")),
                "<p>ab</p>",
                "{foreign}"
            );
        }
        // An HTML element ends SVG and MathML, for the parser as for browsers: it is no
        // longer inside them.
        assert_eq!(
            clean("<svg><text>secret</text><p>shown</p></svg>"),
            "<p>shown</p>"
        );
    }

    #[test]
    fn unwraps_layout_and_unknown_tags_but_keeps_their_text() {
        let html = concat!(
            "<center><font color=red>红</font></center><nav>n</nav>",
            "<form action=\"/x\"><label>l</label><fieldset><legend>g</legend></fieldset></form>",
            "<marquee>m</marquee><o:p>o</o:p><my-widget>w</my-widget><time>2022</time>",
        );
        assert_eq!(clean(html), "红nlgmow2022");
    }

    #[test]
    fn removes_event_handlers_styles_and_unknown_attributes() {
        let html = concat!(
            r#"<p onclick="x()" style="color:red" class="intro" data-x="1" align="center" "#,
            r#"dir="rtl" tabindex="1" contenteditable="">t</p>"#
        );
        assert_eq!(clean(html), "<p>t</p>");
        assert_eq!(
            clean(
                r#"<div onmouseover=alert(1) ONLOAD=alert(2) style="background:url(javascript:x)">d</div>"#
            ),
            "<div>d</div>"
        );
    }

    #[test]
    fn links_keep_only_http_https_mailto_and_relative_targets() {
        let kept = [
            (
                "https://a.example/x?y=1&z=2",
                "https://a.example/x?y=1&amp;z=2",
            ),
            ("http://a.example", "http://a.example"),
            ("mailto:editor@example.com", "mailto:editor@example.com"),
            ("/posts/2022/", "/posts/2022/"),
            ("page.html", "page.html"),
            ("?q=1", "?q=1"),
            ("  https://a.example/  ", "https://a.example/"),
            ("HTTPS://A.EXAMPLE", "HTTPS://A.EXAMPLE"),
        ];
        for (href, out) in kept {
            let html = format!(r#"<a href="{href}">t</a>"#);
            assert_eq!(
                clean(&html),
                format!(r#"<a href="{out}" {REL}>t</a>"#),
                "{href}"
            );
        }
        let dropped = [
            "javascript:alert(1)",
            "  JaVaScRiPt:alert(1)",
            "jav&#x09;ascript:alert(1)",
            "jav&#x0A;ascript:alert(1)",
            "&#106;avascript:alert(1)",
            "javascript&colon;alert(1)",
            "\u{1}javascript:alert(1)",
            "vbscript:msgbox(1)",
            "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
            "DATA:text/html,<script>alert(1)</script>",
            "ftp://files.example/",
            "tel:+8610123",
            "file:///etc/passwd",
        ];
        for href in dropped {
            let html = format!(r#"<a href="{href}">t</a>"#);
            assert_eq!(clean(&html), format!("<a {REL}>t</a>"), "{href}");
        }
    }

    #[test]
    fn external_links_get_rel_https_and_no_target() {
        assert_eq!(
            clean(r#"<a href="//example.com/x" target="_blank" rel="opener">x</a>"#),
            format!(r#"<a href="https://example.com/x" {REL}>x</a>"#)
        );
        assert_eq!(
            clean(r#"<a href="\\example.com/x">x</a><a href=" ///example.com">y</a>"#),
            format!(
                r#"<a href="https://example.com/x" {REL}>x</a><a href="https://example.com" {REL}>y</a>"#
            )
        );
        // Every link gets the same rel, internal ones too: it costs nothing and a
        // relative-looking URL is not always internal.
        assert_eq!(
            clean(r#"<a href="/about/">a</a>"#),
            format!(r#"<a href="/about/" {REL}>a</a>"#)
        );
    }

    #[test]
    fn images_are_lazy_without_referrer_and_only_from_http_or_relative() {
        assert_eq!(
            clean(
                r#"<img src="//img.cls.cn/a.png" loading="eager" referrerpolicy="unsafe-url" onerror="x()" srcset="a.png 2x">"#
            ),
            format!(r#"<img src="https://img.cls.cn/a.png" {LAZY}>"#)
        );
        assert_eq!(
            clean(r#"<img src="a.png">"#),
            format!(r#"<img src="a.png" {LAZY}>"#)
        );
        for src in [
            "data:image/png;base64,iVBORw0KGgo=",
            "javascript:alert(1)",
            "",
            "  ",
            "vbscript:x",
        ] {
            assert_eq!(
                clean(&format!(r#"<p><img src="{src}" alt="a">b</p>"#)),
                "<p>b</p>",
                "{src}"
            );
        }
        assert_eq!(clean("<p><img alt=a>b</p>"), "<p>b</p>");
    }

    #[test]
    fn lazy_loaded_images_use_their_real_address() {
        // WeChat and many CMS put the real address in data-src and a placeholder in src.
        assert_eq!(
            clean(
                r#"<img data-src="https://mmbiz.qpic.cn/a.jpg" src="data:image/gif;base64,R0lGOD=">"#
            ),
            format!(r#"<img src="https://mmbiz.qpic.cn/a.jpg" {LAZY}>"#)
        );
        assert_eq!(
            clean(r#"<img src="/static/grey.gif" data-original="//img.example.com/b.jpg">"#),
            format!(r#"<img src="https://img.example.com/b.jpg" {LAZY}>"#)
        );
        assert_eq!(
            clean(r#"<img data-src="javascript:x" src="c.jpg">"#),
            format!(r#"<img src="c.jpg" {LAZY}>"#)
        );
    }

    #[test]
    fn tracking_pixels_are_dropped() {
        for img in [
            r#"<img src="https://t.example/p.gif" width="1" height="1">"#,
            r#"<img src="https://t.example/p.gif" width="0" height="0">"#,
            r#"<img src="https://t.example/p.gif" width="1px" height=" 1 ">"#,
            r#"<img src="https://t.example/p.gif" width="0">"#,
            r#"<img src="https://t.example/p.gif" height="0">"#,
        ] {
            assert_eq!(clean(&format!("<p>a{img}b</p>")), "<p>ab</p>", "{img}");
        }
        for (img, out) in [
            (
                r#"<img src="https://x.example/i.png" width="1">"#,
                r#"<img width="1" "#,
            ),
            (
                r#"<img src="https://x.example/i.png" width="2" height="1">"#,
                r#"<img height="1" width="2" "#,
            ),
        ] {
            assert!(clean(img).starts_with(out), "{img}");
        }
    }

    #[test]
    fn hidden_elements_go_with_their_content() {
        for attr in [
            r#"style="display:none""#,
            r#"style="DISPLAY : NONE""#,
            r#"style="color:red; display: none !important;""#,
            r#"style="display:/* sneaky */none""#,
            r#"style="visibility:hidden""#,
            r#"style=" Visibility :Hidden ""#,
            r#"style="visibility: collapse""#,
            "hidden",
            r#"hidden="hidden""#,
            r#"HIDDEN="until-found""#,
        ] {
            let html =
                format!("<p>shown</p><div {attr}>secret<p>nested <b>deep</b></p></div><p>too</p>");
            assert_eq!(clean(&html), "<p>shown</p><p>too</p>", "{attr}");
            assert_eq!(html_to_text(&html), "shown\ntoo", "{attr}");
        }
        for attr in [
            r#"style="display:block""#,
            r#"style="visibility:visible""#,
            r#"style="x-display:none""#,
            r#"aria-hidden="true""#,
        ] {
            let html = format!("<div {attr}>shown</div>");
            assert_eq!(clean(&html), "<div>shown</div>", "{attr}");
        }
    }

    #[test]
    fn comments_are_dropped() {
        assert_eq!(
            clean("<p>a<!-- secret -->b</p><!--[if IE]><p>x</p><![endif]--><![CDATA[c]]>"),
            "<p>ab</p>"
        );
    }

    #[test]
    fn only_whitelisted_classes_survive() {
        assert_eq!(
            clean(
                r#"<pre><code class="language-rust hljs">x</code></pre><code class="language-c++">y</code>"#
            ),
            r#"<pre><code class="language-rust">x</code></pre><code class="language-c++">y</code>"#
        );
        assert_eq!(
            clean(
                r#"<p class="btn btn-primary site-header">p</p><code class="language-">z</code>"#
            ),
            "<p>p</p><code>z</code>"
        );
        assert_eq!(
            clean(r##"<sup class="footnote-reference evil"><a href="#1">1</a></sup>"##),
            format!(
                r##"<sup class="footnote-reference"><a href="#user-content-1" {REL}>1</a></sup>"##
            )
        );
    }

    #[test]
    fn ids_and_fragment_links_are_prefixed_once() {
        let html = r##"<h2 id="intro">i</h2><a href="#intro">to</a><a href="#">top</a><a href="page.html#x">p</a>"##;
        let expected = format!(
            r##"<h2 id="user-content-intro">i</h2><a href="#user-content-intro" {REL}>to</a><a href="#" {REL}>top</a><a href="page.html#x" {REL}>p</a>"##
        );
        assert_eq!(clean(html), expected);
        // `clean` checks that a second pass changes nothing, i.e. no double prefix.
    }

    #[test]
    fn only_disabled_checkboxes_survive_among_inputs() {
        assert_eq!(
            clean(
                r#"<li><input type="checkbox" name="n" value="v" onclick="x()" checked autofocus form="f">done</li>"#
            ),
            r#"<li><input type="checkbox" checked="" disabled="">done</li>"#
        );
        assert_eq!(
            clean(r#"<li><input type=" CHECKBOX ">todo</li>"#),
            r#"<li><input type="checkbox" disabled="">todo</li>"#
        );
        for input in [
            r#"<input type="text">"#,
            r#"<input type="submit" formaction="javascript:alert(1)">"#,
            r#"<input type="image" src="x.png">"#,
            r#"<input type="password">"#,
            r#"<input type="checkbox" hidden>"#,
        ] {
            assert_eq!(clean(&format!("<p>a{input}b</p>")), "<p>ab</p>", "{input}");
        }
    }

    #[test]
    fn table_cell_alignment_survives_as_align() {
        assert_eq!(
            clean(
                r#"<table><tr><th style="text-align: center">a</th><td style="TEXT-ALIGN:right;color:red">b</td><td align="left">c</td><td style="text-align:evil">d</td></tr></table>"#
            ),
            r#"<table><tbody><tr><th align="center">a</th><td align="right">b</td><td align="left">c</td><td>d</td></tr></tbody></table>"#
        );
    }

    #[test]
    fn numeric_attributes_must_be_numbers() {
        assert_eq!(
            clean(
                r#"<table><tr><td colspan="2x" rowspan="3">a</td></tr></table><ol start="-1"><li>b</li></ol>"#
            ),
            r#"<table><tbody><tr><td rowspan="3">a</td></tr></tbody></table><ol><li>b</li></ol>"#
        );
        assert_eq!(
            clean(r#"<img src="a.png" width="100%" height=" 20 ">"#),
            format!(r#"<img height="20" src="a.png" {LAZY}>"#)
        );
    }

    #[test]
    fn markdown_output_of_pulldown_cmark_survives() {
        use pulldown_cmark::{html::push_html, Options, Parser};
        let markdown = concat!(
            "# 标题\n\n",
            "正文[^1]，见[官网](https://www.qingcloud.com)。\n\n",
            "- [x] 完成\n- [ ] 未完成\n\n",
            "| 左 | 中 |\n|:---|:--:|\n| a | b |\n\n",
            "```rust\nfn main() {}\n```\n\n",
            "~~删除~~\n\n",
            "[^1]: 脚注。\n",
        );
        let options = Options::ENABLE_FOOTNOTES
            | Options::ENABLE_TASKLISTS
            | Options::ENABLE_TABLES
            | Options::ENABLE_STRIKETHROUGH;
        let mut html = String::new();
        push_html(&mut html, Parser::new_ext(markdown, options));
        let expected = format!(
            concat!(
                "<h1>标题</h1>\n",
                "<p>正文<sup class=\"footnote-reference\"><a href=\"#user-content-1\" {rel}>1</a></sup>，",
                "见<a href=\"https://www.qingcloud.com\" {rel}>官网</a>。</p>\n",
                "<ul>\n<li><input type=\"checkbox\" checked=\"\" disabled=\"\">\n完成</li>\n",
                "<li><input type=\"checkbox\" disabled=\"\">\n未完成</li>\n</ul>\n",
                "<table><thead><tr><th align=\"left\">左</th><th align=\"center\">中</th></tr></thead>",
                "<tbody>\n<tr><td align=\"left\">a</td><td align=\"center\">b</td></tr>\n</tbody></table>\n",
                "<pre><code class=\"language-rust\">fn main() {{}}\n</code></pre>\n",
                "<p><del>删除</del></p>\n",
                "<div class=\"footnote-definition\" id=\"user-content-1\">",
                "<sup class=\"footnote-definition-label\">1</sup>\n<p>脚注。</p>\n</div>\n",
            ),
            rel = REL
        );
        assert_eq!(clean(&html), expected, "from:\n{html}");
    }

    /// Seed 001: a hidden paragraph, stock-widget comments, a linked chart image with
    /// styles, classes, data attributes and `target`, then the article.
    #[test]
    fn seed_001_body_shape() {
        let html = concat!(
            r#"<p style="display:none;height:1px;overflow:hidden;"><br /></p>"#,
            "<!-- EM_StockImg_Start -->",
            r#"<p style="text-align:center;"><a href="http://quote.eastmoney.com/unify/r/1.688316" "#,
            r#"data-code="688316|1|1" class="EmImageRemark" target="_blank">"#,
            r#"<img src="https://webquoteklinepic.eastmoney.com/GetPic.aspx?nid=1.688316&imageType=k&at=1" "#,
            r#"border="0" alt="K图 688316_0" style="border:#d1d1d1 1px solid;" width="578" height="276" /></a></p>"#,
            "<!-- EM_StockImg_End -->",
            "<p>4月28日“中国混合云第一股”青云科技发布财报。<br /></p>",
        );
        let expected = concat!(
            r#"<p><a href="http://quote.eastmoney.com/unify/r/1.688316" rel="noopener noreferrer nofollow">"#,
            r#"<img alt="K图 688316_0" height="276" width="578" "#,
            r#"src="https://webquoteklinepic.eastmoney.com/GetPic.aspx?nid=1.688316&amp;imageType=k&amp;at=1" "#,
            r#"loading="lazy" referrerpolicy="no-referrer"></a></p>"#,
            "<p>4月28日“中国混合云第一股”青云科技发布财报。<br></p>",
        );
        assert_eq!(clean(html), expected);
        assert_eq!(
            html_to_text(html),
            "4月28日“中国混合云第一股”青云科技发布财报。"
        );
        assert_eq!(
            first_image_src(html).as_deref(),
            Some(
                "https://webquoteklinepic.eastmoney.com/GetPic.aspx?nid=1.688316&imageType=k&at=1"
            )
        );
    }

    const XSS_VECTORS: &[&str] = &[
        "<script>alert(1)</script>",
        "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
        "<scr<script>ipt>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<img src=\"x\" onerror=\"alert(1)\"//>",
        "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
        "<svg onload=alert(1)>",
        "<svg><script>alert(1)</script></svg>",
        "<svg><a xlink:href=\"javascript:alert(1)\"><text x=20 y=20>XSS</text></a></svg>",
        "<svg><animate href=#x attributeName=href values=javascript:alert(1) /><a id=x><text>X</text></a></svg>",
        "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
        "<a href=\"  JaVaScRiPt:alert(1)\">x</a>",
        "<a href=\"java\0script:alert(1)\">x</a>",
        "<a href=\"&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)\">x</a>",
        "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
        "<a href=\"vbscript:msgbox(1)\">x</a>",
        "<iframe src=\"javascript:alert(1)\"></iframe>",
        "<iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\"></iframe>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<math><mtext><table><mglyph><style><!--</style><img title=\"--&gt;&lt;img src=1 onerror=alert(1)&gt;\">",
        "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
        "<form><button formaction=javascript:alert(1)>X</button></form>",
        "<form action=\"javascript:alert(1)\"><input type=submit></form>",
        "<form id=test></form><button form=test formaction=javascript:alert(1)>X</button>",
        "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
        "<base href=\"javascript:alert(1)//\">",
        "<object data=\"javascript:alert(1)\"></object>",
        "<embed src=\"data:text/html,<script>alert(1)</script>\">",
        "<details open ontoggle=alert(1)>",
        "<input type=checkbox onfocus=alert(1) autofocus>",
        "<video><source onerror=\"alert(1)\"></video>",
        "<audio src=x onerror=alert(1)>",
        "<body onload=alert(1)>",
        "<table background=\"javascript:alert(1)\"><tr><td>x</td></tr></table>",
        "<div style=\"background-image:url(javascript:alert(1))\">x</div>",
        "<div style=\"width:expression(alert(1))\">x</div>",
        "<a href=\"https://example.com\" style=\"position:fixed;top:0;left:0;width:100%;height:100%\">x</a>",
        "<link rel=import href=\"https://evil.example/x.html\">",
        "<style>@import 'https://evil.example/x.css';</style>",
        "<template><img src=x onerror=alert(1)></template>",
        "<xmp><img src=x onerror=alert(1)></xmp>",
        "<textarea><img src=x onerror=alert(1)></textarea>",
        "<title><img src=x onerror=alert(1)></title>",
        "<noembed><img src=x onerror=alert(1)></noembed>",
        "<plaintext><img src=x onerror=alert(1)>",
        "<select><template><style><img src=x onerror=alert(1)>",
        "<!--<img src=x onerror=alert(1)>-->",
        "<![CDATA[<img src=x onerror=alert(1)>]]>",
        "<isindex action=javascript:alert(1) type=image>",
        "<a href=\"javascript&colon;alert(1)\">x</a>",
        "<div id=\"search-input\" name=\"getElementById\">x</div>",
        "<img src=\"https://x.example/a.png\" srcset=\"javascript:alert(1) 2x\">",
        "<p>a</p></body></html><script>alert(1)</script>",
        "<img src='x' onerror='alert(1)'/><img src=`x`onerror=alert(1)>",
        "<a href=\"#\" onclick=\"alert(1)\">x</a>",
        "<image src=x onerror=alert(1)>",
        "<keygen autofocus onfocus=alert(1)>",
        "<marquee onstart=alert(1)>x</marquee>",
    ];

    #[test]
    fn classic_xss_vectors_come_out_inert() {
        for vector in XSS_VECTORS {
            let out = clean(vector);
            assert!(
                !out.to_ascii_lowercase().contains("alert(1)</script"),
                "{vector} -> {out}"
            );
            // Inside and after other markup too.
            clean(&format!("<p>a<b>{vector}</b>c</p><ul><li>{vector}"));
        }
        assert_eq!(
            clean("<img src=x onerror=alert(1)>"),
            format!(r#"<img src="x" {LAZY}>"#)
        );
        assert_eq!(clean("<svg onload=alert(1)><circle r=1 /></svg>y"), "y");
    }

    #[test]
    fn policy_violations_finds_what_the_policy_forbids() {
        let found = policy_violations(concat!(
            "<script>x</script><a href=\"javascript:x\" onclick=\"y\">a</a>",
            "<img src=\"//x/a.png\"><p style=\"color:red\" class=\"btn\"><!-- c --></p>",
        ));
        assert_eq!(found.len(), 9, "{found:#?}");
        assert!(policy_violations(&sanitize_html("<a href=x>x</a>")).is_empty());
    }

    #[test]
    fn output_is_deterministic() {
        let html = concat!(
            r#"<p class="x" style="y" id="a" data-z="1" title="t">p</p>"#,
            r#"<img width="2" height="3" alt="a" title="t" data-src="//a/b.png" class="c" id="i">"#,
            r#"<a target="_blank" title="t" href="//x" id="l" class="footnote-reference q">a</a>"#
        );
        let first = clean(html);
        for _ in 0..20 {
            assert_eq!(sanitize_html(html), first);
        }
    }

    #[test]
    fn text_has_one_line_per_block_and_collapsed_whitespace() {
        assert_eq!(
            html_to_text("<p>Hello\n   world</p><p>second</p>"),
            "Hello world\nsecond"
        );
        assert_eq!(
            html_to_text("<ul><li>a</li><li>b<br>c</li></ul>"),
            "a\nb\nc"
        );
        assert_eq!(
            html_to_text("<h2>标题</h2>正文<div>块</div>尾"),
            "标题\n正文\n块\n尾"
        );
        assert_eq!(
            html_to_text("<table><tr><th>名称</th><td>值</td></tr><tr><td>c</td></tr></table>"),
            "名称 值\nc"
        );
        assert_eq!(
            html_to_text("<pre>line 1\n  line  2\n\n</pre>"),
            "line 1\nline 2"
        );
        assert_eq!(html_to_text("<p>云<b>计</b>算</p>"), "云计算");
        assert_eq!(
            html_to_text("<p>a<!-- b -->c<script>d</script><span hidden>e</span>f</p>"),
            "acf"
        );
        assert_eq!(
            html_to_text("<p>\u{3000}\u{3000}青云科技&nbsp;发布 &amp; 增长</p>"),
            "青云科技 发布 & 增长"
        );
        assert_eq!(html_to_text(""), "");
        assert_eq!(html_to_text("<br><br><p> </p>"), "");
    }

    #[test]
    fn text_joins_hard_wrapped_cjk_lines_without_a_space() {
        // Seed 002 was hard-wrapped mid-sentence by a PDF export.
        assert_eq!(
            html_to_text("<p>云计算市场\n持续增长，\nAWS\n和阿里云\n“领先”\nin\nChina</p>"),
            "云计算市场持续增长，AWS 和阿里云“领先” in China"
        );
        // A space the author typed stays.
        assert_eq!(html_to_text("<p>云计算 市场</p>"), "云计算 市场");
    }

    #[test]
    fn first_image_skips_what_readers_do_not_see() {
        let html = concat!(
            r#"<div style="display:none"><img src="https://x.example/hidden.png"></div>"#,
            r#"<img src="https://t.example/p.gif" width="1" height="1">"#,
            r#"<img src="data:image/png;base64,AAAA">"#,
            r#"<p><img data-src="//img.example.com/real.png" src="grey.gif"></p>"#,
            r#"<img src="https://x.example/second.png">"#,
        );
        assert_eq!(
            first_image_src(html).as_deref(),
            Some("https://img.example.com/real.png")
        );
        assert_eq!(first_image_src("<p>no image</p>"), None);
    }

    /// Runs `f` on a thread with a 2 MB stack, the default for test threads, so that a
    /// recursive walk anywhere would overflow it.
    fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
        std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(f)
            .unwrap()
            .join()
            .unwrap()
    }

    #[test]
    fn deep_nesting_neither_overflows_nor_takes_long() {
        on_small_stack(|| {
            let shapes: [(&str, &str); 6] = [
                ("<div>", ""),
                ("<div>", "</div>"),
                ("<ul><li>", ""),
                ("<b>", ""),
                ("<table><tr><td>", ""),
                ("<a href=x><i>", ""),
            ];
            for (open, close) in shapes {
                let html = format!(
                    "{}深<script>alert(1)</script><p hidden>藏</p><p>文 &amp; 字</p>{}",
                    open.repeat(100_000),
                    close.repeat(100_000)
                );
                let start = Instant::now();
                let out = sanitize_html(&html);
                let elapsed = start.elapsed();
                eprintln!(
                    "{open}{close} ×100000, {} KB: {elapsed:?}",
                    html.len() / 1000
                );
                assert_eq!(out, "<p>深</p>\n<p>文 &amp; 字</p>", "{open}");
                assert_eq!(html_to_text(&html), "深\n文 & 字", "{open}");
                assert_eq!(first_image_src(&html), None);
                assert_inert(&out);
                // What remains is linear in the input (html5ever's tokenizer runs at roughly
                // 1 µs a byte in a debug build): about 0.6 s per 500 KB alone, more while
                // other tests run. Without the depth limit this is hours.
                let limit = Duration::from_secs_f64(5.0 * (html.len() as f64 / 500_000.0).max(1.0));
                assert!(elapsed < limit, "{open}: {elapsed:?}");
            }
            assert_eq!(policy_violations(&"<div>".repeat(100_000)).len(), 1);
        });
    }

    #[test]
    fn feeding_the_parser_in_pieces_changes_nothing() {
        // Tags, entities and multi-byte characters straddling every piece boundary.
        let unit = "<p class=\"c\">云&amp;计&#x7B97;<a href=\"https://x.example/?a=1&amp;b=2\">链</a><!-- c --></p>";
        for pad in 0..unit.len() {
            let html = format!(
                "{}{}",
                "x".repeat(pad),
                unit.repeat(2 * CHUNK_BYTES / unit.len() + 2)
            );
            let pieces =
                parse_bounded(&html).and_then(|doc| html_element(&doc).map(|e| e.inner_html()));
            let whole = Html::parse_fragment(&html).root_element().inner_html();
            assert_eq!(pieces.as_deref(), Some(whole.as_str()), "pad {pad}");
        }
    }

    #[test]
    fn nesting_below_the_limit_keeps_its_markup() {
        on_small_stack(|| {
            let html = format!("{}x{}", "<div>".repeat(400), "</div>".repeat(400));
            assert_eq!(clean(&html), html);
            assert_eq!(html_to_text(&html), "x");
        });
    }

    #[test]
    fn ten_megabytes_on_one_line_take_linear_time() {
        let unit = concat!(
            r#"<p style="text-align:center">云计算市场<b>持续增长</b>，"#,
            r#"<a href="//example.com/a?x=1&y=2" target="_blank">链接</a>"#,
            r#"<img src="https://img.example.com/a.png" width="600" height="400">"#,
            r#"<span style="display:none">隐藏</span><!-- c --><script>x()</script></p>"#,
        );
        let run = |bytes: usize| {
            let html = unit.repeat(bytes / unit.len() + 1);
            let start = Instant::now();
            let out = sanitize_html(&html);
            let text = html_to_text(&html);
            let elapsed = start.elapsed();
            assert!(!out.contains("隐藏") && !text.contains("隐藏"));
            assert_eq!(text.lines().count(), html.matches("<p ").count());
            elapsed
        };
        let one = run(1 << 20);
        let ten = run(10 << 20);
        eprintln!("1 MB: {one:?}, 10 MB: {ten:?}");
        // Linear is ×10; quadratic would be ×100. Leave room for a busy machine.
        assert!(ten < one * 30, "1 MB: {one:?}, 10 MB: {ten:?}");
    }
}
