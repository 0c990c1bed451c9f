//! Running a query over the index files, exactly as search.js does in the browser, so Rust
//! tests can check ranking and a benchmark can count the bytes a query fetches.
//!
//! Ranking: a document must hold every term of every query word; the pairs of a CJK word
//! must also sit at consecutive positions as far as their position signatures tell (see
//! `postings.rs`). Each word scores by the fields holding all of its terms: title 12, tag or
//! category 8, summary 2, body 1, summed (so a title hit beats any mix of the others and a
//! tag hit beats summary and body); a word whose terms are spread over different fields
//! scores 1. A document's score is the sum over the query's words. Higher score first; on
//! equal scores the newer post (larger id) first.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::RangeInclusive;

use super::index::{doc_path, js_cmp, shard_path, DocFile, Meta, FORMAT_VERSION, META_PATH};
use super::postings::{self, BODY, SUMMARY, TAXONOMY, TITLE};
use super::tokenize::{is_pair, query_words, TermSpec};
use super::{QueryCost, SearchError, SearchHit, RESULTS_PER_PAGE};

/// Score of a word by the fields holding all its terms.
pub(crate) fn field_score(fields: u8) -> u32 {
    let mut s = 0;
    for (bit, weight) in [(TITLE, 12), (TAXONOMY, 8), (SUMMARY, 2), (BODY, 1)] {
        if fields & bit != 0 {
            s += weight;
        }
    }
    s.max(1)
}

/// A position signature moved back by `k` positions: bit `p` is set when the term occurs
/// at some position congruent to `p + k` (mod 4).
fn rotate_back(signature: u8, k: usize) -> u8 {
    let k = (k % 4) as u32;
    let s = u32::from(signature & 0x0F);
    (((s >> k) | (s << (4 - k))) & 0x0F) as u8
}

/// The index files as a browser sees them, remembering which files were read.
struct Reader<'a> {
    files: BTreeMap<&'a str, &'a [u8]>,
    meta: Meta,
    /// `meta.shards`, split.
    firsts: Vec<String>,
    shards: HashMap<usize, HashMap<String, String>>,
    read: BTreeSet<String>,
}

impl<'a> Reader<'a> {
    fn open(files: &'a [(String, Vec<u8>)]) -> Result<Self, SearchError> {
        let files: BTreeMap<&str, &[u8]> = files
            .iter()
            .map(|(p, b)| (p.as_str(), b.as_slice()))
            .collect();
        let mut reader = Reader {
            files,
            meta: Meta {
                version: FORMAT_VERSION,
                hash: String::new(),
                docs: 0,
                shards: String::new(),
            },
            firsts: Vec::new(),
            shards: HashMap::new(),
            read: BTreeSet::new(),
        };
        reader.meta = reader.json(META_PATH)?;
        if reader.meta.version != FORMAT_VERSION {
            return Err(SearchError::Invalid {
                path: META_PATH.to_string(),
                message: format!(
                    "index format {} where {FORMAT_VERSION} was expected; rebuild the site",
                    reader.meta.version
                ),
            });
        }
        reader.firsts = if reader.meta.shards.is_empty() {
            Vec::new()
        } else {
            reader.meta.shards.split(' ').map(str::to_string).collect()
        };
        Ok(reader)
    }

    fn bytes(&mut self, path: &str) -> Result<&'a [u8], SearchError> {
        let bytes = self
            .files
            .get(path)
            .copied()
            .ok_or_else(|| SearchError::Missing(path.to_string()))?;
        self.read.insert(path.to_string());
        Ok(bytes)
    }

    fn json<T: serde::de::DeserializeOwned>(&mut self, path: &str) -> Result<T, SearchError> {
        let bytes = self.bytes(path)?;
        serde_json::from_slice(bytes).map_err(|e| SearchError::Invalid {
            path: path.to_string(),
            message: e.to_string(),
        })
    }

    /// The shards that may hold terms matching `spec`.
    fn shard_range(&self, spec: &TermSpec) -> Option<RangeInclusive<usize>> {
        let firsts = &self.firsts;
        if firsts.is_empty() {
            return None;
        }
        let t = spec.text();
        // The last shard whose first term is <= t (shard 0 when t sorts before all).
        let first = firsts
            .partition_point(|f| js_cmp(f, t).is_le())
            .saturating_sub(1);
        let mut last = first;
        if let TermSpec::Prefix(p) = spec {
            while last + 1 < firsts.len() && firsts[last + 1].starts_with(p.as_str()) {
                last += 1;
            }
        }
        Some(first..=last)
    }

    fn shard(&mut self, n: usize) -> Result<&HashMap<String, String>, SearchError> {
        if !self.shards.contains_key(&n) {
            let path = shard_path(n);
            let bytes = self.bytes(&path)?;
            let invalid = |message: &str| SearchError::Invalid {
                path: path.clone(),
                message: message.to_string(),
            };
            let text = std::str::from_utf8(bytes).map_err(|_| invalid("not UTF-8"))?;
            let mut parsed = HashMap::new();
            for line in text.lines() {
                let (term, list) = line
                    .split_once(' ')
                    .ok_or_else(|| invalid("a line without a space between term and postings"))?;
                parsed.insert(term.to_string(), list.to_string());
            }
            self.shards.insert(n, parsed);
        }
        self.shards
            .get(&n)
            .ok_or_else(|| SearchError::Missing(shard_path(n)))
    }

    /// Documents matching one term spec, with the fields it occurs in and its position
    /// signature (for a prefix, the union over every matching term).
    fn lookup(&mut self, spec: &TermSpec) -> Result<HashMap<u32, (u8, u8)>, SearchError> {
        let mut out: HashMap<u32, (u8, u8)> = HashMap::new();
        let Some(range) = self.shard_range(spec) else {
            return Ok(out);
        };
        for n in range {
            let shard = self.shard(n)?;
            let mut lists: Vec<(&String, &String)> = match spec {
                TermSpec::Exact(t) => shard.get_key_value(t).into_iter().collect(),
                TermSpec::Prefix(p) => shard
                    .iter()
                    .filter(|(k, _)| k.starts_with(p.as_str()))
                    .collect(),
            };
            lists.sort();
            for (term, list) in lists {
                postings::decode(list, is_pair(term), |id, fields, signature| {
                    let e = out.entry(id).or_insert((0, 0));
                    e.0 |= fields;
                    e.1 |= signature;
                })
                .map_err(|e| SearchError::Invalid {
                    path: shard_path(n),
                    message: format!("bad postings for '{term}': {e}"),
                })?;
            }
        }
        Ok(out)
    }

    /// Matching document ids with their scores, best first.
    fn rank(&mut self, query: &str) -> Result<Vec<(u32, u32)>, SearchError> {
        let words = query_words(query);
        let mut found: BTreeMap<TermSpec, HashMap<u32, (u8, u8)>> = BTreeMap::new();
        for spec in words.iter().flat_map(|w| &w.terms) {
            if !found.contains_key(spec) {
                let docs = self.lookup(spec)?;
                found.insert(spec.clone(), docs);
            }
        }
        let mut scores: Option<HashMap<u32, u32>> = None;
        for word in &words {
            let maps: Vec<&HashMap<u32, (u8, u8)>> =
                word.terms.iter().filter_map(|t| found.get(t)).collect();
            let Some(smallest) = maps.iter().min_by_key(|m| m.len()) else {
                continue;
            };
            // Pairs of one CJK word: term k must occur one position after term k - 1.
            let positional = maps.len() > 1;
            let mut next: HashMap<u32, u32> = HashMap::new();
            'doc: for &id in smallest.keys() {
                let before = match &scores {
                    Some(s) => match s.get(&id) {
                        Some(&v) => v,
                        None => continue,
                    },
                    None => 0,
                };
                let mut fields = 0x0F;
                let mut start = 0x0F; // possible start positions, modulo 4
                for (k, m) in maps.iter().enumerate() {
                    let Some(&(f, sig)) = m.get(&id) else {
                        continue 'doc;
                    };
                    fields &= f;
                    start &= rotate_back(sig, k);
                }
                if positional && start == 0 {
                    continue;
                }
                next.insert(id, before + field_score(fields));
            }
            scores = Some(next);
        }
        let mut ranked: Vec<(u32, u32)> = scores.unwrap_or_default().into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(b.0.cmp(&a.0)));
        Ok(ranked)
    }

    fn hit(&mut self, id: u32, score: u32) -> Result<SearchHit, SearchError> {
        let doc: DocFile = self.json(&doc_path(id))?;
        Ok(SearchHit {
            url: doc.u,
            title: doc.t,
            date_display: doc.d,
            categories: doc.c,
            score,
        })
    }
}

/// See [`super::search`].
pub(crate) fn search(
    files: &[(String, Vec<u8>)],
    query: &str,
) -> Result<Vec<SearchHit>, SearchError> {
    let mut reader = Reader::open(files)?;
    let ranked = reader.rank(query)?;
    ranked
        .into_iter()
        .map(|(id, score)| reader.hit(id, score))
        .collect()
}

/// See [`super::query_cost`].
pub(crate) fn query_cost(
    files: &[(String, Vec<u8>)],
    query: &str,
) -> Result<QueryCost, SearchError> {
    let mut reader = Reader::open(files)?;
    let ranked = reader.rank(query)?;
    for &(id, score) in ranked.iter().take(RESULTS_PER_PAGE) {
        reader.hit(id, score)?;
    }
    let mut cost = QueryCost {
        hits: ranked.len(),
        ..QueryCost::default()
    };
    for path in &reader.read {
        let len = reader.files.get(path.as_str()).map_or(0, |b| b.len());
        if path == META_PATH {
            cost.meta_bytes += len;
        } else if path.starts_with("search/t/") {
            cost.shard_files += 1;
            cost.shard_bytes += len;
        } else {
            cost.doc_files += 1;
            cost.doc_bytes += len;
        }
    }
    Ok(cost)
}
