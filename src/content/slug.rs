//! URL slugs from titles and taxonomy terms, in the house style: tone-less pinyin for Han.
//!
//! STUB: ASCII only for now; issue 2 fills in pinyin.

use crate::config::SlugStyle;

/// The longest slug, in bytes, before it is cut on a `-`.
pub const MAX_SLUG_LEN: usize = 60;

/// Turns a title or term into a URL- and file-system-safe slug (may be empty).
pub fn slugify(s: &str, _style: SlugStyle) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}
