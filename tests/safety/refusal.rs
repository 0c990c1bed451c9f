//! Refusal: digest will not use the site root, content/, themes/ (or another source folder),
//! a folder that holds the site, or a non-empty folder it did not create as its output
//! folder, and says why. Nothing is touched when it refuses.

use std::fs;

use crate::common::TestSite;

use super::support::{messages, snapshot};

fn site() -> TestSite {
    TestSite::new()
        .file(
            "content/a.md",
            "---\ntitle: 一\ndate: 2022-04-28\n---\n正文。\n",
        )
        .file("themes/default/static/extra.css", "p {}\n")
        .file("templates/.keep", "")
        .file("static/robots-extra.txt", "x\n")
}

/// Builds into `output` (relative to the site root), expects a refusal whose message
/// contains `why`, and checks that the site folder is unchanged.
fn assert_refused(site: &TestSite, output: &str, why: &str) {
    let before = snapshot(site.root());
    let failure = site
        .build_with(|o| o.output = site.root().join(output))
        .expect_err(output);
    let text = messages(&failure);
    assert!(
        text.contains("refusing to use this as the output folder") && text.contains(why),
        "output {output:?}: {text}"
    );
    assert!(
        text.contains("--output"),
        "the message says what to do: {text}"
    );
    assert_eq!(
        snapshot(site.root()),
        before,
        "output {output:?}: the site changed"
    );
}

#[test]
fn the_site_root_is_refused() {
    let site = site();
    assert_refused(&site, "", "it is the site folder itself");
    assert_refused(&site, ".", "it is the site folder itself");
    assert_refused(&site, "content/..", "it is the site folder itself");
}

#[test]
fn source_folders_are_refused() {
    let site = site();
    assert_refused(&site, "content", "inside the site's content/ folder");
    assert_refused(&site, "content/public", "inside the site's content/ folder");
    assert_refused(&site, "themes", "inside the site's themes/ folder");
    assert_refused(&site, "themes/default", "inside the site's themes/ folder");
    assert_refused(&site, "templates", "inside the site's templates/ folder");
    assert_refused(&site, "static", "inside the site's static/ folder");
}

#[test]
fn a_folder_holding_the_site_is_refused() {
    let site = site();
    assert_refused(&site, "..", "it contains the site folder");
}

#[test]
fn a_non_empty_folder_digest_did_not_create_is_refused() {
    let site = site().file("docs/notes.txt", "editor's notes\n");
    assert_refused(
        &site,
        "docs",
        "it is not empty and was not created by digest",
    );
    // A file is not a folder.
    assert_refused(&site, "docs/notes.txt", "it is a file, not a folder");
}

#[test]
fn a_symlink_as_the_output_folder_is_refused() {
    let site = site();
    let elsewhere = tempfile::tempdir().expect("tempdir");
    std::os::unix::fs::symlink(elsewhere.path(), site.root().join("out")).expect("symlink");
    assert_refused(&site, "out", "it is a symlink");
    assert_eq!(fs::read_dir(elsewhere.path()).expect("read").count(), 0);
}

#[test]
fn an_empty_folder_and_digests_own_output_are_accepted() {
    let site = site().file("empty/.placeholder-removed", "");
    fs::remove_file(site.root().join("empty/.placeholder-removed")).expect("rm");
    site.build_with(|o| o.output = site.root().join("empty"))
        .unwrap_or_else(|f| panic!("{}", messages(&f)));
    // Built once, it carries digest's marker and is rebuilt without complaint.
    assert!(site.root().join("empty/.digest-output").is_file());
    site.build_with(|o| o.output = site.root().join("empty"))
        .unwrap_or_else(|f| panic!("{}", messages(&f)));
}
