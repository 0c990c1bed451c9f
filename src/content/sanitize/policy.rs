//! Step 3: ammonia, the safety gate. An allowlist of tags, attributes, classes and URL
//! schemes, applied to the pre-pass output.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use super::{ALLOWED_CLASSES, ALLOWED_TAGS, DROPPED_WITH_CONTENT, LINK_REL};

/// The ammonia configuration, built once.
pub(super) fn policy() -> &'static ammonia::Builder<'static> {
    static POLICY: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    POLICY.get_or_init(|| {
        let set = |items: &[&'static str]| items.iter().copied().collect::<HashSet<_>>();
        let tag_attributes: HashMap<&str, HashSet<&str>> = [
            ("a", set(&["href"])),
            ("img", set(&["src", "alt", "width", "height"])),
            ("td", set(&["colspan", "rowspan"])),
            ("th", set(&["colspan", "rowspan"])),
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
pub(super) fn filter_attribute<'u>(
    _element: &str,
    attribute: &str,
    value: &'u str,
) -> Option<Cow<'u, str>> {
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
pub(super) fn is_allowed_class(class: &str) -> bool {
    ALLOWED_CLASSES.contains(&class)
        || class.strip_prefix("language-").is_some_and(|lang| {
            !lang.is_empty()
                && lang.len() <= 32
                && lang
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+-_.#".contains(&b))
        })
}
