//! What a mark says of its element: selectors (with the chain of same-origin
//! iframes holding it), XPath, box in the top viewport, masked text and HTML,
//! computed styles, and the boxes a screenshot must black out. Everything is
//! masked by the same rules as the recording.
//!
//! Elements of same-origin iframes belong to other realms, where `instanceof`
//! against this world's classes fails: tag names are checked and nodes cast.

use repro_manifest::{MarkCapture, MaskPolicy, Rect, Size};
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Node};

use super::browser_dom;
use super::dom_reads;
use super::dom_reads::viewport;
use crate::core::selector::{css_selector, xpath, Selector, Tree};
use crate::core::walk::mask_text;
use crate::core::{mark_html, mask};

fn document() -> Option<Document> {
    web_sys::window()?.document()
}

/// The iframe elements holding `element`, innermost first.
fn frames_of(element: &Element) -> Vec<Element> {
    let mut frames = Vec::new();
    let mut document = dom_reads::owner_document(element);
    while let Some(frame) = document
        .as_ref()
        .and_then(dom_reads::default_view)
        .and_then(|w| w.frame_element().ok().flatten())
    {
        document = dom_reads::owner_document(&frame);
        frames.push(frame);
    }
    frames
}

/// Where `element`'s document starts in the top viewport.
fn frame_offset(element: &Element) -> (f64, f64) {
    frames_of(element).iter().fold((0.0, 0.0), |(x, y), frame| {
        let rect = dom_reads::bounding_rect(frame);
        let (left, top) = dom_reads::client_offset(frame);
        (x + rect.left() + left, y + rect.top() + top)
    })
}

/// `element`'s box in the top viewport.
pub fn top_rect(element: &Element) -> Rect {
    let (dx, dy) = frame_offset(element);
    let r = dom_reads::bounding_rect(element);
    Rect {
        x: r.left() + dx,
        y: r.top() + dy,
        w: r.width(),
        h: r.height(),
    }
}

/// One document of the page seen through the selector generator's eyes.
struct PageTree(Document);

impl Tree for PageTree {
    type Node = Element;
    fn parent(&self, node: &Element) -> Option<Element> {
        dom_reads::parent_element(node)
    }
    fn tag(&self, node: &Element) -> String {
        dom_reads::local_name(node)
    }
    fn attribute(&self, node: &Element, name: &str) -> Option<String> {
        dom_reads::get_attribute(node, name)
    }
    fn children(&self, node: &Element) -> Vec<Element> {
        let children = dom_reads::children(node);
        (0..children.length())
            .filter_map(|i| children.item(i))
            .collect()
    }
    fn select(&self, selector: &Selector, limit: usize) -> Vec<Element> {
        let Ok(found) = dom_reads::query_all(&self.0, &selector.to_string()) else {
            return Vec::new();
        };
        (0..found.length().min(limit as u32))
            .filter_map(|i| found.item(i).and_then(|n| n.dyn_into().ok()))
            .collect()
    }
}

const STYLES: [&str; 16] = [
    "display",
    "visibility",
    "position",
    "color",
    "background-color",
    "font-family",
    "font-size",
    "font-weight",
    "line-height",
    "width",
    "height",
    "margin",
    "padding",
    "opacity",
    "z-index",
    "overflow",
];

/// Describe `element` for its mark, masked under `policy`, marked at
/// `moment` (the recording's time and page, when one runs).
pub fn describe_marked(
    element: &Element,
    policy: &MaskPolicy,
    moment: (u64, u32),
) -> Option<MarkCapture> {
    let window = web_sys::window()?;
    let own_document = dom_reads::owner_document(element)?;
    let selector = css_selector(&PageTree(own_document.clone()), element);
    let mut frames: Vec<String> = frames_of(element)
        .iter()
        .filter_map(|frame| {
            Some(css_selector(&PageTree(dom_reads::owner_document(frame)?), frame).to_string())
        })
        .collect();
    frames.reverse();
    let mut serializer = browser_dom::serializer(policy.clone());
    let parent = dom_reads::parent_element(element);
    let masked = serializer.masks_text_under(parent.as_ref().map(|parent| -> &Node { parent }));
    let records = serializer.subtree_records(element, 0, None, masked);
    let text_masked = masked || serializer.masks_text_under(Some(element));
    let raw_text = dom_reads::text_content(element).unwrap_or_default();
    let raw_text: String = raw_text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(500)
        .collect();
    let text = if text_masked {
        mask_text(&raw_text)
    } else {
        mask::free_text(raw_text)
    };
    let styles = window
        .get_computed_style(element)
        .ok()
        .flatten()
        .map(|computed| {
            STYLES
                .iter()
                .map(|name| {
                    (
                        name.to_string(),
                        computed.get_property_value(name).unwrap_or_default(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let (t, page) = moment;
    Some(MarkCapture {
        t,
        page,
        selector: selector.to_string(),
        frames,
        xpath: xpath(&PageTree(own_document), element),
        rect: top_rect(element),
        viewport: viewport(&window),
        scroll: (
            window.scroll_x().unwrap_or(0.0) as i32,
            window.scroll_y().unwrap_or(0.0) as i32,
        ),
        text,
        html: mark_html::render(&records, 2000),
        styles,
        mask_rects: mask_rects(policy),
    })
}

/// Boxes of everything the policy hides, in the viewport: form controls,
/// masked and blocked elements, and text holding secret shapes.
pub fn mask_rects(policy: &MaskPolicy) -> Vec<Rect> {
    let Some(document) = document() else {
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
    collect_mask_rects(&document, (0.0, 0.0), policy, &mut rects, 0);
    rects.retain(visible);
    rects
}

/// Elements of `document` (at `offset` in the top viewport) to black out,
/// descending into same-origin iframes; a cross-origin iframe, whose content
/// cannot be inspected, is blacked out whole.
fn collect_mask_rects(
    document: &Document,
    offset: (f64, f64),
    policy: &MaskPolicy,
    rects: &mut Vec<Rect>,
    depth: u32,
) {
    let shifted = |r: &web_sys::DomRect| Rect {
        x: r.left() + offset.0,
        y: r.top() + offset.1,
        w: r.width(),
        h: r.height(),
    };
    let elements = |selector: &str| -> Vec<Element> {
        let Ok(found) = dom_reads::query_all(document, selector) else {
            return Vec::new();
        };
        (0..found.length())
            .filter_map(|i| found.item(i))
            .filter(|n| dom_reads::node_type(n) == Node::ELEMENT_NODE)
            .map(|n| n.unchecked_into())
            .collect()
    };
    let mut selectors = vec![policy.mask_selector.clone(), policy.block_selector.clone()];
    if policy.mask_all_inputs {
        selectors
            .push("input, textarea, select, [contenteditable]:not([contenteditable=false])".into());
    } else {
        selectors.push(
            "input[type=password], input[autocomplete*=cc-], input[autocomplete=one-time-code]"
                .into(),
        );
    }
    for selector in selectors {
        rects.extend(
            elements(&selector)
                .iter()
                .map(|e| shifted(&dom_reads::bounding_rect(e))),
        );
    }
    for frame in elements("iframe, frame") {
        let box_ = dom_reads::bounding_rect(&frame);
        let inner = frame
            .unchecked_ref::<web_sys::HtmlIFrameElement>()
            .content_document();
        match inner {
            Some(inner) if depth < 8 => {
                let (left, top) = dom_reads::client_offset(&frame);
                let origin = (offset.0 + box_.left() + left, offset.1 + box_.top() + top);
                collect_mask_rects(&inner, origin, policy, rects, depth + 1);
            }
            _ => rects.push(shifted(&box_)),
        }
    }
    let (Some(body), Ok(range)) = (dom_reads::body(document), dom_reads::create_range(document))
    else {
        return;
    };
    let Ok(walker) = dom_reads::tree_walker(document, &body, 4) else {
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
                            .map(|r| shifted(&r)),
                    );
                }
            }
        }
    }
}
