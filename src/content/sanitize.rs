//! The one sanitizing policy applied to every post body, whatever its format.
//!
//! STUB: ammonia defaults for now; issue 4 fills in the full policy.

/// Cleans untrusted HTML so it is safe to put into a page as is.
pub fn sanitize_html(html: &str) -> String {
    ammonia::clean(html)
}

/// The visible text of an HTML fragment, for summaries, search and reading time.
pub fn html_to_text(html: &str) -> String {
    let frag = scraper::Html::parse_fragment(html);
    frag.root_element().text().collect::<Vec<_>>().join("")
}
