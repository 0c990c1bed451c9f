//! Front matter: the optional YAML (`---`) or TOML (`+++`) block at the top of a post.
//!
//! Jekyll, Hexo, Hugo and Zola each spell the same fields differently; this module reads
//! all of their spellings into one [`FrontMatter`] and keeps every key it does not know in
//! `extra`, for templates.

use serde_json::{Map, Value as Json};

use crate::yaml;

/// Which syntax a front matter block is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// `---` fences, as Jekyll and Hexo write it.
    Yaml,
    /// `+++` fences, as Hugo and Zola write it.
    Toml,
}

/// A post's text cut into its front matter block and its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The front matter block without its fences, if the post has one.
    pub front: Option<(Syntax, &'a str)>,
    /// 1-based line of the text where the front matter block starts (the line after the fence).
    pub front_line: usize,
    /// Everything after the closing fence.
    pub body: &'a str,
    /// 1-based line of the text where the body starts.
    pub body_line: usize,
}

/// Why a front matter block could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatterError {
    /// What went wrong and what was expected.
    pub message: String,
    /// 1-based line in the whole post, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
}

/// Splits front matter from the body. Leading blank lines before the fence are allowed
/// (Hexo writes them); a fence that is never closed means there is no front matter.
pub fn split(text: &str) -> Split<'_> {
    let none = Split {
        front: None,
        front_line: 0,
        body: text,
        body_line: 1,
    };
    let mut offset = 0;
    let mut line_no = 1;
    // skip leading blank lines
    for line in text.split_inclusive('\n') {
        if line.trim().is_empty() {
            offset += line.len();
            line_no += 1;
        } else {
            break;
        }
    }
    let rest = &text[offset..];
    let first = rest.split_inclusive('\n').next().unwrap_or("");
    let (syntax, closers): (Syntax, &[&str]) = match first.trim_end() {
        "---" => (Syntax::Yaml, &["---", "..."]),
        "+++" => (Syntax::Toml, &["+++"]),
        _ => return none,
    };
    let inner_start = offset + first.len();
    let mut pos = inner_start;
    for (n, line) in (line_no + 1..).zip(text[inner_start..].split_inclusive('\n')) {
        if closers.contains(&line.trim_end()) {
            let body_start = pos + line.len();
            return Split {
                front: Some((syntax, &text[inner_start..pos])),
                front_line: line_no + 1,
                body: &text[body_start..],
                body_line: n + 1,
            };
        }
        pos += line.len();
    }
    none
}

/// The fields digest understands, read from any generator's spelling of them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    /// `title`.
    pub title: Option<String>,
    /// `date`, `published`, `pubDate`, `created`: raw text, parsed later with the site timezone.
    pub date: Option<Field>,
    /// `updated`, `lastmod`, `modified`.
    pub updated: Option<Field>,
    /// `categories`, `category`: each inner list is one path from the top of a hierarchy.
    pub categories: Option<Vec<Vec<String>>>,
    /// `tags`, `tag`, `keywords`.
    pub tags: Option<Vec<String>>,
    /// `summary`, `description`, `excerpt`.
    pub summary: Option<String>,
    /// `image`, `cover`, `headimg`, `thumbnail`, `banner`.
    pub image: Option<Field>,
    /// `author`, `authors`.
    pub author: Option<String>,
    /// `slug`.
    pub slug: Option<String>,
    /// `draft` (or Hexo's `published: false`).
    pub draft: bool,
    /// `source`, `link`, `original_url`.
    pub source: Option<Field>,
    /// Every other key, for templates as `page.extra`.
    pub extra: Map<String, Json>,
}

/// A front matter value with the line it was found on, so later checks can point at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The key as the post writes it (`pubDate`, `lastmod`), so messages use the editor's word.
    pub key: String,
    /// The value as text.
    pub value: String,
    /// 1-based line in the whole post.
    pub line: Option<usize>,
}

/// Parses a front matter block. `first_line` is the post line the block starts on.
pub fn parse(
    syntax: Syntax,
    block: &str,
    first_line: usize,
) -> Result<FrontMatter, FrontMatterError> {
    let map = match syntax {
        Syntax::Yaml => parse_yaml(block, first_line)?,
        Syntax::Toml => parse_toml(block, first_line)?,
    };
    Ok(from_map(map, block, first_line))
}

fn parse_yaml(block: &str, first_line: usize) -> Result<Map<String, Json>, FrontMatterError> {
    if block.trim().is_empty() {
        return Ok(Map::new());
    }
    // Bounds first: libyaml's scanner and serde_yaml's aliases are not bounded enough on
    // their own (see yaml.rs).
    yaml::check_bounds(block).map_err(|(message, line)| FrontMatterError {
        message: format!("front matter: {message}"),
        line: Some(first_line + line),
        column: None,
    })?;
    let value: yaml::Value = yaml::from_str(block).map_err(|e| {
        let msg = e.to_string();
        let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
        FrontMatterError {
            message: format!("front matter: invalid YAML: {msg}"),
            line: e.location().map(|l| first_line + l.line() - 1),
            column: e.location().map(|l| l.column()),
        }
    })?;
    match yaml_to_json(value) {
        Json::Object(m) => Ok(m),
        Json::Null => Ok(Map::new()),
        _ => Err(FrontMatterError {
            message: "front matter: expected `key: value` lines".into(),
            line: Some(first_line),
            column: None,
        }),
    }
}

fn parse_toml(block: &str, first_line: usize) -> Result<Map<String, Json>, FrontMatterError> {
    let table: toml::Table = block.parse().map_err(|e: toml::de::Error| {
        // the span is a byte range of the block; lines and columns are counted in characters
        let before = e.span().and_then(|s| block.get(..s.start));
        let line = before.map(|b| b.matches('\n').count() + first_line);
        let column = before.map(|b| b.rsplit('\n').next().unwrap_or(b).chars().count() + 1);
        FrontMatterError {
            message: format!("front matter: invalid TOML: {}", e.message().trim_end()),
            line,
            column,
        }
    })?;
    match toml_to_json(toml::Value::Table(table)) {
        Json::Object(m) => Ok(m),
        _ => Ok(Map::new()),
    }
}

/// YAML to JSON, so templates get one kind of value whatever the front matter syntax.
fn yaml_to_json(v: yaml::Value) -> Json {
    match v {
        yaml::Value::Null => Json::Null,
        yaml::Value::Bool(b) => Json::Bool(b),
        yaml::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Json::from(i)
            } else if let Some(u) = n.as_u64() {
                Json::from(u)
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map(Json::Number)
                    .unwrap_or(Json::Null)
            }
        }
        yaml::Value::String(s) => Json::String(s),
        yaml::Value::Sequence(seq) => Json::Array(seq.into_iter().map(yaml_to_json).collect()),
        yaml::Value::Mapping(m) => Json::Object(
            m.into_iter()
                .map(|(k, v)| (yaml_key(k), yaml_to_json(v)))
                .collect(),
        ),
        yaml::Value::Tagged(t) => yaml_to_json(t.value),
    }
}

fn yaml_key(k: yaml::Value) -> String {
    match k {
        yaml::Value::String(s) => s,
        yaml::Value::Bool(b) => b.to_string(),
        yaml::Value::Number(n) => n.to_string(),
        yaml::Value::Null => "null".into(),
        other => serde_json::to_string(&yaml_to_json(other)).unwrap_or_default(),
    }
}

fn toml_to_json(v: toml::Value) -> Json {
    match v {
        toml::Value::String(s) => Json::String(s),
        toml::Value::Integer(i) => Json::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f)
            .map(Json::Number)
            .unwrap_or(Json::Null),
        toml::Value::Boolean(b) => Json::Bool(b),
        toml::Value::Datetime(d) => Json::String(d.to_string()),
        toml::Value::Array(a) => Json::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => {
            Json::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect())
        }
    }
}

/// Reads a scalar as text: strings as they are, numbers and booleans spelled out.
fn scalar(v: &Json) -> Option<String> {
    match v {
        Json::String(s) => {
            let s = s.trim();
            (!s.is_empty()).then(|| s.to_string())
        }
        Json::Number(n) => Some(n.to_string()),
        Json::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Splits a tag string on the separators editors use: `,` `，` `、` `;` `；`.
pub fn split_list(s: &str) -> Vec<String> {
    s.split([',', '，', '、', ';', '；'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

fn string_list(v: &Json) -> Vec<String> {
    match v {
        Json::Array(items) => items
            .iter()
            .flat_map(|i| match i {
                Json::Array(_) => string_list(i),
                _ => scalar(i).into_iter().collect(),
            })
            .collect(),
        _ => scalar(v).map(|s| split_list(&s)).unwrap_or_default(),
    }
}

/// Categories: a string is one category, a list is several, a nested list is a hierarchy.
fn category_paths(v: &Json) -> Vec<Vec<String>> {
    match v {
        Json::Array(items) => items
            .iter()
            .filter_map(|i| match i {
                Json::Array(path) => {
                    let path: Vec<String> = path.iter().filter_map(scalar).collect();
                    (!path.is_empty()).then_some(path)
                }
                _ => scalar(i).map(|s| vec![s]),
            })
            .collect(),
        _ => scalar(v).map(|s| vec![vec![s]]).unwrap_or_default(),
    }
}

/// Finds the line a top-level key is written on, for error messages.
fn key_line(block: &str, key: &str, first_line: usize) -> Option<usize> {
    block
        .lines()
        .position(|l| {
            let l = l.trim_start_matches('"').trim_start_matches('\'');
            l.starts_with(key)
                && l[key.len()..]
                    .trim_start_matches(['"', '\''])
                    .trim_start()
                    .starts_with([':', '='])
        })
        .map(|i| first_line + i)
}

fn from_map(mut map: Map<String, Json>, block: &str, first_line: usize) -> FrontMatter {
    let mut fm = FrontMatter::default();
    // Keys are matched without regard to case: Hugo reads `Categories` as `categories`.
    let mut take = |keys: &[&str]| -> Option<(String, Json)> {
        let mut found = None;
        for k in keys {
            let written: Vec<String> = map
                .keys()
                .filter(|m| m.eq_ignore_ascii_case(k))
                .cloned()
                .collect();
            for key in written {
                if let Some(v) = map.remove(&key) {
                    if found.is_none() && !v.is_null() && v != Json::String(String::new()) {
                        found = Some((key, v));
                    }
                }
            }
        }
        found
    };
    let field = |k: &str, v: &Json| {
        scalar(v).map(|value| Field {
            key: k.to_string(),
            value,
            line: key_line(block, k, first_line),
        })
    };
    fm.title = take(&["title"]).and_then(|(_, v)| scalar(&v));
    // Hexo uses `published: false` for drafts; a date-like `published` is a date.
    let published = take(&["published"]);
    let mut published_date = None;
    if let Some((k, v)) = published {
        match v {
            Json::Bool(b) => fm.draft |= !b,
            other => published_date = field(&k, &other),
        }
    }
    fm.date = take(&["date", "pubDate", "publishDate", "publish_date", "created"])
        .and_then(|(k, v)| field(&k, &v))
        .or(published_date);
    fm.updated = take(&["updated", "lastmod", "modified"]).and_then(|(k, v)| field(&k, &v));
    fm.categories = take(&["categories", "category"]).map(|(_, v)| category_paths(&v));
    fm.tags = take(&["tags", "tag", "keywords"]).map(|(_, v)| string_list(&v));
    fm.summary = take(&["summary", "description", "excerpt"]).and_then(|(_, v)| scalar(&v));
    fm.image = take(&["image", "cover", "headimg", "thumbnail", "banner"]).and_then(|(k, v)| {
        // Hugo-style `cover: {image: ...}` tables carry the URL one level down.
        let v = match &v {
            Json::Object(o) => o
                .get("image")
                .or_else(|| o.get("src"))
                .cloned()
                .unwrap_or(Json::Null),
            _ => v,
        };
        field(&k, &v)
    });
    fm.author = take(&["author", "authors"]).and_then(|(_, v)| {
        let names = string_list(&v);
        (!names.is_empty()).then(|| names.join("、"))
    });
    fm.slug = take(&["slug"]).and_then(|(_, v)| scalar(&v));
    if let Some((_, v)) = take(&["draft"]) {
        fm.draft |= matches!(v, Json::Bool(true)) || scalar(&v).as_deref() == Some("true");
    }
    fm.source =
        take(&["source", "link", "original_url", "source_url"]).and_then(|(k, v)| field(&k, &v));
    fm.extra = map;
    fm
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_after_blank_lines() {
        let s = split("\n\n---\ntitle: a\n---\nbody\n");
        assert_eq!(s.front, Some((Syntax::Yaml, "title: a\n")));
        assert_eq!(s.front_line, 4);
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_line, 6);
    }

    #[test]
    fn toml_fences() {
        let s = split("+++\ntitle = \"a\"\ntags = [\"x\"]\n+++\nbody");
        let (syn, block) = s.front.unwrap();
        assert_eq!(syn, Syntax::Toml);
        let fm = parse(syn, block, s.front_line).unwrap();
        assert_eq!(fm.title.as_deref(), Some("a"));
        assert_eq!(fm.tags, Some(vec!["x".to_string()]));
    }

    #[test]
    fn unclosed_fence_is_body() {
        let s = split("---\ntitle: a\nno end");
        assert!(s.front.is_none());
    }

    #[test]
    fn aliases_and_extra() {
        let fm = parse(
            Syntax::Yaml,
            "pubDate: 2022-01-02\nkeywords: 云计算，AWS、aws\nheadimg: http://x/y.png\nlayout: post\nfoo: [1, 2]\n",
            2,
        )
        .unwrap();
        assert_eq!(fm.date.as_ref().unwrap().value, "2022-01-02");
        assert_eq!(fm.date.as_ref().unwrap().line, Some(2));
        assert_eq!(fm.tags.unwrap(), vec!["云计算", "AWS", "aws"]);
        assert_eq!(fm.image.unwrap().line, Some(4));
        assert_eq!(fm.extra.get("layout"), Some(&Json::String("post".into())));
        assert!(fm.extra.contains_key("foo"));
    }

    #[test]
    fn nested_categories_are_hierarchies() {
        let fm = parse(Syntax::Yaml, "categories: [[金融, 财联社], 深度]\n", 1).unwrap();
        assert_eq!(
            fm.categories.unwrap(),
            vec![
                vec!["金融".to_string(), "财联社".to_string()],
                vec!["深度".to_string()]
            ]
        );
    }

    #[test]
    fn bad_yaml_points_at_line() {
        let e = parse(Syntax::Yaml, "title: a\ntags: [x\n", 2).unwrap_err();
        assert!(
            e.message.starts_with("front matter: invalid YAML"),
            "{}",
            e.message
        );
        assert!(e.line.is_some());
    }

    #[test]
    fn keys_are_case_insensitive() {
        let fm = parse(
            Syntax::Toml,
            "Categories = [\"Tech\"]\nTags = [\"a\"]\nDescription = \"d\"\n",
            1,
        )
        .unwrap();
        assert_eq!(fm.categories, Some(vec![vec!["Tech".to_string()]]));
        assert_eq!(fm.summary.as_deref(), Some("d"));
        assert!(fm.extra.is_empty());
    }

    /// Regression: serde_yaml limits how often aliases are followed, not how much each
    /// one copies; both of these took gigabytes before the expansion budget.
    #[test]
    fn alias_bombs_are_refused_quickly() {
        let mut laughs = String::from("a0: &a0 \"lol\"\n");
        for level in 1..=9 {
            let refs = vec![format!("*a{}", level - 1); 9].join(", ");
            laughs.push_str(&format!("a{level}: &a{level} [{refs}]\n"));
        }
        let items = (0..20_000)
            .map(|i| format!("\"item{i}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let wide = format!(
            "big: &big [{items}]\nmany: [{}]\n",
            vec!["*big"; 20_000].join(", ")
        );
        for bomb in [laughs, wide] {
            let e = parse(Syntax::Yaml, &bomb, 2).unwrap_err();
            assert!(e.message.contains("aliases expand"), "{}", e.message);
            assert_eq!(e.line, Some(2));
        }
        // Ordinary anchors and aliases still work.
        let fm = parse(Syntax::Yaml, "base: &b [云, AWS]\ntags: *b\n", 1).unwrap();
        assert_eq!(fm.tags, Some(vec!["云".to_string(), "AWS".to_string()]));
    }

    /// Regression: 100,000 nested `[` kept libyaml's scanner busy for minutes.
    #[test]
    fn deep_nesting_is_refused_before_libyaml_sees_it() {
        let n = 100_000;
        let deep = format!("x: {}1{}\n", "[".repeat(n), "]".repeat(n));
        let e = parse(Syntax::Yaml, &deep, 2).unwrap_err();
        assert!(e.message.contains("nested deeper"), "{}", e.message);
        assert_eq!(e.line, Some(2));
        // Block nesting costs libyaml nothing extra; serde_yaml's own limit answers it.
        let block = format!("x: {}1\n", "- ".repeat(n));
        assert!(parse(Syntax::Yaml, &block, 2).is_err());
        // Brackets in ordinary values are fine.
        let fm = parse(Syntax::Yaml, "title: \"[快讯] {a}\"\ntags: [[x]]\n", 1).unwrap();
        assert_eq!(fm.title.as_deref(), Some("[快讯] {a}"));
    }

    #[test]
    fn hexo_published_false_is_draft() {
        let fm = parse(Syntax::Yaml, "published: false\n", 1).unwrap();
        assert!(fm.draft);
    }
}
