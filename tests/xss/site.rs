//! The XSS vectors of ../shared/corpora/xss-vectors, and a digest site that carries every
//! one of them in every field a post has. Shared by tests/corpora_xss.rs (which builds and
//! checks the pages) and examples/xss_site.rs (which writes a site for the browser test).
//! The corpus files are read where they are; nothing of them is copied into the repository.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// One attack vector: where it comes from and the markup itself.
#[derive(Debug, Clone)]
pub struct Vector {
    /// `h5sc-items#12`, `h5sc-vectors#7`, `dompurify#103`.
    pub id: String,
    /// The vector, placeholders filled in.
    pub payload: String,
}

/// The corpora folder: `$DIGEST_CORPORA`, else `../shared/corpora` beside the crate.
pub fn corpora_dir() -> PathBuf {
    std::env::var_os("DIGEST_CORPORA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora"))
}

fn read_json(path: &Path) -> Result<serde_json::Value, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Every vector of the three collections (see xss-vectors/SOURCE.md): H5SC's items with
/// their `%placeholder%` payloads substituted, H5SC's vectors.txt, and DOMPurify's test
/// payloads.
pub fn load_vectors(corpora: &Path) -> Result<Vec<Vector>, String> {
    let dir = corpora.join("xss-vectors");
    let mut out = Vec::new();

    let payloads = read_json(&dir.join("h5sc-payloads.json"))?;
    let payloads = payloads
        .as_object()
        .ok_or("h5sc-payloads.json: expected an object")?;
    let items = read_json(&dir.join("h5sc-items.json"))?;
    for item in items
        .as_array()
        .ok_or("h5sc-items.json: expected an array")?
    {
        let id = item.get("id").map(|v| v.to_string()).unwrap_or_default();
        let data = item
            .get("data")
            .and_then(|d| d.as_str())
            .ok_or(format!("h5sc-items.json: item {id} has no data"))?;
        let mut payload = data.to_string();
        for (key, value) in payloads {
            if let Some(value) = value.as_str() {
                payload = payload.replace(&format!("%{key}%"), value);
            }
        }
        out.push(Vector {
            id: format!("h5sc-items#{id}"),
            payload,
        });
    }

    // vectors.txt: `<div id="N">VECTOR//["'`-->]]>]</div>`, one after another.
    let text = fs::read_to_string(dir.join("h5sc-vectors.txt")).map_err(|e| e.to_string())?;
    const END: &str = "//[\"'`-->]]>]</div>";
    let mut rest = text.as_str();
    while let Some(start) = rest.find("<div id=\"") {
        let after = &rest[start + "<div id=\"".len()..];
        let Some(quote) = after.find("\">") else {
            break;
        };
        let id = &after[..quote];
        let body = &after[quote + 2..];
        let Some(end) = body.find(END) else { break };
        out.push(Vector {
            id: format!("h5sc-vectors#{id}"),
            payload: body[..end].to_string(),
        });
        rest = &body[end + END.len()..];
    }

    let expect = read_json(&dir.join("dompurify-expect.json"))?;
    for (i, case) in expect
        .as_array()
        .ok_or("dompurify-expect.json: expected an array")?
        .iter()
        .enumerate()
    {
        if let Some(payload) = case.get("payload").and_then(|p| p.as_str()) {
            out.push(Vector {
                id: format!("dompurify#{i}"),
                payload: payload.to_string(),
            });
        }
    }
    Ok(out)
}

/// A YAML double-quoted scalar holding `s` exactly: quotes, backslashes and every character
/// YAML does not allow as is (controls, U+FEFF, U+FFFE/FFFF, line separators) escaped.
pub fn yaml_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' | ' '..='~' => out.push(c),
            c if (c as u32) < 0xA0 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            '\u{2028}' | '\u{2029}' | '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `s` with C0 controls (but tab, newline and carriage return) and DEL as `&#xN;`.
fn body_safe(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) && (c as u32) < 0xA0 {
            let _ = write!(out, "&#x{:x};", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// The fields of a post a vector is put into, for reports.
pub const FIELDS: &[&str] = &[
    "HTML body",
    "markdown body",
    "markdown link target",
    "title",
    "tag",
    "category",
    "summary",
    "cover image",
    "author",
    "source link",
    "page.extra",
    "plain-text body",
    "TSV record",
];

/// A distinct, ordered date for the n-th vector, so that listings are stable.
fn date(n: usize) -> String {
    let day = 1 + (n / 24) % 28;
    let month = 1 + (n / (24 * 28)) % 12;
    format!("2022-{month:02}-{day:02} {:02}:00:00", n % 24)
}

/// Writes `content/` for a site carrying `vectors`: for each vector an HTML post with it in
/// every front matter field and in the body, a markdown post with it in the body, in link and
/// image targets, in a tag and in a nested category, and a plain-text post starting with it;
/// and one TSV file with a record per vector.
pub fn write_content(root: &Path, vectors: &[Vector]) -> io::Result<()> {
    let content = root.join("content");
    fs::create_dir_all(&content)?;
    let mut tsv = String::new();
    for (n, v) in vectors.iter().enumerate() {
        // Front matter carries the vector exactly (escaped YAML). Raw in a body, control
        // characters other than tab and newline would make digest refuse the file as
        // binary (a clear error, but then nothing is built), so bodies carry them as
        // character references, which HTML parsers read as the same characters.
        let q = yaml_quoted(&v.payload);
        let escaped = body_safe(&v.payload);
        let p = &escaped;
        let id = yaml_quoted(&v.id);
        // HTML post: the vector in every field of the front matter and in the body.
        let html = format!(
            "---\ntitle: {q}\ndate: {date}\ncategories: [{q}]\ntags: [{q}, {id}]\nsummary: {q}\nimage: {q}\nauthor: {q}\nsource: {q}\nvector: {q}\nvector_id: {id}\n---\n<p>前文 {vid}</p>\n{p}\n<p>后文 {vid}</p>\n",
            date = date(n),
            vid = v.id,
        );
        fs::write(content.join(format!("v{n:04}-html.html")), html)?;
        // Markdown post: raw in the body, as link, image, autolink and reference targets.
        let one_line: String = p
            .chars()
            .map(|c| if c.is_whitespace() { ' ' } else { c })
            .collect();
        let no_angle: String = one_line.replace(['<', '>'], "");
        let markdown = format!(
            "---\ntitle: {mdtitle}\ndate: {date}\ncategories: [[{id}, {q}]]\ntags: [{q}]\ncover: {q}\n---\n前文 {vid}\n\n{p}\n\n[链接]({one_line}) [尖括号](<{no_angle}>) ![图片]({one_line}) <{no_angle}> [引用][r]\n\n[r]: {one_line}\n",
            mdtitle = yaml_quoted(&format!("markdown {}", v.id)),
            date = date(n),
            vid = v.id,
        );
        fs::write(content.join(format!("v{n:04}-md.md")), markdown)?;
        // Plain text, no front matter: the vector is the first line (the inferred title).
        fs::write(
            content.join(format!("v{n:04}-text.txt")),
            format!("{one_line}\n\n{vid} 的正文。\n{p}\n", vid = v.id),
        )?;
        let mut field: String = one_line.replace(['\t', '\r'], " ");
        if field.trim().is_empty() {
            // A TSV record needs a title; a vector of whitespace alone gets its id.
            field = v.id.clone();
        }
        let _ = writeln!(tsv, "{field}\t{field}\t{field} {vid}", vid = v.id);
    }
    fs::write(content.join("vectors.tsv"), tsv)?;
    Ok(())
}
