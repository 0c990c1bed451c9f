//! Tests of the sanitizing policy: every rule of docs/sanitizing.md with concrete input and
//! output, the text view, and the bounds (deep nesting, large input). Timing targets live in
//! benchmarks, not here: the bounds tests print what they measure and assert only results.

mod bounds;
mod inputs;
mod policy;
mod text;

use super::policy_violations;
use super::sanitize_html;

/// Parses `html` and fails on anything the policy would not let through (see
/// [`policy_violations`]), plus a raw look for the tags no output may ever contain.
pub(super) fn assert_inert(html: &str) {
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

pub(super) fn clean(html: &str) -> String {
    let out = sanitize_html(html);
    assert_inert(&out);
    assert_eq!(sanitize_html(&out), out, "not idempotent for: {html}");
    out
}

pub(super) const REL: &str = r#"rel="noopener noreferrer nofollow""#;
pub(super) const LAZY: &str = r#"loading="lazy" referrerpolicy="no-referrer""#;

/// Runs `f` on a thread with a 2 MB stack, the default for test threads, so that a
/// recursive walk anywhere would overflow it.
pub(super) fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}
