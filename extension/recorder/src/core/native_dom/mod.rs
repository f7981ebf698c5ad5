//! An in-memory DOM for tests: a tree built from an HTML fixture
//! ([`NativeDom::parse`]), changed as a page's scripts would change it, and
//! read by the walk through [`PageDom`] exactly as the browser's DOM is.
//!
//! It is a test double with the browser's semantics where the walk depends
//! on them (node kinds, document order, a control's current value apart
//! from its attribute, SVG names keeping their case, selectors that fail
//! closed), and nothing more: no layout (every element is 100 × 20 unless
//! told otherwise), no scripts, no implied tags (fixtures write `html`,
//! `head` and `body` themselves).

mod fixture_html;
mod html_text;
mod observer;
mod simple_selectors;

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use repro_manifest::MaskPolicy;

pub use fixture_html::FixtureError;
pub use observer::mutation_event;
use simple_selectors::SelectorList;

use super::mutation_batch::DomChange;
use super::page_dom::{NodeKind, PageDom, PolicySelector};
use super::walk::NodeSerializer;

/// A node of a [`NativeDom`]: its index in the tree's arena.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NodeRef(pub usize);

#[derive(Debug, Clone)]
struct NativeNode {
    kind: NodeKind,
    /// An element's local name, or a doctype's name.
    name: String,
    svg: bool,
    attrs: Vec<(String, String)>,
    /// A text or comment node's text.
    text: String,
    parent: Option<usize>,
    children: Vec<usize>,
    /// A control's current value, once set apart from its markup.
    value: Option<String>,
    /// An input's current checkedness, once set apart from its markup.
    checked: Option<bool>,
    /// A dialog opened with `showModal()`.
    modal: bool,
    /// A popover showing.
    popover_open: bool,
    /// The rules a `<link>`'s stylesheet loaded (same origin).
    stylesheet: Option<String>,
    /// An element's shadow root, or a frame element's document.
    shadow: Option<usize>,
    /// A frame document in quirks mode.
    quirks: bool,
    /// A shadow root's adopted stylesheets' rules.
    adopted_css: String,
    size: (f64, f64),
}

impl NativeNode {
    fn new(kind: NodeKind) -> Self {
        NativeNode {
            kind,
            name: String::new(),
            svg: false,
            attrs: Vec::new(),
            text: String::new(),
            parent: None,
            children: Vec::new(),
            value: None,
            checked: None,
            modal: false,
            popover_open: false,
            stylesheet: None,
            shadow: None,
            quirks: false,
            adopted_css: String::new(),
            size: (100.0, 20.0),
        }
    }
}

/// The policy's selectors, parsed; `None` where one does not parse.
#[derive(Default)]
struct PolicySelectors {
    block: Option<SelectorList>,
    mask: Option<SelectorList>,
    unmask: Option<SelectorList>,
    mask_or_editable: Option<SelectorList>,
}

/// An in-memory document.
#[derive(Default)]
pub struct NativeDom {
    nodes: Vec<NativeNode>,
    selectors: PolicySelectors,
    ids: RefCell<HashMap<usize, u32>>,
    /// What changed since the last [`NativeDom::take_changes`], as a
    /// `MutationObserver` on the whole document would have seen it.
    changes: Vec<DomChange<NodeRef>>,
    /// Whether changes are logged (not while a fixture is read).
    observed: bool,
    /// The canvases and videos the walk noted for their pixels.
    pixel_sources: RefCell<Vec<NodeRef>>,
}

/// Selector of editable regions whose text is masked with the inputs (the
/// browser's adapter uses the same list).
const EDITABLE: &str = "[contenteditable]:not([contenteditable=false]), textarea";

/// A serializer over `dom` under `policy` (the walk's entry point in tests).
pub fn serializer(mut dom: NativeDom, policy: MaskPolicy) -> NodeSerializer<NativeDom> {
    dom.selectors = PolicySelectors {
        block: SelectorList::parse(&policy.block_selector),
        mask: SelectorList::parse(&policy.mask_selector),
        unmask: SelectorList::parse(&policy.unmask_selector),
        mask_or_editable: SelectorList::parse(&format!("{}, {EDITABLE}", policy.mask_selector)),
    };
    NodeSerializer::new(dom, policy)
}

impl NativeDom {
    /// The document of a fixture's HTML.
    pub fn parse(html: &str) -> Result<NativeDom, FixtureError> {
        let mut dom = fixture_html::parse(html)?;
        dom.observed = true;
        Ok(dom)
    }

    /// The canvases and videos whose pixels the walk would record, in
    /// the order it met them.
    pub fn pixel_sources(&self) -> Vec<NodeRef> {
        self.pixel_sources.borrow().clone()
    }

    /// A document with nothing in it.
    pub fn empty() -> NativeDom {
        let mut dom = NativeDom {
            observed: true,
            ..NativeDom::default()
        };
        dom.push(NativeNode::new(NodeKind::Document));
        dom
    }

    /// What changed since the last call, in order, as a `MutationObserver`
    /// on the whole document reports it (changes outside the document,
    /// such as building a subtree before inserting it, are not seen).
    pub fn take_changes(&mut self) -> Vec<DomChange<NodeRef>> {
        std::mem::take(&mut self.changes)
    }

    /// Is `node` in the document (is the document its root)?
    pub fn is_connected(&self, node: NodeRef) -> bool {
        self.ancestors_and_self(node.0).last() == Some(0)
    }

    /// The document node.
    pub fn document(&self) -> NodeRef {
        NodeRef(0)
    }

    fn push(&mut self, node: NativeNode) -> NodeRef {
        self.nodes.push(node);
        NodeRef(self.nodes.len() - 1)
    }

    fn node(&self, node: &NodeRef) -> &NativeNode {
        &self.nodes[node.0]
    }

    /// A new element, not yet in the tree (`svg`: in the SVG namespace).
    pub fn create_element(&mut self, name: &str, svg: bool) -> NodeRef {
        let mut node = NativeNode::new(NodeKind::Element);
        node.name = name.to_string();
        node.svg = svg;
        self.push(node)
    }

    /// A new text node, not yet in the tree.
    pub fn create_text(&mut self, text: &str) -> NodeRef {
        let mut node = NativeNode::new(NodeKind::Text);
        node.text = text.to_string();
        self.push(node)
    }

    /// A new comment, not yet in the tree.
    pub fn create_comment(&mut self, text: &str) -> NodeRef {
        let mut node = NativeNode::new(NodeKind::Comment);
        node.text = text.to_string();
        self.push(node)
    }

    /// A new doctype, not yet in the tree.
    pub fn create_doctype(&mut self, name: &str) -> NodeRef {
        let mut node = NativeNode::new(NodeKind::Doctype);
        node.name = name.to_string();
        self.push(node)
    }

    /// Attach a shadow root to `host`, as a script's `attachShadow` does
    /// (`None` when it has one). The change is logged as the recorder's
    /// page hook reports it: the root added under its host.
    pub fn attach_shadow(&mut self, host: NodeRef) -> Option<NodeRef> {
        let root = self.new_shadow_root(host)?;
        if self.observed && self.is_connected(host) {
            self.changes.push(DomChange::Children {
                added: vec![root],
                removed: Vec::new(),
            });
        }
        Some(root)
    }

    /// A shadow root for `host`, which has none, without logging it.
    fn new_shadow_root(&mut self, host: NodeRef) -> Option<NodeRef> {
        if self.nodes[host.0].shadow.is_some() || self.nodes[host.0].kind != NodeKind::Element {
            return None;
        }
        let mut node = NativeNode::new(NodeKind::ShadowRoot);
        // So that a fixture's `</template>` closes it.
        node.name = "template".into();
        node.parent = Some(host.0);
        let root = self.push(node);
        self.nodes[host.0].shadow = Some(root.0);
        Some(root)
    }

    /// A frame element loads a new (empty) document, in quirks mode or
    /// not, as navigating it does: the change is logged as the recorder's load listener reports
    /// it, the old document (if any) removed and the new one added.
    pub fn load_frame_document(&mut self, frame: NodeRef, quirks: bool) -> NodeRef {
        let old = self.nodes[frame.0].shadow.take();
        let document = self.new_frame_document(frame, quirks);
        if self.observed && self.is_connected(frame) {
            self.changes.push(DomChange::Children {
                added: vec![document],
                removed: old.map(NodeRef).into_iter().collect(),
            });
        }
        document
    }

    /// A document for the frame element `frame`, without logging it.
    fn new_frame_document(&mut self, frame: NodeRef, quirks: bool) -> NodeRef {
        let mut node = NativeNode::new(NodeKind::FrameDocument);
        // So that a fixture's `</template>` closes it.
        node.name = "template".into();
        node.quirks = quirks;
        node.parent = Some(frame.0);
        let document = self.push(node);
        self.nodes[frame.0].shadow = Some(document.0);
        document
    }

    /// Set the rules of a shadow root's adopted stylesheets.
    pub fn set_adopted_css(&mut self, root: NodeRef, css: &str) {
        self.nodes[root.0].adopted_css = css.to_string();
    }

    /// Put `child` last under `parent` (taking it from where it was).
    pub fn append(&mut self, parent: NodeRef, child: NodeRef) {
        self.place(parent, child, None);
    }

    /// Put `child` under `parent` before `before` (taking it from where it was).
    pub fn insert_before(&mut self, parent: NodeRef, child: NodeRef, before: NodeRef) {
        self.place(parent, child, Some(before));
    }

    /// Put `child` under `parent`, before `before` or last.
    pub fn place(&mut self, parent: NodeRef, child: NodeRef, before: Option<NodeRef>) {
        self.detach(child);
        let children = &mut self.nodes[parent.0].children;
        let at = before
            .and_then(|before| children.iter().position(|&c| c == before.0))
            .unwrap_or(children.len());
        children.insert(at, child.0);
        self.nodes[child.0].parent = Some(parent.0);
        if self.observed && self.is_connected(parent) {
            self.changes.push(DomChange::Children {
                added: vec![child],
                removed: Vec::new(),
            });
        }
    }

    /// Take `node` out of the tree (its subtree goes with it).
    pub fn detach(&mut self, node: NodeRef) {
        let was_connected = self.observed && self.is_connected(node);
        if let Some(parent) = self.nodes[node.0].parent.take() {
            self.nodes[parent].children.retain(|&c| c != node.0);
            if was_connected {
                self.changes.push(DomChange::Children {
                    added: Vec::new(),
                    removed: vec![node],
                });
            }
        }
    }

    /// Set an attribute (a new one goes last, as in the DOM).
    pub fn set_attribute(&mut self, element: NodeRef, name: &str, value: &str) {
        let attrs = &mut self.nodes[element.0].attrs;
        match attrs.iter_mut().find(|(n, _)| n == name) {
            Some((_, v)) => *v = value.to_string(),
            None => attrs.push((name.to_string(), value.to_string())),
        }
        self.attribute_changed(element, name);
    }

    /// Remove an attribute.
    pub fn remove_attribute(&mut self, element: NodeRef, name: &str) {
        let attrs = &mut self.nodes[element.0].attrs;
        let before = attrs.len();
        attrs.retain(|(n, _)| n != name);
        if attrs.len() != before {
            self.attribute_changed(element, name);
        }
    }

    fn attribute_changed(&mut self, element: NodeRef, name: &str) {
        if self.observed && self.is_connected(element) {
            self.changes.push(DomChange::Attribute {
                element,
                name: name.to_string(),
            });
        }
    }

    /// Set a text node's text.
    pub fn set_text(&mut self, node: NodeRef, text: &str) {
        self.nodes[node.0].text = text.to_string();
        if self.observed && self.is_connected(node) {
            self.changes.push(DomChange::Text { node });
        }
    }

    /// Replace an element's children with one text node (as setting
    /// `textContent` does); the new node.
    pub fn replace_children_with_text(&mut self, element: NodeRef, text: &str) -> NodeRef {
        for child in self.nodes[element.0].children.clone() {
            self.detach(NodeRef(child));
        }
        let node = self.create_text(text);
        self.append(element, node);
        node
    }

    /// The document as HTML text: what a replay of it should rebuild.
    pub fn html(&self) -> String {
        html_text::document_html(self)
    }

    /// Set a control's current value (as typing or `input.value = …` does,
    /// leaving its `value` attribute alone).
    pub fn set_value(&mut self, control: NodeRef, value: &str) {
        self.nodes[control.0].value = Some(value.to_string());
    }

    /// Set an input's current checkedness.
    pub fn set_checked(&mut self, input: NodeRef, checked: bool) {
        self.nodes[input.0].checked = Some(checked);
    }

    /// Open a `<dialog>` as `showModal()` does (its `open` attribute and
    /// its modality), or close it.
    pub fn set_modal(&mut self, dialog: NodeRef, modal: bool) {
        self.nodes[dialog.0].modal = modal;
        if modal {
            self.set_attribute(dialog, "open", "");
        } else {
            self.remove_attribute(dialog, "open");
        }
    }

    /// Show or hide a popover (`showPopover()`: no attribute changes).
    pub fn set_popover_open(&mut self, element: NodeRef, open: bool) {
        self.nodes[element.0].popover_open = open;
    }

    /// Give a `<link>` the rules its stylesheet loaded, or a `<style>` the
    /// rules a script inserted into its sheet.
    pub fn set_stylesheet(&mut self, link: NodeRef, css: &str) {
        self.nodes[link.0].stylesheet = Some(css.to_string());
    }

    /// Set an element's rendered size.
    pub fn set_size(&mut self, element: NodeRef, width: f64, height: f64) {
        self.nodes[element.0].size = (width, height);
    }

    /// The first element, in document order, whose `id` is `id`.
    pub fn by_id(&self, id: &str) -> Option<NodeRef> {
        // Shadow trees included (tests name the nodes they change there).
        let mut stack = vec![0];
        while let Some(next) = stack.pop() {
            let node = &self.nodes[next];
            if node.attrs.iter().any(|(k, v)| k == "id" && v == id) {
                return Some(NodeRef(next));
            }
            stack.extend(node.children.iter().rev());
            stack.extend(node.shadow);
        }
        None
    }

    /// `root`'s subtree in document order, `root` first.
    pub fn descendants(&self, root: NodeRef) -> impl Iterator<Item = NodeRef> + '_ {
        let mut stack = vec![root.0];
        std::iter::from_fn(move || {
            let next = stack.pop()?;
            stack.extend(self.nodes[next].children.iter().rev());
            Some(NodeRef(next))
        })
    }

    fn selector(&self, which: PolicySelector) -> Option<&SelectorList> {
        match which {
            PolicySelector::Block => self.selectors.block.as_ref(),
            PolicySelector::Mask => self.selectors.mask.as_ref(),
            PolicySelector::Unmask => self.selectors.unmask.as_ref(),
            PolicySelector::MaskOrEditable => self.selectors.mask_or_editable.as_ref(),
        }
    }

    fn element_matches(&self, element: usize, list: &SelectorList) -> bool {
        let node = &self.nodes[element];
        node.kind == NodeKind::Element && list.matches(self, element)
    }

    fn ancestors_and_self(&self, node: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(Some(node), |&n| self.nodes[n].parent)
    }
}

impl PageDom for NativeDom {
    type Node = NodeRef;
    type NodeSet = RefCell<HashSet<NodeRef>>;

    fn kind(&self, node: &NodeRef) -> NodeKind {
        self.node(node).kind
    }

    fn first_child(&self, node: &NodeRef) -> Option<NodeRef> {
        self.node(node).children.first().map(|&c| NodeRef(c))
    }

    fn next_sibling(&self, node: &NodeRef) -> Option<NodeRef> {
        let parent = self.node(node).parent?;
        let siblings = &self.nodes[parent].children;
        let at = siblings.iter().position(|&c| c == node.0)?;
        siblings.get(at + 1).map(|&c| NodeRef(c))
    }

    fn parent(&self, node: &NodeRef) -> Option<NodeRef> {
        self.node(node).parent.map(NodeRef)
    }

    fn shadow_root(&self, element: &NodeRef, _custom_element: bool) -> Option<NodeRef> {
        let root = self.node(element).shadow?;
        (self.nodes[root].kind == NodeKind::ShadowRoot).then_some(NodeRef(root))
    }

    fn frame_document(&self, frame: &NodeRef) -> Option<NodeRef> {
        let document = self.node(frame).shadow?;
        (self.nodes[document].kind == NodeKind::FrameDocument).then_some(NodeRef(document))
    }

    fn quirks_mode(&self, document: &NodeRef) -> bool {
        self.node(document).quirks
    }

    fn document_url(&self, document: &NodeRef) -> String {
        PageDom::attribute(self, document, "url").unwrap_or_default()
    }

    fn design_mode(&self, document: &NodeRef) -> bool {
        PageDom::attribute(self, document, "designmode").is_some()
    }

    fn adopted_css(&self, root: &NodeRef) -> String {
        self.node(root).adopted_css.clone()
    }

    fn in_document(&self, node: &NodeRef) -> bool {
        self.is_connected(*node)
    }

    fn text(&self, node: &NodeRef) -> String {
        self.node(node).text.clone()
    }

    fn doctype_name(&self, node: &NodeRef) -> String {
        self.node(node).name.clone()
    }

    fn element_name(&self, element: &NodeRef) -> (String, bool) {
        let node = self.node(element);
        (node.name.clone(), node.svg)
    }

    fn attribute_names(&self, element: &NodeRef) -> String {
        let names: Vec<&str> = self
            .node(element)
            .attrs
            .iter()
            .map(|(n, _)| n.as_str())
            .collect();
        names.join(" ")
    }

    fn attribute(&self, element: &NodeRef, name: &str) -> Option<String> {
        self.node(element)
            .attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    }

    fn element_id(&self, element: &NodeRef) -> String {
        self.attribute(element, "id").unwrap_or_default()
    }

    fn control_state(&self, control: &NodeRef, tag: &str) -> (String, String) {
        let node = self.node(control);
        match tag {
            "input" => {
                let input_type = self
                    .attribute(control, "type")
                    .map(|t| t.to_ascii_lowercase())
                    .unwrap_or_else(|| "text".into());
                let value = node
                    .value
                    .clone()
                    .or_else(|| self.attribute(control, "value"))
                    .unwrap_or_default();
                (input_type, value)
            }
            "textarea" => {
                let markup = || {
                    node.children
                        .iter()
                        .map(|&c| self.nodes[c].text.as_str())
                        .collect()
                };
                ("text".into(), node.value.clone().unwrap_or_else(markup))
            }
            _ => {
                let options: Vec<NodeRef> = self
                    .descendants(*control)
                    .filter(|n| self.node(n).name == "option")
                    .collect();
                let chosen = options
                    .iter()
                    .find(|o| self.attribute(o, "selected").is_some())
                    .or(options.first());
                let value = node.value.clone().or_else(|| {
                    chosen.map(|o| {
                        self.attribute(o, "value").unwrap_or_else(|| {
                            self.descendants(*o)
                                .map(|n| self.node(&n).text.clone())
                                .collect()
                        })
                    })
                });
                ("text".into(), value.unwrap_or_default())
            }
        }
    }

    fn is_checked(&self, input: &NodeRef) -> bool {
        self.node(input)
            .checked
            .unwrap_or_else(|| self.attribute(input, "checked").is_some())
    }

    fn note_pixel_source(&self, element: &NodeRef) {
        self.pixel_sources.borrow_mut().push(*element);
    }

    fn scripted_style_rules(&self, style: &NodeRef) -> Option<String> {
        let node = self.node(style);
        let text: String = node
            .children
            .iter()
            .map(|&c| self.nodes[c].text.as_str())
            .collect();
        node.stylesheet.clone().filter(|_| text.trim().is_empty())
    }

    fn is_popover_open(&self, element: &NodeRef) -> bool {
        self.node(element).popover_open
    }

    fn is_modal(&self, dialog: &NodeRef) -> bool {
        self.node(dialog).modal
    }

    fn linked_stylesheet(&self, link: &NodeRef) -> Option<(String, Option<String>)> {
        let css = self.node(link).stylesheet.clone()?;
        Some((css, self.attribute(link, "href")))
    }

    fn size(&self, element: &NodeRef) -> (f64, f64) {
        self.node(element).size
    }

    fn matches_or_fails_closed(&self, element: &NodeRef, selector: PolicySelector) -> bool {
        match self.selector(selector) {
            Some(list) => self.element_matches(element.0, list),
            None => true,
        }
    }

    fn matches(&self, element: &NodeRef, selector: PolicySelector) -> bool {
        self.selector(selector)
            .is_some_and(|list| self.element_matches(element.0, list))
    }

    fn inside_or_fails_closed(&self, element: &NodeRef, selector: PolicySelector) -> bool {
        // A frame's document in design mode is editable as a whole.
        let editable_document = |n: usize| {
            selector == PolicySelector::MaskOrEditable
                && self.nodes[n].kind == NodeKind::FrameDocument
                && self.nodes[n]
                    .attrs
                    .iter()
                    .any(|(name, _)| name == "designmode")
        };
        match self.selector(selector) {
            Some(list) => self
                .ancestors_and_self(element.0)
                .any(|n| self.element_matches(n, list) || editable_document(n)),
            None => true,
        }
    }

    fn none_under(&self, root: &NodeRef, selector: PolicySelector) -> bool {
        match self.selector(selector) {
            Some(list) => !self
                .descendants(*root)
                .any(|n| self.element_matches(n.0, list)),
            None => false,
        }
    }

    fn id_of(&self, node: &NodeRef) -> Option<u32> {
        self.ids.borrow().get(&node.0).copied()
    }

    fn set_id(&self, node: &NodeRef, id: u32) {
        self.ids.borrow_mut().insert(node.0, id);
    }

    fn forget_id(&self, node: &NodeRef) {
        self.ids.borrow_mut().remove(&node.0);
    }

    fn new_set(&self) -> RefCell<HashSet<NodeRef>> {
        RefCell::default()
    }

    fn add_to_set(&self, set: &RefCell<HashSet<NodeRef>>, node: &NodeRef) {
        set.borrow_mut().insert(*node);
    }

    fn set_has(&self, set: &RefCell<HashSet<NodeRef>>, node: &NodeRef) -> bool {
        set.borrow().contains(node)
    }
}
