//! Hexo/Jekyll tags (`{% ... %}`) and Hugo shortcodes (`{{< ... >}}`, `{{% ... %}}`) in post
//! bodies, turned into the markdown or HTML they stand for, before the body is rendered.
//!
//! Posts copied from Hexo, Jekyll and Hugo sites carry their generator's template tags.
//! digest never evaluates a post as a template: a few common tags are read as the image,
//! link, code block or quote they stand for; every other tag is removed (the text between a
//! paired tag's start and end stays). Code (fenced, indented, inline, `<pre>`, `<code>`) is
//! left as written, and `{% raw %}...{% endraw %}` is copied verbatim. `{{ x }}` (Liquid
//! output) is not a tag here: it stays text, as DESIGN.md asks.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag as MdTag};

use super::format::Format;
use super::markdown;
use super::text::escape_html;

/// Expands the tags of a markdown or HTML body; text and TSV bodies are returned as they are.
pub fn expand(body: &str, format: Format) -> Cow<'_, str> {
    let host = match format {
        Format::Markdown => Host::Markdown,
        Format::Html => Host::Html,
        Format::Text | Format::Tsv => return Cow::Borrowed(body),
    };
    if !(body.contains("{%") || body.contains("{{<") || body.contains("{{%")) {
        return Cow::Borrowed(body);
    }
    let code = match host {
        Host::Markdown => markdown_code_ranges(body),
        Host::Html => html_code_ranges(body),
    };
    Cow::Owned(Expander::new(body, host, code).run())
}

/// The syntax the expansion is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Host {
    Markdown,
    Html,
}

/// Which generator's syntax a tag is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `{% name args %}`.
    Liquid,
    /// `{{< name args >}}` or `{{% name args %}}`.
    Hugo,
}

/// One tag found in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Tag<'a> {
    kind: Kind,
    /// Lower-cased name; `/name` for a Hugo closing shortcode.
    name: String,
    /// Everything after the name, trimmed.
    args: &'a str,
    /// Byte range of the whole tag in the text.
    span: Range<usize>,
    /// `{{</* x */>}}`: Hugo's way to write a shortcode literally.
    literal: bool,
}

/// Byte ranges of code in a markdown text (blocks and inline spans), sorted.
fn markdown_code_ranges(md: &str) -> Vec<Range<usize>> {
    let mut ranges: Vec<Range<usize>> = Vec::new();
    for (event, range) in Parser::new_ext(md, markdown::options()).into_offset_iter() {
        let is_code = matches!(event, Event::Start(MdTag::CodeBlock(_)) | Event::Code(_));
        let inside_last = ranges.last().is_some_and(|l| range.start < l.end);
        if is_code && !inside_last {
            ranges.push(range);
        }
    }
    ranges
}

/// Byte ranges of `<pre>...</pre>` and `<code>...</code>` in an HTML text, sorted.
fn html_code_ranges(html: &str) -> Vec<Range<usize>> {
    let lower = html.to_ascii_lowercase();
    let mut ranges = Vec::new();
    let mut from = 0;
    while let Some(rel) = lower[from..].find('<') {
        let start = from + rel;
        let rest = &lower[start..];
        let close = ["pre", "code"].iter().find_map(|t| {
            let after = rest.strip_prefix('<')?.strip_prefix(t)?;
            after
                .starts_with(['>', ' ', '\t', '\n'])
                .then(|| format!("</{t}>"))
        });
        match close {
            Some(close) => {
                let end = rest
                    .find(&close)
                    .map_or(html.len(), |e| start + e + close.len());
                ranges.push(start..end);
                from = end;
            }
            None => from = start + 1,
        }
    }
    ranges
}

/// Where each closer occurs in a text, so finding a tag's end never rescans the text: a body
/// full of unclosed `{%` is still read in near-linear time.
struct Closers {
    liquid: Vec<usize>,
    /// `% }`: a typo real Hexo posts have.
    liquid_typo: Vec<usize>,
    hugo_angle: Vec<usize>,
    hugo_percent: Vec<usize>,
    blank_line: Vec<usize>,
}

impl Closers {
    fn new(text: &str) -> Self {
        let at = |pat: &str| text.match_indices(pat).map(|(i, _)| i).collect();
        Closers {
            liquid: at("%}"),
            liquid_typo: at("% }"),
            hugo_angle: at(">}}"),
            hugo_percent: at("%}}"),
            blank_line: at("\n\n"),
        }
    }

    /// The first position in `v` at or after `from`.
    fn next(v: &[usize], from: usize) -> Option<usize> {
        v.get(v.partition_point(|&p| p < from)).copied()
    }
}

/// Finds the tag that starts exactly at `pos`, if one does.
fn tag_at<'t>(text: &'t str, closers: &Closers, pos: usize) -> Option<Tag<'t>> {
    let rest = &text[pos..];
    let (kind, inner_start) = if rest.starts_with("{%") {
        (Kind::Liquid, pos + 2)
    } else if rest.starts_with("{{<") || rest.starts_with("{{%") {
        (Kind::Hugo, pos + 3)
    } else {
        return None;
    };
    let (close_at, close_len) = match kind {
        Kind::Liquid => {
            let exact = Closers::next(&closers.liquid, inner_start).map(|c| (c, 2));
            let typo = Closers::next(&closers.liquid_typo, inner_start).map(|c| (c, 3));
            match (exact, typo) {
                (Some(a), Some(b)) => Some(if b.0 < a.0 { b } else { a }),
                (a, b) => a.or(b),
            }?
        }
        Kind::Hugo if rest.starts_with("{{<") => {
            (Closers::next(&closers.hugo_angle, inner_start)?, 3)
        }
        Kind::Hugo => (Closers::next(&closers.hugo_percent, inner_start)?, 3),
    };
    // a tag never spans a blank line
    if Closers::next(&closers.blank_line, inner_start).is_some_and(|b| b < close_at) {
        return None;
    }
    let mut inner = &text[inner_start..close_at];
    let mut literal = false;
    if kind == Kind::Hugo {
        if let Some(i) = inner
            .trim()
            .strip_prefix("/*")
            .and_then(|i| i.strip_suffix("*/"))
        {
            inner = i;
            literal = true;
        }
    }
    let inner = inner
        .trim()
        .trim_start_matches('-')
        .trim_end_matches('-')
        .trim();
    let (name, args) = match inner.strip_prefix('/') {
        Some(after) => {
            let after = after.trim_start();
            let end = after.find(char::is_whitespace).unwrap_or(after.len());
            (format!("/{}", &after[..end]), after[end..].trim())
        }
        None => {
            let end = inner.find(char::is_whitespace).unwrap_or(inner.len());
            (inner[..end].to_string(), inner[end..].trim())
        }
    };
    if name.is_empty() || name == "/" {
        return None;
    }
    Some(Tag {
        kind,
        name: name.to_ascii_lowercase(),
        args,
        span: pos..close_at + close_len,
        literal,
    })
}

/// Splits tag arguments on spaces, keeping `"quoted words"` together (quotes removed).
fn split_args(args: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut had_quote = false;
    for c in args.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => cur.push(c),
            None if c == '"' || c == '\'' => {
                quote = Some(c);
                had_quote = true;
            }
            None if c.is_whitespace() => {
                if !cur.is_empty() || had_quote {
                    out.push(std::mem::take(&mut cur));
                }
                had_quote = false;
            }
            None => cur.push(c),
        }
    }
    if !cur.is_empty() || had_quote {
        out.push(cur);
    }
    out
}

/// A Hugo named argument: `src="x.png"` in `{{< figure src="x.png" >}}`.
fn named_arg(args: &[String], key: &str) -> Option<String> {
    args.iter().find_map(|a| {
        let (k, v) = a.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case(key)
            .then(|| v.trim().trim_matches(['"', '\'']).to_string())
    })
}

struct Expander<'a> {
    text: &'a str,
    host: Host,
    code: Vec<Range<usize>>,
    closers: Closers,
    out: String,
    /// For each end tag name, a position from which it is known not to occur, so a file
    /// full of unclosed block tags is still read in linear time.
    no_end_after: HashMap<String, usize>,
}

impl<'a> Expander<'a> {
    fn new(text: &'a str, host: Host, code: Vec<Range<usize>>) -> Self {
        Expander {
            text,
            host,
            code,
            closers: Closers::new(text),
            out: String::with_capacity(text.len()),
            no_end_after: HashMap::new(),
        }
    }

    fn run(mut self) -> String {
        let text = self.text;
        let mut pos = 0;
        let mut code_idx = 0;
        while let Some(rel) = text[pos..].find('{') {
            let at = pos + rel;
            while self.code.get(code_idx).is_some_and(|r| r.end <= at) {
                code_idx += 1;
            }
            if let Some(r) = self.code.get(code_idx).filter(|r| r.start <= at) {
                let end = r.end.max(at + 1);
                self.out.push_str(&text[pos..end]);
                pos = end;
                continue;
            }
            let Some(tag) = tag_at(text, &self.closers, at) else {
                self.out.push_str(&text[pos..at + 1]);
                pos = at + 1;
                continue;
            };
            self.out.push_str(&text[pos..at]);
            pos = self.apply(&tag);
        }
        self.out.push_str(&text[pos..]);
        self.out
    }

    /// Writes what a tag stands for; returns where reading goes on.
    fn apply(&mut self, tag: &Tag<'a>) -> usize {
        let text = self.text;
        if tag.literal {
            let (open, close) = if text[tag.span.clone()].starts_with("{{%") {
                ("{{%", "%}}")
            } else {
                ("{{<", ">}}")
            };
            let name = tag.name.as_str();
            let sep = if tag.args.is_empty() { "" } else { " " };
            let shown = format!("{open} {name}{sep}{} {close}", tag.args);
            self.push_text(&shown);
            return tag.span.end;
        }
        let args = split_args(tag.args);
        let block = match (tag.kind, tag.name.as_str()) {
            (Kind::Liquid, "raw") => Some("endraw"),
            (Kind::Liquid, "highlight") => Some("endhighlight"),
            (Kind::Liquid, "codeblock" | "code") => Some("endcodeblock"),
            (Kind::Liquid, "blockquote" | "quote") => Some("endblockquote"),
            (Kind::Hugo, "highlight") => Some("/highlight"),
            _ => None,
        };
        if let Some(end_name) = block {
            // `{% code %}` closes with `{% endcode %}`
            let end_name = if tag.name == "code" {
                "endcode"
            } else {
                end_name
            };
            if let Some(end) = self.find_end(tag.kind, end_name, tag.span.end) {
                let inner = &text[tag.span.end..end.start];
                match tag.name.as_str() {
                    "raw" => self.out.push_str(inner),
                    "blockquote" | "quote" => self.push_quote(inner, &args),
                    _ => {
                        let lang = code_language(tag, &args);
                        self.push_code(inner, &lang);
                        return skip_newline(text, end.end);
                    }
                }
                return end.end;
            }
        }
        match (tag.kind, tag.name.as_str()) {
            (Kind::Liquid, "asset_img" | "asset_image" | "img" | "image") => {
                if let Some((src, title)) = image_args(&args) {
                    self.push_image(&src, &title);
                }
            }
            (Kind::Hugo, "figure") => {
                if let Some(src) = named_arg(&args, "src") {
                    let title = named_arg(&args, "alt")
                        .or_else(|| named_arg(&args, "title"))
                        .or_else(|| named_arg(&args, "caption"))
                        .unwrap_or_default();
                    self.push_image(&src, &title);
                }
            }
            (Kind::Liquid, "post_link") => {
                // the other post's URL is not known here; its title reads well on its own
                let mut words: &[String] = &args;
                // a trailing `true`/`false` is Hexo's escape flag, not words
                if let [rest @ .., last] = words {
                    if words.len() > 2 && (last == "true" || last == "false") {
                        words = rest;
                    }
                }
                let shown = match words {
                    [slug] => slug.clone(),
                    [_, title @ ..] => title.join(" "),
                    [] => String::new(),
                };
                self.push_text(&shown);
            }
            (Kind::Liquid, "link") if args.len() >= 2 => {
                let (url, words) = match args.iter().position(|a| a.contains("://")) {
                    Some(i) => (args[i].clone(), args[..i].join(" ")),
                    None => (String::new(), args.join(" ")),
                };
                self.push_link(&words, &url);
            }
            // every other tag is removed, never evaluated
            _ => {}
        }
        tag.span.end
    }

    /// Finds the end tag `end_name` at or after `from`; linear over a whole expansion.
    fn find_end(&mut self, kind: Kind, end_name: &str, from: usize) -> Option<Range<usize>> {
        if self
            .no_end_after
            .get(end_name)
            .is_some_and(|&known| known <= from)
        {
            return None;
        }
        let opener = match kind {
            Kind::Liquid => "{%",
            Kind::Hugo => "{{",
        };
        let mut pos = from;
        while let Some(rel) = self.text[pos..].find(opener) {
            let at = pos + rel;
            if let Some(t) = tag_at(self.text, &self.closers, at) {
                if t.kind == kind && t.name == end_name {
                    return Some(t.span);
                }
            }
            pos = at + opener.len();
        }
        self.no_end_after.insert(end_name.to_string(), from);
        None
    }

    fn at_line_start(&self) -> bool {
        self.out.is_empty() || self.out.ends_with('\n')
    }

    fn push_text(&mut self, s: &str) {
        match self.host {
            Host::Markdown => self.out.push_str(&escape_markdown(s)),
            Host::Html => self.out.push_str(&escape_html(s)),
        }
    }

    fn push_image(&mut self, src: &str, title: &str) {
        match self.host {
            Host::Markdown => {
                let src = src.replace(['<', '>', '\n'], "");
                let alt = escape_markdown(title);
                self.out.push_str(&format!("![{alt}](<{src}>"));
                if !title.is_empty() {
                    let t = title.replace('\\', "\\\\").replace('"', "\\\"");
                    self.out.push_str(&format!(" \"{t}\""));
                }
                self.out.push(')');
            }
            Host::Html => {
                let (src, alt) = (escape_html(src), escape_html(title));
                self.out
                    .push_str(&format!("<img src=\"{src}\" alt=\"{alt}\">"));
            }
        }
    }

    fn push_link(&mut self, words: &str, url: &str) {
        if url.is_empty() {
            return self.push_text(words);
        }
        match self.host {
            Host::Markdown => {
                let url = url.replace(['<', '>', '\n'], "");
                let words = escape_markdown(words);
                self.out.push_str(&format!("[{words}](<{url}>)"));
            }
            Host::Html => {
                let (url, words) = (escape_html(url), escape_html(words));
                self.out.push_str(&format!("<a href=\"{url}\">{words}</a>"));
            }
        }
    }

    fn push_code(&mut self, inner: &str, lang: &str) {
        let code = dedent(inner.trim_matches('\n').trim_end());
        match self.host {
            Host::Markdown => {
                let longest = longest_run(&code, '`');
                let fence = "`".repeat(longest.max(2) + 1);
                if !self.at_line_start() {
                    self.out.push('\n');
                }
                let lang = lang.replace(['`', '\n'], "");
                self.out
                    .push_str(&format!("\n{fence}{lang}\n{code}\n{fence}\n"));
            }
            Host::Html => {
                let class = if lang.is_empty() {
                    String::new()
                } else {
                    format!(" class=\"language-{}\"", escape_html(lang))
                };
                let code = escape_html(&code);
                self.out
                    .push_str(&format!("<pre><code{class}>{code}</code></pre>\n"));
            }
        }
    }

    fn push_quote(&mut self, inner: &str, args: &[String]) {
        let by = args.join(" ");
        match self.host {
            Host::Markdown => {
                if !self.at_line_start() {
                    self.out.push('\n');
                }
                self.out.push('\n');
                for line in inner.trim_matches('\n').lines() {
                    self.out.push_str("> ");
                    self.out.push_str(line);
                    self.out.push('\n');
                }
                if !by.is_empty() {
                    self.out.push_str(">\n> — ");
                    self.out.push_str(&escape_markdown(&by));
                    self.out.push('\n');
                }
                self.out.push('\n');
            }
            Host::Html => {
                self.out.push_str("<blockquote>");
                self.out.push_str(inner.trim());
                if !by.is_empty() {
                    self.out
                        .push_str(&format!("<footer>— {}</footer>", escape_html(&by)));
                }
                self.out.push_str("</blockquote>\n");
            }
        }
    }
}

/// The language of a code block tag: `{% highlight go %}`, `{% codeblock lang:go %}`,
/// `{{< highlight go "linenos=table" >}}`.
fn code_language(tag: &Tag<'_>, args: &[String]) -> String {
    let from_lang = args.iter().find_map(|a| a.strip_prefix("lang:"));
    let lang = match (tag.name.as_str(), from_lang) {
        (_, Some(l)) => l,
        ("highlight", None) => args.first().map_or("", String::as_str),
        _ => "",
    };
    lang.chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+' | '#'))
        .collect()
}

/// `{% asset_img [class] slug [width] [height] [title [alt]] %}`: the source and the words.
fn image_args(args: &[String]) -> Option<(String, String)> {
    let src_at = args
        .iter()
        .position(|a| a.contains('.') || a.contains('/') || a.starts_with("http"))?;
    let words: Vec<&str> = args[src_at + 1..]
        .iter()
        .map(String::as_str)
        .skip_while(|a| a.chars().all(|c| c.is_ascii_digit() || c == '%'))
        .collect();
    // Hexo's `"title" "alt"`: the alt text is what a reader of the page sees described
    let title = match words.as_slice() {
        [_, alt] => (*alt).to_string(),
        _ => words.join(" "),
    };
    Some((args[src_at].clone(), title))
}

/// Backslash-escapes ASCII punctuation so text reads as itself in markdown.
fn escape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        if c != '\n' {
            out.push(c);
        } else {
            out.push(' ');
        }
    }
    out
}

/// The longest run of `c` in `s`.
fn longest_run(s: &str, c: char) -> usize {
    let (mut best, mut cur) = (0, 0);
    for d in s.chars() {
        cur = if d == c { cur + 1 } else { 0 };
        best = best.max(cur);
    }
    best
}

/// Removes the indent all non-blank lines share.
fn dedent(s: &str) -> String {
    let indent = s
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| &l[..l.len() - l.trim_start_matches([' ', '\t']).len()])
        .reduce(|a, b| {
            let n = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
            &a[..n]
        })
        .unwrap_or("");
    if indent.is_empty() {
        return s.to_string();
    }
    s.lines()
        .map(|l| {
            l.strip_prefix(indent)
                .unwrap_or(l.trim_start_matches([' ', '\t']))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Skips one line break at `pos`, so a block's closing tag leaves no stray empty line.
fn skip_newline(text: &str, pos: usize) -> usize {
    if text[pos..].starts_with('\n') {
        pos + 1
    } else {
        pos
    }
}

#[cfg(test)]
mod tests;
