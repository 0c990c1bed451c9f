//! The build cache and incremental output: what a rebuild reads, renders and rewrites.

mod common;

use std::fs;
use std::path::PathBuf;

use common::{FileState, TestSite};
use std::collections::BTreeMap;

/// Twelve dated posts in three categories, each with a stated summary (so editing a body
/// changes only that post's page) and its own tag.
fn site() -> TestSite {
    let mut site = TestSite::new();
    for i in 1..=12 {
        site = site.file(&format!("content/p{i:02}.md"), post(i, "正文。"));
    }
    site.file(
        "content/2022-01-20-batch.tsv",
        "甲\t摘要甲\t　　甲的正文。\n乙\t摘要乙\t　　乙的正文。\n",
    )
}

fn post(i: usize, body: &str) -> String {
    let cat = ["云计算", "金融", "观察"][i % 3];
    format!(
        "---\ntitle: 第{i}篇\ndate: 2022-01-{i:02}\ncategories: {cat}\ntags: [t{i}]\nsummary: 摘要{i}\n---\n{body}\n"
    )
}

fn cache_dir(site: &TestSite) -> PathBuf {
    site.root().join(".digest-cache")
}

/// Files whose identity changed between two snapshots, and whether their bytes did.
fn rewritten(
    before: &BTreeMap<String, FileState>,
    after: &BTreeMap<String, FileState>,
) -> Vec<(String, bool)> {
    after
        .iter()
        .filter_map(|(path, now)| {
            let then = before.get(path)?;
            (then.identity != now.identity).then(|| (path.clone(), then.bytes != now.bytes))
        })
        .collect()
}

#[test]
fn a_rebuild_with_nothing_changed_parses_and_rewrites_nothing() {
    let site = site();
    let cold = site.build_ok();
    assert_eq!(cold.parsed, 13);
    assert_eq!(cold.cache_hits, 0);
    let before = site.snapshot();
    let warm = site.build_ok();
    assert_eq!(warm.parsed, 0, "no post may be parsed again");
    assert_eq!(warm.cache_hits, 13);
    assert_eq!(warm.rendered, 0, "no page may be rendered again");
    assert_eq!(warm.stats.written, 0);
    assert_eq!(warm.posts, cold.posts);
    assert_eq!(warm.pages, cold.pages);
    assert_eq!(
        site.snapshot(),
        before,
        "every file keeps its bytes, inode and mtime"
    );
}

#[test]
fn editing_one_post_parses_it_alone_and_rewrites_only_changed_files() {
    let site = site();
    site.build_ok();
    let before = site.snapshot();
    site.write("content/p05.md", post(5, "改过的正文。"));
    let report = site.build_ok();
    assert_eq!(report.parsed, 1);
    assert_eq!(report.cache_hits, 12);
    let after = site.snapshot();
    assert!(site
        .read("posts/2022/01/di-5-pian/index.html")
        .contains("改过的正文"));
    let changed = rewritten(&before, &after);
    assert!(
        changed.iter().all(|(_, bytes_differ)| *bytes_differ),
        "a file was rewritten with the same bytes: {changed:?}"
    );
    for (path, then) in &before {
        if let Some(now) = after.get(path) {
            if then.bytes != now.bytes {
                assert_ne!(
                    then.identity, now.identity,
                    "{path} changed but kept its identity"
                );
            }
        }
    }
    let paths: Vec<&str> = changed.iter().map(|(p, _)| p.as_str()).collect();
    assert!(
        paths.contains(&"posts/2022/01/di-5-pian/index.html"),
        "{paths:?}"
    );
    assert!(
        !paths.contains(&"posts/2022/01/di-9-pian/index.html"),
        "{paths:?}"
    );
    // pages showing only the post's metadata are not rendered again
    assert!(report.rendered < report.pages / 2, "{report:?}");
}

#[test]
fn deleting_a_post_removes_its_page() {
    let site = site();
    site.build_ok();
    assert!(site.exists("posts/2022/01/di-7-pian/index.html"));
    site.remove("content/p07.md");
    let report = site.build_ok();
    assert_eq!(report.posts, 13);
    assert_eq!(report.parsed, 0);
    assert!(!site.exists("posts/2022/01/di-7-pian/index.html"));
    assert!(!site.exists("tags/t7/index.html"));
    assert!(!site.read("index.html").contains("第7篇"));
}

/// What a cold build of the same site writes, file by file.
fn cold_output() -> BTreeMap<String, Vec<u8>> {
    let site = site();
    site.build_ok();
    bytes_of(&site)
}

fn bytes_of(site: &TestSite) -> BTreeMap<String, Vec<u8>> {
    site.snapshot()
        .into_iter()
        .map(|(p, s)| (p, s.bytes))
        .collect()
}

fn cache_files(site: &TestSite) -> Vec<PathBuf> {
    fn walk(dir: &std::path::Path, out: &mut Vec<PathBuf>) {
        for e in fs::read_dir(dir).expect("read_dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "bin") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(&cache_dir(site), &mut out);
    out.sort();
    out
}

/// Damages every cache file with `damage`, removes the output (so every page must be
/// rendered from the cache), rebuilds, and checks the result equals a cold build.
fn damaged_cache_is_rebuilt(damage: impl Fn(&[u8]) -> Vec<u8>) {
    let expected = cold_output();
    let site = site();
    site.build_ok();
    let files = cache_files(&site);
    assert!(files.len() >= 3, "{files:?}");
    for f in &files {
        let bytes = fs::read(f).expect("read cache file");
        fs::write(f, damage(&bytes)).expect("damage cache file");
    }
    fs::remove_dir_all(site.public()).expect("remove output");
    let report = site.build_ok();
    assert_eq!(report.parsed, 13, "a damaged cache must not be trusted");
    assert!(!report.cache_notes.is_empty(), "damage is noted");
    assert_eq!(bytes_of(&site), expected);
    // and the rebuilt cache is good again
    let again = site.build_ok();
    assert_eq!(again.parsed, 0);
    assert!(again.cache_notes.is_empty(), "{:?}", again.cache_notes);
}

#[test]
fn a_truncated_cache_is_rebuilt() {
    damaged_cache_is_rebuilt(|b| b[..b.len() / 2].to_vec());
}

#[test]
fn a_cache_of_random_bytes_is_rebuilt() {
    // deterministic "random" bytes of the same length
    damaged_cache_is_rebuilt(|b| {
        let mut x: u32 = 0x9E37_79B9;
        b.iter()
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                x as u8
            })
            .collect()
    });
}

#[test]
fn a_cache_with_a_flipped_payload_byte_is_rebuilt() {
    damaged_cache_is_rebuilt(|b| {
        let mut b = b.to_vec();
        let last = b.len() - 1;
        b[last] ^= 0x20;
        b
    });
}

#[test]
fn a_cache_of_another_version_is_rebuilt() {
    // byte 8 is the first byte of the cache format number, after the 8-byte magic
    damaged_cache_is_rebuilt(|b| {
        let mut b = b.to_vec();
        b[8] = b[8].wrapping_add(1);
        b
    });
}

#[test]
fn body_files_damaged_after_a_build_are_reparsed_when_needed() {
    let expected = cold_output();
    let site = site();
    site.build_ok();
    for f in cache_files(&site) {
        if f.components().any(|c| c.as_os_str() == "bodies") {
            fs::write(&f, b"junk").expect("damage");
        }
    }
    fs::remove_dir_all(site.public()).expect("remove output");
    let report = site.build_ok();
    // the index still names every source, but every page needs a body the cache lost
    assert_eq!(report.parsed, 0);
    assert_eq!(bytes_of(&site), expected);
}

#[test]
fn changing_a_template_renders_every_page_again() {
    let site = site();
    let cold = site.build_ok();
    let theme =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/post.html");
    let mut template = fs::read_to_string(theme).expect("theme template");
    template.push_str("{# changed #}\n");
    site.write("templates/post.html", template);
    let report = site.build_ok();
    assert_eq!(report.reused, 0, "every page depends on the templates");
    assert_eq!(report.rendered, cold.rendered);
    // templates do not change how posts are read
    assert_eq!(report.parsed, 0);
}

#[test]
fn changing_the_configuration_invalidates_everything() {
    let site = site();
    let cold = site.build_ok();
    site.write("digest.yaml", "title: 新的标题\n");
    let report = site.build_ok();
    assert_eq!(report.parsed, cold.parsed);
    assert_eq!(report.cache_hits, 0);
    assert_eq!(report.reused, 0);
    assert!(site.read("index.html").contains("新的标题"));
}

#[test]
fn a_cache_that_cannot_be_written_is_a_warning_not_an_error() {
    // a file where the cache folder should be: nothing can be created under it
    let site = site().file(".digest-cache", "not a folder");
    let report = site.build_ok();
    assert!(!report.cache_warnings.is_empty());
    assert!(report.diagnostics.iter().all(|d| !d.is_error()));
    assert!(site.exists("posts/2022/01/di-5-pian/index.html"));
    assert!(site
        .read("posts/2022/01/di-5-pian/index.html")
        .contains("正文"));
    // --strict is about the posts, not the machine
    assert!(site.build_with(|o| o.strict = true).is_ok());
}

#[test]
fn the_disk_build_writes_what_the_pure_build_computes() {
    let site = site();
    site.build_ok();
    let input = digest::discover::load(site.root()).expect("load");
    let built = digest::build::build_in_memory(&input, false).expect("build");
    let mut on_disk = bytes_of(&site);
    on_disk.remove(".digest-output");
    let in_memory: BTreeMap<String, Vec<u8>> =
        built.files.into_iter().map(|f| (f.path, f.bytes)).collect();
    assert_eq!(on_disk, in_memory);
}

/// The search index files of a built site, as `digest::search::search` reads them.
fn search_files(site: &TestSite) -> Vec<(String, Vec<u8>)> {
    site.files()
        .into_iter()
        .filter(|p| p.starts_with("search/") && !p.ends_with(".html"))
        .map(|p| {
            let bytes = site.read_bytes(&p);
            (p, bytes)
        })
        .collect()
}

fn hits(files: &[(String, Vec<u8>)], query: &str) -> Vec<String> {
    digest::search::search(files, query)
        .expect("search")
        .into_iter()
        .map(|h| h.url)
        .collect()
}

#[test]
fn an_edit_updates_the_search_index_and_it_answers_like_a_cold_build() {
    use digest::search::IndexMethod;
    let site = site();
    assert_eq!(site.build_ok().search_index, Some(IndexMethod::Full));
    site.write(
        "content/p05.md",
        post(5, "改过的正文，提到独角兽和 Kubernetes。"),
    );
    let report = site.build_ok();
    assert_eq!(report.search_index, Some(IndexMethod::Updated(1)));
    let updated = search_files(&site);
    assert_eq!(hits(&updated, "独角兽"), vec!["posts/2022/01/di-5-pian/"]);
    assert_eq!(hits(&updated, "kube"), vec!["posts/2022/01/di-5-pian/"]);

    let cold = TestSite::new();
    copy_content(&site, &cold);
    assert_eq!(cold.build_ok().search_index, Some(IndexMethod::Full));
    let fresh = search_files(&cold);
    for q in [
        "正文",
        "独角兽",
        "第5篇",
        "摘要",
        "甲",
        "云计算",
        "t5",
        "改过",
        "无此词",
    ] {
        assert_eq!(hits(&updated, q), hits(&fresh, q), "query {q}");
    }

    // nothing changed: the index is left as it is
    let before = site.snapshot();
    assert_eq!(site.build_ok().search_index, Some(IndexMethod::Updated(0)));
    assert_eq!(site.snapshot(), before);
}

#[test]
fn a_post_older_than_the_others_rebuilds_the_search_index() {
    use digest::search::IndexMethod;
    let site = site();
    site.build_ok();
    site.write(
        "content/old.md",
        "---\ntitle: 旧闻\ndate: 2020-05-01\n---\n很早以前的独角兽。\n",
    );
    let report = site.build_ok();
    assert_eq!(report.search_index, Some(IndexMethod::Full));
    assert_eq!(
        hits(&search_files(&site), "独角兽"),
        vec!["posts/2020/05/jiuwen/"]
    );
}

fn copy_content(from: &TestSite, to: &TestSite) {
    for p in walk_files(&from.root().join("content")) {
        let rel = p.strip_prefix(from.root()).expect("inside");
        to.write(&rel.to_string_lossy(), fs::read(&p).expect("read"));
    }
}

fn walk_files(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).expect("read_dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk_files(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Every kind of edit an editor makes, one after another on one site: after each, the
/// incremental build's output equals a cold build of the same content, file for file
/// (the search index's term shards aside, whose cuts may differ: there, every query must
/// answer the same). This is what page keys made of post keys must never get wrong.
#[test]
fn after_every_kind_of_edit_the_output_equals_a_cold_build() {
    let site = site();
    site.build_ok();
    type Edit = Box<dyn Fn(&TestSite)>;
    let edits: Vec<(&str, Edit)> = vec![
        (
            "a title",
            Box::new(|s| {
                s.write(
                    "content/p05.md",
                    post(5, "正文。").replace("第5篇", "新标题"),
                )
            }),
        ),
        (
            "a summary",
            Box::new(|s| {
                s.write(
                    "content/p08.md",
                    post(8, "正文。").replace("摘要8", "新摘要"),
                )
            }),
        ),
        (
            "a category",
            Box::new(|s| {
                s.write(
                    "content/p02.md",
                    post(2, "正文。").replace("categories: 观察", "categories: 金融"),
                )
            }),
        ),
        (
            "a tag",
            Box::new(|s| {
                s.write(
                    "content/p11.md",
                    post(11, "正文。").replace("[t11]", "[t11, t3]"),
                )
            }),
        ),
        (
            "a date",
            Box::new(|s| {
                s.write(
                    "content/p03.md",
                    post(3, "正文。").replace("2022-01-03", "2022-01-30"),
                )
            }),
        ),
        (
            "a body",
            Box::new(|s| s.write("content/p09.md", post(9, "全新的正文。"))),
        ),
        (
            "a TSV record",
            Box::new(|s| {
                s.write(
                    "content/2022-01-20-batch.tsv",
                    "甲\t摘要甲\t　　甲的正文。\n丙\t摘要丙\t　　丙的正文。\n",
                )
            }),
        ),
        ("a deletion", Box::new(|s| s.remove("content/p12.md"))),
        (
            "a new post",
            Box::new(|s| s.write("content/p13.md", post(13, "新文章。"))),
        ),
    ];
    for (what, edit) in edits {
        edit(&site);
        site.build_ok();
        let cold = TestSite::new();
        copy_content(&site, &cold);
        cold.build_ok();
        let (a, b) = (bytes_of(&site), bytes_of(&cold));
        let outside_shards = |m: &BTreeMap<String, Vec<u8>>| -> BTreeMap<String, Vec<u8>> {
            m.iter()
                .filter(|(p, _)| !p.starts_with("search/t/") && p.as_str() != "search/meta.json")
                .map(|(p, b)| (p.clone(), b.clone()))
                .collect()
        };
        let (a_pages, b_pages) = (outside_shards(&a), outside_shards(&b));
        assert_eq!(
            a_pages.keys().collect::<Vec<_>>(),
            b_pages.keys().collect::<Vec<_>>(),
            "after editing {what}: the files differ"
        );
        for (path, bytes) in &a_pages {
            assert!(
                Some(bytes) == b_pages.get(path),
                "after editing {what}: {path} differs from a cold build"
            );
        }
        let (updated, fresh) = (search_files(&site), search_files(&cold));
        for q in [
            "正文",
            "新标题",
            "新摘要",
            "第3篇",
            "甲",
            "丙",
            "t3",
            "新文章",
            "全新",
        ] {
            assert_eq!(
                hits(&updated, q),
                hits(&fresh, q),
                "after editing {what}: query {q}"
            );
        }
    }
}
