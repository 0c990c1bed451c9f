//! `digest new`: the file a new post starts as, worked out without touching the clock or the
//! file system.
//!
//! The command reads the clock and writes the file; everything else (where the file goes,
//! what its front matter says) is decided here, so it can be tested with a fixed date and
//! the front matter it writes can be read back by the same parser that reads every post.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};

use crate::config::Config;
use crate::content::frontmatter::split_list;
use crate::content::slug::slugify;
use crate::discover::is_ignored_name;
use crate::site::fallback_slug;

/// The folder under `content/` for a post with no category: it holds posts without being a
/// category itself, so such a post gets the configured default category.
pub const UNCATEGORISED_FOLDER: &str = "posts";

/// What the editor asked for, as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPostRequest {
    /// The post's title.
    pub title: String,
    /// One category, which is also the folder under `content/` the post goes into.
    pub category: Option<String>,
    /// Tags as typed: `a,b`, also split on `，` `、` `;`.
    pub tags: Option<String>,
}

/// A post file to create: where, and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPost {
    /// Path relative to the site folder, such as `content/融资/2024-05-01-qingyun.md`.
    pub path: PathBuf,
    /// The whole file: YAML front matter and an empty body.
    pub text: String,
}

/// Why a post cannot be started; the message says what to type instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NewPostError {
    /// The title is empty or only spaces.
    #[error("the title is empty; give one, e.g. digest new \"青云发布新一代云平台\"")]
    EmptyTitle,
    /// The category cannot be a folder name.
    #[error("category '{0}' cannot be a folder name under content/: use a name without '/', '\\', a leading '.', '~' or '#', or control characters")]
    BadCategory(String),
}

/// Works out the file for a new post dated `now` (already in the site's timezone).
///
/// The file name is `YYYY-MM-DD-<slug>.md`, the Jekyll form digest reads the date and slug
/// from; the slug comes from the title in the configured style. The post is a draft until the
/// editor removes `draft: true`, so a half-written post never reaches the published site.
pub fn plan(
    request: &NewPostRequest,
    config: &Config,
    now: DateTime<FixedOffset>,
) -> Result<NewPost, NewPostError> {
    let title = request
        .title
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if title.is_empty() {
        return Err(NewPostError::EmptyTitle);
    }
    let category = match request.category.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(c) if is_folder_name(c) => Some(c.to_string()),
        Some(c) => return Err(NewPostError::BadCategory(c.to_string())),
    };
    let tags = request.tags.as_deref().map(split_list).unwrap_or_default();
    let mut slug = slugify(&title, config.slug_style);
    if slug.is_empty() {
        slug = fallback_slug(&title);
    }
    let folder = category.as_deref().unwrap_or(UNCATEGORISED_FOLDER);
    let file = format!("{}-{slug}.md", now.format("%Y-%m-%d"));
    let path = Path::new("content").join(folder).join(file);
    Ok(NewPost {
        path,
        text: front_matter(&title, now, category.as_deref(), &tags),
    })
}

/// The front matter block of a new post, followed by an empty line for the body.
///
/// Strings are written as double-quoted scalars (JSON string syntax, which YAML reads the
/// same way), so a title with `:` `#` or quotes in it cannot break the block.
fn front_matter(
    title: &str,
    now: DateTime<FixedOffset>,
    category: Option<&str>,
    tags: &[String],
) -> String {
    let list = |items: &[&str]| {
        let quoted: Vec<String> = items.iter().map(|s| quote(s)).collect();
        format!("[{}]", quoted.join(", "))
    };
    let categories: Vec<&str> = category.into_iter().collect();
    let tags: Vec<&str> = tags.iter().map(String::as_str).collect();
    format!(
        "---\ntitle: {}\ndate: {}\ncategories: {}\ntags: {}\ndraft: true\n---\n\n",
        quote(title),
        now.format("%Y-%m-%d %H:%M:%S %:z"),
        list(&categories),
        list(&tags),
    )
}

/// A YAML double-quoted scalar.
fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// Whether a category can be used as one folder name under `content/` and still be read
/// back as that category (discovery skips dotfiles and editor temp names).
fn is_folder_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\'])
        && !name.chars().any(char::is_control)
        && !is_ignored_name(name)
        && name.len() <= 200
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{parse_source, SourceFile};

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn request(title: &str, category: Option<&str>, tags: Option<&str>) -> NewPostRequest {
        NewPostRequest {
            title: title.into(),
            category: category.map(str::to_string),
            tags: tags.map(str::to_string),
        }
    }

    #[test]
    fn category_folder_and_jekyll_name() {
        let p = plan(
            &request("青云发布新一代云平台", Some("融资"), Some("青云,云计算")),
            &Config::default(),
            at("2024-05-01T09:30:00+08:00"),
        )
        .unwrap();
        assert_eq!(
            p.path,
            Path::new("content/融资/2024-05-01-qingyunfabuxinyidaiyunpingtai.md")
        );
        assert_eq!(
            p.text,
            "---\ntitle: \"青云发布新一代云平台\"\ndate: 2024-05-01 09:30:00 +08:00\ncategories: [\"融资\"]\ntags: [\"青云\", \"云计算\"]\ndraft: true\n---\n\n"
        );
    }

    #[test]
    fn no_category_goes_to_posts() {
        let p = plan(
            &request("Hello", None, None),
            &Config::default(),
            at("2024-05-01T00:00:00+08:00"),
        )
        .unwrap();
        assert_eq!(p.path, Path::new("content/posts/2024-05-01-hello.md"));
        assert!(p.text.contains("categories: []\ntags: []\n"));
    }

    #[test]
    fn what_new_writes_reads_back_as_the_same_post() {
        let config = Config::default();
        let p = plan(
            &request(
                "标题: \"引号\" # 不是注释",
                Some("观察"),
                Some("AWS，阿里云、腾讯云"),
            ),
            &config,
            at("2024-12-31T23:59:59+08:00"),
        )
        .unwrap();
        let rel = p.path.strip_prefix("content").unwrap().to_path_buf();
        let parsed = parse_source(
            &SourceFile {
                path: rel,
                bytes: p.text.into_bytes(),
            },
            &config,
        );
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        let post = &parsed.posts[0];
        assert_eq!(post.title, "标题: \"引号\" # 不是注释");
        assert_eq!(
            post.date.map(|d| d.to_rfc3339()),
            Some("2024-12-31T23:59:59+08:00".into())
        );
        assert_eq!(post.categories, vec![vec!["观察".to_string()]]);
        assert_eq!(post.tags, vec!["AWS", "阿里云", "腾讯云"]);
        assert!(post.draft);
    }

    #[test]
    fn bad_titles_and_categories_are_refused() {
        let now = at("2024-05-01T00:00:00+08:00");
        let c = Config::default();
        assert_eq!(
            plan(&request("  ", None, None), &c, now),
            Err(NewPostError::EmptyTitle)
        );
        for bad in ["../x", "a/b", ".hidden", "..", "a\\b", "x~", "a\nb"] {
            assert!(
                matches!(
                    plan(&request("t", Some(bad), None), &c, now),
                    Err(NewPostError::BadCategory(_))
                ),
                "{bad:?} accepted"
            );
        }
    }

    #[test]
    fn title_without_letters_still_gets_a_file_name() {
        let p = plan(
            &request("！！！", None, None),
            &Config::default(),
            at("2024-05-01T00:00:00+08:00"),
        )
        .unwrap();
        let name = p.path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with("2024-05-01-p-"), "{name}");
    }
}
