//! `digest.yaml`: the site's settings, with defaults that build the sample site as it is.
//!
//! Unknown keys are errors, not silently ignored: a misspelt `paginte: 20` would otherwise
//! leave an editor wondering why nothing changed.

use std::path::{Path, PathBuf};

use chrono_tz::Tz;
use serde::Deserialize;

use crate::diagnostics::Diagnostic;

/// How non-ASCII titles become URL slugs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum SlugStyle {
    /// Han characters become tone-less pinyin, other scripts are ASCII-folded: `青云` -> `qingyun`.
    #[default]
    Pinyin,
    /// Letters are kept as they are (lower-cased), only separators are normalised.
    Unicode,
}

/// Search settings (`search:` in digest.yaml).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SearchConfig {
    /// Build the search index and page at all.
    pub enabled: bool,
    /// Index post bodies, not just titles, taxonomies and summaries.
    pub include_bodies: bool,
}

impl Default for SearchConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            include_bodies: true,
        }
    }
}

/// The validated, complete settings the rest of the program trusts.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Site title, shown in the header and feeds.
    pub title: String,
    /// One-line description for the home page, feeds and meta tags.
    pub description: String,
    /// Absolute URL the site is served from; may carry a path such as `/digest/`.
    pub base_url: String,
    /// Language tag for `<html lang>` and feeds.
    pub language: String,
    /// IANA timezone for dates written without an offset.
    #[serde(deserialize_with = "de_timezone")]
    pub timezone: Tz,
    /// Theme folder name under `themes/`; `default` is built in.
    pub theme: String,
    /// Posts per listing page.
    pub paginate: usize,
    /// Category for posts that name none and sit directly in `content/`.
    pub default_category: String,
    /// How slugs are made from titles and terms.
    pub slug_style: SlugStyle,
    /// Posts per feed.
    pub feed_limit: usize,
    /// Author shown when a post names none.
    pub author: Option<String>,
    /// A custom domain for GitHub Pages; written to `CNAME`.
    pub cname: Option<String>,
    /// Lines dropped from the end of scraped plain text (comment-box junk and the like).
    pub strip_lines: Vec<String>,
    /// Search settings.
    pub search: SearchConfig,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            title: "云计算资讯摘要".into(),
            description: "云计算行业新闻摘要".into(),
            base_url: "/".into(),
            language: "zh-CN".into(),
            timezone: chrono_tz::Asia::Shanghai,
            theme: "default".into(),
            paginate: 10,
            default_category: "未分类".into(),
            slug_style: SlugStyle::Pinyin,
            feed_limit: 20,
            author: None,
            cname: None,
            strip_lines: default_strip_lines(),
            search: SearchConfig::default(),
        }
    }
}

/// Comment-box and share-bar lines that scrapers leave at the end of articles.
pub fn default_strip_lines() -> Vec<String> {
    [
        "全部0条评论",
        "快来发表一下你的评论吧 !",
        "快来发表一下你的评论吧！",
        "发表评论",
        "分享到：",
        "相关阅读",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn de_timezone<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Tz, D::Error> {
    let name = String::deserialize(d)?;
    name.parse::<Tz>().map_err(|_| {
        serde::de::Error::custom(format!(
            "unknown timezone '{name}', expected an IANA name such as Asia/Shanghai"
        ))
    })
}

/// The file name digest looks for at the site root.
pub const CONFIG_FILE: &str = "digest.yaml";

impl Config {
    /// Parses digest.yaml text; `file` is only used to label errors.
    pub fn parse(text: &str, file: &Path) -> Result<Config, Diagnostic> {
        if text.trim().is_empty() {
            return Ok(Config::default());
        }
        let mut config: Config = crate::yaml::from_str(text).map_err(|e| {
            let msg = format!("invalid configuration: {}", strip_location(&e.to_string()));
            let diag = Diagnostic::error(file, msg);
            match e.location() {
                Some(loc) => diag.at(text, loc.line(), Some(loc.column())),
                None => diag,
            }
        })?;
        config.validate().map_err(|m| Diagnostic::error(file, m))?;
        config.base_url = normalize_base_url(&config.base_url);
        Ok(config)
    }

    /// Reads `digest.yaml` under `root`, or gives the defaults when there is none.
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path: PathBuf = root.join(CONFIG_FILE);
        match std::fs::read(&path) {
            Ok(bytes) => {
                let text = String::from_utf8(bytes)
                    .map_err(|_| Diagnostic::error(&path, "configuration is not UTF-8 text"))?;
                Config::parse(&text, &path)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(Diagnostic::error(
                &path,
                format!("cannot read configuration: {e}"),
            )),
        }
    }

    fn validate(&self) -> Result<(), String> {
        if self.paginate == 0 {
            return Err("paginate: expected a number of posts per page of at least 1".into());
        }
        if self.feed_limit == 0 {
            return Err("feed_limit: expected a number of entries of at least 1".into());
        }
        if !(self.base_url.starts_with('/')
            || self.base_url.starts_with("http://")
            || self.base_url.starts_with("https://"))
        {
            return Err(format!(
                "base_url: expected an absolute URL such as https://example.org/digest/ or a path starting with /, found '{}'",
                self.base_url
            ));
        }
        if self.theme.is_empty() || self.theme.contains(['/', '\\']) || self.theme.starts_with('.')
        {
            return Err(format!(
                "theme: expected a folder name under themes/, found '{}'",
                self.theme
            ));
        }
        Ok(())
    }
}

/// Makes sure a base URL ends with exactly one `/`, so `{base}posts/...` is always right.
pub fn normalize_base_url(url: &str) -> String {
    let trimmed = url.trim().trim_end_matches('/');
    format!("{trimmed}/")
}

/// serde_yaml appends "at line X column Y" to its messages; the diagnostic shows that itself.
fn strip_location(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_file_means_defaults() {
        let c = Config::parse("", Path::new("digest.yaml")).unwrap();
        assert_eq!(c, Config::default());
        assert_eq!(c.paginate, 10);
    }

    #[test]
    fn unknown_key_is_named() {
        let e = Config::parse("title: x\npaginte: 3\n", Path::new("digest.yaml")).unwrap_err();
        assert!(
            e.message.contains("unknown field `paginte`"),
            "{}",
            e.message
        );
        assert_eq!(e.line, Some(2));
    }

    #[test]
    fn wrong_type_is_named() {
        let e = Config::parse("paginate: many\n", Path::new("digest.yaml")).unwrap_err();
        assert!(e.message.contains("paginate"), "{}", e.message);
    }

    #[test]
    fn base_url_gets_one_trailing_slash() {
        let c = Config::parse("base_url: https://org.github.io/digest\n", Path::new("d")).unwrap();
        assert_eq!(c.base_url, "https://org.github.io/digest/");
    }

    #[test]
    fn timezone_must_exist() {
        let e = Config::parse("timezone: Mars/Olympus\n", Path::new("d")).unwrap_err();
        assert!(e.message.contains("Mars/Olympus"), "{}", e.message);
    }
}
