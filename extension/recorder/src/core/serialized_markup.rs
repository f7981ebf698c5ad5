//! Reading back the markup the browser's HTML serializer writes
//! (`Element.outerHTML`), as the nodes it stands for, in document order.
//!
//! The serializer's output is regular: every attribute is written
//! `name="value"`, every element not void in the HTML namespace has an end
//! tag, text and attribute values escape the same few characters, and the
//! text of a raw-text element (`style`, `script`, …) is written as it is.
//! So the tree is read back from the tags alone, with none of the HTML
//! parser's repairs. What the serializer cannot show (two texts side by
//! side, an empty text, children of a void element) comes back as fewer
//! nodes than the document has: the caller compares counts and walks the
//! document instead when they differ. Template contents are read but not
//! reported: they are not part of the document.

use std::borrow::Cow;

/// The namespace an element of the markup is in, from its place in the tree.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Namespace {
    Html,
    Svg,
    MathMl,
}

/// What the reader found, in document order.
#[derive(Debug, PartialEq)]
pub enum MarkupNode<'a> {
    /// An element's start: its qualified name as written, its attributes
    /// (values unescaped) and its namespace.
    Open {
        name: &'a str,
        attrs: Vec<(&'a str, Cow<'a, str>)>,
        namespace: Namespace,
    },
    /// The end of the element opened last.
    Close,
    /// A text (unescaped; a raw-text element's text as it is).
    Text(Cow<'a, str>),
    /// A comment's text.
    Comment(&'a str),
    /// A processing instruction.
    Instruction,
}

/// Why the markup could not be read.
#[derive(Debug, PartialEq)]
pub struct Unreadable(pub &'static str);

/// Is `name` an element the serializer writes without an end tag (HTML namespace)?
fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "basefont"
            | "bgsound"
            | "br"
            | "col"
            | "embed"
            | "frame"
            | "hr"
            | "img"
            | "input"
            | "keygen"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
    )
}

/// Is `name` an element whose text the serializer writes unescaped (HTML
/// namespace; `noscript` where scripting is enabled, as in a recorded page)?
fn is_raw_text(name: &str) -> bool {
    matches!(
        name,
        "style" | "script" | "xmp" | "iframe" | "noembed" | "noframes" | "plaintext" | "noscript"
    )
}

/// Read `markup` (the outer HTML of an element whose parent is in the HTML
/// namespace), calling `visit` for every node outside template contents.
pub fn read<'a>(markup: &'a str, mut visit: impl FnMut(MarkupNode<'a>)) -> Result<(), Unreadable> {
    let mut reader = Reader {
        markup,
        at: 0,
        open: Vec::new(),
        template_depth: 0,
    };
    while reader.at < markup.len() {
        reader.step(&mut visit)?;
    }
    match reader.open.is_empty() {
        true => Ok(()),
        false => Err(Unreadable("an element is not closed")),
    }
}

struct Reader<'a> {
    markup: &'a str,
    at: usize,
    /// Open elements, innermost last.
    open: Vec<(&'a str, Namespace)>,
    /// How many `template` elements the reader is inside.
    template_depth: usize,
}

impl<'a> Reader<'a> {
    fn rest(&self) -> &'a str {
        &self.markup[self.at..]
    }

    fn emit(&self, visit: &mut impl FnMut(MarkupNode<'a>), node: MarkupNode<'a>) {
        if self.template_depth == 0 {
            visit(node);
        }
    }

    fn step(&mut self, visit: &mut impl FnMut(MarkupNode<'a>)) -> Result<(), Unreadable> {
        let rest = self.rest();
        if !rest.starts_with('<') {
            let end = rest.find('<').unwrap_or(rest.len());
            self.at += end;
            if self.open.is_empty() {
                return Err(Unreadable("text outside the element"));
            }
            self.emit(visit, MarkupNode::Text(unescape(&rest[..end])));
            return Ok(());
        }
        if let Some(comment) = rest.strip_prefix("<!--") {
            let end = comment
                .find("-->")
                .ok_or(Unreadable("a comment is not closed"))?;
            self.at += 4 + end + 3;
            self.emit(visit, MarkupNode::Comment(&comment[..end]));
            return Ok(());
        }
        if rest.starts_with("<?") {
            let end = rest
                .find('>')
                .ok_or(Unreadable("an instruction is not closed"))?;
            self.at += end + 1;
            self.emit(visit, MarkupNode::Instruction);
            return Ok(());
        }
        if let Some(tag) = rest.strip_prefix("</") {
            let end = tag
                .find('>')
                .ok_or(Unreadable("an end tag is not closed"))?;
            self.at += 2 + end + 1;
            return self.close(&tag[..end], visit);
        }
        self.open_element(visit)
    }

    fn close(
        &mut self,
        name: &str,
        visit: &mut impl FnMut(MarkupNode<'a>),
    ) -> Result<(), Unreadable> {
        match self.open.last() {
            Some((open, _)) if *open == name => {}
            _ => return Err(Unreadable("an end tag does not match")),
        }
        if let Some(("template", Namespace::Html)) = self.open.pop() {
            self.template_depth -= 1;
        }
        self.emit(visit, MarkupNode::Close);
        Ok(())
    }

    fn open_element(&mut self, visit: &mut impl FnMut(MarkupNode<'a>)) -> Result<(), Unreadable> {
        let markup = self.markup;
        let mut at = self.at + 1;
        let name_end = markup.as_bytes()[at..]
            .iter()
            .position(|&b| b == b' ' || b == b'>')
            .map(|end| at + end)
            .ok_or(Unreadable("a start tag is not closed"))?;
        let name = &markup[at..name_end];
        if name.is_empty() || name.starts_with('!') {
            return Err(Unreadable("not an element"));
        }
        at = name_end;
        let mut attrs = Vec::new();
        while markup[at..].starts_with(' ') {
            at += 1;
            let equals = markup[at..]
                .find("=\"")
                .map(|end| at + end)
                .ok_or(Unreadable("an attribute has no value"))?;
            let value_end = markup[equals + 2..]
                .find('"')
                .map(|end| equals + 2 + end)
                .ok_or(Unreadable("an attribute value is not closed"))?;
            attrs.push((
                &markup[at..equals],
                unescape(&markup[equals + 2..value_end]),
            ));
            at = value_end + 1;
        }
        if !markup[at..].starts_with('>') {
            return Err(Unreadable("a start tag is not closed"));
        }
        self.at = at + 1;
        let namespace = self.namespace_of(name);
        self.emit(
            visit,
            MarkupNode::Open {
                name,
                attrs,
                namespace,
            },
        );
        let html = namespace == Namespace::Html;
        if html && is_void(name) {
            self.emit(visit, MarkupNode::Close);
            return Ok(());
        }
        self.open.push((name, namespace));
        if html && name == "template" {
            self.template_depth += 1;
        }
        if html && is_raw_text(name) {
            let rest = self.rest();
            let end = find_end_tag(rest, name).ok_or(Unreadable("a raw text is not closed"))?;
            if end > 0 {
                self.emit(visit, MarkupNode::Text(Cow::Borrowed(&rest[..end])));
            }
            self.at += end;
        }
        Ok(())
    }

    /// The namespace of an element named `name` under the open elements.
    fn namespace_of(&self, name: &str) -> Namespace {
        let in_html = |name: &str| match name {
            "svg" => Namespace::Svg,
            "math" => Namespace::MathMl,
            _ => Namespace::Html,
        };
        match self.open.last() {
            None => in_html(name),
            Some((_, Namespace::Html)) => in_html(name),
            Some((parent, Namespace::Svg)) => match *parent {
                "foreignObject" | "desc" | "title" => in_html(name),
                _ => Namespace::Svg,
            },
            Some((parent, Namespace::MathMl)) => match *parent {
                "mi" | "mo" | "mn" | "ms" | "mtext" | "annotation-xml" => in_html(name),
                _ => Namespace::MathMl,
            },
        }
    }
}

/// Where `</name>` starts in `text`.
fn find_end_tag(text: &str, name: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = text[from..].find("</") {
        let at = from + found;
        let after = &text[at + 2..];
        if after.starts_with(name) && after[name.len()..].starts_with('>') {
            return Some(at);
        }
        from = at + 2;
    }
    None
}

/// Undo the serializer's escaping: `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&nbsp;`.
pub fn unescape(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let (plain, length) = [
            ("&amp;", '&'),
            ("&lt;", '<'),
            ("&gt;", '>'),
            ("&quot;", '"'),
            ("&nbsp;", '\u{a0}'),
        ]
        .iter()
        .find(|(entity, _)| rest.starts_with(entity))
        .map(|(entity, c)| (*c, entity.len()))
        .unwrap_or(('&', 1));
        out.push(plain);
        rest = &rest[length..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nodes(markup: &str) -> Result<Vec<String>, Unreadable> {
        let mut out = Vec::new();
        read(markup, |node| {
            out.push(match node {
                MarkupNode::Open {
                    name,
                    attrs,
                    namespace,
                } => {
                    let attrs: Vec<String> =
                        attrs.iter().map(|(n, v)| format!(" {n}={v}")).collect();
                    format!(
                        "<{name}{}{}>",
                        attrs.concat(),
                        match namespace {
                            Namespace::Html => "",
                            Namespace::Svg => " svg",
                            Namespace::MathMl => " math",
                        }
                    )
                }
                MarkupNode::Close => "/".into(),
                MarkupNode::Text(text) => format!("{text:?}"),
                MarkupNode::Comment(text) => format!("#{text}"),
                MarkupNode::Instruction => "?".into(),
            })
        })?;
        Ok(out)
    }

    #[test]
    fn reads_elements_attributes_texts_and_comments() {
        let markup =
            r#"<p title="a&quot;&lt;&gt;&amp;&nbsp;b" id="">1&lt;2&nbsp;<br><!--c--><?pi x?></p>"#;
        assert_eq!(
            nodes(markup).unwrap(),
            [
                "<p title=a\"<>&\u{a0}b id=>",
                "\"1<2\\u{a0}\"",
                "<br>",
                "/",
                "#c",
                "?",
                "/"
            ]
        );
    }

    #[test]
    fn raw_text_is_taken_as_written_in_html_only() {
        let markup = "<div><style>a>b{}</style><script>if (a<b) x='</p>'</script><svg><style>s&lt;</style><image href=\"q\"></image></svg><noscript><b>n</b></noscript><script></script></div>";
        assert_eq!(
            nodes(markup).unwrap(),
            [
                "<div>",
                "<style>",
                "\"a>b{}\"",
                "/",
                "<script>",
                "\"if (a<b) x='</p>'\"",
                "/",
                "<svg svg>",
                "<style svg>",
                "\"s<\"",
                "/",
                "<image href=q svg>",
                "/",
                "/",
                "<noscript>",
                "\"<b>n</b>\"",
                "/",
                "<script>",
                "/",
                "/"
            ]
        );
    }

    #[test]
    fn foreign_content_returns_to_html_where_svg_says() {
        let markup = "<svg><foreignObject><div><img></div></foreignObject><linearGradient></linearGradient></svg>";
        assert_eq!(
            nodes(markup).unwrap(),
            [
                "<svg svg>",
                "<foreignObject svg>",
                "<div>",
                "<img>",
                "/",
                "/",
                "/",
                "<linearGradient svg>",
                "/",
                "/"
            ]
        );
    }

    #[test]
    fn template_contents_are_not_reported() {
        let markup = "<div><template id=\"t\"><p>x<script>'</template>'</script></p><template><i></i></template></template><b></b></div>";
        assert_eq!(
            nodes(markup).unwrap(),
            ["<div>", "<template id=t>", "/", "<b>", "/", "/"]
        );
    }

    #[test]
    fn what_the_serializer_never_writes_is_refused() {
        for markup in [
            "<div>",
            "<div></span>",
            "<div><!-- open</div>",
            "<div title=x></div>",
            "<div title=\"x></div>",
            "<style>a",
            "text<div></div>",
            "<!doctype html>",
        ] {
            assert!(nodes(markup).is_err(), "{markup}");
        }
    }

    #[test]
    fn unescapes_only_what_the_serializer_escapes() {
        assert_eq!(unescape("a &amp;lt; &copy; &"), "a &lt; &copy; &");
        assert!(matches!(unescape("plain"), Cow::Borrowed("plain")));
    }
}
