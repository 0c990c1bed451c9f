//! [`policy_violations`]: an independent check of sanitized output, for tests and for
//! checking the post bodies of a built site.

use html5ever::ns;
use scraper::node::Element;
use scraper::Node;

use super::parse::{html_element, parse_bounded};
use super::policy::is_allowed_class;
use super::prepass::url_scheme;
use super::{ALLOWED_TAGS, LINK_REL, MAX_DEPTH};

/// Everything in `html` that this module's policy would not let through, one message each;
/// empty when the markup is inert.
///
/// An independent check of the output, not a second sanitizer: tests run it on everything
/// [`sanitize_html`](super::sanitize_html) produces (including whole corpora of scraped pages), and `digest check`
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
            "colspan" | "rowspan" => tag == "td" || tag == "th",
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
