//! From a file's bytes to a [`Post`]: decode, split front matter, sniff, render, sanitize.

pub mod date;
pub mod decode;
pub mod format;
pub mod frontmatter;
pub mod html;
pub mod markdown;
pub mod meta;
pub mod nesting;
pub mod post;
pub mod sanitize;
pub mod shortcodes;
pub mod slug;
pub mod text;
pub mod tsv;

pub use post::{display_path as post_display_path, parse_source, Parsed, Post, SourceFile};
