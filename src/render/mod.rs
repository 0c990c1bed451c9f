//! Pages from the site model: tera templates in, `(path, bytes)` out, handed to a [`Sink`].
//! No I/O here: the sink is the output writer (or memory), and post bodies come from the
//! caller (see [`pages`]).

pub mod context;
pub mod feeds;
mod pages;
pub mod seo;

use tera::Tera;

use crate::diagnostics::Diagnostic;
use crate::theme::Theme;

pub use pages::{page_count_of, render_site, RenderStats};

/// Compiles the theme's templates; a template error names the template and line.
pub fn compile(theme: &Theme) -> Result<Tera, Diagnostic> {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".htm", ".xml"]);
    tera.set_escape_fn(escape);
    tera.add_raw_templates(
        theme
            .templates
            .iter()
            .map(|(n, s)| (n.as_str(), s.as_str())),
    )
    .map_err(|e| template_error(&e, theme))?;
    Ok(tera)
}

/// A template that does not compile, located at `templates/<name>:line:column` when tera
/// says where (a syntax error), so an editor can go straight to it.
fn template_error(e: &tera::Error, theme: &Theme) -> Diagnostic {
    let chain = error_chain(e);
    let name = chain
        .split_once("Failed to parse '")
        .and_then(|(_, rest)| rest.split_once('\''))
        .map(|(name, _)| name);
    let Some(name) = name else {
        return Diagnostic::error("templates", format!("template error: {chain}"));
    };
    let location = chain.split_once(" --> ").and_then(|(_, rest)| {
        let (line, col) = rest.split_whitespace().next()?.split_once(':')?;
        Some((line.parse::<usize>().ok()?, col.parse::<usize>().ok()?))
    });
    let expected = chain
        .lines()
        .find_map(|l| l.trim().strip_prefix("= "))
        .unwrap_or("the template is not valid tera syntax");
    let source = theme
        .templates
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, s)| s.as_str());
    let file = format!("templates/{name}");
    match (location, source) {
        (Some((line, col)), Some(src)) => Diagnostic::error(
            file,
            format!("template syntax error: {expected}"),
        )
        .at(src, line, Some(col)),
        _ => Diagnostic::error(file, format!("template error: {chain}")),
    }
}

/// HTML/XML escaping for template output: the five characters that matter, nothing more
/// (tera's default also escapes `/`, which bloats every URL without making anything safer).
/// Characters XML 1.0 does not allow at all, not even as references (C0 controls other than
/// tab and newlines, U+FFFE, U+FFFF), become U+FFFD: one of them in a title or category made
/// every feed it appeared in unreadable to a feed reader. Replaced, never dropped: dropping
/// would join what it separated, and `java\u{1}script:` would become `javascript:`.
fn escape(s: &str) -> String {
    if s.chars().any(|c| !is_xml_char(c)) {
        let kept: String = s
            .chars()
            .map(|c| if is_xml_char(c) { c } else { '\u{FFFD}' })
            .collect();
        crate::content::text::escape_html(&kept)
    } else {
        crate::content::text::escape_html(s)
    }
}

/// Whether XML 1.0 allows `c` in a document (its `Char` production).
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// A tera error with its causes, which hold the useful part (the template and line).
pub fn error_chain(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}
