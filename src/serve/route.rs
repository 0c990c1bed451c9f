//! The pure half of `digest serve`: which built file a request path names, what type it is
//! served as, and the live-reload script and error overlay put into HTML while serving.
//!
//! The server only ever answers from the files of a build held in memory, so no request can
//! reach the disk; still, every path that tries to step outside the site (`..`, encoded
//! slashes, NUL, a second leading slash) is refused here before any lookup, so the rule
//! holds even if the server one day serves from a folder.

/// The server-sent events endpoint open tabs listen on for rebuilds.
pub const EVENTS_PATH: &str = "/__digest/events";

/// What a request path asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// The live-reload event stream.
    Events,
    /// A file of the built site, by its output path (`index.html`, `posts/.../index.html`).
    File(String),
    /// A folder named without its trailing slash: redirect to this path so relative links
    /// on its index page resolve.
    Redirect(String),
    /// Nothing the site has, or a path that tries to leave it.
    NotFound,
}

/// Maps a raw request path (as sent, still percent-encoded, without the query) to a route.
/// `exists` says whether the built site has a file at an output path.
pub fn route(raw_path: &str, exists: impl Fn(&str) -> bool) -> Route {
    if raw_path == EVENTS_PATH {
        return Route::Events;
    }
    let Some(path) = site_path(raw_path) else {
        return Route::NotFound;
    };
    if path.is_empty() || path.ends_with('/') {
        let index = format!("{path}index.html");
        return if exists(&index) {
            Route::File(index)
        } else {
            Route::NotFound
        };
    }
    if exists(&path) {
        return Route::File(path);
    }
    if exists(&format!("{path}/index.html")) {
        return Route::Redirect(format!("{raw_path}/"));
    }
    Route::NotFound
}

/// Decodes a request path into a path inside the site (no leading `/`), or `None` when it
/// is not one: not starting with `/`, with an encoded `/` or `\`, a `.` or `..` segment, an
/// empty segment (`//`), a NUL or other control character, or bytes that are not UTF-8.
pub fn site_path(raw_path: &str) -> Option<String> {
    let rest = raw_path.strip_prefix('/')?;
    let bytes = percent_decode(rest)?;
    let decoded = String::from_utf8(bytes).ok()?;
    if decoded.chars().any(|c| c.is_control() || c == '\\') {
        return None;
    }
    // Encoded slashes would make a segment check on the raw path meaningless: refuse them.
    let lower = rest.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") {
        return None;
    }
    if decoded.is_empty() {
        return Some(decoded);
    }
    let trimmed = decoded.strip_suffix('/').unwrap_or(&decoded);
    if trimmed
        .split('/')
        .any(|seg| seg.is_empty() || seg == "." || seg == "..")
    {
        return None;
    }
    Some(decoded)
}

/// Percent-decodes; `None` for a `%` not followed by two hex digits.
fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

/// The Content-Type for an output path; text types say they are UTF-8, which every file
/// digest writes is.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "webmanifest" => "application/manifest+json; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "pdf" => "application/pdf",
        "mp4" => "video/mp4",
        "mp3" => "audio/mpeg",
        // CNAME, .nojekyll and other files without an extension are plain text
        "" if !path.rsplit('/').next().unwrap_or("").contains('.') => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The script that reloads a tab after each rebuild. It knows the build it was served
/// with, so a rebuild that finished before the tab connected still reloads it.
pub fn reload_script(generation: u64) -> String {
    format!(
        "<script>/* digest serve: live reload */(function(){{var built=\"{generation}\";\
var es=new EventSource(\"{EVENTS_PATH}\");\
es.addEventListener(\"build\",function(e){{if(e.data!==built){{es.close();location.reload();}}}});\
}})();</script>"
    )
}

/// The box shown over every page while the last change does not build.
pub fn error_overlay(errors: &str) -> String {
    format!(
        "<div id=\"digest-serve-error\" role=\"alert\" style=\"position:fixed;left:0;right:0;bottom:0;\
max-height:60vh;overflow:auto;z-index:2147483647;margin:0;padding:1em 1.25em;background:#fff4f4;\
color:#700;border-top:3px solid #c00;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;\
white-space:pre-wrap;text-align:left\"><strong>构建失败，页面仍是上一次成功构建的版本 \
(the last change did not build; showing the last good site)</strong>\n{}</div>",
        crate::content::text::escape_html(errors)
    )
}

/// A whole page for when there is no good build yet to show.
pub fn error_page(errors: &str, generation: u64) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>构建失败 - digest serve</title></head>\
<body>{}{}</body></html>\n",
        error_overlay(errors),
        reload_script(generation)
    )
}

/// Puts `snippet` just before the page's last `</body>`, or at the end when it has none.
pub fn inject(html: &[u8], snippet: &str) -> Vec<u8> {
    let at = rfind_ascii_ci(html, b"</body").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + snippet.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(snippet.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn rfind_ascii_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.len() > hay.len() {
        return None;
    }
    (0..=hay.len() - needle.len())
        .rev()
        .find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(p: &str) -> bool {
        matches!(
            p,
            "index.html" | "style.css" | "posts/a/index.html" | "posts/青云/index.html"
        )
    }

    #[test]
    fn pages_folders_and_redirects() {
        assert_eq!(route("/", site), Route::File("index.html".into()));
        assert_eq!(route("/style.css", site), Route::File("style.css".into()));
        assert_eq!(
            route("/posts/a/", site),
            Route::File("posts/a/index.html".into())
        );
        assert_eq!(route("/posts/a", site), Route::Redirect("/posts/a/".into()));
        assert_eq!(
            route("/posts/%E9%9D%92%E4%BA%91/", site),
            Route::File("posts/青云/index.html".into())
        );
        assert_eq!(route("/posts/", site), Route::NotFound);
        assert_eq!(route(EVENTS_PATH, site), Route::Events);
    }

    #[test]
    fn paths_that_leave_the_site_are_not_found() {
        let everything = |_: &str| true;
        for bad in [
            "/../etc/passwd",
            "/posts/../../x",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/%2E%2E/x",
            "/posts/..%2f..%2fx",
            "/%2fetc%2fpasswd",
            "/posts%5c..%5cx",
            "//etc/passwd",
            "/a//b",
            "/./index.html",
            "/index.html%00",
            "/a%00b",
            "/%0d%0aSet-Cookie:x",
            "/a\\..\\b",
            "/%ff",
            "/%zz",
            "/%",
            "etc/passwd",
            "",
            "http://example.org/index.html",
        ] {
            assert_eq!(route(bad, everything), Route::NotFound, "{bad:?}");
        }
    }

    #[test]
    fn text_types_say_utf8() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("atom.xml"), "application/xml; charset=utf-8");
        assert_eq!(content_type("CNAME"), "text/plain; charset=utf-8");
        assert_eq!(content_type("a/b.PNG"), "image/png");
        assert_eq!(content_type("x.bin"), "application/octet-stream");
    }

    #[test]
    fn snippets_go_before_the_last_body_end() {
        let out = inject(b"<html><BODY>x</Body></html>", "<s>");
        assert_eq!(out, b"<html><BODY>x<s></Body></html>");
        assert_eq!(inject(b"x", "<s>"), b"x<s>");
        assert!(error_overlay("<script>").contains("&lt;script&gt;"));
    }
}
