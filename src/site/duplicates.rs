//! Posts that tell the same story twice: the same title, or near-identical text (one article
//! syndicated by two outlets, or scraped twice).
//!
//! Titles are compared exactly after folding case and spaces. Texts are compared by the
//! Jaccard similarity of their 5-character shingles, estimated with MinHash (one hash per
//! shingle, spread over [`SIGNATURE_LEN`] bins) and bucketed by locality-sensitive hashing,
//! so a build with 10,000 posts compares only the few pairs that share a bucket, never all
//! pairs. A candidate pair is confirmed when at least [`SIMILARITY`] of the signatures'
//! values agree (the MinHash estimate of the Jaccard similarity).

use std::collections::{HashMap, HashSet};

use crate::content::post_display_path;
use crate::diagnostics::Diagnostic;
use crate::site::PostMeta;

/// Characters in a shingle: long enough that unrelated Chinese texts share few of them.
pub const SHINGLE_CHARS: usize = 5;
/// Jaccard similarity above which two texts are the same story.
pub const SIMILARITY: f64 = 0.9;
/// Texts shorter than this (in letters and digits) are not compared: a one-line wire item
/// looks like every other one.
pub const MIN_TEXT_CHARS: usize = 50;
/// MinHash values per text.
pub const SIGNATURE_LEN: usize = 64;
/// Rows per LSH band: 16 bands of 4 make a pair at 0.9 a candidate with near certainty and
/// a pair at 0.3 with a chance of about 1 in 8.
const BAND_ROWS: usize = 4;
/// Candidates checked per post at most, so that a thousand copies of one text stay linear.
const MAX_CANDIDATES: usize = 32;

/// The MinHash signature of a post's text, computed when the post is parsed (the site
/// model keeps no bodies, so the comparison works on signatures alone). `None` for texts
/// shorter than [`MIN_TEXT_CHARS`].
pub fn text_signature(text: &str) -> Option<Vec<u64>> {
    let chars = normalized(text);
    if chars.len() < MIN_TEXT_CHARS {
        return None;
    }
    signature(&chars).map(|s| s.to_vec())
}

/// A post's text reduced for comparison: letters and digits only, lower-cased.
fn normalized(text: &str) -> Vec<char> {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Hash of one shingle (FNV-1a, then a finalizer that spreads the bits): stable across
/// runs and platforms, so warnings are reproducible.
fn shingle_hash(chars: &[char]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for c in chars {
        h ^= u64::from(*c);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    // splitmix64 finalizer
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

fn shingles(chars: &[char]) -> impl Iterator<Item = u64> + '_ {
    chars.windows(SHINGLE_CHARS).map(shingle_hash)
}

/// One-permutation MinHash: the smallest hash in each of [`SIGNATURE_LEN`] bins; empty bins
/// borrow from the next full one (rotation densification), so short texts still compare.
pub fn signature(chars: &[char]) -> Option<[u64; SIGNATURE_LEN]> {
    let mut bins = [u64::MAX; SIGNATURE_LEN];
    let mut any = false;
    for h in shingles(chars) {
        let bin = (h >> 58) as usize % SIGNATURE_LEN;
        let v = h & ((1 << 58) - 1);
        if v < bins[bin] {
            bins[bin] = v;
        }
        any = true;
    }
    if !any {
        return None;
    }
    let full = bins;
    for (i, bin) in bins.iter_mut().enumerate() {
        if *bin != u64::MAX {
            continue;
        }
        for step in 1..SIGNATURE_LEN {
            let j = (i + step) % SIGNATURE_LEN;
            if full[j] != u64::MAX {
                // distinct per distance, so borrowed values do not all agree by accident
                *bin = full[j].wrapping_add((step as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
                break;
            }
        }
    }
    Some(bins)
}

/// The exact Jaccard similarity of two texts' shingle sets.
pub fn jaccard(a: &[char], b: &[char]) -> f64 {
    let sa: HashSet<u64> = shingles(a).collect();
    let sb: HashSet<u64> = shingles(b).collect();
    let union = sa.union(&sb).count();
    if union == 0 {
        return 0.0;
    }
    sa.intersection(&sb).count() as f64 / union as f64
}

fn folded_title(title: &str) -> String {
    title
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// How a post is named in a message: its file, and the line for a TSV record.
fn name(post: &PostMeta) -> String {
    let path = post_display_path(&post.source);
    if post.source_line > 1 {
        format!("{}:{}", path.display(), post.source_line)
    } else {
        path.display().to_string()
    }
}

fn warning(post: &PostMeta, message: String) -> Diagnostic {
    let d = Diagnostic::warning(post_display_path(&post.source), message);
    Diagnostic {
        line: (post.source_line > 1).then_some(post.source_line),
        ..d
    }
}

/// Warns about each post that repeats an earlier one (in the given order): the same title,
/// or a text more than [`SIMILARITY`] alike. Each post is reported once, against the first
/// post it repeats, and both files are named.
pub fn find(posts: &[PostMeta]) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut titles: HashMap<String, usize> = HashMap::new();
    let mut buckets: HashMap<(usize, u64), Vec<usize>> = HashMap::new();
    let mut signatures: Vec<Option<[u64; SIGNATURE_LEN]>> = vec![None; posts.len()];
    for (i, post) in posts.iter().enumerate() {
        let title = folded_title(&post.title);
        if !title.is_empty() {
            if let Some(&first) = titles.get(&title) {
                diags.push(warning(
                    post,
                    format!(
                        "duplicate post: the title '{}' is also the title of {}; expected each story once",
                        post.title,
                        name(&posts[first])
                    ),
                ));
                continue;
            }
            titles.insert(title, i);
        }
        let Some(sig) = post
            .text_signature
            .as_deref()
            .and_then(|s| <[u64; SIGNATURE_LEN]>::try_from(s).ok())
        else {
            continue;
        };
        signatures[i] = Some(sig);
        let mut candidates: Vec<usize> = Vec::new();
        let keys: Vec<(usize, u64)> = sig
            .chunks(BAND_ROWS)
            .enumerate()
            .map(|(band, rows)| (band, rows.iter().fold(0u64, |h, r| shingle_hash_u64(h, *r))))
            .collect();
        for key in &keys {
            if let Some(list) = buckets.get(key) {
                for &j in list {
                    if candidates.len() < MAX_CANDIDATES && !candidates.contains(&j) {
                        candidates.push(j);
                    }
                }
            }
        }
        candidates.sort_unstable();
        // the signatures' estimate rules out most candidates before the exact count
        let same = candidates.into_iter().find(|&j| {
            let estimate = signatures[j].map_or(0, |other| {
                sig.iter().zip(other.iter()).filter(|(a, b)| a == b).count()
            });
            estimate as f64 >= SIGNATURE_LEN as f64 * SIMILARITY
        });
        match same {
            Some(j) => diags.push(warning(
                post,
                format!(
                    "duplicate post: its text is nearly the same as {} ('{}'); expected each story once",
                    name(&posts[j]),
                    posts[j].title
                ),
            )),
            None => {
                for key in keys {
                    buckets.entry(key).or_default().push(i);
                }
            }
        }
    }
    diags
}

/// Folds one more value into a band's hash.
fn shingle_hash_u64(h: u64, v: u64) -> u64 {
    (h ^ v)
        .wrapping_mul(0x0100_0000_01b3)
        .rotate_left(17)
        .wrapping_add(0x9e37_79b9_7f4a_7c15)
}

#[cfg(test)]
mod tests;
