//! Lesson bodies: Markdown rendered to HTML, then cleaned so only safe markup remains.

use pulldown_cmark::{html, Event, Options, Parser, Tag};

/// Safe HTML for a lesson body. Raw HTML, scripts, event handlers and `javascript:` links are
/// removed; links to other sites open normally but carry `rel="noopener noreferrer"`.
pub fn to_safe_html(markdown: &str) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_HEADING_ATTRIBUTES;
    let parser = Parser::new_ext(markdown, options);
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, parser);
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer"))
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .clean(&unsafe_html)
        .to_string()
}

/// Images without a text alternative, by their address: authors must describe every image.
pub fn images_without_alt(markdown: &str) -> Vec<String> {
    let mut missing = Vec::new();
    let mut open_image: Option<(String, String)> = None;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) => {
                open_image = Some((dest_url.to_string(), String::new()))
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some((_, alt)) = open_image.as_mut() {
                    alt.push_str(&text);
                }
            }
            Event::End(pulldown_cmark::TagEnd::Image) => {
                if let Some((url, alt)) = open_image.take() {
                    if alt.trim().is_empty() {
                        missing.push(url);
                    }
                }
            }
            _ => {}
        }
    }
    missing
}

/// Headings in lessons start at level 2: the page's own `h1` is the lesson title.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_markdown_and_keeps_it_safe() {
        let html = to_safe_html("## Plan\n\n- one\n- **two**\n\n[UNICEF](https://www.unicef.org)");
        assert!(html.contains("<h2>Plan</h2>"));
        assert!(html.contains("<strong>two</strong>"));
        assert!(html.contains("rel=\"noopener noreferrer\""));
        let evil = to_safe_html(
            "<script>alert(1)</script>\n\n[x](javascript:alert(1))\n\n<img src=x onerror=alert(1)>",
        );
        assert!(!evil.contains("<script"), "{evil}");
        assert!(!evil.contains("javascript:"), "{evil}");
        assert!(!evil.contains("onerror"), "{evil}");
    }

    #[test]
    fn finds_images_without_alt_text() {
        assert_eq!(
            images_without_alt("![](/static/a.png) and ![A class](/static/b.png)"),
            vec!["/static/a.png"]
        );
        assert!(images_without_alt("no images").is_empty());
    }
}
