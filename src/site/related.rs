//! Related posts: the ones sharing the most tags and categories, newest first among equals.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::site::Taxonomy;

/// How many related posts a post page shows.
pub const RELATED_COUNT: usize = 5;
/// How far around a post, in a large term's newest-first list, candidates are looked for.
/// Bounds the work for a category holding thousands of posts.
const WINDOW: usize = 100;

/// For each post, up to [`RELATED_COUNT`] related posts (indexes into `Site::posts`).
///
/// A shared tag counts 2, a shared category 1 (categories are broad, tags specific);
/// ties go to the newer post, which is the lower index since posts are newest first.
pub fn related(post_count: usize, categories: &Taxonomy, tags: &Taxonomy) -> Vec<Vec<usize>> {
    let mut memberships: Vec<Vec<(usize, u32)>> = vec![Vec::new(); post_count];
    let terms: Vec<(&Vec<usize>, u32)> = tags
        .terms
        .iter()
        .map(|t| (&t.posts, 2))
        // every level of a hierarchy counts: sharing 金融 › 财联社 beats sharing only 金融
        .chain(categories.terms.iter().map(|t| (&t.posts, 1)))
        .collect();
    for (ti, (posts, _)) in terms.iter().enumerate() {
        for (pos, &p) in posts.iter().enumerate() {
            if let Some(m) = memberships.get_mut(p) {
                m.push((ti, pos as u32));
            }
        }
    }
    // in parallel, with a fast hasher: this runs on every build, cached or not
    (0..post_count)
        .into_par_iter()
        .map(|i| {
            let mut score: FxHashMap<usize, u32> = FxHashMap::default();
            for &(ti, pos) in &memberships[i] {
                let (posts, weight) = terms[ti];
                let pos = pos as usize;
                let from = pos.saturating_sub(WINDOW);
                let to = (pos + WINDOW + 1).min(posts.len());
                for &other in &posts[from..to] {
                    if other != i {
                        *score.entry(other).or_insert(0) += weight;
                    }
                }
            }
            let mut ranked: Vec<(usize, u32)> = score.into_iter().collect();
            ranked.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            ranked
                .into_iter()
                .take(RELATED_COUNT)
                .map(|(p, _)| p)
                .collect()
        })
        .collect()
}
