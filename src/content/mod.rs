//! From a file's bytes to a [`Post`]: decode, split front matter, sniff, render, sanitize.

pub mod date;
pub mod decode;
pub mod sanitize;
pub mod slug;
