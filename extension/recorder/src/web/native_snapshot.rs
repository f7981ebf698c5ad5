//! The first snapshot read from the browser's own serializer, for pages of
//! up to [`MAX_ELEMENTS`] elements: the document's markup (`outerHTML`) and
//! the list of its nodes in document order (an XPath node-set snapshot) are
//! taken in one task, so they describe the same instant; the markup is read
//! back and masked in wasm; the nodes get their ids afterwards, a slice at
//! a time, from the list, which no later change of the page alters.
//!
//! A walk from script pays two or more crossings between wasm and the DOM
//! per node; this pays the serializer's native pass and one crossing per
//! node for its id (measured on the benchmark's 10k page: `outerHTML` 2.6
//! ms, the node list 0.8 ms; rrweb's whole snapshot 114–160 ms).
//!
//! The markup and the list must agree node for node. They do unless the
//! serializer merged or dropped something (two texts side by side, an empty
//! text, children of a void element), which shows as fewer nodes read than
//! listed; then, or when anything else does not check out, nothing of this
//! is kept and the page is walked as before ([`super::dom_walk`]). What the
//! masking asks of live elements (form values, the block and mask
//! selectors' matches, stylesheets) is read from the elements themselves and
//! checked against the markup's names.

use repro_manifest::{NodeData, NodeRecord};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlInputElement, Node};

use super::dom_walk::INLINED_CSS_ATTRIBUTE;
use super::dom_walk::{blocked_placeholder, inline_stylesheet, mask_text, NodeSerializer};
use super::written_nodes::WrittenNodes;
use crate::core::mask;
use crate::core::serialized_markup::{self, MarkupNode, Namespace};
use repro_manifest::markup::{keep_attribute, skip_children};

/// Pages with more elements than this are walked: the serializer's pass is
/// one task, which on the 100k page (55k elements) took 21–51 ms, over the
/// 50 ms a task may take before it counts as long.
pub const MAX_ELEMENTS: u32 = 20_000;

/// Elements whose live state the record needs: form values and linked
/// stylesheets.
const LIVE: &str = "input,textarea,select,link";

/// Is `name` one of the [`LIVE`] elements?
fn is_live(name: &str) -> bool {
    matches!(name, "input" | "textarea" | "select" | "link")
}

/// `XPathResult.ORDERED_NODE_SNAPSHOT_TYPE`.
const ORDERED_NODE_SNAPSHOT: u16 = 7;

#[wasm_bindgen]
extern "C" {
    /// A document, for `evaluate` with the one expression used here.
    type Evaluating;
    #[wasm_bindgen(method, catch, js_name = evaluate)]
    fn evaluate(
        this: &Evaluating,
        expression: &str,
        context: &Node,
        resolver: &JsValue,
        kind: u16,
    ) -> Result<NodesInOrder, JsValue>;

    /// An ordered node-set snapshot: the nodes as they were when it was taken.
    type NodesInOrder;
    #[wasm_bindgen(method, getter, js_name = snapshotLength)]
    fn length(this: &NodesInOrder) -> u32;
    #[wasm_bindgen(method, js_name = snapshotItem)]
    fn item(this: &NodesInOrder, index: u32) -> Option<Node>;

    /// An element, for its outer HTML as a JS string.
    type Serializable;
    #[wasm_bindgen(method, getter, js_name = outerHTML)]
    fn outer_html(this: &Serializable) -> Markup;

    /// Markup as a JS string.
    type Markup;

    /// The browser's UTF-8 encoder.
    #[wasm_bindgen(js_name = TextEncoder)]
    type Utf8Encoder;
    #[wasm_bindgen(constructor, js_class = "TextEncoder")]
    fn new() -> Utf8Encoder;
    #[wasm_bindgen(method, js_class = "TextEncoder")]
    fn encode(this: &Utf8Encoder, text: &Markup) -> js_sys::Uint8Array;

    /// A document, for `querySelectorAll` with a selector that may not parse.
    type Selecting;
    #[wasm_bindgen(method, catch, js_name = querySelectorAll)]
    fn select_all(this: &Selecting, selectors: &str) -> Result<web_sys::NodeList, JsValue>;
}

/// A snapshot read from the markup, whose nodes are still to get their ids.
pub struct NativeSnapshot {
    /// The document and its id (the node list holds only what is under it).
    document: (Node, u32),
    nodes: NodesInOrder,
    /// The id of each node of `nodes` (0: not recorded).
    ids: Vec<u32>,
    /// How many of `ids` are in the id map.
    bound: usize,
}

impl NativeSnapshot {
    /// Put the next ids in the id map, `batch` nodes at most; `true` once
    /// every recorded node has its id.
    pub fn bind(&mut self, serializer: &NodeSerializer, batch: usize) -> bool {
        if self.bound == 0 {
            serializer.bind(&self.document.0, self.document.1);
        }
        let end = (self.bound + batch).min(self.ids.len());
        for index in self.bound..end {
            let id = self.ids[index];
            if id == 0 {
                continue;
            }
            if let Some(node) = self.nodes.item(index as u32) {
                serializer.bind(&node, id);
            }
        }
        self.bound = end;
        end == self.ids.len()
    }
}

/// Read the snapshot of `document` from its markup into `out`, giving ids
/// from the serializer's next one; `None` (nothing given, nothing kept)
/// where the page is too large or the markup and the document disagree.
pub fn capture(
    serializer: &mut NodeSerializer,
    document: &Document,
    out: &mut WrittenNodes,
) -> Option<NativeSnapshot> {
    if document.get_elements_by_tag_name("*").length() > MAX_ELEMENTS
        || document.content_type() != "text/html"
    {
        return None;
    }
    let first_id = serializer.ids_given() + 1;
    let read = read_document(serializer, document, out);
    if read.is_none() {
        serializer.give_back_ids_from(first_id);
    }
    read
}

fn read_document(
    serializer: &mut NodeSerializer,
    document: &Document,
    out: &mut WrittenNodes,
) -> Option<NativeSnapshot> {
    let doc: &Node = document.as_ref();
    let evaluating: &Evaluating = document.unchecked_ref();
    let nodes = evaluating
        .evaluate("//node()", doc, &JsValue::NULL, ORDERED_NODE_SNAPSHOT)
        .ok()?;
    let selecting: &Selecting = document.unchecked_ref();
    let policy = serializer.policy().clone();
    let blocked = Matches::of(selecting, &policy.block_selector, &nodes)?;
    let masked = Matches::of(selecting, &policy.mask_selector, &nodes)?;
    let live = selecting.select_all(LIVE).ok()?;
    let mut reading = Reading {
        serializer,
        out,
        ids: Vec::with_capacity(nodes.length() as usize),
        parents: Vec::new(),
        blocked,
        masked,
        live,
        live_seen: 0,
        failed: false,
    };
    let document_id = reading.serializer.reserve_id();
    reading.out.append(&NodeRecord {
        id: document_id,
        parent: 0,
        before: None,
        data: NodeData::Document,
    });
    let children = doc.child_nodes();
    for i in 0..children.length() {
        let child = children.item(i)?;
        reading.parents.clear();
        reading.parents.push(Parent {
            id: document_id,
            masked: false,
            recorded: true,
        });
        match child.node_type() {
            Node::ELEMENT_NODE => {
                let markup = markup_of(child.unchecked_ref());
                serialized_markup::read(&markup, |node| reading.node(node)).ok()?;
            }
            Node::DOCUMENT_TYPE_NODE => {
                let name = child.unchecked_ref::<web_sys::DocumentType>().name();
                reading.record(NodeData::Doctype { name });
            }
            Node::COMMENT_NODE => reading.node(MarkupNode::Comment("")),
            _ => reading.node(MarkupNode::Instruction),
        }
    }
    let complete = !reading.failed
        && reading.ids.len() == nodes.length() as usize
        && reading.live_seen == reading.live.length()
        && reading.blocked.all_met()
        && reading.masked.all_met();
    complete.then(|| NativeSnapshot {
        document: (doc.clone(), document_id),
        nodes,
        ids: reading.ids,
        bound: 0,
    })
}

/// The outer HTML of `element`, encoded by the browser and copied into wasm
/// memory in one piece (passing a string over checks it a character at a
/// time in JS: 6.5 ms of the 10k page's snapshot in a CPU profile).
fn markup_of(element: &Serializable) -> String {
    let bytes = Utf8Encoder::new().encode(&element.outer_html());
    String::from_utf8(bytes.to_vec()).unwrap_or_default()
}

/// An open element of the markup, as the records see it.
struct Parent {
    /// Its id (0: not recorded).
    id: u32,
    /// Whether text under it is masked.
    masked: bool,
    /// Whether its children are recorded.
    recorded: bool,
}

/// The elements a selector of the policy matches, each with its place in
/// the node list, in document order.
struct Matches {
    found: Vec<(usize, Element)>,
    /// How many of `found` the markup reached.
    met: usize,
}

impl Matches {
    /// The matches of `selector`; `None` when it does not parse (the walk
    /// fails closed on it) or a match is not in the list.
    fn of(selecting: &Selecting, selector: &str, nodes: &NodesInOrder) -> Option<Matches> {
        let list = selecting.select_all(selector).ok()?;
        let mut found = Vec::with_capacity(list.length() as usize);
        for i in 0..list.length() {
            let element: Element = list.item(i)?.unchecked_into();
            found.push((place_of(nodes, &element)?, element));
        }
        Some(Matches { found, met: 0 })
    }

    /// The matched element at `index` of the node list, if it is the next one.
    fn at(&mut self, index: usize) -> Option<&Element> {
        let (place, element) = self.found.get(self.met)?;
        if *place != index {
            return None;
        }
        self.met += 1;
        Some(element)
    }

    fn all_met(&self) -> bool {
        self.met == self.found.len()
    }
}

/// Where `element` is in `nodes` (document order), by halves.
fn place_of(nodes: &NodesInOrder, element: &Element) -> Option<usize> {
    let (mut low, mut high) = (0, nodes.length());
    while low < high {
        let middle = low + (high - low) / 2;
        let node = nodes.item(middle)?;
        let position = node.compare_document_position(element);
        if position == 0 {
            return Some(middle as usize);
        }
        if position & Node::DOCUMENT_POSITION_FOLLOWING != 0 {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    None
}

/// The markup being read into records.
struct Reading<'s> {
    serializer: &'s mut NodeSerializer,
    out: &'s mut WrittenNodes,
    ids: Vec<u32>,
    parents: Vec<Parent>,
    blocked: Matches,
    masked: Matches,
    /// The document's [`LIVE`] elements, in document order.
    live: web_sys::NodeList,
    live_seen: u32,
    /// Something did not check out: nothing read is kept.
    failed: bool,
}

impl Reading<'_> {
    /// Record `data` under the innermost open element, as the next node of
    /// the list (if its parent's children are recorded); its id, or 0.
    fn record(&mut self, data: NodeData) -> u32 {
        let parent = self.parents.last().map(|p| (p.id, p.recorded));
        let id = match parent {
            Some((parent, true)) => {
                let id = self.serializer.reserve_id();
                self.out.append(&NodeRecord {
                    id,
                    parent,
                    before: None,
                    data,
                });
                id
            }
            _ => 0,
        };
        self.ids.push(id);
        id
    }

    fn node(&mut self, node: MarkupNode) {
        if self.failed {
            return;
        }
        match node {
            MarkupNode::Open {
                name,
                attrs,
                namespace,
            } => self.open(name, attrs, namespace),
            MarkupNode::Close => {
                self.parents.pop();
            }
            MarkupNode::Text(text) => {
                let masked = self.parents.last().is_some_and(|p| p.masked);
                let text = if masked || self.serializer.policy().mask_all_text {
                    mask_text(&text)
                } else {
                    mask::free_text(text.into_owned())
                };
                self.record(NodeData::Text { text });
            }
            MarkupNode::Comment(_) => {
                self.record(NodeData::Comment {
                    text: String::new(),
                });
            }
            MarkupNode::Instruction => self.ids.push(0),
        }
    }

    fn open(
        &mut self,
        name: &str,
        attrs: Vec<(&str, std::borrow::Cow<str>)>,
        namespace: Namespace,
    ) {
        let index = self.ids.len();
        let svg = namespace == Namespace::Svg;
        let tag = name.to_string();
        let live = match is_live(name) {
            true => self.next_live(name),
            false => None,
        };
        let blocked = self.blocked.at(index).cloned();
        let matched_mask = self.masked.at(index).is_some();
        let parent = self.parents.last();
        let parent_masked = parent.is_some_and(|p| p.masked);
        if !parent.is_some_and(|p| p.recorded) {
            self.ids.push(0);
            self.parents.push(Parent {
                id: 0,
                masked: true,
                recorded: false,
            });
            return;
        }
        if let Some(element) = blocked {
            if element.local_name() != name {
                self.failed = true;
                return;
            }
            let id = self.record(blocked_placeholder(&element, tag, svg));
            self.parents.push(Parent {
                id,
                masked: true,
                recorded: false,
            });
            return;
        }
        let policy = self.serializer.policy();
        let (mask_all_text, mask_all_inputs) = (policy.mask_all_text, policy.mask_all_inputs);
        let mut kept = Vec::with_capacity(attrs.len());
        let mut editable = false;
        for (name, value) in attrs {
            // The control's current value is read below.
            if name == "value" {
                continue;
            }
            editable |= name == "contenteditable" && value != "false";
            if !keep_attribute(name, &value) {
                continue;
            }
            kept.push((
                name.to_string(),
                mask::attribute_value(name, value.into_owned()),
            ));
        }
        if let Some(element) = &live {
            if let Some(value) = self.serializer.value_of_control(element, &tag) {
                kept.push(("value".into(), value));
            }
            if tag == "input" {
                kept.retain(|(name, _)| name != "checked");
                if element.unchecked_ref::<HtmlInputElement>().checked() {
                    kept.push(("checked".into(), String::new()));
                }
            }
            if tag == "link" {
                if let Some(css) = inline_stylesheet(element.unchecked_ref()) {
                    kept.push((INLINED_CSS_ATTRIBUTE.into(), mask::free_text(css)));
                }
            }
        }
        let masked = parent_masked
            || mask_all_text
            || matched_mask
            || (mask_all_inputs && (tag == "textarea" || editable));
        let recorded = !skip_children(&tag);
        let id = self.record(NodeData::Element {
            tag,
            attrs: kept,
            svg,
        });
        self.parents.push(Parent {
            id,
            masked,
            recorded,
        });
    }

    /// The next of the document's [`LIVE`] elements, which must be named `name`.
    fn next_live(&mut self, name: &str) -> Option<Element> {
        let element: Option<Element> = self
            .live
            .item(self.live_seen)
            .map(|node| node.unchecked_into());
        self.live_seen += 1;
        match element {
            Some(element) if element.local_name() == name => Some(element),
            _ => {
                self.failed = true;
                None
            }
        }
    }
}
