//! What search engines and link previews read: absolute URLs and JSON-LD.

use serde_json::json;

use super::context::PostSummary;
use crate::config::Config;

/// Makes a URL absolute against the site's base URL where it can be: Open Graph and feeds
/// need absolute URLs; a site-relative image is joined to the base URL.
pub fn absolute(base_url: &str, url: &str) -> String {
    if url.starts_with("http://") || url.starts_with("https://") {
        return url.to_string();
    }
    let origin_end = base_url
        .find("://")
        .and_then(|i| base_url[i + 3..].find('/').map(|j| i + 3 + j))
        .unwrap_or(0);
    if let Some(rest) = url.strip_prefix('/') {
        format!("{}/{rest}", &base_url[..origin_end])
    } else {
        format!("{base_url}{url}")
    }
}

/// Puts root-relative links of a sanitized body (`/images/a.png`) under the base URL, so
/// they keep working when the site is served from a sub-path such as a GitHub Pages project
/// page. Sanitized HTML always quotes attributes with `"`, which this relies on.
pub fn rebase_root_relative(html: &str, base_url: &str) -> String {
    if base_url == "/" {
        return html.to_string();
    }
    let base = base_url.trim_end_matches('/');
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    loop {
        let next = [" href=\"/", " src=\""]
            .iter()
            .filter_map(|pat| rest.find(pat).map(|i| (i, *pat)))
            .min();
        let Some((i, pat)) = next else { break };
        let attr_end = i + pat.len();
        out.push_str(&rest[..attr_end]);
        rest = &rest[attr_end..];
        let is_src = pat == " src=\"";
        let root_relative = if is_src {
            rest.starts_with('/') && !rest.starts_with("//")
        } else {
            // the pattern consumed the leading '/'
            !rest.starts_with('/')
        };
        if root_relative {
            if is_src {
                out.push_str(base);
            } else {
                out.truncate(out.len() - 1);
                out.push_str(base);
                out.push('/');
            }
        }
    }
    out.push_str(rest);
    out
}

/// JSON-LD for a post as a `NewsArticle`, safe to put inside `<script>` as is: `<`, `>`
/// and `&` are escaped as `\u003c` and so on, so no text in it can close the script element.
pub fn news_article(post: &PostSummary, updated: &str, config: &Config) -> String {
    let mut v = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": post.title,
        "description": post.summary,
        "mainEntityOfPage": post.url,
        "url": post.url,
        "inLanguage": config.language,
        "publisher": { "@type": "Organization", "name": config.title },
    });
    if !post.date.is_empty() {
        v["datePublished"] = json!(post.date);
        v["dateModified"] = json!(if updated.is_empty() {
            &post.date
        } else {
            updated
        });
    }
    if let Some(author) = &post.author {
        v["author"] = json!({ "@type": "Person", "name": author });
    }
    if let Some(image) = &post.image {
        v["image"] = json!([absolute(&config.base_url, image)]);
    }
    let cats: Vec<&str> = post.categories.iter().map(|c| c.name.as_str()).collect();
    if !cats.is_empty() {
        v["articleSection"] = json!(cats);
    }
    let tags: Vec<&str> = post.tags.iter().map(|t| t.name.as_str()).collect();
    if !tags.is_empty() {
        v["keywords"] = json!(tags.join(","));
    }
    script_safe_json(&v)
}

/// Serializes JSON so it can sit inside an HTML `<script>` element.
pub fn script_safe_json(v: &serde_json::Value) -> String {
    let s = serde_json::to_string(v).unwrap_or_else(|_| "{}".into());
    s.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_urls() {
        assert_eq!(
            absolute("https://o.github.io/d/", "/img/a.png"),
            "https://o.github.io/img/a.png"
        );
        assert_eq!(
            absolute("https://o.github.io/d/", "img/a.png"),
            "https://o.github.io/d/img/a.png"
        );
        assert_eq!(absolute("/", "/img/a.png"), "/img/a.png");
        assert_eq!(absolute("/d/", "https://x/y"), "https://x/y");
    }

    #[test]
    fn root_relative_links_go_under_the_base() {
        let html = r#"<a href="/a/">x</a><img src="/i.png"><a href="//h/x">y</a><a href="https://h/">z</a><img src="rel.png">"#;
        assert_eq!(
            rebase_root_relative(html, "https://o.github.io/d/"),
            r#"<a href="https://o.github.io/d/a/">x</a><img src="https://o.github.io/d/i.png"><a href="//h/x">y</a><a href="https://h/">z</a><img src="rel.png">"#
        );
        assert_eq!(rebase_root_relative(html, "/"), html);
    }

    #[test]
    fn json_cannot_close_the_script() {
        let s = script_safe_json(&json!({"t": "</script><script>alert(1)</script>"}));
        assert!(!s.contains('<'));
        assert!(s.contains("\\u003c/script\\u003e"));
    }
}
