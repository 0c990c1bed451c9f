//! Confinement: no slug, permalink, category, tag or file name makes digest write outside
//! its output folder, and symlinks under content/ that leave the site are not followed.

use std::fs;
use std::path::{Path, PathBuf};

use digest::build::{build, BuildOptions};
use tempfile::TempDir;

use super::support::{messages, snapshot};

/// A site three folders down in a temporary folder, so that a `../` that got through would
/// land in a folder the test can see.
struct Sandbox {
    dir: TempDir,
}

impl Sandbox {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::create_dir_all(dir.path().join("a/b/site/content")).expect("mkdir");
        Sandbox { dir }
    }

    fn top(&self) -> &Path {
        self.dir.path()
    }

    fn root(&self) -> PathBuf {
        self.top().join("a/b/site")
    }

    fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    fn file(&self, rel: &str, text: impl AsRef<[u8]>) {
        let path = self.root().join(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, text).expect("write");
    }

    fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root(),
            output: self.public(),
            base_url: None,
            drafts: false,
            strict: false,
        }
    }

    /// Everything in the sandbox that is not under public/, to compare before and after.
    fn outside_public(&self) -> Vec<String> {
        snapshot(self.top())
            .into_keys()
            .filter(|p| !p.starts_with("a/b/site/public/") && p != "a/b/site/public/")
            // the build cache is digest's own, documented folder in the site root
            .filter(|p| !p.starts_with("a/b/site/.digest-cache/"))
            .collect()
    }

    /// Fails unless every file of public/ is a regular file or folder whose real path is
    /// inside public/ (no symlink, no `..`).
    fn assert_all_inside_public(&self) {
        let public = fs::canonicalize(self.public()).expect("public exists");
        for entry in walkdir::WalkDir::new(&public).min_depth(1) {
            let entry = entry.expect("walk");
            assert!(
                !entry.path_is_symlink(),
                "symlink written: {}",
                entry.path().display()
            );
            let real = fs::canonicalize(entry.path()).expect("canonicalize");
            assert!(real.starts_with(&public), "{} escapes", real.display());
        }
    }
}

fn yaml_string(s: &str) -> String {
    serde_json::to_string(s).expect("json string")
}

/// Front matter with every hostile name we know of in the fields that become paths.
fn hostile_post(slug: &str, names: &[&str]) -> String {
    let list = names
        .iter()
        .map(|n| yaml_string(n))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "---\ntitle: {title}\nslug: {slug}\ndate: 2022-04-28\ncategories: [[{list}], {list}]\ntags: [{list}]\npermalink: {slug}\n---\n正文。\n",
        title = yaml_string(&format!("标题 {slug}")),
        slug = yaml_string(slug),
    )
}

const HOSTILE: &[&str] = &[
    "../../../escape",
    "../..",
    "..",
    ".",
    "/etc/passwd",
    "/abs/dir/",
    "..\\..\\windows",
    "C:\\Windows\\System32",
    "nul\0byte",
    "CON",
    "con",
    "aux.html",
    "NUL",
    "PRN",
    "COM1",
    "lpt9",
    "a/../../b",
    "~/x",
    "%2e%2e%2f%2e%2e%2fescape",
    "．．／全角",
    "\u{202e}lmth.exe",
];

#[test]
fn hostile_slugs_categories_and_tags_stay_inside_public() {
    let sandbox = Sandbox::new();
    let long = "长".repeat(300); // 900 bytes
    let long_latin = "x".repeat(300);
    let mut names: Vec<&str> = HOSTILE.to_vec();
    names.push(&long);
    names.push(&long_latin);
    for (i, slug) in names.iter().enumerate() {
        sandbox.file(&format!("content/p{i}.md"), hostile_post(slug, &names));
    }
    // A title alone (no slug) and a category hierarchy of hostile names.
    sandbox.file(
        "content/t.md",
        "---\ntitle: ../../../标题\ndate: 2022-04-28\ncategories: [[\"..\", \"..\", \"/etc\"]]\n---\n正文。\n",
    );
    let before = sandbox.outside_public();
    let report = build(&sandbox.options()).unwrap_or_else(|f| panic!("{}", messages(&f)));
    assert_eq!(report.posts, names.len() + 1);
    assert_eq!(
        sandbox.outside_public(),
        before,
        "something written outside public/"
    );
    sandbox.assert_all_inside_public();
    // Every post got a page, and every page lies under the folders the theme defines.
    let files = snapshot(&sandbox.public());
    let post_pages = files
        .keys()
        .filter(|p| p.starts_with("posts/") && p.ends_with("/index.html"))
        .count();
    assert_eq!(post_pages, names.len() + 1);
    for path in files.keys() {
        for component in path.trim_end_matches('/').split('/') {
            assert!(component.len() <= 255, "{path}");
            assert!(
                !component.contains('\\') && !component.contains('\0'),
                "{path}"
            );
            let stem = component
                .split('.')
                .next()
                .unwrap_or("")
                .to_ascii_uppercase();
            assert!(
                !["CON", "PRN", "AUX", "NUL", "COM1", "LPT9"].contains(&stem.as_str()),
                "Windows-reserved name in {path}"
            );
        }
    }
}

#[test]
fn hostile_file_names_stay_inside_public() {
    let sandbox = Sandbox::new();
    let long_name = format!("{}.md", "n".repeat(252)); // 255 bytes, the most Linux allows
    for name in [
        "CON.md",
        "aux.txt",
        "com1.html",
        "a\\..\\..\\b.md",
        "..\\escape.md",
        long_name.as_str(),
        "2022-04-28-..md",
        "2022-04-28-CON.md",
        "nul/post.md",
        "..../post.md",
    ] {
        sandbox.file(&format!("content/{name}"), "一篇文章。\n\n正文在这里。\n");
    }
    let before = sandbox.outside_public();
    let report = build(&sandbox.options()).unwrap_or_else(|f| panic!("{}", messages(&f)));
    // `..\escape.md` and the folder `....` start with a dot: hidden, not content.
    assert_eq!(report.posts, 8);
    assert_eq!(sandbox.outside_public(), before);
    sandbox.assert_all_inside_public();
}

/// A file beside a post is copied next to its page under its own name; a name that cannot
/// be an output file (reserved on Windows, a backslash) stops the build with a message that
/// names it, and nothing is written.
#[test]
fn an_asset_with_an_unusable_name_is_a_clear_error() {
    for name in ["CON.png", "a\\b.png"] {
        let sandbox = Sandbox::new();
        sandbox.file(
            "content/p/post.md",
            "---\ntitle: 图\ndate: 2022-04-28\n---\n![x](x.png)\n",
        );
        sandbox.file(&format!("content/p/{name}"), "png");
        let failure = build(&sandbox.options()).expect_err(name);
        let text = messages(&failure);
        assert!(
            text.contains(name.split('\\').next_back().unwrap_or(name)),
            "{text}"
        );
        assert!(!sandbox.public().exists(), "{name}: public/ written");
    }
}

#[test]
fn symlinks_out_of_the_site_are_not_followed_and_inside_ones_are() {
    let sandbox = Sandbox::new();
    let secret = sandbox.top().join("secret.md");
    fs::write(&secret, "---\ntitle: 机密\n---\nTOP-SECRET-CONTENT\n").expect("write");
    let secret_dir = sandbox.top().join("secret-dir");
    fs::create_dir_all(&secret_dir).expect("mkdir");
    fs::write(
        secret_dir.join("x.md"),
        "---\ntitle: 机密二\n---\nTOP-SECRET-CONTENT\n",
    )
    .expect("write");
    sandbox.file(
        "shared/inside.md",
        "---\ntitle: 站内链接\ndate: 2022-04-28\n---\nINSIDE-CONTENT\n",
    );
    let content = sandbox.root().join("content");
    std::os::unix::fs::symlink(&secret, content.join("out.md")).expect("symlink");
    std::os::unix::fs::symlink("../../../secret.md", content.join("out-relative.md"))
        .expect("symlink");
    std::os::unix::fs::symlink(&secret_dir, content.join("out-dir")).expect("symlink");
    std::os::unix::fs::symlink("/etc/passwd", content.join("passwd.txt")).expect("symlink");
    std::os::unix::fs::symlink("../shared/inside.md", content.join("in.md")).expect("symlink");
    std::os::unix::fs::symlink("loop.md", content.join("loop.md")).expect("symlink");
    let report = build(&sandbox.options()).unwrap_or_else(|f| panic!("{}", messages(&f)));
    assert_eq!(report.posts, 1, "only the inside symlink is a post");
    let skipped: Vec<String> = report
        .diagnostics
        .iter()
        .map(|d| d.to_string())
        .filter(|d| d.contains("symlink"))
        .collect();
    assert!(skipped.len() >= 4, "{skipped:#?}");
    for file in snapshot(&sandbox.public()).values() {
        let text = String::from_utf8_lossy(file);
        assert!(!text.contains("TOP-SECRET") && !text.contains("root:x:0"));
    }
    let all: String = snapshot(&sandbox.public())
        .values()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect();
    assert!(all.contains("INSIDE-CONTENT"));
    sandbox.assert_all_inside_public();
}

/// Every output path a build produces passes the output checks, whatever the input: the
/// in-memory build is where paths are made, so the checks are tried on it directly too.
#[test]
fn in_memory_output_paths_are_relative_and_clean() {
    let sandbox = Sandbox::new();
    let names: Vec<&str> = HOSTILE.to_vec();
    for (i, slug) in names.iter().enumerate() {
        sandbox.file(&format!("content/p{i}.md"), hostile_post(slug, &names));
    }
    let input = digest::discover::load(&sandbox.root()).expect("load");
    let built = digest::build::build_in_memory(&input, false).expect("build");
    for f in &built.files {
        assert!(
            digest::output::check_output_path(&f.path).is_ok(),
            "{:?}",
            f.path
        );
        assert!(!f.path.starts_with('/') && !f.path.split('/').any(|c| c == ".." || c == "."));
    }
}
