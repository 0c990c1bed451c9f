//! digest: a static site generator for a Chinese-language cloud-industry news digest.
//!
//! The pipeline is plain data from stage to stage, with I/O only at the two ends:
//! [`discover`] reads files -> [`content`] decodes, splits front matter, sniffs the format,
//! renders and sanitizes each body into a [`content::Post`] -> [`site::Site`] orders posts
//! and builds taxonomies -> [`render`] turns them into pages -> [`output`] writes them
//! atomically. [`build`] strings the stages together; [`cache`] lets a rebuild skip what
//! did not change, and [`report`] is the one place that talks to the user.
#![warn(missing_docs)]

pub mod build;
pub mod cache;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod discover;
pub mod output;
pub mod render;
pub mod report;
pub mod search;
pub mod site;
mod yaml;
