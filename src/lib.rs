//! digest: a static site generator for a Chinese-language cloud-industry news digest.
//!
//! The pipeline is plain data from stage to stage, with I/O only at the two ends:
//! discover files -> decode -> split front matter -> sniff format -> render body -> sanitize
//! -> `Post` -> `Site` -> rendered pages -> atomic write of the output folder.
#![warn(missing_docs)]

pub mod config;
pub mod content;
pub mod diagnostics;
pub mod search;
mod yaml;
