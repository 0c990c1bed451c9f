//! digest: a static site generator for a Chinese-language cloud-industry news digest.
//!
//! The pipeline is plain data from stage to stage, with I/O only at the two ends:
//! [`discover`] reads files -> [`content`] decodes, splits front matter, sniffs the format,
//! renders and sanitizes each body into a [`content::Post`] -> [`site::Site`] orders posts
//! and builds taxonomies -> [`render`] turns them into pages -> [`output`] writes them
//! atomically. [`build`] strings the stages together; [`cache`] lets a rebuild skip what
//! did not change, and [`report`] is the one place that talks to the user.
//!
//! The editor's loop sits on top: [`new`] starts a post, [`serve`] previews the site from
//! memory with live reload, and [`check`] validates it and its links without writing.
#![warn(missing_docs)]

pub mod build;
pub mod cache;
pub mod check;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod discover;
pub mod key;
pub mod new;
pub mod output;
mod parse;
pub mod progress;
pub mod render;
pub mod report;
pub mod search;
pub mod serve;
pub mod site;
pub mod theme;
mod yaml;
