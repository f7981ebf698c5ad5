//! The page's DOM behind [`PageDom`], for the walk in `core::walk`: every
//! read through the prototypes (`dom_reads`, past DOM clobbering), the
//! node-id map a `WeakMap`, attribute names kept as JS strings, the
//! policy's selectors converted and checked once.

use repro_manifest::MaskPolicy;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, Node};

use super::attribute_reading::{AttributeNames, Attributed};
use super::dom_reads;
use super::policy_selectors::Selectors;
use super::sheet_texts::{self, SheetTexts};
use super::written_nodes::WrittenNodes;
use crate::core::page_dom::{NodeKind, PageDom, PolicySelector};
use crate::core::walk::{NodeSerializer, Walk};

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

/// The recorded page's DOM, as the walk reads it.
pub struct BrowserDom {
    attribute_names: AttributeNames,
    ids: IdMap,
    selectors: Selectors,
    /// The recorded document.
    document: Option<Node>,
    /// Closed shadow roots by host, as the page hook's signal revealed them
    /// (open ones the host gives); looked up only once there is one.
    closed_roots: js_sys::WeakMap,
    any_closed_root: std::cell::Cell<bool>,
    /// Whether the walk met any shadow root or frame document: until it
    /// does, no recorded node is in such a tree, and the questions that
    /// would cross into a host are not asked (they cost two more reads per
    /// text change).
    any_hosted_root: std::cell::Cell<bool>,
    /// The document each frame element showed when it was recorded.
    frame_documents: js_sys::WeakMap,
    /// The texts scripts gave constructed sheets, for rules Chromium
    /// cannot write back.
    sheet_texts: SheetTexts,
    /// Canvases and videos the walk recorded since the pixel sampler last
    /// took them (`pixel_capture`).
    pixel_sources: std::cell::RefCell<Vec<Element>>,
}

/// The serializer of the recorded page.
pub type Serializer = NodeSerializer<BrowserDom>;

/// A walk of the recorded page.
pub type PageWalk = Walk<BrowserDom>;

/// A serializer of this page under `policy`, whose first node gets id 1.
pub fn serializer(policy: MaskPolicy) -> Serializer {
    let dom = BrowserDom {
        attribute_names: AttributeNames::new(),
        ids: js_sys::WeakMap::new().unchecked_into(),
        selectors: Selectors::new(&policy),
        document: web_sys::window().and_then(|w| w.document()).map(Node::from),
        closed_roots: js_sys::WeakMap::new(),
        any_closed_root: std::cell::Cell::new(false),
        any_hosted_root: std::cell::Cell::new(false),
        frame_documents: js_sys::WeakMap::new(),
        sheet_texts: SheetTexts::new(),
        pixel_sources: Default::default(),
    };
    NodeSerializer::new(dom, policy)
}

impl BrowserDom {
    /// The shadow root `host` has, open or closed (reached through the
    /// extension's API), remembered when closed so that the walk finds it.
    /// From then on the questions that cross into hosts are asked (a root
    /// attached after the walk is recorded from here, not by the walk).
    pub fn reach_shadow_root(&self, host: &Element) -> Option<Node> {
        let root = match dom_reads::open_shadow_root(host) {
            Some(open) => open,
            None => {
                let closed = dom_reads::any_shadow_root(host)?;
                self.closed_roots.set(host, &closed);
                self.any_closed_root.set(true);
                closed
            }
        };
        self.any_hosted_root.set(true);
        Some(root)
    }

    /// The canvases and videos recorded since the last call, for their pixels.
    pub fn take_pixel_sources(&self) -> Vec<Element> {
        std::mem::take(&mut *self.pixel_sources.borrow_mut())
    }

    /// The document `frame` showed when the walk recorded it, if it did.
    pub fn recorded_frame_document(&self, frame: &Element) -> Option<Node> {
        dom_reads::as_node(&self.frame_documents.get(frame))
    }

    /// Whether the page has shown shadow trees or frame documents to the
    /// recorder (else no element needs asking for a shadow root).
    pub fn has_hosted_roots(&self) -> bool {
        self.any_hosted_root.get()
    }

    /// The recorded document, once the page has shown shadow trees or frame
    /// documents (what the questions crossing into a host need).
    fn recorded_if_hosting(&self) -> Option<&Node> {
        self.any_hosted_root
            .get()
            .then_some(self.document.as_ref())
            .flatten()
    }

    fn selector(&self, which: PolicySelector) -> &super::policy_selectors::Selector {
        match which {
            PolicySelector::Block => &self.selectors.block,
            PolicySelector::Mask => &self.selectors.mask,
            PolicySelector::Unmask => &self.selectors.unmask,
            PolicySelector::MaskOrEditable => &self.selectors.mask_or_editable,
        }
    }
}

impl PageDom for BrowserDom {
    // One-line forwards, inlined: each call level is a JavaScript call in
    // the wasm2js build.
    type Node = Node;
    type NodeSet = js_sys::Set;

    #[inline(always)]
    fn kind(&self, node: &Node) -> NodeKind {
        match dom_reads::node_type(node) {
            Node::ELEMENT_NODE => NodeKind::Element,
            Node::TEXT_NODE | Node::CDATA_SECTION_NODE => NodeKind::Text,
            Node::COMMENT_NODE => NodeKind::Comment,
            Node::DOCUMENT_TYPE_NODE => NodeKind::Doctype,
            Node::DOCUMENT_NODE if self.document.as_ref() != Some(node) => NodeKind::FrameDocument,
            Node::DOCUMENT_NODE => NodeKind::Document,
            Node::DOCUMENT_FRAGMENT_NODE if dom_reads::is_shadow_root(node) => NodeKind::ShadowRoot,
            _ => NodeKind::Other,
        }
    }

    #[inline(always)]
    fn first_child(&self, node: &Node) -> Option<Node> {
        dom_reads::first_child(node)
    }

    #[inline(always)]
    fn next_sibling(&self, node: &Node) -> Option<Node> {
        dom_reads::next_sibling(node)
    }

    #[inline(always)]
    fn parent(&self, node: &Node) -> Option<Node> {
        dom_reads::parent_node(node).or_else(|| match dom_reads::node_type(node) {
            Node::DOCUMENT_FRAGMENT_NODE if dom_reads::is_shadow_root(node) => {
                Some(dom_reads::shadow_host(node).into())
            }
            Node::DOCUMENT_NODE if self.document.as_ref() != Some(node) => {
                dom_reads::frame_element_of(node.unchecked_ref()).map(Node::from)
            }
            _ => None,
        })
    }

    fn frame_document(&self, frame: &Node) -> Option<Node> {
        let document = dom_reads::frame_content_document(frame.unchecked_ref())?;
        self.frame_documents.set(frame.unchecked_ref(), &document);
        self.any_hosted_root.set(true);
        Some(document)
    }

    fn quirks_mode(&self, document: &Node) -> bool {
        dom_reads::in_quirks_mode(document)
    }

    fn document_url(&self, document: &Node) -> String {
        dom_reads::document_url(document.unchecked_ref())
    }

    fn design_mode(&self, document: &Node) -> bool {
        dom_reads::in_design_mode(document)
    }

    #[inline(always)]
    fn shadow_root(&self, element: &Node, custom_element: bool) -> Option<Node> {
        let root = if let Some(open) = dom_reads::open_shadow_root(element) {
            Some(open)
        } else if custom_element {
            self.reach_shadow_root(element.unchecked_ref())
        } else if self.any_closed_root.get() {
            dom_reads::as_node(&self.closed_roots.get(element))
        } else {
            None
        };
        if root.is_some() {
            self.any_hosted_root.set(true);
        }
        root
    }

    fn adopted_css(&self, root: &Node) -> String {
        let mut css = String::new();
        for sheet in dom_reads::adopted_sheets(root) {
            let Some(rules) = rules_text(&sheet) else {
                continue;
            };
            let given = sheet_texts::looks_broken(&rules)
                .then(|| self.sheet_texts.given_text(root, &sheet))
                .flatten();
            match given {
                Some(text) => {
                    css.push_str(&text);
                    css.push('\n');
                }
                None => css.push_str(&rules),
            }
        }
        css
    }

    fn in_document(&self, node: &Node) -> bool {
        // `contains` stops at shadow roots; a node in a shadow tree is in
        // the document when it is connected and its tree's host is.
        let Some(document) = self.document.as_ref() else {
            return false;
        };
        dom_reads::contains(document, node)
            || (self.any_hosted_root.get()
                && dom_reads::is_connected(node)
                && dom_reads::container_of_tree(node, document)
                    .is_some_and(|host| self.in_document(host.unchecked_ref())))
    }

    #[inline(always)]
    fn text(&self, node: &Node) -> String {
        dom_reads::text_content(node).unwrap_or_default()
    }

    fn doctype_name(&self, node: &Node) -> String {
        dom_reads::doctype_name(node)
    }

    /// One string from `tagName` where it can tell: an HTML element of an
    /// HTML document has it in upper case, and every other element (SVG,
    /// MathML, XHTML) keeps the case of its qualified name, which has
    /// lower-case letters in every name SVG and MathML define. Other names
    /// take `localName` and `namespaceURI`, two strings more, as every
    /// element did before (measured: about 3 % of the walk).
    fn element_name(&self, element: &Node) -> (String, bool) {
        let element: &Element = element.unchecked_ref();
        let mut tag = dom_reads::tag_name(element);
        let html = !tag.bytes().any(|b| b.is_ascii_lowercase() || b == b':');
        if html {
            tag.make_ascii_lowercase();
            return (tag, false);
        }
        let svg = dom_reads::namespace_uri(element).as_deref() == Some(SVG_NS);
        (dom_reads::local_name(element), svg)
    }

    fn attribute_names(&self, element: &Node) -> String {
        let element: &Element = element.unchecked_ref();
        if !dom_reads::has_attributes(element) {
            return String::new();
        }
        self.attribute_names
            .of(element.unchecked_ref::<Attributed>())
    }

    #[inline(always)]
    fn attribute(&self, element: &Node, name: &str) -> Option<String> {
        self.attribute_names.value(element.unchecked_ref(), name)
    }

    #[inline(always)]
    fn element_id(&self, element: &Node) -> String {
        dom_reads::id(element.unchecked_ref())
    }

    fn control_state(&self, control: &Node, tag: &str) -> (String, String) {
        let control: &Element = control.unchecked_ref();
        match tag {
            "input" => (
                dom_reads::input_type(control),
                dom_reads::input_value(control),
            ),
            "textarea" => ("text".to_string(), dom_reads::text_area_value(control)),
            _ => ("text".to_string(), dom_reads::select_value(control)),
        }
    }

    #[inline(always)]
    fn is_checked(&self, input: &Node) -> bool {
        dom_reads::input_checked(input.unchecked_ref())
    }

    fn scripted_style_rules(&self, style: &Node) -> Option<String> {
        let text = dom_reads::text_content(style).unwrap_or_default();
        if !text.trim().is_empty() {
            return None;
        }
        // (A `<style>`'s sheet is a CSS sheet, of whichever frame's realm.)
        let sheet: web_sys::CssStyleSheet =
            dom_reads::style_sheet(style.unchecked_ref())?.unchecked_into();
        rules_text(&sheet).filter(|css| !css.is_empty())
    }

    fn is_modal(&self, dialog: &Node) -> bool {
        dom_reads::in_state(dialog.unchecked_ref(), ":modal")
    }

    fn is_popover_open(&self, element: &Node) -> bool {
        dom_reads::in_state(element.unchecked_ref(), ":popover-open")
    }

    /// The rules of a same-origin stylesheet (a cross-origin sheet's rules
    /// cannot be read).
    fn linked_stylesheet(&self, link: &Node) -> Option<(String, Option<String>)> {
        let sheet: web_sys::CssStyleSheet =
            dom_reads::link_sheet(link.unchecked_ref())?.unchecked_into();
        let url = dom_reads::sheet_href(&sheet);
        Some((rules_text(&sheet)?, url))
    }

    fn note_pixel_source(&self, element: &Node) {
        self.pixel_sources
            .borrow_mut()
            .push(element.clone().unchecked_into());
    }

    fn blob_image_data(&self, image: &Node) -> Option<String> {
        dom_reads::blob_image_data(image)
    }

    fn size(&self, element: &Node) -> (f64, f64) {
        let rect = dom_reads::bounding_rect(element.unchecked_ref());
        (rect.width(), rect.height())
    }

    #[inline(always)]
    fn matches_or_fails_closed(&self, element: &Node, selector: PolicySelector) -> bool {
        self.selector(selector)
            .matches_or_fails_closed(element.unchecked_ref())
    }

    #[inline(always)]
    fn matches(&self, element: &Node, selector: PolicySelector) -> bool {
        self.selector(selector).matches(element.unchecked_ref())
    }

    #[inline(always)]
    fn inside_or_fails_closed(&self, element: &Node, selector: PolicySelector) -> bool {
        self.selector(selector).inside_or_fails_closed(
            element.unchecked_ref(),
            self.recorded_if_hosting(),
            selector == PolicySelector::MaskOrEditable,
        )
    }

    fn none_under(&self, root: &Node, selector: PolicySelector) -> bool {
        self.selector(selector).none_under(root)
    }

    #[inline(always)]
    fn id_of(&self, node: &Node) -> Option<u32> {
        self.ids.get_id(node)
    }

    #[inline(always)]
    fn set_id(&self, node: &Node, id: u32) {
        self.ids.set_id(node, id);
    }

    #[inline(always)]
    fn forget_id(&self, node: &Node) {
        self.ids.delete_id(node);
    }

    fn new_set(&self) -> js_sys::Set {
        js_sys::Set::new(&JsValue::UNDEFINED)
    }

    #[inline(always)]
    fn add_to_set(&self, set: &js_sys::Set, node: &Node) {
        set.add(node);
    }

    #[inline(always)]
    fn set_has(&self, set: &js_sys::Set, node: &Node) -> bool {
        set.has(node)
    }
}

/// The nodes a batch of mutation records added.
pub fn added_nodes(records: &js_sys::Array) -> impl Iterator<Item = Node> + '_ {
    records.iter().flat_map(|record| {
        let record: web_sys::MutationRecord = record.unchecked_into();
        let nodes = record.added_nodes();
        (0..nodes.length()).filter_map(move |i| nodes.get(i))
    })
}

/// Serialize `root` and its subtree, writing records to `out` in document
/// order, a batch at a time. `root` goes under `parent` before `before`;
/// `masked` says whether text under `root`'s parent is masked.
pub fn write_subtree(
    serializer: &mut Serializer,
    root: &Node,
    parent: u32,
    before: Option<u32>,
    masked: bool,
    out: &mut WrittenNodes,
) {
    let mut walk = PageWalk::new(root, parent, before, masked);
    loop {
        let done = serializer.walk_until(&mut walk, &mut || true);
        for record in walk.records.drain(..) {
            out.append(&record);
        }
        if done {
            break;
        }
    }
}

/// A sheet's rules as text, one per line; `None` when they cannot be read
/// (a cross-origin sheet).
fn rules_text(sheet: &web_sys::CssStyleSheet) -> Option<String> {
    rules_text_within(sheet, 0)
}

/// How deep `@import`s are followed (a sheet may import itself).
const MAX_IMPORT_DEPTH: u32 = 8;

/// `sheet`'s rules as text, each `@import` of a sheet it can read replaced
/// by that sheet's rules (their `url()`s made absolute against it, inside
/// `@media` when the import named media): the replay, which loads from the
/// server alone, has them without asking the site.
fn rules_text_within(sheet: &web_sys::CssStyleSheet, depth: u32) -> Option<String> {
    let rules = sheet.css_rules().ok()?;
    let mut css = String::new();
    for i in 0..rules.length() {
        let Some(rule) = rules.item(i) else { continue };
        match imported_rules(&rule, depth) {
            Some(imported) => css.push_str(&imported),
            None => css.push_str(&rule.css_text()),
        }
        css.push('\n');
    }
    Some(css)
}

/// The rules an `@import` `rule` brings in, as text, if it is one whose
/// sheet can be read.
fn imported_rules(rule: &web_sys::CssRule, depth: u32) -> Option<String> {
    if rule.type_() != web_sys::CssRule::IMPORT_RULE || depth >= MAX_IMPORT_DEPTH {
        return None;
    }
    let sheet = js_sys::Reflect::get(rule, &JsValue::from_str("styleSheet")).ok()?;
    if sheet.is_null() || sheet.is_undefined() {
        return None;
    }
    let sheet: web_sys::CssStyleSheet = sheet.unchecked_into();
    let css = rules_text_within(&sheet, depth + 1)?;
    let css = match dom_reads::sheet_href(&sheet) {
        Some(url) => repro_manifest::css_urls::absolutize(&css, &url),
        None => css,
    };
    let media = js_sys::Reflect::get(rule, &JsValue::from_str("media"))
        .ok()
        .and_then(|media| js_sys::Reflect::get(&media, &JsValue::from_str("mediaText")).ok())
        .and_then(|text| text.as_string())
        .unwrap_or_default();
    Some(match media.trim() {
        "" | "all" => css,
        media => format!("@media {media} {{\n{css}}}"),
    })
}
