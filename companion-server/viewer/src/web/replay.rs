//! Rebuilding a recorded page inside the sandboxed iframe and applying DOM
//! events to it. Every attribute passes the format's markup rules again.

use std::collections::HashMap;

use repro_manifest::{DomEvent, NodeData, NodeRecord, INLINED_CSS_ATTRIBUTE};
use wasm_bindgen::JsCast;

use crate::replay_rules::replayable;
use web_sys::{Document, Element, HtmlIFrameElement, Node};

const SVG_NS: &str = "http://www.w3.org/2000/svg";

/// The replayed page: the iframe's document and the node of every id.
pub struct Replay {
    iframe: HtmlIFrameElement,
    nodes: HashMap<u32, Node>,
    base_url: String,
    /// Called with the viewport size when it changes.
    pub on_viewport: Box<dyn Fn(u32, u32)>,
    /// Called with the position of a click, in page pixels.
    pub on_click: Box<dyn Fn(i32, i32)>,
}

// The replayed nodes live in the iframe's realm, where `instanceof` against
// this window's classes fails: `dyn_ref` would always say no. Check node
// types and tag names instead, then cast.

/// `node` as an element, if it is one.
fn as_element(node: &Node) -> Option<Element> {
    (node.node_type() == Node::ELEMENT_NODE).then(|| node.clone().unchecked_into())
}

/// `element` as a form control whose value can be set, if it is one.
enum Control {
    Input(web_sys::HtmlInputElement),
    TextArea(web_sys::HtmlTextAreaElement),
}

fn as_control(element: &Element) -> Option<Control> {
    match element.local_name().as_str() {
        "input" => Some(Control::Input(element.clone().unchecked_into())),
        "textarea" => Some(Control::TextArea(element.clone().unchecked_into())),
        _ => None,
    }
}

impl Replay {
    /// A replay into `iframe`.
    pub fn new(iframe: HtmlIFrameElement) -> Self {
        Replay {
            iframe,
            nodes: HashMap::new(),
            base_url: String::new(),
            on_viewport: Box::new(|_, _| {}),
            on_click: Box::new(|_, _| {}),
        }
    }

    fn document(&self) -> Option<Document> {
        self.iframe.content_document()
    }

    /// Apply one event.
    pub fn apply(&mut self, event: &DomEvent, page_url: &str) {
        match event {
            DomEvent::Snapshot {
                nodes,
                viewport,
                scroll,
                ..
            } => {
                self.rebuild(nodes, page_url);
                (self.on_viewport)(viewport.w, viewport.h);
                self.scroll_document(scroll.0, scroll.1);
            }
            DomEvent::Mutation {
                removes,
                adds,
                attrs,
                texts,
                ..
            } => {
                for id in removes {
                    if let Some(node) = self.nodes.remove(id) {
                        if let Some(parent) = node.parent_node() {
                            let _ = parent.remove_child(&node);
                        }
                    }
                }
                for record in adds {
                    self.insert(record);
                }
                for change in attrs {
                    let Some(element) = self.nodes.get(&change.id).and_then(as_element) else {
                        continue;
                    };
                    match &change.value {
                        Some(value) => self.set_attribute(&element, &change.name, value),
                        None => {
                            let _ = element.remove_attribute(&change.name);
                        }
                    }
                }
                for change in texts {
                    if let Some(node) = self.nodes.get(&change.id) {
                        node.set_text_content(Some(&change.text));
                    }
                }
            }
            DomEvent::Input {
                id, value, checked, ..
            } => {
                let Some(element) = self.nodes.get(id).and_then(as_element) else {
                    return;
                };
                match (as_control(&element), value) {
                    (Some(Control::Input(input)), value) => {
                        if let Some(value) = value {
                            input.set_value(value);
                        }
                        if let Some(checked) = checked {
                            input.set_checked(*checked);
                        }
                    }
                    (Some(Control::TextArea(area)), Some(value)) => area.set_value(value),
                    _ => {}
                }
            }
            DomEvent::Scroll { id, x, y, .. } => match self.nodes.get(id).and_then(as_element) {
                Some(element) => {
                    element.set_scroll_left(*x);
                    element.set_scroll_top(*y);
                }
                None => self.scroll_document(*x, *y),
            },
            DomEvent::Click { x, y, .. } => (self.on_click)(*x, *y),
            DomEvent::Viewport { size, .. } => (self.on_viewport)(size.w, size.h),
        }
    }

    fn scroll_document(&self, x: i32, y: i32) {
        if let Some(window) = self.iframe.content_window() {
            window.scroll_to_with_x_and_y(x as f64, y as f64);
        }
    }

    fn rebuild(&mut self, nodes: &[NodeRecord], page_url: &str) {
        self.nodes.clear();
        self.base_url = page_url.to_string();
        let Some(document) = self.document() else {
            return;
        };
        // Reopen the document so that it renders in standards mode, then empty it.
        let html: &web_sys::HtmlDocument = document.unchecked_ref();
        if html.open().is_ok() {
            let _ = html.write(&js_sys::Array::of1(&"<!DOCTYPE html>".into()));
            let _ = html.close();
        }
        while let Some(child) = document.first_child() {
            let _ = document.remove_child(&child);
        }
        for record in nodes {
            self.insert(record);
        }
    }

    fn set_attribute(&self, element: &Element, name: &str, value: &str) {
        let tag = element.local_name();
        if !replayable(&tag, name, value) {
            return;
        }
        let _ = element.set_attribute(name, value);
        match (name, as_control(element)) {
            ("value", Some(Control::Input(input))) => input.set_value(value),
            ("value", Some(Control::TextArea(area))) => area.set_value(value),
            ("checked", Some(Control::Input(input))) => input.set_checked(true),
            _ => {}
        }
    }

    fn create(&self, document: &Document, data: &NodeData) -> Option<Node> {
        let node: Node = match data {
            NodeData::Document => document.clone().into(),
            NodeData::Doctype { name } => document
                .implementation()
                .ok()?
                .create_document_type(name, "", "")
                .ok()?
                .into(),
            NodeData::Text { text } => document.create_text_node(text).into(),
            NodeData::Comment { text } => document.create_comment(text).into(),
            NodeData::Element { tag, attrs, svg } => {
                // Scripts never come back to life: an inert comment keeps the id.
                if tag.eq_ignore_ascii_case("script") {
                    return Some(document.create_comment("script").into());
                }
                let inlined = attrs
                    .iter()
                    .find(|(n, _)| n == INLINED_CSS_ATTRIBUTE)
                    .map(|(_, v)| v.clone());
                if let (Some(css), "link") = (&inlined, tag.as_str()) {
                    let style = document.create_element("style").ok()?;
                    style.set_text_content(Some(css));
                    return Some(style.into());
                }
                let element = if *svg {
                    document.create_element_ns(Some(SVG_NS), tag).ok()?
                } else {
                    document.create_element(tag).ok()?
                };
                for (name, value) in attrs {
                    self.set_attribute(&element, name, value);
                }
                if tag == "head" {
                    if let Ok(base) = document.create_element("base") {
                        let _ = base.set_attribute("href", &self.base_url);
                        let _ = element.append_child(&base);
                    }
                }
                element.into()
            }
        };
        Some(node)
    }

    fn insert(&mut self, record: &NodeRecord) {
        let Some(document) = self.document() else {
            return;
        };
        let Some(node) = self.create(&document, &record.data) else {
            return;
        };
        if !matches!(record.data, NodeData::Document) {
            let Some(parent) = self.nodes.get(&record.parent) else {
                return;
            };
            let before = record.before.and_then(|id| self.nodes.get(&id));
            if parent.insert_before(&node, before).is_err() {
                return;
            }
        }
        self.nodes.insert(record.id, node);
    }
}
