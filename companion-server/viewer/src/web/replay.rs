//! The replay's browser side: [`crate::replay_core::ReplayTarget`] over
//! the sandboxed iframe's document, and the player's view of a replay.

use repro_manifest::DomEvent;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlIFrameElement, Node};

use crate::replay_core::{Effect, ReplayTarget, Replayer};

const SVG_NS: &str = "http://www.w3.org/2000/svg";

/// The replayed page in its iframe, with what the player shows around it.
pub struct Replay {
    replayer: Replayer<IframeDocument>,
    /// Called with the viewport size when it changes (and by [`Replay::refit`]).
    pub on_viewport: Box<dyn Fn(u32, u32)>,
    /// The recorded viewport shown last.
    viewport: Option<(u32, u32)>,
    /// Called with the position of a click, in page pixels.
    pub on_click: Box<dyn Fn(i32, i32)>,
}

impl Replay {
    /// A replay into `iframe`.
    pub fn new(iframe: HtmlIFrameElement) -> Self {
        Replay {
            replayer: Replayer::new(IframeDocument { iframe }),
            on_viewport: Box::new(|_, _| {}),
            viewport: None,
            on_click: Box::new(|_, _| {}),
        }
    }

    /// Load the page's assets from the server's copies, and nothing from
    /// any other host (see [`crate::stored_assets`]).
    pub fn use_stored_assets(&mut self, assets: crate::stored_assets::StoredAssets) {
        self.replayer.use_stored_assets(assets);
    }

    /// Fit the replay to its stage again (the window, the panels' width or
    /// full screen changed).
    pub fn refit(&self) {
        if let Some((w, h)) = self.viewport {
            (self.on_viewport)(w, h);
        }
    }

    /// Apply one event of a page recorded at `page_url`.
    pub fn apply(&mut self, event: &DomEvent, page_url: &str) {
        match self.replayer.apply(event, page_url) {
            Some(Effect::Viewport(w, h)) => {
                self.viewport = Some((w, h));
                (self.on_viewport)(w, h)
            }
            Some(Effect::Click(x, y)) => (self.on_click)(x, y),
            None => {}
        }
    }
}

/// The iframe's document, as the replay builds it.
pub struct IframeDocument {
    iframe: HtmlIFrameElement,
}

// The replayed nodes live in the iframe's realm, where `instanceof` against
// this window's classes fails: `dyn_ref` would always say no. Check node
// types and tag names instead, then cast.

/// `node` as an element, if it is one.
fn as_element(node: &Node) -> Option<&Element> {
    (node.node_type() == Node::ELEMENT_NODE).then(|| node.unchecked_ref())
}

/// Reopen `document` so that it renders in the recorded page's mode (a
/// doctype or none), then empty it.
fn empty_in_mode(document: &Document, standards: bool) {
    let html: &web_sys::HtmlDocument = document.unchecked_ref();
    if html.open().is_ok() {
        let start = if standards { "<!DOCTYPE html>" } else { "" };
        let _ = html.write(&js_sys::Array::of1(&start.into()));
        let _ = html.close();
    }
    while let Some(child) = document.first_child() {
        let _ = document.remove_child(&child);
    }
}

impl IframeDocument {
    fn doc(&self) -> Option<Document> {
        self.iframe.content_document()
    }
}

impl ReplayTarget for IframeDocument {
    type Node = Node;

    fn fresh_document(&mut self, standards: bool) -> bool {
        match self.doc() {
            Some(document) => {
                empty_in_mode(&document, standards);
                true
            }
            None => false,
        }
    }

    fn frame_document(&mut self, frame: &Node, standards: bool) -> Option<Node> {
        let frame = as_element(frame)?;
        if !matches!(frame.local_name().as_str(), "iframe" | "frame") {
            return None;
        }
        // A frame of the replay has no source: its document is the initial
        // empty one, in this realm's reach.
        let document = frame
            .unchecked_ref::<HtmlIFrameElement>()
            .content_document()?;
        empty_in_mode(&document, standards);
        Some(document.into())
    }

    fn document(&self) -> Option<Node> {
        self.doc().map(Node::from)
    }

    fn create_doctype(&mut self, name: &str) -> Option<Node> {
        self.doc()?
            .implementation()
            .ok()?
            .create_document_type(name, "", "")
            .ok()
            .map(Node::from)
    }

    fn create_element(&mut self, tag: &str, svg: bool) -> Option<Node> {
        let document = self.doc()?;
        let element = if svg {
            document.create_element_ns(Some(SVG_NS), tag)
        } else {
            document.create_element(tag)
        };
        element.ok().map(Node::from)
    }

    fn create_text(&mut self, text: &str) -> Option<Node> {
        Some(self.doc()?.create_text_node(text).into())
    }

    fn create_comment(&mut self, text: &str) -> Option<Node> {
        Some(self.doc()?.create_comment(text).into())
    }

    fn attach_shadow(&mut self, host: &Node) -> Option<Node> {
        let host = as_element(host)?;
        let init = web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open);
        host.attach_shadow(&init).ok().map(Into::into)
    }

    fn local_name(&self, node: &Node) -> Option<String> {
        as_element(node).map(Element::local_name)
    }

    fn parent(&self, node: &Node) -> Option<Node> {
        let parent = node.parent_node()?;
        // (By node type: the replayed nodes are of the replay frame's realm.)
        if parent.node_type() == Node::DOCUMENT_FRAGMENT_NODE {
            return js_sys::Reflect::get(&parent, &wasm_bindgen::JsValue::from_str("host"))
                .ok()
                .and_then(|host| host.dyn_into::<Node>().ok());
        }
        Some(parent)
    }

    fn attribute(&self, element: &Node, name: &str) -> Option<String> {
        as_element(element)?.get_attribute(name)
    }

    fn set_attribute(&mut self, element: &Node, namespace: Option<&str>, name: &str, value: &str) {
        if let Some(element) = as_element(element) {
            let _ = match namespace {
                Some(namespace) => element.set_attribute_ns(Some(namespace), name, value),
                None => element.set_attribute(name, value),
            };
        }
    }

    fn remove_attribute(&mut self, element: &Node, namespace: Option<&str>, name: &str) {
        if let Some(element) = as_element(element) {
            let _ = match namespace {
                Some(namespace) => {
                    let local = name.split_once(':').map_or(name, |(_, local)| local);
                    element.remove_attribute_ns(Some(namespace), local)
                }
                None => element.remove_attribute(name),
            };
        }
    }

    fn insert(&mut self, parent: &Node, node: &Node, before: Option<&Node>) -> bool {
        parent.insert_before(node, before).is_ok()
    }

    fn remove(&mut self, node: &Node) {
        if let Some(parent) = node.parent_node() {
            let _ = parent.remove_child(node);
        }
    }

    fn set_text(&mut self, node: &Node, text: &str) {
        node.set_text_content(Some(text));
    }

    fn set_value(&mut self, control: &Node, value: &str) {
        match self.local_name(control).as_deref() {
            Some("input") => control
                .unchecked_ref::<web_sys::HtmlInputElement>()
                .set_value(value),
            Some("textarea") => control
                .unchecked_ref::<web_sys::HtmlTextAreaElement>()
                .set_value(value),
            Some("select") => control
                .unchecked_ref::<web_sys::HtmlSelectElement>()
                .set_value(value),
            _ => {}
        }
    }

    fn set_checked(&mut self, input: &Node, checked: bool) {
        if self.local_name(input).as_deref() == Some("input") {
            input
                .unchecked_ref::<web_sys::HtmlInputElement>()
                .set_checked(checked);
        }
    }

    fn show_modal(&mut self, dialog: &Node) {
        let dialog: &web_sys::HtmlDialogElement = dialog.unchecked_ref();
        if dialog.open() {
            dialog.close();
        }
        let _ = dialog.show_modal();
    }

    fn close_dialog(&mut self, dialog: &Node) {
        dialog.unchecked_ref::<web_sys::HtmlDialogElement>().close();
    }

    fn show_popover(&mut self, element: &Node, open: bool) {
        let element: &web_sys::HtmlElement = element.unchecked_ref();
        // Throws when it already is as asked: nothing to do then.
        let _ = if open {
            element.show_popover()
        } else {
            element.hide_popover()
        };
    }

    fn scroll(&mut self, element: Option<&Node>, x: i32, y: i32) {
        // A frame's document scrolls its own window.
        let frame_window = element
            .filter(|node| node.node_type() == Node::DOCUMENT_NODE)
            .and_then(|node| node.unchecked_ref::<Document>().default_view());
        match element.and_then(as_element) {
            Some(element) => {
                element.set_scroll_left(x);
                element.set_scroll_top(y);
            }
            None if frame_window.is_some() => {
                if let Some(window) = frame_window {
                    window.scroll_to_with_x_and_y(x as f64, y as f64);
                }
            }
            None => {
                if let Some(window) = self.iframe.content_window() {
                    window.scroll_to_with_x_and_y(x as f64, y as f64);
                }
            }
        }
    }

    fn select(&mut self, anchor: Option<(&Node, u32)>, focus: Option<(&Node, u32)>) {
        let range = anchor.zip(focus);
        // An offset past a node's end means its end (masked text can be
        // shorter than the text was, in UTF-16 units).
        let clamp = |node: &Node, offset: u32| {
            let length = match node.node_type() {
                Node::TEXT_NODE => node
                    .node_value()
                    .map_or(0, |text| js_sys::JsString::from(text).length()),
                _ => node.child_nodes().length(),
            };
            offset.min(length)
        };
        let document = range
            .as_ref()
            .and_then(|((anchor, _), _)| anchor.owner_document())
            .or_else(|| self.doc());
        let Some(selection) = document.and_then(|d| d.get_selection().ok().flatten()) else {
            return;
        };
        match range {
            Some(((anchor, a), (focus, f))) => {
                let _ =
                    selection.set_base_and_extent(anchor, clamp(anchor, a), focus, clamp(focus, f));
            }
            None => {
                let _ = selection.remove_all_ranges();
            }
        }
    }
}
