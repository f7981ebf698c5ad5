//! What of a page's markup may be recorded, and replayed: no script bodies,
//! no event-handler attributes, no `javascript:` URLs. The recorder applies
//! these rules while it serializes; the viewer applies them again when it
//! replays, because a forged bundle posted to a server is not to be trusted.

/// Should an attribute be recorded (and replayed)? Names are compared
/// whatever their case: the browser lower-cases an HTML element's
/// attribute names when they are set, so a forged `ONERROR` would be
/// `onerror` in the replay.
pub fn keep_attribute(name: &str, value: &str) -> bool {
    let handler = name
        .get(..2)
        .is_some_and(|start| start.eq_ignore_ascii_case("on"));
    if !crate::is_safe_name(name) || handler || name.eq_ignore_ascii_case("srcdoc") {
        return false;
    }
    !(is_url_attribute(name) && is_script_url(value))
}

/// Attributes whose value the browser may follow as a URL (any case).
pub fn is_url_attribute(name: &str) -> bool {
    const URL_ATTRIBUTES: [&str; 8] = [
        "href",
        "src",
        "action",
        "formaction",
        "xlink:href",
        "data",
        "poster",
        "background",
    ];
    URL_ATTRIBUTES
        .iter()
        .any(|url| url.eq_ignore_ascii_case(name))
}

/// Is `url` one that runs code when followed (`javascript:`, `vbscript:`)?
/// Browsers ignore ASCII whitespace and control characters inside the scheme.
pub fn is_script_url(url: &str) -> bool {
    let scheme: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .take(11)
        .collect::<String>()
        .to_ascii_lowercase();
    scheme.starts_with("javascript:") || scheme.starts_with("vbscript:")
}

/// The tag an element is recorded (and replayed) under when its own name is
/// not one the format accepts (`crate::is_safe_name`): the HTML parser
/// makes elements of names like `alt=""` or `d123-_+!@#`, which the viewer
/// could not create. Such an element is an unknown one, inline and without
/// styles of its own, and so is this stand-in; its children are kept.
pub const STAND_IN_TAG: &str = "repro-element";

/// `tag` when the format accepts it, else [`STAND_IN_TAG`].
pub fn recordable_tag(tag: String) -> String {
    if crate::is_safe_name(&tag) {
        tag
    } else {
        STAND_IN_TAG.to_string()
    }
}

/// Elements whose children are never recorded.
pub fn skip_children(tag: &str) -> bool {
    matches!(tag, "script" | "noscript" | "template")
}

/// Escape `text` for HTML text and attribute values (`&`, `<`, `>`, `"`, `'`).
pub fn escape_html(text: &str) -> String {
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
    use super::*;

    #[test]
    fn tags_the_format_refuses_are_recorded_as_the_stand_in() {
        assert_eq!(recordable_tag("my-card".into()), "my-card");
        assert_eq!(recordable_tag("alt=\"\"".into()), STAND_IN_TAG);
        assert_eq!(recordable_tag("d123-_+!@#$%^&*()".into()), STAND_IN_TAG);
        assert!(crate::is_safe_name(STAND_IN_TAG));
    }

    #[test]
    fn handlers_and_script_urls_are_dropped() {
        assert!(!keep_attribute("onclick", "steal()"));
        assert!(!keep_attribute("href", "javascript:alert(1)"));
        assert!(!keep_attribute("href", " Java\tScript:alert(1)"));
        assert!(!keep_attribute("srcdoc", "<script>"));
        assert!(!keep_attribute("@click", "x"));
        assert!(keep_attribute("href", "/javascript-guide"));
        assert!(keep_attribute("title", "javascript:is fine as text"));
        assert!(keep_attribute("class", "btn"));
    }

    #[test]
    fn names_are_compared_whatever_their_case() {
        assert!(!keep_attribute("ONERROR", "steal()"));
        assert!(!keep_attribute("OnLoad", "steal()"));
        assert!(!keep_attribute("SRCDOC", "<script>"));
        assert!(!keep_attribute("HREF", "javascript:alert(1)"));
        assert!(!keep_attribute("XLINK:HREF", "javascript:alert(1)"));
        assert!(is_url_attribute("SRC"));
        assert!(keep_attribute("viewBox", "0 0 10 10"));
    }
}
