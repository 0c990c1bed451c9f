//! Atomic output: after any failure (a bad post, a template error, a write that fails, a
//! swap that fails) the previous output folder is byte-identical and no temporary folder
//! is left beside it.

use std::fs;

use crate::common::TestSite;

use super::support::{leftovers, messages, snapshot, ReadOnly};

/// A site with enough posts for several pages, built once: the "previous output".
fn built_site() -> TestSite {
    let mut site = TestSite::new().file("digest.yaml", "paginate: 2\n");
    for i in 0..6 {
        site = site.file(
            &format!("content/p{i}.md"),
            format!(
                "---\ntitle: 文章{i}\ndate: 2022-04-{:02}\ntags: [云]\n---\n正文{i}。\n",
                i + 1
            ),
        );
    }
    site.build_ok();
    site
}

/// Runs a build that must fail, and checks the previous output and the folder around it.
fn assert_fails_atomically(site: &TestSite, expected: &str) -> String {
    let before = snapshot(&site.public());
    assert!(before.contains_key(".digest-output"));
    let failure = site.build().expect_err("the build should fail");
    let text = messages(&failure);
    assert!(text.contains(expected), "expected {expected:?} in:\n{text}");
    assert_eq!(snapshot(&site.public()), before, "previous output changed");
    assert_eq!(leftovers(&site.public()), Vec::<std::path::PathBuf>::new());
    text
}

#[test]
fn a_bad_post_leaves_the_previous_output() {
    let site = built_site().file(
        "content/bad.md",
        "---\ntitle: 坏\ndate: 2022-13-45\n---\n正文\n",
    );
    let text = assert_fails_atomically(&site, "content/bad.md");
    assert!(text.contains("2022-13-45"), "{text}");
}

#[test]
fn broken_front_matter_leaves_the_previous_output() {
    let site = built_site().file("content/bad.md", "---\ntitle: [unclosed\n---\n正文\n");
    assert_fails_atomically(&site, "invalid YAML");
}

/// A template override that fails at render time on one post only, after other pages
/// have rendered: `throw` runs only for that post, and an unknown filter only for posts
/// that have a summary override.
#[test]
fn a_template_error_halfway_leaves_the_previous_output() {
    let base = built_site();
    let post = include_str!("../../themes/default/templates/post.html");
    let throwing = post.replace(
        "{% block content %}",
        "{% block content %}{% if page.extra.boom %}{{ throw(message=\"boom on \" ~ page.title) }}{% endif %}",
    );
    let site = base.file("templates/post.html", throwing).file(
        "content/p9.md",
        "---\ntitle: 炸\ndate: 2021-01-01\nboom: true\n---\n正文\n",
    );
    assert_fails_atomically(&site, "boom on 炸");

    let unknown_filter = post.replace(
        "{% block content %}",
        "{% block content %}{% if page.extra.odd %}{{ page.title | no_such_filter }}{% endif %}",
    );
    let site = site.file("templates/post.html", unknown_filter).file(
        "content/p9.md",
        "---\ntitle: 怪\ndate: 2021-01-01\nodd: true\n---\n正文\n",
    );
    assert_fails_atomically(&site, "no_such_filter");

    let undefined_macro = post.replace(
        "{% block content %}",
        "{% block content %}{% if page.extra.odd %}{{ m::no_such_macro() }}{% endif %}",
    );
    let site = site.file("templates/post.html", undefined_macro);
    assert_fails_atomically(&site, "templates");
}

/// A write that fails halfway: the site's static/ holds a *file* where a post needs a
/// folder, so creating that folder fails after other files are written.
#[test]
fn a_write_that_fails_halfway_leaves_the_previous_output() {
    let site = built_site();
    let page = site
        .files()
        .into_iter()
        .find(|f| f.starts_with("posts/") && f.ends_with("/index.html"))
        .expect("a post page");
    let folder = page.trim_end_matches("/index.html").to_string();
    let site = site.file(&format!("static/{folder}"), "not a folder");
    let text = assert_fails_atomically(&site, &folder);
    assert!(text.contains("cannot create the folder for"), "{text}");
}

/// An output folder whose parent is a file: nothing can be created, the message says so.
#[test]
fn an_output_whose_parent_is_a_file_is_a_clear_error() {
    let site = TestSite::new()
        .file("content/a.md", "---\ntitle: 一\n---\n正文\n")
        .file("occupied", "a file");
    let failure = site
        .build_with(|o| o.output = site.root().join("occupied/public"))
        .expect_err("parent is a file");
    let text = messages(&failure);
    assert!(text.contains("occupied"), "{text}");
    assert_eq!(
        fs::read(site.root().join("occupied")).expect("read"),
        b"a file"
    );
}

/// A read-only parent folder (see [`ReadOnly`] for how, as root and as a user).
#[test]
fn a_read_only_output_parent_leaves_the_previous_output() {
    let site = built_site();
    let parent = site.root().to_path_buf();
    let _guard = ReadOnly::set(&parent);
    let text = assert_fails_atomically(&site, "cannot create a temporary output folder");
    assert!(text.contains("public"), "{text}");
}

/// The last step fails: the previous output cannot be moved aside (the name it would be
/// moved to is taken by a folder that is not empty), so the new site is thrown away and the
/// old one stays where it was.
#[test]
fn a_swap_that_fails_leaves_the_previous_output() {
    let site = built_site().file(
        "content/new.md",
        "---\ntitle: 新\ndate: 2023-01-01\n---\n新文章\n",
    );
    let public = site.public();
    let before = snapshot(&public);
    let taken = site
        .root()
        .join(format!(".public.digest-old-{}", std::process::id()));
    fs::create_dir(&taken).expect("mkdir");
    fs::write(taken.join("keep"), "not digest's").expect("write");
    let failure = site.build().expect_err("the build should fail");
    let text = messages(&failure);
    assert!(
        text.contains("cannot move the previous output aside"),
        "{text}"
    );
    assert_eq!(snapshot(&public), before, "previous output changed");
    assert_eq!(fs::read(taken.join("keep")).expect("read"), b"not digest's");
    assert_eq!(leftovers(&public), vec![taken]);
}

/// The successful case, for contrast: a rebuild replaces the output whole and leaves no
/// temporary folder, and unchanged files keep their inode (hard-linked, mtime kept).
#[test]
fn a_successful_rebuild_swaps_cleanly() {
    let site = built_site();
    use std::os::unix::fs::MetadataExt;
    let public = site.public();
    let ino = |rel: &str| fs::metadata(public.join(rel)).expect("meta").ino();
    let style = ino("style.css");
    let site = site.file(
        "content/new.md",
        "---\ntitle: 新\ndate: 2023-01-01\n---\n新文章\n",
    );
    site.build_ok();
    assert!(site.exists("posts/2023/01/xin/index.html"));
    assert_eq!(ino("style.css"), style);
    assert_eq!(leftovers(&site.public()), Vec::<std::path::PathBuf>::new());
}

/// What killed builds leave beside the output folder is tidied by the next build: a
/// half-written new folder is removed, the old site left between the two renames is put
/// back, and the folders of a build still running (here: PID 1) are left alone.
#[test]
fn leftovers_of_killed_builds_are_tidied_and_live_ones_left_alone() {
    // above Linux's largest PID (2^22), so never a running process
    const GONE: u32 = 4_194_399;
    let site = built_site();
    let root = site.root().to_path_buf();
    let half = root.join(format!(".public.digest-new-{GONE}"));
    fs::create_dir_all(half.join("posts")).expect("mkdir");
    fs::write(half.join("posts/index.html"), "half").expect("write");
    let running = root.join(".public.digest-new-1");
    fs::create_dir(&running).expect("mkdir");
    site.build_ok();
    assert!(
        !half.exists(),
        "the half-written folder of a killed build is left"
    );
    assert!(running.exists(), "a running build's folder was removed");
    fs::remove_dir(&running).expect("rmdir");

    // killed between the renames: no output folder, the old site aside
    let before = snapshot(&site.public());
    let aside = root.join(format!(".public.digest-old-{GONE}"));
    fs::rename(site.public(), &aside).expect("rename");
    let report = site.build_ok();
    assert_eq!(
        report.stats.written, 0,
        "the old site was not taken back: {report:?}"
    );
    assert_eq!(snapshot(&site.public()), before);
    assert_eq!(leftovers(&site.public()), Vec::<std::path::PathBuf>::new());
}
