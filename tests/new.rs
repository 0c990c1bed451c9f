//! `digest new`: the file it writes, and that it never overwrites one.

mod common;

use std::fs;
use std::path::PathBuf;
use std::process::{Command, Output};

use common::TestSite;

fn new(site: &TestSite, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_digest"))
        .arg("new")
        .args(args)
        .arg("--root")
        .arg(site.root())
        .output()
        .expect("run digest new")
}

/// The single file in a folder.
fn only_file(dir: PathBuf) -> PathBuf {
    let files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    files[0].clone()
}

#[test]
fn writes_a_draft_in_the_category_folder_and_prints_its_path() {
    let site = TestSite::new().file("digest.yaml", "timezone: Asia/Shanghai\n");
    let out = new(
        &site,
        &[
            "青云发布新一代云平台",
            "--category",
            "融资",
            "--tags",
            "青云,云计算",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = only_file(site.root().join("content/融资"));
    let printed = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert_eq!(PathBuf::from(&printed), path);

    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let (date, slug) = name.split_at(10);
    assert!(
        chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok(),
        "{name}"
    );
    assert_eq!(slug, "-qingyunfabuxinyidaiyunpingtai.md");

    let text = fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "---");
    assert_eq!(lines[1], "title: \"青云发布新一代云平台\"");
    assert!(
        lines[2].starts_with(&format!("date: {date} ")),
        "{}",
        lines[2]
    );
    assert!(lines[2].ends_with(" +08:00"), "{}", lines[2]);
    assert_eq!(lines[3], "categories: [\"融资\"]");
    assert_eq!(lines[4], "tags: [\"青云\", \"云计算\"]");
    assert_eq!(lines[5], "draft: true");
    assert_eq!(lines[6], "---");

    // a draft: built only with --drafts, and then with the right title and category
    site.build_ok();
    assert!(!site.read("index.html").contains("青云发布新一代云平台"));
    site.build_with(|o| o.drafts = true)
        .expect("build with drafts");
    let index = site.read("index.html");
    assert!(index.contains("青云发布新一代云平台"), "{index}");
    assert!(site.exists("categories/rongzi/index.html"));
}

#[test]
fn without_a_category_the_post_goes_to_posts() {
    let site = TestSite::new();
    let out = new(&site, &["Hello World"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = only_file(site.root().join("content/posts"));
    assert!(
        path.to_string_lossy().ends_with("-hello-world.md"),
        "{path:?}"
    );
}

#[test]
fn refuses_to_overwrite_an_existing_post() {
    let site = TestSite::new();
    let first = new(&site, &["同一个标题"]);
    assert!(first.status.success());
    let path = only_file(site.root().join("content/posts"));
    fs::write(&path, "编辑写的内容").unwrap();

    let second = new(&site, &["同一个标题"]);
    assert!(!second.status.success());
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(stderr.contains("already exists"), "{stderr}");
    assert!(stderr.contains(&path.display().to_string()), "{stderr}");
    assert_eq!(fs::read_to_string(&path).unwrap(), "编辑写的内容");
}

#[test]
fn refuses_a_category_that_is_not_a_folder_name() {
    let site = TestSite::new();
    let out = new(&site, &["标题", "--category", "../outside"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("category '../outside'"));
    assert!(!site.root().join("content").exists());
    assert!(!site.root().parent().unwrap().join("outside").exists());
}
