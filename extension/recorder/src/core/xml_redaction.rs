//! Masking an XML body (SOAP, XML APIs, feeds) a token at a time: the text
//! of secret-named elements (`<Password>`, `<wsse:Password>`,
//! `<access_token>`) and the values of secret-named attributes are replaced,
//! and every other text and attribute value goes through the secret
//! detectors. Like the JSON scanner, it needs the body neither whole nor
//! well formed: a body cut at the size limit is masked the same way.

use std::borrow::Cow;

use repro_manifest::pii;

use repro_manifest::{is_secret_field, MASKED};

/// `text` with secret elements, secret attributes and secret shapes
/// masked, if it reads as XML (its first character, past blanks, is `<`);
/// `None` otherwise.
pub fn redact_xml(text: &str) -> Option<String> {
    if !text.trim_start().starts_with('<') {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    // How many secret-named elements are open around the current point.
    let mut secret_depth = 0usize;
    let mut rest = text;
    while !rest.is_empty() {
        let Some(open) = rest.find('<') else {
            push_text(&mut out, rest, secret_depth > 0);
            break;
        };
        push_text(&mut out, &rest[..open], secret_depth > 0);
        rest = &rest[open..];
        // Character data and comments: text up to their end, kept as such.
        let section = [("<![CDATA[", "]]>"), ("<!--", "-->")]
            .into_iter()
            .find(|(start, _)| rest.starts_with(start));
        if let Some((start, close)) = section {
            let body = &rest[start.len()..];
            let end = body.find(close).unwrap_or(body.len());
            out.push_str(start);
            push_text(&mut out, &body[..end], secret_depth > 0);
            let after = (end + close.len()).min(body.len());
            out.push_str(&body[end..after]);
            rest = &body[after..];
            continue;
        }
        let end = tag_end(rest);
        let tag = &rest[..end];
        rest = &rest[end..];
        push_tag(&mut out, tag);
        let Some(name) = element_name(tag) else {
            continue;
        };
        let closing = tag.starts_with("</");
        let self_closing = tag.ends_with("/>");
        if is_secret_field(name) || secret_depth > 0 {
            if closing {
                secret_depth = secret_depth.saturating_sub(1);
            } else if !self_closing {
                secret_depth += 1;
            }
        }
    }
    Some(out)
}

/// Text between tags: masked whole inside a secret element, else through
/// the detectors.
fn push_text(out: &mut String, text: &str, secret: bool) {
    if text.trim().is_empty() {
        out.push_str(text);
    } else if secret {
        out.push_str(MASKED);
    } else {
        out.push_str(&pii::mask(text));
    }
}

/// The length of the tag that starts `text` (at `<`), quoted attribute
/// values skipped whole; all of `text` if it is cut short.
fn tag_end(text: &str) -> usize {
    let mut quote = None;
    for (at, c) in text.char_indices().skip(1) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return at + 1,
            _ => {}
        }
    }
    text.len()
}

/// The name of the element a start or end tag opens or closes; `None` for
/// declarations and processing instructions.
fn element_name(tag: &str) -> Option<&str> {
    let name = tag.strip_prefix("</").or_else(|| tag.strip_prefix('<'))?;
    if name.starts_with(['?', '!']) {
        return None;
    }
    let end = name
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .unwrap_or(name.len());
    Some(&name[..end])
}

/// A tag with its secret-named attributes' values masked and the others'
/// values through the detectors.
fn push_tag(out: &mut String, tag: &str) {
    let mut rest = tag;
    while let Some(eq) = rest.find('=') {
        let before = &rest[..eq];
        let name = before
            .rsplit(|c: char| c.is_whitespace() || c == '<')
            .next()
            .unwrap_or("");
        let after = &rest[eq + 1..];
        let spaces = after.len() - after.trim_start().len();
        let value_start = eq + 1 + spaces;
        let quote = rest[value_start..]
            .chars()
            .next()
            .filter(|c| *c == '"' || *c == '\'');
        // A quoted value runs to its quote, an unquoted one (HTML) to a
        // blank or the tag's end.
        let (opened, inside) = match quote {
            Some(_) => (value_start + 1, &rest[value_start + 1..]),
            None => (value_start, &rest[value_start..]),
        };
        let close = match quote {
            Some(quote) => inside.find(quote),
            None => inside.find(|c: char| c.is_whitespace() || c == '>' || c == '/'),
        }
        .unwrap_or(inside.len());
        out.push_str(&rest[..opened]);
        let value = &inside[..close];
        let masked = match is_secret_field(name) && !value.is_empty() {
            true => Cow::Borrowed(MASKED),
            false => pii::mask(value),
        };
        out.push_str(&masked);
        rest = &inside[close..];
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_elements_and_attributes_lose_their_values() {
        let xml = r#"<?xml version="1.0"?><login><user>grace</user><wsse:Password Type="text">hunter2</wsse:Password><key api_key='k-123' kind="demo"/><note>mail ada@example.com</note></login>"#;
        let out = redact_xml(xml).unwrap();
        assert_eq!(
            out,
            format!(
                r#"<?xml version="1.0"?><login><user>grace</user><wsse:Password Type="text">{MASKED}</wsse:Password><key api_key='{MASKED}' kind="demo"/><note>mail ***************</note></login>"#
            )
        );
    }

    #[test]
    fn everything_inside_a_secret_element_goes() {
        let out = redact_xml(
            "<credentials><name>grace</name><pin>1234</pin></credentials><after>kept</after>",
        )
        .unwrap();
        assert!(!out.contains("grace") && !out.contains("1234"), "{out}");
        assert!(out.ends_with("<after>kept</after>"), "{out}");
    }

    #[test]
    fn cdata_comments_and_a_body_cut_short() {
        let out =
            redact_xml("<r><token><![CDATA[abc.def]]></token><!-- ada@example.com --><secret>hunt")
                .unwrap();
        for secret in ["abc.def", "ada@example.com", "hunt"] {
            assert!(!out.contains(secret), "{secret} in {out}");
        }
        let cut = redact_xml(r#"<a password="hunter"#).unwrap();
        assert!(!cut.contains("hunter"), "{cut}");
        let unquoted = redact_xml("<a token=abc mail=ada@example.com>").unwrap();
        assert_eq!(unquoted, format!("<a token={MASKED} mail=***************>"));
    }

    #[test]
    fn quoted_brackets_and_text_that_is_not_xml() {
        let out = redact_xml(r#"<a title="x > y" secret="s>1">t</a>"#).unwrap();
        assert_eq!(out, format!(r#"<a title="x > y" secret="{MASKED}">t</a>"#));
        assert!(redact_xml("plain text").is_none());
    }
}
