//! The masking policy's selectors as the walk asks them: converted to JS
//! strings and checked once, then matched without a catching binding. A
//! selector the browser cannot parse fails closed: it blocks or masks.

use js_sys::JsString;
use repro_manifest::MaskPolicy;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, Node};

/// Selector of editable regions whose text is masked with the inputs.
const EDITABLE: &str = "[contenteditable]:not([contenteditable=false]), textarea";

#[wasm_bindgen]
extern "C" {
    /// An element, seen only for `matches` and `closest` with a selector
    /// already in JS and known to parse: the walk asks it of every element.
    /// Passing the selector's text over each time was a hot spot, and so was
    /// a catching binding, which allocates a closure and an `arguments`
    /// object per call (measured: half of all the walk's allocations).
    /// `Element.prototype`'s methods, whatever the page's forms name their
    /// fields (see `dom_reads`).
    #[wasm_bindgen(js_name = Element)]
    type Matchable;
    #[wasm_bindgen(method, final, js_name = matches)]
    fn matches(this: &Matchable, selectors: &JsString) -> bool;
    #[wasm_bindgen(method, final, js_name = closest)]
    fn closest(this: &Matchable, selectors: &JsString) -> Option<Element>;
    #[wasm_bindgen(method, final, js_name = querySelector)]
    fn query_selector(this: &Matchable, selectors: &JsString) -> Option<Element>;

    /// A document, seen only for `querySelector` (as for [`Matchable`]).
    #[wasm_bindgen(js_name = Document)]
    type QueryableDocument;
    #[wasm_bindgen(method, final, js_name = querySelector)]
    fn query_selector(this: &QueryableDocument, selectors: &JsString) -> Option<Element>;

    /// A document fragment or shadow root, seen only for `querySelector`.
    #[wasm_bindgen(js_name = DocumentFragment)]
    type QueryableFragment;
    #[wasm_bindgen(method, final, js_name = querySelector)]
    fn query_selector(this: &QueryableFragment, selectors: &JsString) -> Option<Element>;
}

/// A selector of the masking policy, converted to a JS string once and
/// checked once: `None` when the browser cannot parse it.
pub(super) struct Selector(Option<JsString>);

impl Selector {
    fn new(text: &str) -> Self {
        let parses = web_sys::window()
            .and_then(|window| window.document())
            .is_some_and(|document| {
                super::dom_reads::new_fragment(&document)
                    .query_selector(text)
                    .is_ok()
            });
        Selector(parses.then(|| JsString::from(text)))
    }

    /// Does `element` match? A selector that does not parse matches (fails closed).
    pub(super) fn matches_or_fails_closed(&self, element: &Element) -> bool {
        match &self.0 {
            Some(selector) => element.unchecked_ref::<Matchable>().matches(selector),
            None => true,
        }
    }

    /// Does no node of the subtree of `root`, `root` included, match? A
    /// selector that does not parse matches every element (fails closed).
    pub(super) fn none_under(&self, root: &Node) -> bool {
        let Some(selector) = &self.0 else {
            return false;
        };
        match super::dom_reads::node_type(root) {
            Node::ELEMENT_NODE => {
                let element = root.unchecked_ref::<Matchable>();
                !element.matches(selector) && element.query_selector(selector).is_none()
            }
            Node::DOCUMENT_NODE => root
                .unchecked_ref::<QueryableDocument>()
                .query_selector(selector)
                .is_none(),
            Node::DOCUMENT_FRAGMENT_NODE => root
                .unchecked_ref::<QueryableFragment>()
                .query_selector(selector)
                .is_none(),
            _ => true,
        }
    }

    /// Does `element` match? A selector that does not parse does not.
    pub(super) fn matches(&self, element: &Element) -> bool {
        self.0
            .as_ref()
            .is_some_and(|selector| element.unchecked_ref::<Matchable>().matches(selector))
    }

    /// Is `element` or one of its ancestors matched? A selector that does
    /// not parse says yes (fails closed).
    /// Inside a shadow tree or a frame's document, its host's or frame
    /// element's ancestors count too (a masked host or frame masks what it
    /// holds): asked when `recorded` (the recorded document) is given, once
    /// the page has shown such trees. With `editable_documents`, a frame's
    /// document in design mode counts as matched (one editable region).
    pub(super) fn inside_or_fails_closed(
        &self,
        element: &Element,
        recorded: Option<&Node>,
        editable_documents: bool,
    ) -> bool {
        let Some(selector) = &self.0 else {
            return true;
        };
        let inside = |element: &Element| {
            element
                .unchecked_ref::<Matchable>()
                .closest(selector)
                .is_some()
        };
        // Without shadow trees, one question (and no handle copied: each
        // copy is two more calls across to JavaScript).
        if inside(element) {
            return true;
        }
        let Some(recorded) = recorded else {
            return false;
        };
        let mut at = element.clone();
        loop {
            if editable_documents && super::dom_reads::in_design_mode_document(&at, recorded) {
                return true;
            }
            match super::dom_reads::container_of_tree(&at, recorded) {
                Some(host) if inside(&host) => return true,
                Some(host) => at = host,
                None => return false,
            }
        }
    }
}

/// The policy's selectors.
pub(super) struct Selectors {
    pub(super) block: Selector,
    pub(super) mask: Selector,
    pub(super) unmask: Selector,
    /// The mask selector and [`EDITABLE`] in one list, which `closest`
    /// answers in one call (a text's changes ask it of every text).
    pub(super) mask_or_editable: Selector,
}

impl Selectors {
    /// The selectors of `policy`, and the one of editable regions.
    pub(super) fn new(policy: &MaskPolicy) -> Self {
        Selectors {
            block: Selector::new(&policy.block_selector),
            mask: Selector::new(&policy.mask_selector),
            unmask: Selector::new(&policy.unmask_selector),
            mask_or_editable: Selector::new(&format!("{}, {EDITABLE}", policy.mask_selector)),
        }
    }
}
