//! Updating the previous build's index in place of building it again, when only a few
//! posts changed: what makes an edit rebuild cheap.
//!
//! Every post's terms feed shared posting lists, so building the index means tokenizing
//! every post. An update tokenizes only the posts that changed: it takes the previous
//! index's shards ([`IndexState`], kept in the build cache), drops the changed posts'
//! postings from every list, adds their new ones, and keeps every shard boundary, so a
//! shard whose lists did not change keeps its bytes (and the output writer keeps its file).
//!
//! An update is possible when the posts that stayed kept their ids: ids follow date order,
//! so editing a post's text, adding posts newer than all others or deleting the newest
//! qualify; adding an older post, deleting one from the middle or changing a date do not,
//! and the index is then built afresh. So is it when more than a quarter of the posts
//! changed (an update then saves little) or the state is missing or unreadable.
//!
//! An updated index answers every query as a fresh one would; only its shard boundaries
//! may differ (a fresh build cuts shards by size, an update keeps the old cuts and splits a
//! shard only when it has grown to twice the target size).

use rustc_hash::FxHashMap;

use rayon::prelude::*;

use super::index::{cut_shards, js_cmp, terms_of, Posting, Shards, SHARD_TARGET_BYTES};

/// A term and the postings to add to its list.
type Addition = (String, Vec<Posting>);
use super::postings::{decode, decode_while, PostingWriter};
use super::tokenize::is_pair;
use super::SearchDoc;

/// What a build remembers of its index so that the next build can update it: a small
/// head, and the shards.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexState {
    /// Everything but the shards' text.
    pub(crate) head: IndexHead,
    /// The term shards.
    pub(crate) shards: Shards,
}

/// The small part of an [`IndexState`]: enough to tell that nothing changed and to take
/// every index file from the previous output without reading the shards (tens of MB).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexHead {
    /// What every document key depends on besides the document (see [`super::update_index`]).
    pub(crate) settings: u128,
    /// Documents in id order: URL and key.
    pub(crate) docs: Vec<(String, u128)>,
    /// The key of `meta.json` (a hash of its bytes).
    pub(crate) meta_key: u128,
    /// Each shard's boundary (see [`Shards::firsts`]).
    pub(crate) firsts: Vec<String>,
    /// Each shard's key (a hash of its text), also what the shards are checked against
    /// when read back.
    pub(crate) shard_keys: Vec<u128>,
}

/// Tag of the serialized forms, bumped when they change.
const STATE_FORMAT: u32 = 2;

/// The key of a shard or `meta.json`: a hash of its bytes.
pub(crate) fn file_key(bytes: &[u8]) -> u128 {
    u128::from(xxhash_rust::xxh3::xxh3_64(bytes))
}

impl IndexState {
    /// The state of an index of these shards, documents and `meta.json` key.
    pub(crate) fn new(
        settings: u128,
        docs: Vec<(String, u128)>,
        meta_key: u128,
        shards: Shards,
    ) -> Self {
        IndexState {
            head: IndexHead {
                settings,
                docs,
                meta_key,
                firsts: shards.firsts.clone(),
                shard_keys: shards
                    .texts
                    .iter()
                    .map(|t| file_key(t.as_bytes()))
                    .collect(),
            },
            shards,
        }
    }

    /// The head, to save apart from the shards.
    pub fn head(&self) -> &IndexHead {
        &self.head
    }

    /// Writes the shards' text (the part [`IndexHead`] leaves out) to `w` piece by piece,
    /// so the build cache can save it without a second copy in memory.
    pub fn write_shards(&self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        w.write_all(&STATE_FORMAT.to_le_bytes())?;
        put_len(w, self.shards.texts.len())?;
        for text in &self.shards.texts {
            put_str(w, text)?;
        }
        Ok(())
    }

    /// The state from its head and the bytes [`IndexState::write_shards`] wrote; `None`
    /// when they are not of the same index.
    pub fn from_parts(head: IndexHead, shards: &[u8]) -> Option<IndexState> {
        let mut r = Reader(shards);
        if r.u32()? != STATE_FORMAT {
            return None;
        }
        let n = r.len()?;
        if n != head.shard_keys.len() || n != head.firsts.len() {
            return None;
        }
        let mut texts = Vec::with_capacity(n);
        for key in &head.shard_keys {
            let text = r.str()?;
            if file_key(text.as_bytes()) != *key {
                return None;
            }
            texts.push(text);
        }
        if !r.0.is_empty() {
            return None;
        }
        let firsts = head.firsts.clone();
        Some(IndexState {
            head,
            shards: Shards { firsts, texts },
        })
    }
}

impl IndexHead {
    /// A compact binary form (10,000 documents: about 1 MB).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Vec::new();
        w.extend_from_slice(&STATE_FORMAT.to_le_bytes());
        w.extend_from_slice(&self.settings.to_le_bytes());
        w.extend_from_slice(&self.meta_key.to_le_bytes());
        let _ = put_len(&mut w, self.docs.len()); // writing to a Vec cannot fail
        for (url, key) in &self.docs {
            let _ = put_str(&mut w, url);
            w.extend_from_slice(&key.to_le_bytes());
        }
        let _ = put_len(&mut w, self.firsts.len());
        for (first, key) in self.firsts.iter().zip(&self.shard_keys) {
            let _ = put_str(&mut w, first);
            w.extend_from_slice(&key.to_le_bytes());
        }
        w
    }

    /// Reads [`IndexHead::to_bytes`]; `None` for anything else.
    pub fn from_bytes(bytes: &[u8]) -> Option<IndexHead> {
        let mut r = Reader(bytes);
        if r.u32()? != STATE_FORMAT {
            return None;
        }
        let settings = r.u128()?;
        let meta_key = r.u128()?;
        let n = r.len()?;
        let mut docs = Vec::with_capacity(n.min(bytes.len()));
        for _ in 0..n {
            let url = r.str()?;
            docs.push((url, r.u128()?));
        }
        let n = r.len()?;
        let mut firsts = Vec::with_capacity(n.min(bytes.len()));
        let mut shard_keys = Vec::with_capacity(n.min(bytes.len()));
        for _ in 0..n {
            firsts.push(r.str()?);
            shard_keys.push(r.u128()?);
        }
        r.0.is_empty().then_some(IndexHead {
            settings,
            docs,
            meta_key,
            firsts,
            shard_keys,
        })
    }

    /// When the index would be exactly this one again (same settings, same documents with
    /// the same keys in the same order): every index file with its key, for the build to
    /// take from the previous output. `None` when anything changed.
    pub fn unchanged_files(
        &self,
        settings: u128,
        ids: &[(&str, u128)],
    ) -> Option<Vec<(String, u128)>> {
        let same = self.settings == settings
            && self.docs.len() == ids.len()
            && self
                .docs
                .iter()
                .zip(ids)
                .all(|(a, b)| a.0 == b.0 && a.1 == b.1);
        if !same {
            return None;
        }
        let mut files = vec![(super::index::META_PATH.to_string(), self.meta_key)];
        files.extend(
            self.shard_keys
                .iter()
                .enumerate()
                .map(|(n, &k)| (super::index::shard_path(n), k)),
        );
        files.extend(
            self.docs
                .iter()
                .enumerate()
                .map(|(id, d)| (super::index::doc_path(id as u32), d.1)),
        );
        Some(files)
    }
}

fn put_len(w: &mut dyn std::io::Write, n: usize) -> std::io::Result<()> {
    w.write_all(&(n as u64).to_le_bytes())
}

fn put_str(w: &mut dyn std::io::Write, s: &str) -> std::io::Result<()> {
    put_len(w, s.len())?;
    w.write_all(s.as_bytes())
}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        if self.0.len() < n {
            return None;
        }
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        Some(a)
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u128(&mut self) -> Option<u128> {
        Some(u128::from_le_bytes(self.take(16)?.try_into().ok()?))
    }
    fn len(&mut self) -> Option<usize> {
        usize::try_from(u64::from_le_bytes(self.take(8)?.try_into().ok()?)).ok()
    }
    fn str(&mut self) -> Option<String> {
        let n = self.len()?;
        String::from_utf8(self.take(n)?.to_vec()).ok()
    }
}

/// What changed between the previous index and the documents now: the ids whose postings
/// must go (changed or deleted) and the documents to tokenize `(id, index in docs)`.
pub(crate) struct Plan {
    /// `removed[id]` for ids of the previous index whose postings are dropped.
    pub(crate) removed: Vec<bool>,
    /// Changed and added documents, ascending by id.
    pub(crate) tokenize: Vec<(u32, usize)>,
}

/// Whether and how the previous index can be updated to `ids` (`(url, key)` by new id;
/// `order[id]` is the document's index in `docs`).
pub(crate) fn plan(
    previous: &IndexState,
    settings: u128,
    ids: &[(&str, u128)],
    order: &[usize],
) -> Option<Plan> {
    if previous.head.settings != settings || previous.shards.texts.is_empty() {
        return None;
    }
    let old = &previous.head.docs;
    let kept = old.len().min(ids.len());
    if (0..kept).any(|i| old[i].0 != ids[i].0) {
        return None; // an id moved: a post was added or removed before the end, or redated
    }
    let mut removed = vec![false; old.len()];
    let mut tokenize = Vec::new();
    for (id, r) in removed.iter_mut().enumerate() {
        let changed = id >= kept || old[id].1 != ids[id].1;
        if changed {
            *r = true;
            if id < ids.len() {
                tokenize.push(id as u32);
            }
        }
    }
    tokenize.extend((kept..ids.len()).map(|id| id as u32));
    let touched = tokenize.len() + (kept..old.len()).len();
    if touched * 4 > ids.len().max(old.len()) {
        return None;
    }
    Some(Plan {
        removed,
        tokenize: tokenize
            .into_iter()
            .map(|id| (id, order[id as usize]))
            .collect(),
    })
}

/// Why an update gave up (the state did not hold what it should); the caller builds afresh.
#[derive(Debug)]
pub(crate) struct Corrupt;

/// The updated shards: the previous ones without the removed postings and with the
/// changed documents' postings added; and the snippet of each tokenized document.
pub(crate) fn apply(
    previous: &Shards,
    plan: &Plan,
    docs: &[SearchDoc],
    body: &(dyn Fn(usize) -> String + Sync),
) -> Result<(Shards, Vec<(u32, String)>), Corrupt> {
    if plan.tokenize.is_empty() && !plan.removed.contains(&true) {
        return Ok((previous.clone(), Vec::new())); // nothing changed
    }
    let tokenized = terms_of(docs, &plan.tokenize, body);
    // term -> postings to add, ascending by id (documents come in id order)
    let mut added: FxHashMap<String, Vec<Posting>> = FxHashMap::default();
    let mut snippets = Vec::with_capacity(tokenized.len());
    for (id, terms, snippet) in tokenized {
        for (term, fields, signature) in terms {
            if term.contains([' ', '\n']) {
                continue; // cannot happen: spaces and newlines separate terms
            }
            added.entry(term).or_default().push((id, fields, signature));
        }
        snippets.push((id, snippet));
    }
    let firsts = &previous.firsts;
    let mut per_shard: Vec<Vec<Addition>> = vec![Vec::new(); previous.texts.len()];
    for (term, postings) in added {
        let shard = firsts
            .partition_point(|f| js_cmp(f, &term).is_le())
            .saturating_sub(1);
        per_shard[shard].push((term, postings));
    }
    let any_removed = plan.removed.contains(&true);
    let patched: Vec<Result<String, Corrupt>> = previous
        .texts
        .par_iter()
        .zip(per_shard.par_iter_mut())
        .map(|(text, adds)| {
            if adds.is_empty() && !any_removed {
                return Ok(text.clone());
            }
            adds.sort_by(|a, b| js_cmp(&a.0, &b.0));
            patch_shard(text, adds, any_removed.then_some(&plan.removed[..]))
        })
        .collect();
    let mut out = Shards::default();
    for ((first, text), adds) in firsts.iter().zip(patched).zip(&per_shard) {
        let text = text?;
        let mut first = first.clone();
        if let Some((smallest, _)) = adds.first() {
            if js_cmp(smallest, &first).is_lt() {
                first = smallest.clone(); // only shard 0 takes terms before its boundary
            }
        }
        if text.len() > 2 * SHARD_TARGET_BYTES {
            let lines = text.lines().filter_map(|l| l.split_once(' '));
            let mut pieces = cut_shards(lines);
            if let Some(f) = pieces.firsts.first_mut() {
                *f = first;
            }
            out.firsts.extend(pieces.firsts);
            out.texts.extend(pieces.texts);
        } else {
            out.firsts.push(first);
            out.texts.push(text);
        }
    }
    Ok((out, snippets))
}

/// One shard's text with `removed` postings dropped (`None`: none are) and `adds` (sorted
/// by term) merged in.
fn patch_shard(text: &str, adds: &[Addition], removed: Option<&[bool]>) -> Result<String, Corrupt> {
    let none: &[bool] = &[];
    let scan = removed.is_some();
    let removed = removed.unwrap_or(none);
    let last = removed.iter().rposition(|&r| r).unwrap_or(0) as u32;
    let mut out = String::with_capacity(text.len() + adds.len() * 16);
    let mut adds = adds.iter().peekable();
    for line in text.lines() {
        let (term, postings) = line.split_once(' ').ok_or(Corrupt)?;
        while let Some((t, list)) = adds.next_if(|(t, _)| js_cmp(t, term).is_lt()) {
            write_line(&mut out, t, &merge("", list, removed, is_pair(t))?);
        }
        let add: &[Posting] = match adds.next_if(|(t, _)| t == term) {
            Some((_, list)) => list,
            None => &[],
        };
        if add.is_empty() && !(scan && holds_any(postings, is_pair(term), removed, last)?) {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let merged = merge(postings, add, removed, is_pair(term))?;
        if !merged.is_empty() {
            write_line(&mut out, term, &merged);
        }
    }
    for (t, list) in adds {
        write_line(&mut out, t, &merge("", list, removed, is_pair(t))?);
    }
    Ok(out)
}

fn write_line(out: &mut String, term: &str, postings: &str) {
    out.push_str(term);
    out.push(' ');
    out.push_str(postings);
    out.push('\n');
}

/// Whether an encoded list holds a posting of a removed document (ids ascend, so the scan
/// stops past the last removed one).
fn holds_any(
    postings: &str,
    positions: bool,
    removed: &[bool],
    last: u32,
) -> Result<bool, Corrupt> {
    let mut any = false;
    decode_while(postings, positions, |id, _, _| {
        any = removed.get(id as usize).copied().unwrap_or(false);
        !any && id < last
    })
    .map_err(|_| Corrupt)?;
    Ok(any)
}

/// An encoded list without the removed documents' postings and with `add` merged in.
fn merge(
    postings: &str,
    add: &[Posting],
    removed: &[bool],
    positions: bool,
) -> Result<String, Corrupt> {
    let mut kept: Vec<Posting> = Vec::new();
    decode(postings, positions, |id, f, s| {
        if !removed.get(id as usize).copied().unwrap_or(false) {
            kept.push((id, f, s));
        }
    })
    .map_err(|_| Corrupt)?;
    let mut w = PostingWriter::new(positions);
    let (mut a, mut b) = (kept.iter().peekable(), add.iter().peekable());
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) if x.0 < y.0 => a.next(),
            (Some(x), Some(y)) if x.0 == y.0 => return Err(Corrupt), // added ids were removed
            (Some(_), None) => a.next(),
            (_, Some(_)) => b.next(),
            (None, None) => break,
        };
        if let Some(&(id, f, s)) = next {
            w.push(id, f, s);
        }
    }
    Ok(w.as_str().to_string())
}
