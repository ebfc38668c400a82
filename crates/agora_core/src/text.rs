//! Turning user and remote text into safe HTML.

use std::sync::LazyLock;

/// Longest post accepted, in characters (Mastodon's default is 500; civic updates run longer).
pub const MAX_POST_CHARS: usize = 5000;

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .tags(
            [
                "p",
                "br",
                "a",
                "span",
                "strong",
                "b",
                "em",
                "i",
                "u",
                "s",
                "del",
                "code",
                "pre",
                "blockquote",
                "ul",
                "ol",
                "li",
                "h1",
                "h2",
                "h3",
                "h4",
            ]
            .into_iter()
            .collect(),
        )
        .link_rel(Some("nofollow noopener noreferrer"))
        .url_schemes(["http", "https", "mailto"].into_iter().collect());
    builder
});

/// Cleans HTML that came from another server: scripts, styles, event handlers and
/// unknown schemes go; the structure of paragraphs and links stays.
pub fn sanitize_html(html: &str) -> String {
    CLEANER.clean(html).to_string()
}

/// Renders plain text typed by a local user as HTML: escaped, paragraphs on blank lines,
/// line breaks kept.
pub fn plain_text_to_html(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>", escape(p).replace('\n', "<br>")))
        .collect()
}

/// The text of stored HTML, for editing it in a plain text field: paragraphs become blank
/// lines, line breaks newlines, other markup goes. Inverse of [`plain_text_to_html`].
pub fn html_to_plain_text(html: &str) -> String {
    let spaced = html
        .replace("</p>", "\n\n")
        .replace("<br>", "\n")
        .replace("<br/>", "\n")
        .replace("<br />", "\n");
    let bare = ammonia::Builder::empty().clean(&spaced).to_string();
    bare.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
        .trim()
        .to_string()
}

/// A title for a post that has none: the first line of its text, cut to `max_chars`
/// characters (with `…`), for servers that show posts under a title (Lemmy).
pub fn title_of(html: &str, max_chars: usize) -> String {
    let text = html_to_plain_text(html);
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default();
    if line.chars().count() <= max_chars {
        return line.to_string();
    }
    let mut cut: String = line.chars().take(max_chars.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// Escapes the five HTML special characters.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn plain_text_survives_a_round_trip_through_html() {
        let text = "Tom & Jerry <3\n\n\"quotes\" and 'apostrophes'\nsecond line";
        assert_eq!(
            super::html_to_plain_text(&super::plain_text_to_html(text)),
            text
        );
    }

    use super::*;

    #[test]
    fn scripts_and_handlers_are_removed() {
        let dirty = r#"<p onclick="x()">hi<script>alert(1)</script><a href="javascript:x">l</a><img src=x onerror=y></p>"#;
        let clean = sanitize_html(dirty);
        assert!(!clean.contains("script"), "{clean}");
        assert!(!clean.contains("onclick"), "{clean}");
        assert!(!clean.contains("javascript"), "{clean}");
        assert!(!clean.contains("onerror"), "{clean}");
        assert!(clean.contains("hi"));
    }

    #[test]
    fn a_title_is_the_first_line_of_the_text_cut_to_length() {
        assert_eq!(
            title_of(
                "<p>Assemblée &amp; pique-nique<br>samedi</p><p>Venez</p>",
                200
            ),
            "Assemblée & pique-nique"
        );
        assert_eq!(title_of("<p></p><p>  Second  </p>", 200), "Second");
        let long = title_of(&format!("<p>{}</p>", "é".repeat(300)), 200);
        assert_eq!(long.chars().count(), 200);
        assert!(long.ends_with('…'));
        assert_eq!(title_of("", 200), "");
    }

    #[test]
    fn plain_text_is_escaped_into_paragraphs() {
        assert_eq!(
            plain_text_to_html("a<b>\nc\n\nd"),
            "<p>a&lt;b&gt;<br>c</p><p>d</p>"
        );
    }
}
