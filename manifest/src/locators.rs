//! How a test finds again the element a step acted on, read from the page
//! at that moment ([`PageModel`]): the control the click landed in (the
//! button around its icon, by the recorder's own rule), that control's
//! ARIA role (explicit, else the one its tag and type imply), and a CSS
//! path to it (an `id` or a test id when unique, else tags and positions
//! up to its document or shadow root), with the frames it is inside.

use crate::page_model::PageModel;
use crate::NodeData;

/// How many ancestors a click's target may be below its control (as the
/// recorder's `acted_on`).
const MAX_CONTROL_DEPTH: usize = 6;

/// Where an element is, for a test: the CSS paths of the frames it is
/// inside (outermost first), then its own within its document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElementPath {
    /// Each frame element's path, outermost first.
    pub frames: Vec<String>,
    /// The element's path within the innermost document (shadow roots
    /// pierced: the path starts at the root it is in).
    pub css: String,
}

fn is_control(tag: &str) -> bool {
    matches!(
        tag,
        "button" | "a" | "input" | "select" | "textarea" | "label" | "summary" | "option"
    )
}

/// The control a click on `target` acted on: the nearest ancestor (or
/// itself) that is one or has a role; else `target`.
pub fn control_of(model: &PageModel, target: u32) -> u32 {
    let mut id = target;
    for _ in 0..=MAX_CONTROL_DEPTH {
        let Some((tag, attrs)) = model.element(id) else {
            break;
        };
        if is_control(tag) || attrs.iter().any(|(n, _)| n == "role") {
            return id;
        }
        match model.node(id) {
            Some(node) if model.element(node.parent).is_some() => id = node.parent,
            _ => break,
        }
    }
    target
}

/// The element's ARIA role: its `role` attribute's first word, else the
/// one its tag (and an input's type) implies, for the elements a person
/// acts on or reads as landmarks. `None` when it has none worth naming.
pub fn role_of(model: &PageModel, id: u32) -> Option<String> {
    let (tag, attrs) = model.element(id)?;
    let attr = |name: &str| {
        attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.to_ascii_lowercase())
    };
    if let Some(role) = attr("role").and_then(|r| r.split_whitespace().next().map(str::to_string)) {
        return Some(role);
    }
    let role = match tag {
        "button" => "button",
        "a" | "area" if attr("href").is_some() => "link",
        "textarea" => "textbox",
        "select" if attr("multiple").is_some() => "listbox",
        "select" => "combobox",
        "option" => "option",
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => "heading",
        "img" if attr("alt").is_some_and(|a| !a.is_empty()) => "img",
        "summary" => "button",
        "input" => match attr("type").as_deref().unwrap_or("text") {
            "button" | "submit" | "reset" | "image" => "button",
            "checkbox" => "checkbox",
            "radio" => "radio",
            "range" => "slider",
            "number" => "spinbutton",
            "search" => "searchbox",
            "text" | "email" | "tel" | "url" | "" => "textbox",
            _ => return None,
        },
        _ => return None,
    };
    Some(role.to_string())
}

/// Is `text` an identifier CSS takes after `#` without escaping?
fn is_plain_ident(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// A CSS string literal of `text` (double-quoted, escaped).
fn css_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push_str(&format!("\\{:x} ", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Attributes that name an element for tests, tried in this order.
const TEST_ID_ATTRIBUTES: [&str; 3] = ["data-testid", "data-test", "data-cy"];

/// Where `id` is: the frames around it and its path within its document.
pub fn element_path(model: &PageModel, id: u32) -> ElementPath {
    // One path per document, innermost first.
    let mut segments: Vec<Vec<String>> = vec![Vec::new()];
    // Whether the innermost document's path is complete (a unique name
    // found, or a shadow root reached: a test's CSS pierces shadow roots).
    let mut complete = false;
    let mut at = id;
    // One parent up each turn: the model is a tree, so this ends.
    while let Some(node) = model.node(at) {
        match &node.data {
            NodeData::Element { tag, .. } if !complete => {
                let segment = segments.last_mut().expect("one segment at least");
                match unique_name(model, at, tag) {
                    Some(name) => {
                        segment.push(name);
                        complete = true;
                    }
                    None => segment.push(position_step(model, at, tag)),
                }
            }
            NodeData::ShadowRoot { .. } => complete = true,
            NodeData::FrameDocument { .. } => {
                segments.push(Vec::new());
                complete = false;
            }
            NodeData::Document => break,
            _ => {}
        }
        at = node.parent;
    }
    let mut paths: Vec<String> = segments
        .into_iter()
        .rev()
        .map(|mut parts| {
            parts.reverse();
            parts.join(" > ")
        })
        .collect();
    let css = paths.pop().unwrap_or_default();
    ElementPath { frames: paths, css }
}

/// `#id` or `[data-testid="…"]` when the page has one element with it.
fn unique_name(model: &PageModel, id: u32, tag: &str) -> Option<String> {
    if let Some(value) = model.attribute(id, "id") {
        if is_plain_ident(value) && model.count_with("id", value) == 1 {
            return Some(format!("#{value}"));
        }
    }
    for name in TEST_ID_ATTRIBUTES {
        if let Some(value) = model.attribute(id, name) {
            if model.count_with(name, value) == 1 {
                return Some(format!("{tag}[{name}={}]", css_string(value)));
            }
        }
    }
    None
}

/// `tag`, or `tag:nth-of-type(n)` when its parent has others of its tag.
fn position_step(model: &PageModel, id: u32, tag: &str) -> String {
    let siblings: Vec<u32> = model
        .node(id)
        .and_then(|n| model.node(n.parent))
        .map(|p| {
            p.children
                .iter()
                .copied()
                .filter(|c| model.element(*c).is_some_and(|(t, _)| t == tag))
                .collect()
        })
        .unwrap_or_default();
    match siblings.iter().position(|c| *c == id) {
        Some(n) if siblings.len() > 1 => format!("{tag}:nth-of-type({})", n + 1),
        _ => tag.to_string(),
    }
}
