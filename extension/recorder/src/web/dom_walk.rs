//! Serializing DOM nodes into flat, masked [`NodeRecord`]s, and the node-id map.
//!
//! The walk is iterative (a page may nest thousands of levels deep) and masks
//! while it reads: a form value or a masked text never exists unmasked in a
//! record.

use repro_manifest::{MaskPolicy, NodeData, NodeRecord, INLINED_CSS_ATTRIBUTE};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, Node};

use super::attribute_reading::{AttributeNames, Attributed};
use super::dom_reads;
use super::policy_selectors::{Selectors, Unmatched};
use super::written_nodes::WrittenNodes;
use crate::core::mask::{self, Control};
use repro_manifest::markup::{keep_attribute, skip_children};

const SVG_NS: &str = "http://www.w3.org/2000/svg";

#[wasm_bindgen]
extern "C" {
    /// The node-id map, a `WeakMap` from nodes to ids, with bindings that
    /// take and give ids as numbers: `js_sys::WeakMap` boxes each id and
    /// hands back the map from `set`, three more crossings per node.
    type IdMap;
    #[wasm_bindgen(method, js_name = get)]
    fn get_id(this: &IdMap, node: &Node) -> Option<u32>;
    #[wasm_bindgen(method, js_name = set)]
    fn set_id(this: &IdMap, node: &Node, id: u32);
    #[wasm_bindgen(method, js_name = delete)]
    fn delete_id(this: &IdMap, node: &Node);
}

/// How many nodes a walk serializes between two looks at the clock.
const NODES_PER_CLOCK_CHECK: u32 = 128;

/// A node waiting for the walk.
struct Pending {
    node: Node,
    parent: u32,
    before: Option<u32>,
    masked: bool,
}

/// Where a walk stands among the children of a recorded element.
enum Cursor {
    /// Before the first child.
    Start,
    /// Inside the subtree of the child in the frame above.
    Descended,
    /// At this child, not walked yet (the walk stopped for time).
    At(Node),
    /// Past this child.
    After(Node),
}

/// A recorded element whose children the walk is going through, one at a
/// time: each child is read when the walk gets to it, so that no task reads
/// all the children of an element with tens of thousands of them (measured:
/// 30–50 ms in the first slice of the 100k page, when they were all read at
/// once).
struct Frame {
    element: Node,
    id: u32,
    /// Whether text under the element is masked.
    masked: bool,
    cursor: Cursor,
}

/// A walk over a subtree that can stop and go on later: the nodes still to
/// visit and the records made so far.
pub struct Walk {
    /// The root, until the walk has been to it.
    root: Option<Pending>,
    /// The recorded elements whose children are being walked, outermost first.
    frames: Vec<Frame>,
    /// Asked when the walk first runs.
    unmatched: Option<Unmatched>,
    /// Records made so far, in document order.
    pub records: Vec<NodeRecord>,
    /// Check that each node is still under the parent it was found under
    /// (set once the page changed while the walk was paused).
    pub verify_parents: bool,
    /// The nodes the page added since the walk began: left to the records
    /// that added them, which place them among their siblings.
    added_since: Option<js_sys::Set>,
}

impl Walk {
    /// A walk of `root` and its subtree; `root` goes under `parent` before
    /// `before`, and `masked` says whether text under `root`'s parent is masked.
    pub fn new(root: &Node, parent: u32, before: Option<u32>, masked: bool) -> Self {
        Walk {
            root: Some(Pending {
                node: root.clone(),
                parent,
                before,
                masked,
            }),
            frames: Vec::new(),
            records: Vec::new(),
            unmatched: None,
            verify_parents: false,
            added_since: None,
        }
    }

    /// The page changed while the walk waited: from now on each node is
    /// checked, and the nodes `records` added are left to those records.
    pub fn page_changed(&mut self, records: &js_sys::Array) {
        self.verify_parents = true;
        let added = self
            .added_since
            .get_or_insert_with(|| js_sys::Set::new(&JsValue::UNDEFINED));
        for record in records.iter() {
            let record: web_sys::MutationRecord = record.unchecked_into();
            let nodes = record.added_nodes();
            for i in 0..nodes.length() {
                if let Some(node) = nodes.get(i) {
                    added.add(&node);
                }
            }
        }
    }
}

/// Gives nodes their ids and serializes them under a masking policy.
pub struct NodeSerializer {
    attribute_names: AttributeNames,
    ids: IdMap,
    next_id: u32,
    policy: MaskPolicy,
    selectors: Selectors,
}

impl NodeSerializer {
    /// A serializer whose first node (the document) gets id 1.
    pub fn new(policy: MaskPolicy) -> Self {
        let selectors = Selectors::new(&policy);
        NodeSerializer {
            attribute_names: AttributeNames::new(),
            ids: js_sys::WeakMap::new().unchecked_into(),
            next_id: 1,
            policy,
            selectors,
        }
    }

    /// The policy this serializer masks with.
    pub fn policy(&self) -> &MaskPolicy {
        &self.policy
    }

    /// The id of a recorded node.
    pub fn id_of(&self, node: &Node) -> Option<u32> {
        self.ids.get_id(node)
    }

    /// Forget a node (it left the document); a re-added node gets a new id.
    pub fn forget(&self, node: &Node) {
        self.ids.delete_id(node);
    }

    /// How many ids were given so far.
    pub fn ids_given(&self) -> u32 {
        self.next_id - 1
    }

    fn assign(&mut self, node: &Node) -> u32 {
        let id = self.next_id;
        self.next_id += 1;
        self.ids.set_id(node, id);
        id
    }

    /// Is text under `element` masked (by the policy, a mask selector, or as editable content)?
    pub fn masks_text_under(&self, element: Option<&Element>) -> bool {
        if self.policy.mask_all_text {
            return true;
        }
        let Some(element) = element else { return false };
        // A list fails to parse when either part does: closed, as either would.
        match self.policy.mask_all_inputs {
            true => self
                .selectors
                .mask_or_editable
                .inside_or_fails_closed(element),
            false => self.selectors.mask.inside_or_fails_closed(element),
        }
    }

    /// Serialize `root` and its subtree into records, in document order (for
    /// a small subtree); arguments as for [`Self::subtree`].
    pub fn subtree_records(
        &mut self,
        root: &Node,
        parent: u32,
        before: Option<u32>,
        masked: bool,
    ) -> Vec<NodeRecord> {
        let mut walk = Walk::new(root, parent, before, masked);
        self.walk_until(&mut walk, &mut || false);
        walk.records
    }

    /// Serialize `root` and its subtree, writing records to `out` in document
    /// order, a batch at a time. `root` goes under `parent` before `before`;
    /// `masked` says whether text under `root`'s parent is masked.
    pub fn subtree(
        &mut self,
        root: &Node,
        parent: u32,
        before: Option<u32>,
        masked: bool,
        out: &mut WrittenNodes,
    ) {
        let mut walk = Walk::new(root, parent, before, masked);
        loop {
            let done = self.walk_until(&mut walk, &mut || true);
            for record in walk.records.drain(..) {
                out.append(&record);
            }
            if done {
                break;
            }
        }
    }

    /// Go on with `walk` until it is done (`true`) or `out_of_time` says to
    /// stop (`false`); `out_of_time` is asked every [`NODES_PER_CLOCK_CHECK`]
    /// nodes, so `|| true` walks one batch of that many.
    pub fn walk_until(&mut self, walk: &mut Walk, out_of_time: &mut dyn FnMut() -> bool) -> bool {
        if walk.unmatched.is_none() {
            walk.unmatched = walk
                .root
                .as_ref()
                .map(|root| self.selectors.unmatched_under(&root.node));
        }
        // Once the page has changed, an element may match that did not.
        let unmatched = match walk.verify_parents {
            true => Unmatched::default(),
            false => walk.unmatched.unwrap_or_default(),
        };
        if let Some(root) = walk.root.take() {
            // A root the page moved away from its parent while the walk
            // waited is left to the mutation records of the move.
            if !(walk.verify_parents
                && root.parent != 0
                && !self.still_under(&root.node, root.parent))
            {
                self.visit(walk, root, unmatched);
            }
        }
        let mut since_check = 0;
        while let Some(frame) = walk.frames.last_mut() {
            let cursor = std::mem::replace(&mut frame.cursor, Cursor::Descended);
            // A child the page moved away while the walk waited leaves no
            // way on from it: go through the children again from the first,
            // passing those recorded or added since.
            let next = match cursor {
                Cursor::At(child) | Cursor::After(child)
                    if walk.verify_parents && !self.still_under(&child, frame.id) =>
                {
                    dom_reads::first_child(&frame.element)
                }
                Cursor::Start => dom_reads::first_child(&frame.element),
                Cursor::At(child) => Some(child),
                Cursor::After(child) => dom_reads::next_sibling(&child),
                Cursor::Descended => {
                    unreachable!("a frame's cursor is reset when the frame above it closes")
                }
            };
            let Some(node) = next else {
                let done = walk.frames.pop().map(|frame| frame.element);
                if let (Some(outer), Some(element)) = (walk.frames.last_mut(), done) {
                    outer.cursor = Cursor::After(element);
                }
                continue;
            };
            since_check += 1;
            if since_check == NODES_PER_CLOCK_CHECK {
                since_check = 0;
                if out_of_time() {
                    frame.cursor = Cursor::At(node);
                    return false;
                }
            }
            // A node recorded already (moved here from a part the walk had
            // passed), or one the page added since the walk began, is left
            // to the records of the page's changes.
            if walk.verify_parents
                && (self.id_of(&node).is_some()
                    || walk
                        .added_since
                        .as_ref()
                        .is_some_and(|added| added.has(&node)))
            {
                frame.cursor = Cursor::After(node);
                continue;
            }
            let pending = Pending {
                node,
                parent: frame.id,
                before: None,
                masked: frame.masked,
            };
            self.visit(walk, pending, unmatched);
        }
        true
    }

    /// Record `pending`'s node, and open a frame for its children if they
    /// are walked; otherwise the walk goes on past it.
    fn visit(&mut self, walk: &mut Walk, pending: Pending, unmatched: Unmatched) {
        let Pending {
            node,
            parent,
            before,
            masked,
        } = pending;
        let described = self.describe(&node, masked, unmatched);
        let Some((data, children_masked, walk_children)) = described else {
            if let Some(frame) = walk.frames.last_mut() {
                frame.cursor = Cursor::After(node);
            }
            return;
        };
        let id = self.assign(&node);
        walk.records.push(NodeRecord {
            id,
            parent,
            before,
            data,
        });
        if walk_children {
            walk.frames.push(Frame {
                element: node,
                id,
                masked: children_masked,
                cursor: Cursor::Start,
            });
        } else if let Some(frame) = walk.frames.last_mut() {
            frame.cursor = Cursor::After(node);
        }
    }

    /// Is `node` still a child of the recorded node `parent`?
    pub fn still_under(&self, node: &Node, parent: u32) -> bool {
        dom_reads::parent_node(node)
            .and_then(|actual| self.id_of(&actual))
            .is_some_and(|actual| actual == parent)
    }

    /// What `node` is: its record data, whether its children's text is masked,
    /// and whether its children are recorded at all. `None`: not recorded.
    fn describe(
        &self,
        node: &Node,
        masked: bool,
        unmatched: Unmatched,
    ) -> Option<(NodeData, bool, bool)> {
        match dom_reads::node_type(node) {
            Node::ELEMENT_NODE => {
                let element: &Element = node.unchecked_ref();
                Some(self.describe_element(element, masked, unmatched))
            }
            Node::TEXT_NODE | Node::CDATA_SECTION_NODE => {
                let text = dom_reads::text_content(node).unwrap_or_default();
                let text = if masked || self.policy.mask_all_text {
                    mask_text(&text)
                } else {
                    mask::free_text(text)
                };
                Some((NodeData::Text { text }, masked, false))
            }
            Node::COMMENT_NODE => Some((
                NodeData::Comment {
                    text: String::new(),
                },
                masked,
                false,
            )),
            Node::DOCUMENT_TYPE_NODE => Some((
                NodeData::Doctype {
                    name: dom_reads::doctype_name(node),
                },
                masked,
                false,
            )),
            Node::DOCUMENT_NODE => Some((NodeData::Document, masked, true)),
            _ => None,
        }
    }

    fn describe_element(
        &self,
        element: &Element,
        masked: bool,
        unmatched: Unmatched,
    ) -> (NodeData, bool, bool) {
        let (tag, svg) = name_and_namespace(element);
        // Selectors that do not parse fail closed: blocked, masked.
        if !unmatched.block && self.selectors.block.matches_or_fails_closed(element) {
            return (blocked_placeholder(element, tag, svg), masked, false);
        }
        let mut attrs = Vec::new();
        // Editable as `[contenteditable]:not([contenteditable=false])` says,
        // told from the names read here rather than one more `matches`.
        let mut editable = false;
        // Names, then values by name: `attributes` and `item` make a
        // NamedNodeMap and an Attr object per attribute, which cost the walk
        // more than anything else (measured).
        if dom_reads::has_attributes(element) {
            let attributed: &Attributed = element.unchecked_ref();
            let names = self.attribute_names.of(attributed);
            for name in names.split(' ') {
                // The control's current value is read below.
                if name == "value" {
                    continue;
                }
                let value = self
                    .attribute_names
                    .value(attributed, name)
                    .unwrap_or_default();
                editable |= name == "contenteditable" && value != "false";
                if !keep_attribute(name, &value) {
                    continue;
                }
                let value = mask::attribute_value(name, value);
                attrs.push((name.to_string(), value));
            }
        }
        if let Some(value) = self.value_of_control(element, &tag) {
            attrs.push(("value".into(), value));
        }
        if tag == "input" {
            attrs.retain(|(name, _)| name != "checked");
            let (_, _, checked) = dom_reads::input_state(element);
            if checked {
                attrs.push(("checked".into(), String::new()));
            }
        }
        if tag == "link" {
            if let Some(css) = inline_stylesheet(element) {
                attrs.push((INLINED_CSS_ATTRIBUTE.into(), mask::free_text(css)));
            }
        }
        let children_masked = masked
            || self.policy.mask_all_text
            || (!unmatched.mask && self.selectors.mask.matches_or_fails_closed(element))
            || (self.policy.mask_all_inputs && (tag == "textarea" || editable));
        let walk = !skip_children(&tag);
        (NodeData::Element { tag, attrs, svg }, children_masked, walk)
    }

    /// The value of `element`'s attribute `name` (unmasked), through the
    /// cache of attribute names kept as JS strings.
    pub fn attribute(&self, element: &Element, name: &str) -> Option<String> {
        self.attribute_names.value(element.unchecked_ref(), name)
    }

    /// The masked current value of a form control, `None` for other elements.
    pub fn control_value(&self, element: &Element) -> Option<String> {
        self.value_of_control(element, &dom_reads::local_name(element))
    }

    /// [`Self::control_value`] of an element whose local name is `tag`
    /// (elements are told apart by name, which also holds across frames).
    fn value_of_control(&self, element: &Element, tag: &str) -> Option<String> {
        if !matches!(tag, "input" | "textarea" | "select") {
            return None;
        }
        let attributed: &Attributed = element.unchecked_ref();
        let attribute = |name| {
            self.attribute_names
                .value(attributed, name)
                .unwrap_or_default()
        };
        let autocomplete = attribute("autocomplete");
        // Joined without `format!`, whose machinery showed in profiles of
        // the walk (a page may have hundreds of controls).
        let mut name = attribute("name");
        name.push(' ');
        name.push_str(&dom_reads::id(element));
        let unmasked = self.selectors.unmask.matches(element);
        let (input_type, value) = match tag {
            "input" => {
                let (value, input_type, _) = dom_reads::input_state(element);
                (input_type, value)
            }
            "textarea" => ("text".to_string(), dom_reads::text_area_value(element)),
            _ => ("text".to_string(), dom_reads::select_value(element)),
        };
        let control = Control {
            input_type: &input_type,
            autocomplete: &autocomplete,
            name: &name,
            unmasked,
        };
        Some(mask::control_value(&self.policy, &control, &value))
    }
}

/// An element's local name, and whether it is an SVG element.
///
/// One string from `tagName` where it can tell: an HTML element of an HTML
/// document has it in upper case, and every other element (SVG, MathML,
/// XHTML) keeps the case of its qualified name, which has lower-case letters
/// in every name SVG and MathML define. Other names take `localName` and
/// `namespaceURI`, two strings more, as every element did before (measured:
/// about 3 % of the walk).
fn name_and_namespace(element: &Element) -> (String, bool) {
    let mut tag = dom_reads::tag_name(element);
    let html = !tag.bytes().any(|b| b.is_ascii_lowercase() || b == b':');
    if html {
        tag.make_ascii_lowercase();
        return (tag, false);
    }
    let svg = dom_reads::namespace_uri(element).as_deref() == Some(SVG_NS);
    (dom_reads::local_name(element), svg)
}

/// Mask text keeping whitespace, so that line breaks and layout hold.
pub fn mask_text(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_whitespace() {
                c
            } else {
                repro_manifest::MASK_CHAR
            }
        })
        .collect()
}

fn blocked_placeholder(element: &Element, tag: String, svg: bool) -> NodeData {
    let rect = dom_reads::bounding_rect(element);
    let style = format!(
        "width:{}px;height:{}px;background:#d0d0d0;display:inline-block",
        rect.width().round(),
        rect.height().round()
    );
    NodeData::Element {
        tag,
        attrs: vec![
            ("style".into(), style),
            ("data-repro-blocked".into(), String::new()),
        ],
        svg,
    }
}

/// The text of a same-origin stylesheet linked by `element`; `None` for
/// anything else (a cross-origin sheet's rules cannot be read).
fn inline_stylesheet(link: &Element) -> Option<String> {
    let (rel, sheet) = dom_reads::link_rel_and_sheet(link);
    if !rel
        .to_ascii_lowercase()
        .split_ascii_whitespace()
        .any(|r| r == "stylesheet")
    {
        return None;
    }
    let sheet: web_sys::CssStyleSheet = sheet?.dyn_into().ok()?;
    let rules = sheet.css_rules().ok()?;
    let mut css = String::new();
    for i in 0..rules.length() {
        if let Some(rule) = rules.item(i) {
            css.push_str(&rule.css_text());
            css.push('\n');
        }
    }
    Some(css)
}
