//! Step 1: the depth-bounded parse. html5ever (through scraper) builds the tree, watched by
//! a [`DepthGuard`] that stops the parse as soon as an element would nest deeper than
//! [`MAX_DEPTH`]; the caller then falls back to plain text.

use std::borrow::Cow;
use std::cell::Cell;

use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{local_name, ns, Attribute, ParseOpts, QualName};
use scraper::{ElementRef, Html, HtmlTreeSink};

use super::MAX_DEPTH;

/// A node of scraper's tree (ego_tree's `NodeId`), named through the sink so that ego_tree
/// need not be a direct dependency.
pub(super) type NodeId = <HtmlTreeSink as TreeSink>::Handle;

/// Input is fed to the parser in pieces this large, so a too-deep body is noticed before the
/// tree builder has done much quadratic work.
pub(super) const CHUNK_BYTES: usize = 4096;

/// Parses an HTML fragment (in a `<body>`) into scraper's tree, or `None` when an element
/// would nest deeper than [`MAX_DEPTH`].
pub(super) fn parse_bounded(html: &str) -> Option<Html> {
    let parser = html5ever::driver::parse_fragment(
        DepthGuard::new(Html::new_fragment()),
        ParseOpts::default(),
        QualName::new(None, ns!(html), local_name!("body")),
        Vec::new(),
        false,
    );
    feed(parser, html)
}

/// Parses a whole HTML page (`<!doctype>`, `<html>`, `<head>`, `<body>`) into scraper's
/// tree, or `None` when an element would nest deeper than [`MAX_DEPTH`].
pub(super) fn parse_document_bounded(html: &str) -> Option<Html> {
    let parser = html5ever::driver::parse_document(
        DepthGuard::new(Html::new_document()),
        ParseOpts::default(),
    );
    feed(parser, html)
}

/// Feeds `html` to the parser in pieces, stopping as soon as the guard trips.
fn feed(mut parser: html5ever::driver::Parser<DepthGuard>, html: &str) -> Option<Html> {
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
    fn new(html: Html) -> Self {
        DepthGuard {
            inner: HtmlTreeSink::new(html),
            too_deep: Cell::new(false),
        }
    }

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
pub(super) fn html_element(doc: &Html) -> Option<ElementRef<'_>> {
    doc.tree.root().children().find_map(ElementRef::wrap)
}
