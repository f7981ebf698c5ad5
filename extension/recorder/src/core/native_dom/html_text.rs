//! A [`NativeDom`] written back as HTML text, in the form
//! `fixture_html` reads: the same document always gives the same text, so
//! a page and its replay can be compared as strings.

use super::fixture_html::{RAW_TEXT, VOID};
use super::{NativeDom, NodeRef};
use crate::core::page_dom::NodeKind;

/// The whole document.
pub fn document_html(dom: &NativeDom) -> String {
    let mut out = String::new();
    for child in &dom.node(&dom.document()).children {
        write_node(dom, NodeRef(*child), &mut out);
    }
    out
}

fn write_node(dom: &NativeDom, node: NodeRef, out: &mut String) {
    let data = dom.node(&node);
    match data.kind {
        NodeKind::Doctype => {
            out.push_str("<!DOCTYPE ");
            out.push_str(&data.name);
            out.push('>');
        }
        NodeKind::Text => {
            let raw = data
                .parent
                .map(|p| dom.nodes[p].clone())
                .is_some_and(|p| !p.svg && RAW_TEXT.contains(&p.name.as_str()));
            if raw {
                out.push_str(&data.text);
            } else {
                escape_into(&data.text, false, out);
            }
        }
        NodeKind::Comment => {
            out.push_str("<!--");
            out.push_str(&data.text);
            out.push_str("-->");
        }
        NodeKind::Element => {
            out.push('<');
            out.push_str(&data.name);
            write_attributes(&data.attrs, out);
            out.push('>');
            if !data.svg && VOID.contains(&data.name.as_str()) {
                return;
            }
            if let Some(shadow) = data.shadow {
                write_node(dom, NodeRef(shadow), out);
            }
            for child in &data.children {
                write_node(dom, NodeRef(*child), out);
            }
            out.push_str("</");
            out.push_str(&data.name);
            out.push('>');
        }
        NodeKind::ShadowRoot => {
            out.push_str("<template shadowrootmode=\"open\">");
            for child in &data.children {
                write_node(dom, NodeRef(*child), out);
            }
            out.push_str("</template>");
        }
        NodeKind::FrameDocument => {
            out.push_str("<template framedocument");
            if data.quirks {
                out.push_str(" quirks");
            }
            write_attributes(&data.attrs, out);
            out.push('>');
            for child in &data.children {
                write_node(dom, NodeRef(*child), out);
            }
            out.push_str("</template>");
        }
        NodeKind::Document | NodeKind::Other => {}
    }
}

/// ` name="value"` for each attribute.
fn write_attributes(attrs: &[(String, String)], out: &mut String) {
    for (name, value) in attrs {
        out.push(' ');
        out.push_str(name);
        out.push_str("=\"");
        escape_into(value, true, out);
        out.push('"');
    }
}

fn escape_into(text: &str, in_attribute: bool, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' if !in_attribute => out.push_str("&lt;"),
            '>' if !in_attribute => out.push_str("&gt;"),
            '"' if in_attribute => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixture_reads_back_as_it_was_written() {
        let html = "<!DOCTYPE html><html><head><title>a &lt; b</title><style>p > a { color: red }</style></head>\
            <body><p class=\"x\" title=\"say &quot;hi&quot;\">one &amp; two<br><img src=\"a.png\"></p>\
            <!-- note --><svg viewBox=\"0 0 1 1\"><linearGradient id=\"g\"></linearGradient></svg></body></html>";
        let dom = NativeDom::parse(html).expect("fixture");
        let again = NativeDom::parse(&dom.html()).expect("its own text");
        assert_eq!(again.html(), dom.html());
        assert!(dom.html().contains("<style>p > a { color: red }</style>"));
        assert!(dom
            .html()
            .contains("<linearGradient id=\"g\"></linearGradient>"));
        assert!(dom
            .html()
            .contains("one &amp; two<br><img src=\"a.png\"></p>"));
    }
}
