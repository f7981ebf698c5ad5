//! What a person calls the element they clicked or typed into, for the
//! report's steps ("Clicked “Save changes”", "Typed 13 characters into
//! “Display name”"): its accessible-name sources in the usual order, read
//! over [`PageDom`] so that it is tested natively, and masked as the
//! recording masks: text under a masked region becomes stars, any text
//! with a secret's shape is masked, an input's value is never a label.
//!
//! A click on a part of a control (the icon in a button, the text in a
//! link) names the control: the nearest ancestor a person acts on.

use super::mask;
use super::page_dom::{NodeKind, PageDom};
use super::walk::{mask_text, NodeSerializer};

/// The longest label kept, in characters.
pub const MAX_LABEL_CHARS: usize = 80;
/// How many ancestors a click's target may be below its control.
const MAX_CONTROL_DEPTH: usize = 6;
/// How many nodes of an element's subtree its text is read from.
const MAX_TEXT_NODES: usize = 200;

/// The elements a person acts on, as named by their tag.
fn is_control(tag: &str) -> bool {
    matches!(
        tag,
        "button" | "a" | "input" | "select" | "textarea" | "label" | "summary" | "option"
    )
}

/// The control a click on `target` acted on: the nearest ancestor (or
/// itself) that is one, or that has a role; else `target`.
pub fn acted_on<D: PageDom>(dom: &D, target: &D::Node) -> D::Node {
    let mut node = target.clone();
    for _ in 0..=MAX_CONTROL_DEPTH {
        if dom.kind(&node) == NodeKind::Element {
            let (tag, _) = dom.element_name(&node);
            if is_control(&tag) || dom.attribute(&node, "role").is_some() {
                return node;
            }
        }
        match dom.parent(&node) {
            Some(parent) if dom.kind(&parent) == NodeKind::Element => node = parent,
            _ => break,
        }
    }
    target.clone()
}

/// `text` with its whitespace folded, cut to [`MAX_LABEL_CHARS`].
fn folded(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let joined = words.join(" ");
    match joined.char_indices().nth(MAX_LABEL_CHARS) {
        Some((end, _)) => format!("{}…", &joined[..end]),
        None => joined,
    }
}

/// The text of `element`'s subtree (not of scripts, styles or what is
/// hidden from assistive technology, as icons are), up to
/// [`MAX_TEXT_NODES`] nodes.
fn text_of<D: PageDom>(dom: &D, element: &D::Node) -> String {
    let mut text = String::new();
    let mut stack = vec![dom.first_child(element)];
    let mut seen = 0;
    while let Some(slot) = stack.last_mut() {
        let Some(node) = slot.take() else {
            stack.pop();
            continue;
        };
        *slot = dom.next_sibling(&node);
        seen += 1;
        if seen > MAX_TEXT_NODES || text.len() > 4 * MAX_LABEL_CHARS {
            break;
        }
        match dom.kind(&node) {
            NodeKind::Text => {
                text.push_str(&dom.text(&node));
                text.push(' ');
            }
            NodeKind::Element => {
                let (tag, _) = dom.element_name(&node);
                let hidden = dom.attribute(&node, "aria-hidden").as_deref() == Some("true");
                if !hidden && !matches!(tag.as_str(), "script" | "style" | "template") {
                    stack.push(dom.first_child(&node));
                }
            }
            _ => {}
        }
    }
    text
}

/// What a person calls `element`, masked as the recording masks; empty
/// when nothing names it.
pub fn label_of<D: PageDom>(serializer: &NodeSerializer<D>, element: &D::Node) -> String {
    let dom = serializer.dom();
    let attribute = |name: &str| {
        dom.attribute(element, name)
            .map(|v| folded(&v))
            .filter(|v| !v.is_empty())
    };
    let (tag, _) = dom.element_name(element);
    let input_type = attribute("type").unwrap_or_default().to_ascii_lowercase();
    let masked = serializer.masks_text_under(Some(element));
    let as_text = |text: String| match masked {
        true => mask_text(&text),
        false => mask::free_text(text),
    };
    if let Some(label) = attribute("aria-label") {
        return mask::attribute_value("aria-label", label);
    }
    // A field inside its <label>: the label's text.
    if matches!(tag.as_str(), "input" | "select" | "textarea") {
        let mut up = dom.parent(element);
        for _ in 0..3 {
            let Some(parent) = up else { break };
            if dom.kind(&parent) == NodeKind::Element && dom.element_name(&parent).0 == "label" {
                let text = folded(&text_of(dom, &parent));
                if !text.is_empty() {
                    return as_text(text);
                }
            }
            up = dom.parent(&parent);
        }
    }
    // A button's face: its text, or an input button's value.
    let text = match (tag.as_str(), input_type.as_str()) {
        ("input", "button" | "submit" | "reset") => attribute("value").unwrap_or_default(),
        ("input" | "select" | "textarea", _) => String::new(),
        _ => folded(&text_of(dom, element)),
    };
    if !text.is_empty() {
        return as_text(text);
    }
    for name in ["title", "alt", "placeholder", "name", "id"] {
        if let Some(value) = attribute(name) {
            return mask::attribute_value(name, value);
        }
    }
    String::new()
}
