//! The `url()` references of CSS text: made absolute (a linked
//! stylesheet's rules are copied into the recording, and a relative
//! `url(icons.svg)` in them means "relative to the stylesheet", not to the
//! page the copy ends up in), listed (the page assets a report stores), and
//! mapped (the viewer points them at the stored assets). Rules come from
//! the CSS object model (`cssText`), which has no comments; `url()` tokens
//! are rewritten, everything else is kept.

/// `css` with every relative `url()` resolved against `base` (the
/// stylesheet's own URL). Fragment-only (`#id`), `data:` and other
/// absolute references are kept as they are.
pub fn absolutize(css: &str, base: &str) -> String {
    map_references(css, |reference| resolve(base, reference))
}

/// `css` with each `url()` whose reference `map` gives a new one for
/// written as `url("new")`; every other token and all other text kept.
pub fn map_references(css: &str, mut map: impl FnMut(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(at) = find_url_token(rest) {
        let (before, from) = rest.split_at(at);
        out.push_str(before);
        out.push_str("url(");
        let inner = &from[4..];
        let Some((reference, after)) = read_reference(inner) else {
            out.push_str(inner);
            return out;
        };
        match map(reference.trim()) {
            Some(mapped) => {
                out.push('"');
                for c in mapped.chars() {
                    if matches!(c, '"' | '\\') {
                        out.push('\\');
                    }
                    out.push(c);
                }
                out.push('"');
            }
            None => out.push_str(&inner[..inner.len() - after.len() - 1]),
        }
        out.push(')');
        rest = after;
    }
    out.push_str(rest);
    out
}

/// The reference of every `url()` in `css`, in order.
pub fn references(css: &str) -> Vec<String> {
    let mut found = Vec::new();
    map_references(css, |reference| {
        found.push(reference.to_string());
        None
    });
    found
}

/// Where the next `url(` token starts (any case), outside CSS strings.
fn find_url_token(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i + 4 <= bytes.len() {
        match bytes[i] {
            quote @ (b'"' | b'\'') => {
                // Skip the string, escapes included.
                i += 1;
                while i < bytes.len() && bytes[i] != quote {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            _ if bytes[i..i + 4].eq_ignore_ascii_case(b"url(")
                && (i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'-')) =>
            {
                return Some(i);
            }
            _ => i += 1,
        }
    }
    None
}

/// The reference inside `url(` … `)` (unquoted, or in either quote with
/// backslash escapes), and the text after the closing parenthesis.
fn read_reference(inner: &str) -> Option<(String, &str)> {
    let trimmed = inner.trim_start();
    let mut chars = trimmed.char_indices();
    let quote = match trimmed.chars().next()? {
        q @ ('"' | '\'') => {
            chars.next();
            Some(q)
        }
        _ => None,
    };
    let mut reference = String::new();
    let mut escaped = false;
    for (i, c) in chars {
        match (quote, c) {
            (_, _) if escaped => {
                reference.push(c);
                escaped = false;
            }
            (_, '\\') => escaped = true,
            (Some(q), c) if c == q => {
                let after = trimmed[i + 1..].trim_start();
                return after.strip_prefix(')').map(|after| (reference, after));
            }
            (None, ')') => return Some((reference, &trimmed[i + 1..])),
            _ => reference.push(c),
        }
    }
    None
}

/// `reference` resolved against `base`, or `None` when it needs no change.
pub fn resolve(base: &str, reference: &str) -> Option<String> {
    if reference.is_empty() || reference.starts_with('#') || has_scheme(reference) {
        return None;
    }
    let (scheme, after_scheme) = base.split_once("://")?;
    let authority_end = after_scheme
        .find(['/', '?', '#'])
        .unwrap_or(after_scheme.len());
    let (authority, base_path) = after_scheme.split_at(authority_end);
    if let Some(rest) = reference.strip_prefix("//") {
        return Some(format!("{scheme}://{rest}"));
    }
    let base_path = base_path
        .split(['?', '#'])
        .next()
        .filter(|p| !p.is_empty())
        .unwrap_or("/");
    let (path, tail) = match reference.find(['?', '#']) {
        Some(at) => reference.split_at(at),
        None => (reference, ""),
    };
    let joined = if path.starts_with('/') {
        path.to_string()
    } else if path.is_empty() {
        base_path.to_string()
    } else {
        let directory = &base_path[..base_path.rfind('/').map_or(0, |i| i + 1)];
        format!("{directory}{path}")
    };
    Some(format!(
        "{scheme}://{authority}{}{tail}",
        remove_dot_segments(&joined)
    ))
}

/// Has `reference` a scheme of its own (`https:`, `data:`)?
fn has_scheme(reference: &str) -> bool {
    reference.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

/// `/a/b/../c/./d` → `/a/c/d`.
fn remove_dot_segments(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').collect();
    for (i, segment) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match *segment {
            "." => {
                if last {
                    out.push("");
                }
            }
            ".." => {
                if out.len() > 1 {
                    out.pop();
                }
                if last {
                    out.push("");
                }
            }
            other => out.push(other),
        }
    }
    let joined = out.join("/");
    if joined.starts_with('/') {
        joined
    } else {
        format!("/{joined}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHEET: &str = "https://cdn.test/assets/css/site.css?v=3";

    #[test]
    fn references_resolve_against_the_stylesheet() {
        for (reference, expected) in [
            ("icons.svg", Some("https://cdn.test/assets/css/icons.svg")),
            ("../img/bg.png", Some("https://cdn.test/assets/img/bg.png")),
            (
                "./a/../b.woff2?x=1#f",
                Some("https://cdn.test/assets/css/b.woff2?x=1#f"),
            ),
            ("/root.png", Some("https://cdn.test/root.png")),
            ("//other.test/x.png", Some("https://other.test/x.png")),
            ("../../../../up.png", Some("https://cdn.test/up.png")),
            ("https://elsewhere.test/x.png", None),
            ("data:image/png;base64,AAAA", None),
            ("#gradient", None),
            ("", None),
        ] {
            assert_eq!(
                resolve(SHEET, reference).as_deref(),
                expected,
                "{reference}"
            );
        }
    }

    #[test]
    fn every_url_token_is_rewritten_and_nothing_else() {
        let css = r#".a { background: url(img/a.png) } .b { background: URL( "img/b.png" ) }
@font-face { src: url('fonts/x.woff2') format("woff2"), url(data:font/woff2;base64,AA) }
.c { filter: url(#blur); --not-a-url: curl(x); content: "url(" }
.d { mask: url("sprite.svg#icon") }"#;
        let out = absolutize(css, SHEET);
        assert!(
            out.contains(r#"url("https://cdn.test/assets/css/img/a.png")"#),
            "{out}"
        );
        assert!(
            out.contains(r#"url("https://cdn.test/assets/css/img/b.png")"#),
            "{out}"
        );
        assert!(
            out.contains(r#"url("https://cdn.test/assets/css/fonts/x.woff2") format("woff2")"#),
            "{out}"
        );
        assert!(out.contains("url(data:font/woff2;base64,AA)"), "{out}");
        assert!(out.contains("url(#blur)"), "{out}");
        assert!(out.contains("curl(x)"), "{out}");
        assert!(
            out.contains(r#"url("https://cdn.test/assets/css/sprite.svg#icon")"#),
            "{out}"
        );
    }

    #[test]
    fn references_are_listed_and_mapped_in_order() {
        let css = r#"a { background: url(x.png) } b { src: url("y.woff2") format("woff2") } c { content: "url(z)" }"#;
        assert_eq!(references(css), vec!["x.png", "y.woff2"]);
        let mapped = map_references(css, |r| (r == "y.woff2").then(|| "/stored/1".to_string()));
        assert!(
            mapped.contains(r#"url(x.png)"#)
                && mapped.contains(r#"url("/stored/1") format("woff2")"#),
            "{mapped}"
        );
    }

    #[test]
    fn a_cut_token_is_kept_as_it_was() {
        assert_eq!(absolutize("a { b: url(x", SHEET), "a { b: url(x");
        assert_eq!(absolutize("a { b: url(\"x", SHEET), "a { b: url(\"x");
    }
}
