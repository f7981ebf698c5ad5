//! The boxes a picture of the tab must black out (a mark's screenshots, the
//! report's thumbnail, a canvas's pixels): everything the privacy rules
//! hide, in the top viewport. Form controls, masked and blocked elements,
//! and text holding secret shapes, in the document, in every shadow root
//! the recorder knows (open ones, closed ones of custom elements, and closed
//! ones a page script attached to any element, which the page hook names)
//! or, without a recorder, the extension can reach, and in same-origin
//! frames; a frame of another origin, whose content cannot be read from
//! here, is blacked out whole.
//!
//! Nodes of same-origin frames belong to other realms, where `instanceof`
//! against this world's classes fails: node types are checked and nodes cast.

use repro_manifest::{MaskPolicy, Rect, Size};
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Node};

use super::browser_dom::BrowserDom;
use super::dom_reads;
use super::dom_reads::viewport;
use crate::core::page_dom::PageDom;

/// How deep frames and shadow roots are entered (a page can nest forever).
const MAX_DEPTH: u32 = 16;

/// Boxes of everything the policy hides, in the viewport; `dom`, the
/// recording's DOM when there is one (it knows the closed roots).
pub fn mask_rects(policy: &MaskPolicy, dom: Option<&BrowserDom>) -> Vec<Rect> {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return Vec::new();
    };
    let size: Size = web_sys::window().map(|w| viewport(&w)).unwrap_or_default();
    let visible = |r: &Rect| {
        r.w > 0.0
            && r.h > 0.0
            && r.x < size.w as f64
            && r.y < size.h as f64
            && r.x + r.w > 0.0
            && r.y + r.h > 0.0
    };
    let mut rects = Vec::new();
    let scope = Scope {
        document: &document,
        root: document.clone().into(),
        offset: (0.0, 0.0),
    };
    collect(&scope, policy, dom, &mut rects, 0);
    rects.retain(visible);
    rects
}

/// Where boxes are collected: a document, or a shadow root in it, at
/// `offset` in the top viewport.
struct Scope<'a> {
    document: &'a Document,
    /// The document itself, or a shadow root.
    root: Node,
    offset: (f64, f64),
}

impl Scope<'_> {
    fn shifted(&self, r: &web_sys::DomRect) -> Rect {
        Rect {
            x: r.left() + self.offset.0,
            y: r.top() + self.offset.1,
            w: r.width(),
            h: r.height(),
        }
    }

    /// The elements of this scope (not of its shadow roots) matching `selector`.
    fn elements(&self, selector: &str) -> Vec<Element> {
        let found = if dom_reads::node_type(&self.root) == Node::DOCUMENT_NODE {
            dom_reads::query_all(self.document, selector)
        } else {
            self.root
                .unchecked_ref::<web_sys::DocumentFragment>()
                .query_selector_all(selector)
        };
        let Ok(found) = found else {
            return Vec::new();
        };
        (0..found.length())
            .filter_map(|i| found.item(i))
            .filter(|n| dom_reads::node_type(n) == Node::ELEMENT_NODE)
            .map(|n| n.unchecked_into())
            .collect()
    }

    /// Where its text lives: the body of a document, or the shadow root.
    fn text_root(&self) -> Option<Node> {
        if dom_reads::node_type(&self.root) == Node::DOCUMENT_NODE {
            dom_reads::body(self.document).map(Into::into)
        } else {
            Some(self.root.clone())
        }
    }
}

/// The selectors of what the policy hides.
fn hidden_selectors(policy: &MaskPolicy) -> [String; 3] {
    let fields = if policy.mask_all_inputs {
        "input, textarea, select, [contenteditable]:not([contenteditable=false])"
    } else {
        "input[type=password], input[autocomplete*=cc-], input[autocomplete=one-time-code]"
    };
    [
        policy.mask_selector.clone(),
        policy.block_selector.clone(),
        fields.to_owned(),
    ]
}

/// The shadow root of `element`: as the recording's DOM knows it, else as
/// the extension can reach it (open, or the closed root of a custom
/// element, through the extension's own API).
fn shadow_root_of(element: &Element, dom: Option<&BrowserDom>) -> Option<Node> {
    let custom = dom_reads::local_name(element).contains('-');
    match dom {
        Some(dom) => dom.shadow_root(element.as_ref(), custom),
        None => dom_reads::open_shadow_root(element).or_else(|| {
            custom
                .then(|| dom_reads::any_shadow_root(element))
                .flatten()
        }),
    }
}

fn collect(
    scope: &Scope,
    policy: &MaskPolicy,
    dom: Option<&BrowserDom>,
    rects: &mut Vec<Rect>,
    depth: u32,
) {
    for selector in hidden_selectors(policy) {
        rects.extend(
            scope
                .elements(&selector)
                .iter()
                .map(|e| scope.shifted(&dom_reads::bounding_rect(e))),
        );
    }
    for frame in scope.elements("iframe, frame") {
        let box_ = dom_reads::bounding_rect(&frame);
        let inner = frame
            .unchecked_ref::<web_sys::HtmlIFrameElement>()
            .content_document();
        match inner {
            Some(inner) if depth < MAX_DEPTH => {
                let (left, top) = dom_reads::client_offset(&frame);
                let offset = (
                    scope.offset.0 + box_.left() + left,
                    scope.offset.1 + box_.top() + top,
                );
                let inner_scope = Scope {
                    document: &inner,
                    root: inner.clone().into(),
                    offset,
                };
                collect(&inner_scope, policy, dom, rects, depth + 1);
            }
            _ => rects.push(scope.shifted(&box_)),
        }
    }
    // Asking every element for a shadow root costs a call each: not on a
    // page whose recorder has seen none.
    if depth < MAX_DEPTH && dom.is_none_or(BrowserDom::has_hosted_roots) {
        for host in scope.elements("*") {
            if let Some(root) = shadow_root_of(&host, dom) {
                let inner_scope = Scope {
                    document: scope.document,
                    root,
                    offset: scope.offset,
                };
                collect(&inner_scope, policy, dom, rects, depth + 1);
            }
        }
    }
    collect_secret_text(scope, policy, rects);
}

/// The boxes of secret-shaped text (all text, when the policy masks it all).
fn collect_secret_text(scope: &Scope, policy: &MaskPolicy, rects: &mut Vec<Rect>) {
    let (Some(root), Ok(range)) = (scope.text_root(), dom_reads::create_range(scope.document))
    else {
        return;
    };
    let Ok(walker) = dom_reads::tree_walker(scope.document, &root, 4) else {
        return;
    };
    while let Ok(Some(node)) = walker.next_node() {
        let text = dom_reads::text_content(&node).unwrap_or_default();
        let spans: Vec<(usize, usize)> = if policy.mask_all_text {
            vec![(0, text.len())]
        } else {
            repro_manifest::pii::find(&text)
                .iter()
                .map(|f| (f.start, f.end))
                .collect()
        };
        for (start, end) in spans {
            let utf16 = |byte: usize| text[..byte].encode_utf16().count() as u32;
            if range.set_start(&node, utf16(start)).is_ok()
                && range.set_end(&node, utf16(end)).is_ok()
            {
                if let Some(list) = range.get_client_rects() {
                    rects.extend(
                        (0..list.length())
                            .filter_map(|i| list.get(i))
                            .map(|r| scope.shifted(&r)),
                    );
                }
            }
        }
    }
}
