//! Rendering recorded (already masked) nodes back to HTML text, for the
//! outer HTML a mark carries. Only what the recorder kept can appear here.

use repro_manifest::markup::escape_html;
use repro_manifest::{NodeData, NodeRecord};

/// Elements that have no end tag.
const VOID: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param",
];

/// HTML of the subtree in `records` (the first record is its root), cut to
/// `max_chars` with an ellipsis.
pub fn render(records: &[NodeRecord], max_chars: usize) -> String {
    let mut out = String::new();
    // Open elements, innermost last: (id, tag).
    let mut open: Vec<(u32, &str)> = Vec::new();
    for record in records {
        while let Some((id, tag)) = open.last() {
            if *id == record.parent {
                break;
            }
            out.push_str(&format!("</{tag}>"));
            open.pop();
        }
        match &record.data {
            NodeData::Element { tag, attrs, .. } => {
                out.push('<');
                out.push_str(tag);
                for (name, value) in attrs
                    .iter()
                    .filter(|(n, _)| n != repro_manifest::INLINED_CSS_ATTRIBUTE)
                {
                    out.push_str(&format!(" {name}=\"{}\"", escape_html(value)));
                }
                out.push('>');
                if !VOID.contains(&tag.as_str()) {
                    open.push((record.id, tag));
                }
            }
            NodeData::Text { text } => out.push_str(&escape_html(text)),
            NodeData::ShadowRoot { .. } => {
                out.push_str("<template shadowrootmode=\"open\">");
                open.push((record.id, "template"));
            }
            NodeData::Comment { .. }
            | NodeData::Doctype { .. }
            | NodeData::Document
            | NodeData::FrameDocument { .. } => {}
        }
        if out.chars().count() > max_chars {
            break;
        }
    }
    while let Some((_, tag)) = open.pop() {
        out.push_str(&format!("</{tag}>"));
    }
    match out.char_indices().nth(max_chars) {
        Some((at, _)) => format!("{}…", &out[..at]),
        None => out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn element(id: u32, parent: u32, tag: &str, attrs: &[(&str, &str)]) -> NodeRecord {
        let attrs = attrs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        NodeRecord {
            id,
            parent,
            before: None,
            data: NodeData::Element {
                tag: tag.into(),
                attrs,
                svg: false,
            },
        }
    }

    fn text(id: u32, parent: u32, text: &str) -> NodeRecord {
        NodeRecord {
            id,
            parent,
            before: None,
            data: NodeData::Text { text: text.into() },
        }
    }

    #[test]
    fn renders_nested_markup_escaped() {
        let records = vec![
            element(1, 0, "ul", &[("class", "list")]),
            element(2, 1, "li", &[]),
            text(3, 2, "a < b"),
            element(4, 1, "li", &[("title", "say \"hi\"")]),
            element(5, 4, "input", &[("value", "****")]),
            text(6, 4, "x"),
        ];
        assert_eq!(
            render(&records, 500),
            "<ul class=\"list\"><li>a &lt; b</li><li title=\"say &quot;hi&quot;\"><input value=\"****\">x</li></ul>"
        );
        assert_eq!(render(&records, 10), "<ul class=…");
    }
}
