//! Tests of the incremental update: an updated index holds exactly the postings and answers
//! exactly as a fresh one, and the update is refused where it cannot be right.

use std::collections::BTreeMap;

use super::testgen::generate;
use super::*;

/// Runs [`update_index`] the way the build does, with every doc file reusable.
fn run(docs: &[SearchDoc], previous: Option<&IndexState>) -> IndexUpdate {
    let keys: Vec<u128> = docs.iter().map(doc_key).collect();
    update_index(
        docs,
        &keys,
        7,
        &|i| docs[i].body.clone(),
        previous,
        &|_, _| true,
    )
}

/// Every file of the index: the update's own files and shards, plus the doc files it reused, taken
/// from a fresh build of the same docs (their content depends only on the document).
fn files_of(update: &IndexUpdate, docs: &[SearchDoc]) -> Vec<(String, Vec<u8>)> {
    let mut files: BTreeMap<String, Vec<u8>> = build_index(docs)
        .into_iter()
        .filter(|(p, _)| p.starts_with("search/d/"))
        .collect();
    for f in &update.files {
        files.insert(f.path.clone(), f.bytes.clone());
    }
    for (path, _, bytes) in update.shard_files() {
        files.insert(path, bytes.to_vec());
    }
    files.into_iter().collect()
}

/// Every term of an index with its encoded postings, whatever the shard cuts.
fn postings(state: &IndexState) -> BTreeMap<String, String> {
    state
        .shards
        .texts
        .iter()
        .flat_map(|t| t.lines())
        .map(|l| {
            let (t, p) = l.split_once(' ').expect("term line");
            (t.to_string(), p.to_string())
        })
        .collect()
}

const QUERIES: &[&str] = &[
    "云",
    "云计算",
    "数据",
    "人工智能",
    "腾讯云 财报",
    "阿里",
    "kubernetes",
    "2021",
    "新增",
    "独有的词",
    "xyzzy",
];

/// The updated index answers like a fresh one, term for term and query for query.
fn assert_same_as_fresh(updated: &IndexUpdate, docs: &[SearchDoc]) {
    let fresh = run(docs, None);
    assert_eq!(fresh.method, IndexMethod::Full);
    assert_eq!(postings(&updated.state), postings(&fresh.state));
    let a = files_of(updated, docs);
    let b = files_of(&fresh, docs);
    for q in QUERIES {
        assert_eq!(
            search(&a, q).expect("search updated"),
            search(&b, q).expect("search fresh"),
            "query {q}"
        );
    }
    // the shard boundaries are ordered and every term sits in its shard
    let firsts = &updated.state.shards.firsts;
    assert!(firsts
        .windows(2)
        .all(|w| index::js_cmp(&w[0], &w[1]).is_lt()));
    for (n, text) in updated.state.shards.texts.iter().enumerate() {
        for line in text.lines() {
            let term = line.split(' ').next().expect("term");
            assert!(
                index::js_cmp(&firsts[n], term).is_le(),
                "{term} before shard {n}"
            );
            if let Some(next) = firsts.get(n + 1) {
                assert!(index::js_cmp(term, next).is_lt(), "{term} after shard {n}");
            }
        }
    }
}

fn newest_first_ids(docs: &[SearchDoc]) -> Vec<usize> {
    index::id_order(docs)
}

#[test]
fn an_edited_body_updates_the_index_and_only_its_doc_file() {
    let mut docs = generate(300, 11, 600);
    let before = run(&docs, None);
    let target = newest_first_ids(&docs)[120];
    docs[target].body.push_str("新增的独有的词语 xyzzy 2021");
    let after = run(&docs, Some(&before.state));
    assert_eq!(after.method, IndexMethod::Updated(1));
    assert_same_as_fresh(&after, &docs);
    // the one doc file written is the edited post's; the others were reused
    let doc_files: Vec<&str> = after
        .files
        .iter()
        .filter(|f| f.path.starts_with("search/d/"))
        .map(|f| f.path.as_str())
        .collect();
    assert_eq!(doc_files, vec!["search/d/120.json"]);
    // shards the edit did not touch keep their bytes and their place
    let unchanged = before
        .state
        .shards
        .texts
        .iter()
        .zip(&after.state.shards.texts)
        .filter(|(a, b)| a == b)
        .count();
    assert!(unchanged > 0, "every shard changed");
    assert_eq!(before.state.shards.firsts, after.state.shards.firsts);
    let hits = search(&files_of(&after, &docs), "xyzzy").expect("search");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].url, docs[target].url);
}

#[test]
fn newer_posts_are_appended_and_the_newest_can_be_deleted() {
    let mut docs = generate(200, 5, 400);
    let before = run(&docs, None);
    let mut added = generate(3, 99, 400);
    for (k, d) in added.iter_mut().enumerate() {
        d.url = format!("posts/2030/01/new-{k}/");
        d.date = Some(format!("2030-01-0{}T08:00:00+08:00", k + 1));
    }
    docs.extend(added);
    let after = run(&docs, Some(&before.state));
    assert_eq!(after.method, IndexMethod::Updated(3));
    assert_same_as_fresh(&after, &docs);

    // deleting the newest post drops its postings and its doc file
    let newest = docs
        .iter()
        .position(|d| d.url == "posts/2030/01/new-2/")
        .expect("newest");
    docs.remove(newest);
    let deleted = run(&docs, Some(&after.state));
    assert_eq!(deleted.method, IndexMethod::Updated(0));
    assert_same_as_fresh(&deleted, &docs);
    assert!(!deleted.files.iter().any(|f| f.path == "search/d/202.json"));
}

#[test]
fn nothing_changed_is_an_update_with_nothing_tokenized() {
    let docs = generate(100, 3, 300);
    let before = run(&docs, None);
    let again = run(&docs, Some(&before.state));
    assert_eq!(again.method, IndexMethod::Updated(0));
    assert_eq!(again.state, before.state);
    assert!(again.files.iter().all(|f| f.path == "search/meta.json"));
    assert!(!again.files.iter().any(|f| f.path.starts_with("search/d/")));
}

#[test]
fn moved_ids_or_many_changes_or_other_settings_build_afresh() {
    let docs = generate(100, 8, 300);
    let before = run(&docs, None);

    // an older post added: every newer post's id moves
    let mut older = docs.clone();
    let mut old = generate(1, 42, 300).remove(0);
    old.url = "posts/2000/01/old/".into();
    old.date = Some("2000-01-01T00:00:00+08:00".into());
    older.push(old);
    let r = run(&older, Some(&before.state));
    assert_eq!(r.method, IndexMethod::Full);
    assert_same_as_fresh(&r, &older);

    // a third of the posts edited
    let mut many = docs.clone();
    for d in many.iter_mut().step_by(3) {
        d.title.push('改');
    }
    assert_eq!(run(&many, Some(&before.state)).method, IndexMethod::Full);

    // other settings
    let keys: Vec<u128> = docs.iter().map(doc_key).collect();
    let r = update_index(
        &docs,
        &keys,
        8,
        &|i| docs[i].body.clone(),
        Some(&before.state),
        &|_, _| true,
    );
    assert_eq!(r.method, IndexMethod::Full);
}

#[test]
fn a_damaged_state_is_rebuilt_not_trusted() {
    let mut docs = generate(100, 9, 300);
    let before = run(&docs, None);
    let mut state = before.state.clone();
    state.shards.texts[0] = "云 !!!\n".into(); // not a posting list
    docs[10].body.push_str("改动");
    let r = run(&docs, Some(&state));
    assert_eq!(r.method, IndexMethod::Full);
    assert_same_as_fresh(&r, &docs);
}

#[test]
fn a_doc_file_missing_from_the_output_is_made_again() {
    let mut docs = generate(50, 2, 200);
    let before = run(&docs, None);
    docs[0].title.push('新');
    let keys: Vec<u128> = docs.iter().map(doc_key).collect();
    let r = update_index(
        &docs,
        &keys,
        7,
        &|i| docs[i].body.clone(),
        Some(&before.state),
        &|path, _| path != "search/d/3.json",
    );
    assert_eq!(r.method, IndexMethod::Updated(1));
    let made: Vec<&str> = r
        .files
        .iter()
        .filter(|f| f.path.starts_with("search/d/"))
        .map(|f| f.path.as_str())
        .collect();
    assert_eq!(made.len(), 2, "{made:?}");
    assert!(made.contains(&"search/d/3.json"));
    let fresh: BTreeMap<String, Vec<u8>> = build_index(&docs).into_iter().collect();
    for f in r.files.iter().filter(|f| f.path.starts_with("search/d/")) {
        assert_eq!(Some(&f.bytes), fresh.get(&f.path), "{}", f.path);
    }
}

#[test]
fn growing_shards_split_and_keep_their_order() {
    let mut docs = generate(60, 4, 200);
    let before = run(&docs, None);
    // fifteen new posts (a quarter of the site, the most an update takes) full of one
    // shard's terms grow that shard past twice the target
    let mut added = generate(15, 77, 6000);
    for (k, d) in added.iter_mut().enumerate() {
        d.url = format!("posts/2031/01/grow-{k}/");
        d.date = Some(format!("2031-01-{:02}T08:00:00+08:00", k + 1));
    }
    docs.extend(added);
    let after = run(&docs, Some(&before.state));
    assert_eq!(after.method, IndexMethod::Updated(15));
    assert_same_as_fresh(&after, &docs);
    assert!(
        after.state.shards.texts.len() > before.state.shards.texts.len(),
        "no shard was split: {} shards before, {} after",
        before.state.shards.texts.len(),
        after.state.shards.texts.len()
    );
    assert!(after
        .state
        .shards
        .texts
        .iter()
        .all(|t| t.len() <= 2 * index::SHARD_TARGET_BYTES || t.lines().count() == 1));
}

#[test]
fn the_state_survives_its_binary_form_and_garbage_is_refused() {
    let docs = generate(40, 1, 200);
    let state = run(&docs, None).state;
    let head = state.head().to_bytes();
    let mut shards = Vec::new();
    state.write_shards(&mut shards).expect("write");
    let read_head = IndexHead::from_bytes(&head).expect("head");
    assert_eq!(
        IndexState::from_parts(read_head.clone(), &shards),
        Some(state.clone())
    );
    assert_eq!(IndexHead::from_bytes(&head[..head.len() - 1]), None);
    assert_eq!(IndexHead::from_bytes(b"junk"), None);
    let mut longer = head.clone();
    longer.push(0);
    assert_eq!(IndexHead::from_bytes(&longer), None);
    assert_eq!(
        IndexState::from_parts(read_head.clone(), &shards[..shards.len() - 1]),
        None
    );
    // shards of another index do not pass for this head's
    let other = run(&generate(40, 2, 200), None).state;
    let mut other_shards = Vec::new();
    other.write_shards(&mut other_shards).expect("write");
    assert_eq!(IndexState::from_parts(read_head, &other_shards), None);
}

#[test]
fn an_unchanged_site_lists_every_index_file_with_its_key() {
    let docs = generate(30, 6, 200);
    let first = run(&docs, None);
    let keys: Vec<u128> = docs.iter().map(doc_key).collect();
    let ids = index_ids(&docs, &keys);
    let files = first
        .state
        .head()
        .unchanged_files(7, &ids)
        .expect("unchanged");
    let mut expected: Vec<(String, u128)> = first
        .shard_files()
        .map(|(p, k, _)| (p, k))
        .chain(first.files.iter().map(|f| (f.path.clone(), f.key)))
        .collect();
    let mut listed = files.clone();
    expected.sort();
    listed.sort();
    assert_eq!(listed, expected);
    // any change, or other settings, and the files cannot be taken as they are
    assert!(first.state.head().unchanged_files(8, &ids).is_none());
    let mut edited = docs.clone();
    edited[3].body.push('改');
    let keys: Vec<u128> = edited.iter().map(doc_key).collect();
    assert!(first
        .state
        .head()
        .unchanged_files(7, &index_ids(&edited, &keys))
        .is_none());
}
