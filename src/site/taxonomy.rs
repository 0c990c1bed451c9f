//! Categories and tags: terms merged by slug (`AWS` and `aws` are one), categories nested.

use std::collections::BTreeMap;

use super::PostMeta;
use crate::config::Config;

use super::term_slug;

/// Which taxonomy a term belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaxonomyKind {
    /// Hierarchical categories, under `categories/`.
    Categories,
    /// Flat tags, under `tags/`.
    Tags,
}

impl TaxonomyKind {
    /// The URL folder of the taxonomy.
    pub fn folder(self) -> &'static str {
        match self {
            TaxonomyKind::Categories => "categories",
            TaxonomyKind::Tags => "tags",
        }
    }
}

/// One category or tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The name as first written (in source order).
    pub name: String,
    /// Slug path: `jinrong` or, for a child category, `jinrong/cailianshe`.
    pub path: String,
    /// The parent term's index, for nested categories.
    pub parent: Option<usize>,
    /// Indexes into `Site::posts`, newest first: posts filed here or under a child.
    pub posts: Vec<usize>,
}

impl Term {
    /// Nesting depth: 0 for a top-level term.
    pub fn depth(&self) -> usize {
        self.path.matches('/').count()
    }
}

/// All terms of one taxonomy, sorted by slug path so parents come before children.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taxonomy {
    /// Categories or tags.
    pub kind: TaxonomyKind,
    /// The terms.
    pub terms: Vec<Term>,
}

impl Taxonomy {
    /// Builds categories from each post's category paths; a post counts for every level.
    pub fn categories(posts: &[PostMeta], config: &Config) -> Taxonomy {
        let paths = posts.iter().map(|p| p.categories.clone());
        Self::build(TaxonomyKind::Categories, paths, config)
    }

    /// Builds tags.
    pub fn tags(posts: &[PostMeta], config: &Config) -> Taxonomy {
        let paths = posts
            .iter()
            .map(|p| p.tags.iter().map(|t| vec![t.clone()]).collect::<Vec<_>>());
        Self::build(TaxonomyKind::Tags, paths, config)
    }

    fn build(
        kind: TaxonomyKind,
        per_post: impl Iterator<Item = Vec<Vec<String>>>,
        config: &Config,
    ) -> Taxonomy {
        // slug path -> (name, posts)
        let mut map: BTreeMap<String, (String, Vec<usize>)> = BTreeMap::new();
        for (i, paths) in per_post.enumerate() {
            for path in paths {
                let mut slug_path = String::new();
                for name in path.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
                    if !slug_path.is_empty() {
                        slug_path.push('/');
                    }
                    slug_path.push_str(&term_slug(name, config));
                    let entry = map
                        .entry(slug_path.clone())
                        .or_insert_with(|| (name.to_string(), Vec::new()));
                    if entry.1.last() != Some(&i) {
                        entry.1.push(i);
                    }
                }
            }
        }
        let index: BTreeMap<String, usize> = map
            .keys()
            .enumerate()
            .map(|(i, k)| (k.clone(), i))
            .collect();
        let terms = map
            .into_iter()
            .map(|(path, (name, mut posts))| {
                posts.sort_unstable();
                posts.dedup();
                let parent = path
                    .rsplit_once('/')
                    .and_then(|(p, _)| index.get(p).copied());
                Term {
                    name,
                    path,
                    parent,
                    posts,
                }
            })
            .collect();
        Taxonomy { kind, terms }
    }

    /// Finds a term by its slug path.
    pub fn get(&self, path: &str) -> Option<&Term> {
        self.terms
            .binary_search_by(|t| t.path.as_str().cmp(path))
            .ok()
            .map(|i| &self.terms[i])
    }

    /// The slug path a post's category path or tag maps to.
    pub fn path_of(names: &[String], config: &Config) -> String {
        names
            .iter()
            .map(|n| n.trim())
            .filter(|n| !n.is_empty())
            .map(|n| term_slug(n, config))
            .collect::<Vec<_>>()
            .join("/")
    }
}
