//! A [`PageModel`] as HTML text, for reading (a coding agent's "the page
//! at 0:12.3"), not for running: script elements come empty (the recording
//! never holds their code), the recording's own marks (`data-repro-*`) and
//! inlined stylesheets are left out, a shadow root is written as a
//! declarative `<template shadowrootmode>`, a frame's document inside its
//! frame element after a comment saying so. Cut at a size, saying so.

use crate::page_model::PageModel;
use crate::NodeData;

/// Elements without an end tag.
const VOID: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param",
];

fn escape_text(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

fn escape_attribute(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            c => out.push(c),
        }
    }
}

/// A comment's text that cannot end the comment early.
fn comment_text(text: &str) -> String {
    text.replace("--", "- -")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// What is left to write: a node's start (and its subtree), or an end tag.
enum Work {
    Node(u32),
    End(String),
}

/// The page as HTML, at most about `max_bytes` long (then cut, with a
/// comment saying where).
pub fn page_html(model: &PageModel, max_bytes: usize) -> String {
    let mut out = String::new();
    let Some(root) = model.root() else {
        return out;
    };
    let mut work = vec![Work::Node(root)];
    while let Some(next) = work.pop() {
        if out.len() > max_bytes {
            out.push_str(&format!(
                "\n<!-- cut here: the page is longer than {max_bytes} bytes -->"
            ));
            break;
        }
        let id = match next {
            Work::End(text) => {
                out.push_str(&text);
                continue;
            }
            Work::Node(id) => id,
        };
        let Some(node) = model.node(id) else {
            continue;
        };
        let mut end = String::new();
        match &node.data {
            NodeData::Document => {}
            NodeData::Doctype { name } => {
                out.push_str(&format!("<!DOCTYPE {}>", comment_text(name)));
            }
            NodeData::Text { text } => {
                let raw = model
                    .element(node.parent)
                    .is_some_and(|(tag, _)| tag == "style");
                if raw {
                    out.push_str(&text.replace("</", "<\\/"));
                } else {
                    escape_text(text, &mut out);
                }
            }
            NodeData::Comment { text } => {
                out.push_str(&format!("<!--{}-->", comment_text(text)));
            }
            NodeData::ShadowRoot { css } => {
                out.push_str("<template shadowrootmode=\"open\">");
                if !css.is_empty() {
                    out.push_str("<style>");
                    out.push_str(&css.replace("</", "<\\/"));
                    out.push_str("</style>");
                }
                end = "</template>".into();
            }
            NodeData::FrameDocument { url, .. } => {
                out.push_str(&format!(
                    "<!-- the frame's document{} -->",
                    if url.is_empty() {
                        String::new()
                    } else {
                        format!(": {}", comment_text(url))
                    }
                ));
            }
            NodeData::Element { tag, attrs, .. } => {
                out.push('<');
                out.push_str(tag);
                for (name, value) in attrs {
                    if name.starts_with("data-repro-")
                        || !crate::markup::keep_attribute(name, value)
                    {
                        continue;
                    }
                    let value = match (name.as_str(), &node.value) {
                        ("value", Some(typed)) => typed,
                        _ => value,
                    };
                    out.push(' ');
                    out.push_str(name);
                    out.push_str("=\"");
                    escape_attribute(value, &mut out);
                    out.push('"');
                }
                if let Some(typed) = &node.value {
                    if !attrs.iter().any(|(n, _)| n == "value") && tag != "textarea" {
                        out.push_str(" value=\"");
                        escape_attribute(typed, &mut out);
                        out.push('"');
                    }
                }
                if node.checked == Some(true) && !attrs.iter().any(|(n, _)| n == "checked") {
                    out.push_str(" checked");
                }
                out.push('>');
                if tag == "textarea" {
                    if let Some(typed) = &node.value {
                        escape_text(typed, &mut out);
                        out.push_str("</textarea>");
                        continue;
                    }
                }
                if !VOID.contains(&tag.as_str()) {
                    end = format!("</{tag}>");
                }
            }
        }
        if !end.is_empty() {
            work.push(Work::End(end));
        }
        work.extend(node.children.iter().rev().map(|c| Work::Node(*c)));
    }
    out
}
