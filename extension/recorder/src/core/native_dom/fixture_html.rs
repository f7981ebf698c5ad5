//! Reading a test fixture's HTML into a [`NativeDom`]: strict, not a
//! browser's parser. Every element a fixture opens it closes (void
//! elements and `/>` excepted), no tag is implied, and a mismatch is an
//! error naming the line, so a fixture never means something else than it
//! says. Inside `<svg>`, names keep their case and elements are SVG (HTML
//! again inside `<foreignObject>`); `script`, `style`, `textarea` and
//! `title` hold raw text.

use super::{NativeDom, NativeNode, NodeRef};
use crate::core::page_dom::NodeKind;

/// Elements that have no end tag.
pub(super) const VOID: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param",
];

/// Elements whose content is text up to their end tag.
pub(super) const RAW_TEXT: [&str; 4] = ["script", "style", "textarea", "title"];

/// A fixture that is not the strict HTML this reader takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixtureError {
    /// 1-based line of the problem.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for FixtureError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "fixture line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for FixtureError {}

struct Reader<'a> {
    html: &'a str,
    at: usize,
    dom: NativeDom,
    /// Open elements, innermost last.
    open: Vec<NodeRef>,
}

/// Read `html` into a document.
pub fn parse(html: &str) -> Result<NativeDom, FixtureError> {
    let mut dom = NativeDom::default();
    let document = dom.push(NativeNode::new(NodeKind::Document));
    let mut reader = Reader {
        html,
        at: 0,
        dom,
        open: vec![document],
    };
    reader.read()?;
    if reader.open.len() > 1 {
        let name = reader
            .dom
            .node(&reader.open[reader.open.len() - 1])
            .name
            .clone();
        return Err(reader.error(format!("<{name}> is never closed")));
    }
    Ok(reader.dom)
}

impl<'a> Reader<'a> {
    fn error(&self, message: String) -> FixtureError {
        FixtureError {
            line: self.html[..self.at].matches('\n').count() + 1,
            message,
        }
    }

    fn rest(&self) -> &'a str {
        &self.html[self.at..]
    }

    fn parent(&self) -> NodeRef {
        self.open[self.open.len() - 1]
    }

    /// Are new elements SVG? Inside `<svg>`, until a `<foreignObject>`.
    fn in_svg(&self) -> bool {
        let parent = self.dom.node(&self.parent());
        parent.svg && parent.name != "foreignObject"
    }

    fn add(&mut self, node: NativeNode) -> NodeRef {
        let parent = self.parent();
        let node = self.dom.push(node);
        self.dom.append(parent, node);
        node
    }

    fn add_text(&mut self, raw: &str) {
        if raw.is_empty() {
            return;
        }
        let mut node = NativeNode::new(NodeKind::Text);
        node.text = decode_entities(raw);
        self.add(node);
    }

    fn read(&mut self) -> Result<(), FixtureError> {
        while self.at < self.html.len() {
            let rest = self.rest();
            let Some(lt) = rest.find('<') else {
                let text = rest.to_string();
                self.add_text(&text);
                self.at = self.html.len();
                break;
            };
            let text = rest[..lt].to_string();
            self.add_text(&text);
            self.at += lt;
            let rest = self.rest();
            if let Some(comment) = rest.strip_prefix("<!--") {
                let end = comment
                    .find("-->")
                    .ok_or_else(|| self.error("a comment is never closed".into()))?;
                let mut node = NativeNode::new(NodeKind::Comment);
                node.text = comment[..end].to_string();
                self.add(node);
                self.at += 4 + end + 3;
            } else if rest.len() >= 9 && rest[..9].eq_ignore_ascii_case("<!doctype") {
                let end = rest
                    .find('>')
                    .ok_or_else(|| self.error("the doctype is never closed".into()))?;
                let mut node = NativeNode::new(NodeKind::Doctype);
                node.name = rest[9..end].trim().to_ascii_lowercase();
                self.add(node);
                self.at += end + 1;
            } else if rest.starts_with("</") {
                self.end_tag()?;
            } else {
                self.start_tag()?;
            }
        }
        Ok(())
    }

    fn end_tag(&mut self) -> Result<(), FixtureError> {
        let end = self
            .rest()
            .find('>')
            .ok_or_else(|| self.error("an end tag is never closed".into()))?;
        let name = self.rest()[2..end].trim().to_string();
        let open = self.parent();
        let open_name = self.dom.node(&open).name.clone();
        if self.open.len() == 1 || !open_name.eq_ignore_ascii_case(&name) {
            return Err(self.error(format!("</{name}> closes <{open_name}>")));
        }
        self.open.pop();
        self.at += end + 1;
        Ok(())
    }

    fn start_tag(&mut self) -> Result<(), FixtureError> {
        let svg = self.in_svg();
        let after = &self.rest()[1..];
        let name_end = after
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .ok_or_else(|| self.error("a start tag is never closed".into()))?;
        let raw_name = &after[..name_end];
        if raw_name.is_empty() {
            return Err(self.error("a `<` that starts no tag (write &lt;)".into()));
        }
        let starts_svg = raw_name.eq_ignore_ascii_case("svg");
        let name = match svg || starts_svg {
            true if starts_svg => "svg".to_string(),
            true => raw_name.to_string(),
            false => raw_name.to_ascii_lowercase(),
        };
        self.at += 1 + name_end;
        let mut node = NativeNode::new(NodeKind::Element);
        node.name = name.clone();
        node.svg = svg || starts_svg;
        let self_closed = self.attributes(&mut node)?;
        // A declarative shadow root: the template's content is the shadow
        // tree of the element it is in.
        if name == "template" && node.attrs.iter().any(|(n, _)| n == "shadowrootmode") {
            let host = self.parent();
            let root = self.dom.new_shadow_root(host).ok_or_else(|| {
                self.error("a second shadow root, or one outside an element".into())
            })?;
            self.open.push(root);
            return Ok(());
        }
        // A frame's document (a notation of these fixtures): the template's
        // content is the document the frame element it is in shows.
        if name == "template" && node.attrs.iter().any(|(n, _)| n == "framedocument") {
            let frame = self.parent();
            let quirks = node.attrs.iter().any(|(n, _)| n == "quirks");
            let document = self.dom.new_frame_document(frame, quirks);
            // Its URL and design mode, if the fixture names them.
            self.dom.nodes[document.0].attrs = node
                .attrs
                .into_iter()
                .filter(|(n, _)| n == "url" || n == "designmode")
                .collect();
            self.open.push(document);
            return Ok(());
        }
        let element = self.add(node);
        let html_element = !(svg || starts_svg);
        if self_closed || (html_element && VOID.contains(&name.as_str())) {
            return Ok(());
        }
        if html_element && RAW_TEXT.contains(&name.as_str()) {
            let close = format!("</{name}>");
            let end = self
                .rest()
                .find(&close)
                .ok_or_else(|| self.error(format!("<{name}> is never closed")))?;
            let raw = self.rest()[..end].to_string();
            if !raw.is_empty() {
                let mut text = NativeNode::new(NodeKind::Text);
                text.text = match name.as_str() {
                    "textarea" | "title" => decode_entities(&raw),
                    _ => raw,
                };
                let text = self.dom.push(text);
                self.dom.append(element, text);
            }
            self.at += end + close.len();
            return Ok(());
        }
        self.open.push(element);
        Ok(())
    }

    /// The attributes up to `>`; `true` when the tag ends with `/>`.
    fn attributes(&mut self, node: &mut NativeNode) -> Result<bool, FixtureError> {
        loop {
            let rest = self.rest();
            let trimmed = rest.trim_start();
            self.at += rest.len() - trimmed.len();
            let rest = self.rest();
            if let Some(_after) = rest.strip_prefix("/>") {
                self.at += 2;
                return Ok(true);
            }
            if rest.starts_with('>') {
                self.at += 1;
                return Ok(false);
            }
            let name_end = rest
                .find(|c: char| c.is_whitespace() || c == '=' || c == '>' || c == '/')
                .ok_or_else(|| self.error("a start tag is never closed".into()))?;
            if name_end == 0 {
                return Err(self.error(format!("unexpected `{}` in a tag", &rest[..1])));
            }
            let name = match node.svg {
                true => rest[..name_end].to_string(),
                false => rest[..name_end].to_ascii_lowercase(),
            };
            self.at += name_end;
            let value = if let Some(after) = self.rest().strip_prefix('=') {
                self.at += 1;
                let quote = after.chars().next();
                match quote {
                    Some(q @ ('"' | '\'')) => {
                        let end = after[1..].find(q).ok_or_else(|| {
                            self.error(format!("the value of {name} is never closed"))
                        })?;
                        let value = decode_entities(&after[1..1 + end]);
                        self.at += end + 2;
                        value
                    }
                    _ => {
                        let end = after
                            .find(|c: char| c.is_whitespace() || c == '>')
                            .unwrap_or(after.len());
                        self.at += end;
                        decode_entities(&after[..end])
                    }
                }
            } else {
                String::new()
            };
            if node.attrs.iter().any(|(n, _)| *n == name) {
                return Err(self.error(format!("the attribute {name} is written twice")));
            }
            node.attrs.push((name, value));
        }
    }
}

/// `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&#39;`, `&nbsp;` and numeric references.
fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest.find(';').and_then(|semi| {
            let entity = &rest[1..semi];
            let c = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" | "#39" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => entity
                    .strip_prefix("#x")
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                    .or_else(|| entity.strip_prefix('#').and_then(|dec| dec.parse().ok()))
                    .and_then(char::from_u32),
            }?;
            Some((c, semi + 1))
        });
        match decoded {
            Some((c, length)) => {
                out.push(c);
                rest = &rest[length..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::page_dom::PageDom;

    #[test]
    fn reads_elements_text_comments_and_the_doctype() {
        let dom =
            parse("<!DOCTYPE html><html><body><p class=a>x &amp; y<!-- c --></p></body></html>")
                .expect("parses");
        let kinds: Vec<NodeKind> = dom
            .descendants(dom.document())
            .map(|n| dom.kind(&n))
            .collect();
        assert_eq!(
            kinds,
            [
                NodeKind::Document,
                NodeKind::Doctype,
                NodeKind::Element,
                NodeKind::Element,
                NodeKind::Element,
                NodeKind::Text,
                NodeKind::Comment
            ]
        );
        let p = dom.descendants(dom.document()).nth(4).expect("the p");
        assert_eq!(dom.attribute(&p, "class").as_deref(), Some("a"));
        assert_eq!(dom.text(&dom.first_child(&p).expect("text")), "x & y");
    }

    #[test]
    fn svg_names_keep_their_case_and_html_returns_in_foreign_object() {
        let dom = parse(
            r#"<svg viewBox="0 0 1 1"><linearGradient id="g"/><foreignObject><p>x</p></foreignObject></svg>"#,
        )
        .expect("parses");
        let names: Vec<(String, bool)> = dom
            .descendants(dom.document())
            .filter(|n| dom.kind(n) == NodeKind::Element)
            .map(|n| dom.element_name(&n))
            .collect();
        assert_eq!(
            names,
            [
                ("svg".into(), true),
                ("linearGradient".into(), true),
                ("foreignObject".into(), true),
                ("p".into(), false)
            ]
        );
        let svg = dom.first_child(&dom.document()).expect("svg");
        assert_eq!(dom.attribute_names(&svg), "viewBox");
    }

    #[test]
    fn a_fixture_that_says_something_else_is_refused_with_its_line() {
        let error = parse("<div>\n<p>x</div>").err().expect("refused");
        assert_eq!(error.line, 2);
        assert!(error.message.contains("</div> closes <p>"), "{error}");
        assert!(parse("<div>").is_err());
        assert!(parse("<p a=1 a=2></p>").is_err());
    }
}
