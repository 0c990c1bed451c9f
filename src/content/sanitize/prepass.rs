//! Step 2: the pre-pass on the tree, for what ammonia cannot judge: hidden content, comments,
//! tracking pixels and code-carrying elements go with their content; image sources, URLs,
//! ids and table alignment are normalised. Safety never depends on this step.

use std::borrow::Cow;

use html5ever::tendril::StrTendril;
use html5ever::{ns, LocalName, QualName};
use scraper::node::Element;
use scraper::{Html, Node};

use super::parse::{html_element, NodeId};
use super::policy::filter_attribute;
use super::{DROPPED_WITH_CONTENT, ID_PREFIX, IMAGE_SOURCE_ATTRS};

/// Removes what a reader must not see and normalises what stays (see the module docs).
pub(super) fn prepass(doc: &mut Html) {
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
        // a list item outside any list is invalid HTML; it keeps its content as a block
        let orphan_li = doc.tree.get(id).is_some_and(|n| {
            n.value().as_element().is_some_and(|e| e.name() == "li")
                && !n
                    .parent()
                    .and_then(|p| {
                        p.value()
                            .as_element()
                            .map(|pe| matches!(pe.name(), "ul" | "ol" | "menu"))
                    })
                    .unwrap_or(false)
        });
        if let Some(mut node) = doc.tree.get_mut(id) {
            if let Node::Element(e) = node.value() {
                if orphan_li {
                    e.name = QualName::new(None, ns!(html), LocalName::from("div"));
                }
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
pub(super) fn drops_with_content(e: &Element) -> bool {
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
pub(super) fn style_hides(style: &str) -> bool {
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
pub(super) fn image_src(e: &Element) -> Option<String> {
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
    // HTML5 made `align` obsolete: alignment becomes an `align-*` class the theme styles
    let align = if &*tag == "td" || &*tag == "th" {
        e.attr("style")
            .and_then(style_text_align)
            .or_else(|| e.attr("align").and_then(align_value))
    } else {
        None
    };
    let old: Vec<(QualName, StrTendril)> = std::mem::take(&mut e.attrs).into_iter().collect();
    let mut new = Vec::with_capacity(old.len() + 3);
    for (name, value) in old {
        let value = match &*name.local {
            _ if name.ns != ns!() => continue,
            "src" | "loading" | "referrerpolicy" if &*tag == "img" => continue,
            "align" => continue,
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
    if &*tag == "img" && !new.iter().any(|(n, _)| &*n.local == "alt") {
        // an image without alt text is invalid HTML; an empty alt marks it as decorative
        // first, so that cleaning the output again keeps the attribute order
        new.insert(0, attribute("alt", ""));
    }
    if let Some(align) = align {
        let class = format!("align-{align}");
        match new.iter_mut().find(|(n, _)| &*n.local == "class") {
            Some((_, v)) => *v = StrTendril::from(format!("{v} {class}")),
            None => new.push(attribute("class", &class)),
        }
    }
    // A link with nowhere safe to go is not a link: it would be an `<a>` without `href`
    // but with the `rel` ammonia gives every link, which HTML5 forbids.
    if &*tag == "a" {
        let usable = new
            .iter()
            .any(|(n, v)| &*n.local == "href" && is_safe_link(v));
        if !usable {
            e.name = QualName::new(None, ns!(html), LocalName::from("span"));
            new.retain(|(n, _)| matches!(&*n.local, "title" | "id" | "class"));
        }
    }
    e.attrs = new.into_iter().collect();
}

/// An `align` attribute's value, when it is one the theme has a class for.
fn align_value(value: &str) -> Option<&'static str> {
    match value.trim().to_ascii_lowercase().as_str() {
        "left" => Some("left"),
        "center" | "middle" => Some("center"),
        "right" => Some("right"),
        "justify" => Some("justify"),
        _ => None,
    }
}

/// Whether a link target is one the policy keeps: relative, http(s) or mailto.
fn is_safe_link(url: &str) -> bool {
    matches!(
        url_scheme(url).as_deref(),
        None | Some("http" | "https" | "mailto")
    )
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
    // A URL has one fragment; a second `#` in it is invalid and is percent-encoded.
    let url = match url.split_once('#') {
        Some((head, frag)) if frag.contains('#') => format!("{head}#{}", frag.replace('#', "%23")),
        _ => url,
    };
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
pub(super) fn url_scheme(url: &str) -> Option<String> {
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
