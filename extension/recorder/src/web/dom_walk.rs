//! Serializing DOM nodes into flat, masked [`NodeRecord`]s, and the node-id map.
//!
//! The walk is iterative (a page may nest thousands of levels deep) and masks
//! while it reads: a form value or a masked text never exists unmasked in a
//! record.

use js_sys::JsString;
use repro_manifest::{MaskPolicy, NodeData, NodeRecord};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    Element, HtmlInputElement, HtmlLinkElement, HtmlSelectElement, HtmlTextAreaElement, Node,
};

use crate::core::mask::{self, Control};
use repro_manifest::markup::{keep_attribute, skip_children};

const SVG_NS: &str = "http://www.w3.org/2000/svg";

/// Attribute carrying a same-origin stylesheet's text, which the viewer turns
/// into a `<style>` so the replay does not depend on the live site.
pub const INLINED_CSS_ATTRIBUTE: &str = "data-repro-inlined-css";

/// Selector of editable regions whose text is masked with the inputs.
const EDITABLE: &str = "[contenteditable]:not([contenteditable=false]), textarea";

#[wasm_bindgen]
extern "C" {
    /// An element, seen only for `matches` with a selector already in JS:
    /// the walk asks it of every element, and passing the selector's text
    /// over each time was a hot spot.
    type Matchable;
    #[wasm_bindgen(method, catch, js_name = matches)]
    fn matches(this: &Matchable, selectors: &JsString) -> Result<bool, JsValue>;

    /// An element, seen only for `getAttribute` with a name already in JS
    /// (as `getAttributeNames` gives it): sending the name back from wasm
    /// decoded it a second time for every attribute.
    type Attributed;
    #[wasm_bindgen(method, js_name = getAttribute)]
    fn get_attribute_by(this: &Attributed, name: &JsValue) -> Option<String>;
}

/// `element.matches(selector)` for a selector held in JS.
fn element_matches(element: &Element, selector: &JsString) -> Result<bool, JsValue> {
    element.unchecked_ref::<Matchable>().matches(selector)
}

/// The policy's selectors, converted to JS strings once.
struct Selectors {
    block: JsString,
    mask: JsString,
    unmask: JsString,
    editable: JsString,
}

/// Does `element` match `selector`? A selector that does not parse matches (fails closed).
fn matches_or_fails_closed(element: &Element, selector: &JsString) -> bool {
    !matches!(element_matches(element, selector), Ok(false))
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

/// A walk over a subtree that can stop and go on later: the nodes still to
/// visit and the records made so far.
pub struct Walk {
    stack: Vec<Pending>,
    /// Records made so far, in document order.
    pub records: Vec<NodeRecord>,
    /// Check that each node is still under the parent it was found under
    /// (set once the page changed while the walk was paused).
    pub verify_parents: bool,
}

impl Walk {
    /// A walk of `root` and its subtree; `root` goes under `parent` before
    /// `before`, and `masked` says whether text under `root`'s parent is masked.
    pub fn new(root: &Node, parent: u32, before: Option<u32>, masked: bool) -> Self {
        Walk {
            stack: vec![Pending {
                node: root.clone(),
                parent,
                before,
                masked,
            }],
            records: Vec::new(),
            verify_parents: false,
        }
    }
}

/// Gives nodes their ids and serializes them under a masking policy.
pub struct NodeSerializer {
    ids: js_sys::WeakMap,
    next_id: u32,
    policy: MaskPolicy,
    selectors: Selectors,
}

impl NodeSerializer {
    /// A serializer whose first node (the document) gets id 1.
    pub fn new(policy: MaskPolicy) -> Self {
        let selectors = Selectors {
            block: JsString::from(policy.block_selector.as_str()),
            mask: JsString::from(policy.mask_selector.as_str()),
            unmask: JsString::from(policy.unmask_selector.as_str()),
            editable: JsString::from(EDITABLE),
        };
        NodeSerializer {
            ids: js_sys::WeakMap::new(),
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
        self.ids
            .get(node.unchecked_ref())
            .as_f64()
            .map(|id| id as u32)
    }

    /// Forget a node (it left the document); a re-added node gets a new id.
    pub fn forget(&self, node: &Node) {
        self.ids.delete(node.unchecked_ref());
    }

    fn assign(&mut self, node: &Node) -> u32 {
        let id = self.next_id;
        self.next_id += 1;
        self.ids.set(node.unchecked_ref(), &(id as f64).into());
        id
    }

    /// Is text under `element` masked (by the policy, a mask selector, or as editable content)?
    pub fn masks_text_under(&self, element: Option<&Element>) -> bool {
        if self.policy.mask_all_text {
            return true;
        }
        let Some(element) = element else { return false };
        // A selector the browser cannot parse masks (fails closed).
        let inside = |selector: &str| !matches!(element.closest(selector), Ok(None));
        inside(&self.policy.mask_selector) || (self.policy.mask_all_inputs && inside(EDITABLE))
    }

    /// Serialize `root` and its subtree, appending records to `out` in document order.
    /// `root` goes under `parent` before `before`; `masked` says whether text under
    /// `root`'s parent is masked.
    pub fn subtree(
        &mut self,
        root: &Node,
        parent: u32,
        before: Option<u32>,
        masked: bool,
        out: &mut Vec<NodeRecord>,
    ) {
        let mut walk = Walk::new(root, parent, before, masked);
        walk.records = std::mem::take(out);
        self.walk_until(&mut walk, &mut || false);
        *out = walk.records;
    }

    /// Go on with `walk` until it is done (`true`) or `out_of_time` says to
    /// stop (`false`); `out_of_time` is asked every [`NODES_PER_CLOCK_CHECK`]
    /// nodes, so `|| true` walks one batch of that many.
    pub fn walk_until(&mut self, walk: &mut Walk, out_of_time: &mut dyn FnMut() -> bool) -> bool {
        let mut since_check = 0;
        while let Some(pending) = walk.stack.pop() {
            since_check += 1;
            if since_check == NODES_PER_CLOCK_CHECK {
                since_check = 0;
                if out_of_time() {
                    walk.stack.push(pending);
                    return false;
                }
            }
            let Pending {
                node,
                parent,
                before,
                masked,
            } = pending;
            // The page may have moved or removed a node after its parent was
            // read and before the walk came back to it, or moved a node the
            // walk had passed into a part it had not reached: such a node is
            // left to the mutation records of the move.
            if walk.verify_parents
                && (self.id_of(&node).is_some()
                    || (parent != 0 && !self.still_under(&node, parent)))
            {
                continue;
            }
            let Some((data, children_masked, walk_children)) = self.describe(&node, masked) else {
                continue;
            };
            let id = self.assign(&node);
            walk.records.push(NodeRecord {
                id,
                parent,
                before,
                data,
            });
            if walk_children {
                // Last to first, so that the stack pops them in document
                // order. Siblings, not `childNodes`: a NodeList object per
                // node was among the walk's largest costs (measured).
                let mut child = node.last_child();
                while let Some(current) = child {
                    child = current.previous_sibling();
                    walk.stack.push(Pending {
                        node: current,
                        parent: id,
                        before: None,
                        masked: children_masked,
                    });
                }
            }
        }
        true
    }

    /// Is `node` still a child of the recorded node `parent`?
    pub fn still_under(&self, node: &Node, parent: u32) -> bool {
        node.parent_node()
            .and_then(|actual| self.id_of(&actual))
            .is_some_and(|actual| actual == parent)
    }

    /// What `node` is: its record data, whether its children's text is masked,
    /// and whether its children are recorded at all. `None`: not recorded.
    fn describe(&self, node: &Node, masked: bool) -> Option<(NodeData, bool, bool)> {
        match node.node_type() {
            Node::ELEMENT_NODE => {
                let element: &Element = node.unchecked_ref();
                Some(self.describe_element(element, masked))
            }
            Node::TEXT_NODE | Node::CDATA_SECTION_NODE => {
                let text = node.text_content().unwrap_or_default();
                let text = if masked || self.policy.mask_all_text {
                    mask_text(&text)
                } else {
                    mask::free_text(&text)
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
            Node::DOCUMENT_TYPE_NODE => {
                let doctype: &web_sys::DocumentType = node.unchecked_ref();
                Some((
                    NodeData::Doctype {
                        name: doctype.name(),
                    },
                    masked,
                    false,
                ))
            }
            Node::DOCUMENT_NODE => Some((NodeData::Document, masked, true)),
            _ => None,
        }
    }

    fn describe_element(&self, element: &Element, masked: bool) -> (NodeData, bool, bool) {
        let tag = element.local_name();
        let svg = element.namespace_uri().as_deref() == Some(SVG_NS);
        // Selectors that do not parse fail closed: blocked, masked.
        if matches_or_fails_closed(element, &self.selectors.block) {
            return (blocked_placeholder(element, tag, svg), masked, false);
        }
        let mut attrs = Vec::new();
        // Names, then values by name: `attributes` and `item` make a
        // NamedNodeMap and an Attr object per attribute, which cost the walk
        // more than anything else (measured).
        if element.has_attributes() {
            let attributed: &Attributed = element.unchecked_ref();
            for js_name in element.get_attribute_names().iter() {
                let Some(name) = js_name.as_string() else {
                    continue;
                };
                let value = attributed.get_attribute_by(&js_name).unwrap_or_default();
                if name == "value" || !keep_attribute(&name, &value) {
                    continue;
                }
                let value = mask::attribute_value(&name, &value);
                attrs.push((name, value));
            }
        }
        if let Some(value) = self.value_of_control(element, &tag) {
            attrs.push(("value".into(), value));
        }
        if tag == "input" {
            let input: &HtmlInputElement = element.unchecked_ref();
            attrs.retain(|(name, _)| name != "checked");
            if input.checked() {
                attrs.push(("checked".into(), String::new()));
            }
        }
        if tag == "link" {
            if let Some(css) = inline_stylesheet(element.unchecked_ref()) {
                attrs.push((INLINED_CSS_ATTRIBUTE.into(), mask::free_text(&css)));
            }
        }
        let children_masked = masked
            || self.policy.mask_all_text
            || matches_or_fails_closed(element, &self.selectors.mask)
            || (self.policy.mask_all_inputs
                && (tag == "textarea"
                    || matches!(element_matches(element, &self.selectors.editable), Ok(true))));
        let walk = !skip_children(&tag);
        (NodeData::Element { tag, attrs, svg }, children_masked, walk)
    }

    /// The masked current value of a form control, `None` for other elements.
    pub fn control_value(&self, element: &Element) -> Option<String> {
        self.value_of_control(element, &element.local_name())
    }

    /// [`Self::control_value`] of an element whose local name is `tag`
    /// (elements are told apart by name, which also holds across frames).
    fn value_of_control(&self, element: &Element, tag: &str) -> Option<String> {
        if !matches!(tag, "input" | "textarea" | "select") {
            return None;
        }
        let autocomplete = element.get_attribute("autocomplete").unwrap_or_default();
        let name = format!(
            "{} {}",
            element.get_attribute("name").unwrap_or_default(),
            element.id()
        );
        let unmasked = matches!(element_matches(element, &self.selectors.unmask), Ok(true));
        let (input_type, value) = match tag {
            "input" => {
                let input: &HtmlInputElement = element.unchecked_ref();
                (input.type_(), input.value())
            }
            "textarea" => {
                let area: &HtmlTextAreaElement = element.unchecked_ref();
                ("text".to_string(), area.value())
            }
            _ => {
                let select: &HtmlSelectElement = element.unchecked_ref();
                ("text".to_string(), select.value())
            }
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
    let rect = element.get_bounding_client_rect();
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
fn inline_stylesheet(link: &HtmlLinkElement) -> Option<String> {
    if !link
        .rel()
        .to_ascii_lowercase()
        .split_ascii_whitespace()
        .any(|r| r == "stylesheet")
    {
        return None;
    }
    let sheet: web_sys::CssStyleSheet = link.sheet()?.dyn_into().ok()?;
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
