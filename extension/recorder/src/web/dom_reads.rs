//! Every fact the recorder reads from the page's DOM, read through the
//! getters and methods the DOM's prototypes define, never through the
//! object's own properties.
//!
//! A page can shadow an element's or the document's properties by name
//! (DOM clobbering): in a form, `<input name="tagName">` makes
//! `form.tagName` that input, and `<img name="title">` makes
//! `document.title` the image. A binding that reads `obj.tagName` then gets
//! an element where it expects a string, throws inside the recorder, and
//! the recording ends empty. Every read here takes the getter or method
//! from its prototype and calls it on the object, so what the page names
//! its fields changes nothing: the walk's hot getters are taken once and
//! kept ([`HotGetters`]); the rest are wasm-bindgen `final` bindings.
//!
//! The rest of the recorder must read the page through this module, not
//! through web-sys's getters (which read the property by name).

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Node};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = Node)]
    type ProtoNode;
    #[wasm_bindgen(method, final, js_name = contains)]
    fn contains(this: &ProtoNode, other: &Node) -> bool;
    #[wasm_bindgen(method, getter, final, js_name = ownerDocument)]
    fn owner_document(this: &ProtoNode) -> Option<Document>;
    #[wasm_bindgen(method, getter, final, js_name = isConnected)]
    fn is_connected(this: &ProtoNode) -> bool;
    #[wasm_bindgen(method, final, js_name = getRootNode)]
    fn get_root_node(this: &ProtoNode) -> Node;

    #[wasm_bindgen(js_name = ShadowRoot)]
    type ProtoShadowRoot;
    #[wasm_bindgen(method, getter, final, js_name = host)]
    fn host(this: &ProtoShadowRoot) -> Element;
    #[wasm_bindgen(method, getter, final, js_name = adoptedStyleSheets)]
    fn adopted_style_sheets(this: &ProtoShadowRoot) -> JsValue;

    #[wasm_bindgen(js_name = Element)]
    type ProtoElement;
    #[wasm_bindgen(method, getter, final, js_name = scrollLeft)]
    fn scroll_left(this: &ProtoElement) -> f64;
    #[wasm_bindgen(method, getter, final, js_name = scrollTop)]
    fn scroll_top(this: &ProtoElement) -> f64;
    #[wasm_bindgen(method, getter, final, js_name = firstElementChild)]
    fn first_element_child(this: &ProtoElement) -> Option<Element>;
    #[wasm_bindgen(method, getter, final, js_name = children)]
    fn children(this: &ProtoElement) -> web_sys::HtmlCollection;
    #[wasm_bindgen(method, final, js_name = hasAttributes)]
    fn has_attributes(this: &ProtoElement) -> bool;
    #[wasm_bindgen(method, final, js_name = getAttribute)]
    fn get_attribute(this: &ProtoElement, name: &str) -> Option<String>;
    #[wasm_bindgen(method, getter, final, js_name = clientLeft)]
    fn client_left(this: &ProtoElement) -> f64;
    #[wasm_bindgen(method, getter, final, js_name = clientTop)]
    fn client_top(this: &ProtoElement) -> f64;
    #[wasm_bindgen(method, final, js_name = getBoundingClientRect)]
    fn get_bounding_client_rect(this: &ProtoElement) -> web_sys::DomRect;
    #[wasm_bindgen(method, final, catch, js_name = matches)]
    fn matches(this: &ProtoElement, selectors: &str) -> Result<bool, JsValue>;
    #[wasm_bindgen(method, final, catch, js_name = querySelectorAll)]
    fn query_selector_all(
        this: &ProtoElement,
        selectors: &str,
    ) -> Result<web_sys::NodeList, JsValue>;

    #[wasm_bindgen(js_name = DocumentFragment)]
    type ProtoFragment;
    #[wasm_bindgen(method, final, catch, js_name = querySelectorAll)]
    fn fragment_query_selector_all(
        this: &ProtoFragment,
        selectors: &str,
    ) -> Result<web_sys::NodeList, JsValue>;

    #[wasm_bindgen(js_name = HTMLIFrameElement)]
    type ProtoIFrame;
    #[wasm_bindgen(method, getter, final, js_name = contentWindow)]
    fn content_window(this: &ProtoIFrame) -> JsValue;

    #[wasm_bindgen(js_name = HTMLLinkElement)]
    type ProtoLink;
    #[wasm_bindgen(method, getter, final, js_name = sheet)]
    fn sheet(this: &ProtoLink) -> Option<web_sys::StyleSheet>;

    #[wasm_bindgen(js_name = HTMLStyleElement)]
    type ProtoStyle;
    #[wasm_bindgen(method, getter, final, js_name = sheet)]
    fn sheet(this: &ProtoStyle) -> Option<web_sys::StyleSheet>;

    #[wasm_bindgen(js_name = DocumentType)]
    type ProtoDoctype;
    #[wasm_bindgen(method, getter, final, js_name = name)]
    fn name(this: &ProtoDoctype) -> String;

    #[wasm_bindgen(js_name = Document)]
    type ProtoDocument;
    #[wasm_bindgen(method, getter, final, js_name = title)]
    fn title(this: &ProtoDocument) -> String;
    #[wasm_bindgen(method, getter, final, js_name = adoptedStyleSheets)]
    fn document_adopted_style_sheets(this: &ProtoDocument) -> JsValue;
    #[wasm_bindgen(method, getter, final, js_name = URL)]
    fn url(this: &ProtoDocument) -> String;
    #[wasm_bindgen(method, getter, final, js_name = readyState)]
    fn ready_state(this: &ProtoDocument) -> String;
    #[wasm_bindgen(method, getter, final, js_name = head)]
    fn head(this: &ProtoDocument) -> Option<Element>;
    #[wasm_bindgen(method, final, catch, js_name = querySelectorAll)]
    fn query_selector_all(
        this: &ProtoDocument,
        selectors: &str,
    ) -> Result<web_sys::NodeList, JsValue>;
    #[wasm_bindgen(method, final, js_name = createDocumentFragment)]
    fn create_document_fragment(this: &ProtoDocument) -> web_sys::DocumentFragment;
    #[wasm_bindgen(method, final, catch, js_name = createElement)]
    fn create_element(this: &ProtoDocument, tag: &str) -> Result<Element, JsValue>;
    #[wasm_bindgen(method, final, catch, js_name = createRange)]
    fn create_range(this: &ProtoDocument) -> Result<web_sys::Range, JsValue>;
    #[wasm_bindgen(method, final, catch, js_name = createTreeWalker)]
    fn create_tree_walker(
        this: &ProtoDocument,
        root: &Node,
        what_to_show: u32,
    ) -> Result<web_sys::TreeWalker, JsValue>;
    #[wasm_bindgen(method, final, js_name = elementFromPoint)]
    fn element_from_point(this: &ProtoDocument, x: f64, y: f64) -> Option<Element>;
    #[wasm_bindgen(method, getter, final, js_name = documentElement)]
    fn document_element(this: &ProtoDocument) -> Option<Element>;
    #[wasm_bindgen(method, getter, final, js_name = body)]
    fn body(this: &ProtoDocument) -> Option<web_sys::HtmlElement>;
    #[wasm_bindgen(method, getter, final, js_name = defaultView)]
    fn default_view(this: &ProtoDocument) -> Option<web_sys::Window>;
    #[wasm_bindgen(method, getter, final, js_name = fullscreenElement)]
    fn fullscreen_element(this: &ProtoDocument) -> Option<Element>;

    #[wasm_bindgen(js_name = EventTarget)]
    type ProtoEventTarget;
    #[wasm_bindgen(method, final, js_name = addEventListener)]
    fn add_event_listener(
        this: &ProtoEventTarget,
        kind: &str,
        listener: &js_sys::Function,
        options: &web_sys::AddEventListenerOptions,
    );
    #[wasm_bindgen(method, final, js_name = removeEventListener)]
    fn remove_event_listener(
        this: &ProtoEventTarget,
        kind: &str,
        listener: &js_sys::Function,
        capture: bool,
    );
}

#[wasm_bindgen]
extern "C" {
    /// A getter taken once from a DOM prototype, called on a node: the
    /// walk's hot reads. `final` bindings would look the getter up again on
    /// every call (wasm-bindgen's glue walks the prototype chain and builds
    /// a property descriptor each time: measured, 26 % more snapshot time).
    type Getter;
    #[wasm_bindgen(method, js_name = call)]
    fn node_type_of(this: &Getter, node: &Node) -> u16;
    #[wasm_bindgen(method, js_name = call)]
    fn first_child_of(this: &Getter, node: &Node) -> Option<Node>;
    #[wasm_bindgen(method, js_name = call)]
    fn next_sibling_of(this: &Getter, node: &Node) -> Option<Node>;
    #[wasm_bindgen(method, js_name = call)]
    fn parent_node_of(this: &Getter, node: &Node) -> Option<Node>;
    #[wasm_bindgen(method, js_name = call)]
    fn parent_element_of(this: &Getter, node: &Node) -> Option<Element>;
    #[wasm_bindgen(method, js_name = call)]
    fn text_content_of(this: &Getter, node: &Node) -> Option<String>;
    #[wasm_bindgen(method, js_name = call)]
    fn tag_name_of(this: &Getter, element: &Element) -> String;
    #[wasm_bindgen(method, js_name = call)]
    fn local_name_of(this: &Getter, element: &Element) -> String;
    #[wasm_bindgen(method, js_name = call)]
    fn namespace_uri_of(this: &Getter, element: &Element) -> Option<String>;
    #[wasm_bindgen(method, js_name = call)]
    fn id_of(this: &Getter, element: &Element) -> String;
    #[wasm_bindgen(method, js_name = call)]
    fn input_value_of(this: &Getter, input: &Element) -> String;
    #[wasm_bindgen(method, js_name = call)]
    fn input_type_of(this: &Getter, input: &Element) -> String;
    #[wasm_bindgen(method, js_name = call)]
    fn input_checked_of(this: &Getter, input: &Element) -> bool;
    #[wasm_bindgen(method, js_name = call)]
    fn text_area_value_of(this: &Getter, area: &Element) -> String;
    #[wasm_bindgen(method, js_name = call)]
    fn select_value_of(this: &Getter, select: &Element) -> String;
    #[wasm_bindgen(method, js_name = call)]
    fn shadow_root_of(this: &Getter, element: &Node) -> Option<Node>;
    #[wasm_bindgen(method, js_name = call)]
    fn frame_document_of(this: &Getter, frame: &Element) -> Option<Node>;
    #[wasm_bindgen(method, catch, js_name = call)]
    fn try_node_type_of(this: &Getter, value: &JsValue) -> Result<u16, JsValue>;
}

/// The hot getters, taken from the prototypes when the recorder starts.
struct HotGetters {
    node_type: Getter,
    first_child: Getter,
    next_sibling: Getter,
    parent_node: Getter,
    parent_element: Getter,
    text_content: Getter,
    tag_name: Getter,
    local_name: Getter,
    namespace_uri: Getter,
    id: Getter,
    input_value: Getter,
    input_type: Getter,
    input_checked: Getter,
    text_area_value: Getter,
    select_value: Getter,
    shadow_root: Getter,
}

impl HotGetters {
    fn take() -> Self {
        HotGetters {
            node_type: getter("Node", "nodeType"),
            first_child: getter("Node", "firstChild"),
            next_sibling: getter("Node", "nextSibling"),
            parent_node: getter("Node", "parentNode"),
            parent_element: getter("Node", "parentElement"),
            text_content: getter("Node", "textContent"),
            tag_name: getter("Element", "tagName"),
            local_name: getter("Element", "localName"),
            namespace_uri: getter("Element", "namespaceURI"),
            id: getter("Element", "id"),
            input_value: getter("HTMLInputElement", "value"),
            input_type: getter("HTMLInputElement", "type"),
            input_checked: getter("HTMLInputElement", "checked"),
            text_area_value: getter("HTMLTextAreaElement", "value"),
            select_value: getter("HTMLSelectElement", "value"),
            shadow_root: getter("Element", "shadowRoot"),
        }
    }
}

thread_local! {
    static HOT: HotGetters = HotGetters::take();
    static FRAME_DOCUMENT: Getter = getter("HTMLIFrameElement", "contentDocument");
}

/// The getter of `property` that `interface`'s prototype chain defines.
fn getter(interface: &str, property: &str) -> Getter {
    let prototype = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str(interface))
        .and_then(|constructor| js_sys::Reflect::get(&constructor, &JsValue::from_str("prototype")))
        .unwrap_or(JsValue::UNDEFINED);
    let name = JsValue::from_str(property);
    let mut at = prototype;
    while at.is_object() {
        let descriptor =
            js_sys::Object::get_own_property_descriptor::<JsValue>(at.unchecked_ref(), &name);
        if let Ok(get) = js_sys::Reflect::get(&descriptor, &JsValue::from_str("get")) {
            if get.is_function() {
                return get.unchecked_into();
            }
        }
        at = js_sys::Object::get_prototype_of(&at).into();
    }
    JsValue::UNDEFINED.unchecked_into()
}

fn proto_node(node: &Node) -> &ProtoNode {
    node.unchecked_ref()
}

fn proto_element(element: &Element) -> &ProtoElement {
    element.unchecked_ref()
}

fn proto_document(document: &Document) -> &ProtoDocument {
    document.unchecked_ref()
}

/// `node.nodeType`.
#[inline(always)]
pub fn node_type(node: &Node) -> u16 {
    HOT.with(|hot| hot.node_type.node_type_of(node))
}

/// `node.firstChild`.
#[inline(always)]
pub fn first_child(node: &Node) -> Option<Node> {
    HOT.with(|hot| hot.first_child.first_child_of(node))
}

/// `node.nextSibling`.
#[inline(always)]
pub fn next_sibling(node: &Node) -> Option<Node> {
    HOT.with(|hot| hot.next_sibling.next_sibling_of(node))
}

/// `node.parentNode`.
#[inline(always)]
pub fn parent_node(node: &Node) -> Option<Node> {
    HOT.with(|hot| hot.parent_node.parent_node_of(node))
}

/// `node.parentElement`.
#[inline(always)]
pub fn parent_element(node: &Node) -> Option<Element> {
    HOT.with(|hot| hot.parent_element.parent_element_of(node))
}

/// `node.textContent`.
#[inline(always)]
pub fn text_content(node: &Node) -> Option<String> {
    HOT.with(|hot| hot.text_content.text_content_of(node))
}

/// `node.contains(other)`.
pub fn contains(node: &Node, other: &Node) -> bool {
    proto_node(node).contains(other)
}

/// `node.isConnected`: in a document, through any shadow roots.
pub fn is_connected(node: &Node) -> bool {
    proto_node(node).is_connected()
}

// Nodes of a frame's document live in that frame's realm: `instanceof`
// against this realm's classes (`dyn_into`, `dyn_ref`) says no to them. The
// prototypes' getters work across realms: nodes are told by them.

/// `value` as a node, if it is one (of any frame of the page).
pub fn as_node(value: &JsValue) -> Option<Node> {
    let is_node = HOT
        .with(|hot| hot.node_type.try_node_type_of(value))
        .is_ok();
    is_node.then(|| value.clone().unchecked_into())
}

/// `node` as an element, if it is one.
pub fn as_element(node: &Node) -> Option<&Element> {
    (node_type(node) == Node::ELEMENT_NODE).then(|| node.unchecked_ref())
}

/// Is `node` a shadow root? (A fragment with a host.)
pub fn is_shadow_root(node: &Node) -> bool {
    node_type(node) == Node::DOCUMENT_FRAGMENT_NODE
        && js_sys::Reflect::has(node, &JsValue::from_str("host")).unwrap_or(false)
}

/// What holds the tree `node` is in, outside it: the host of a shadow
/// tree, or the frame element of a frame's document (any document but
/// `recorded`, the recorded one); `None` at the recorded document.
pub fn container_of_tree(node: &Node, recorded: &Node) -> Option<Element> {
    let root = proto_node(node).get_root_node();
    match node_type(&root) {
        Node::DOCUMENT_FRAGMENT_NODE if is_shadow_root(&root) => Some(shadow_host(&root)),
        Node::DOCUMENT_NODE if &root != recorded => frame_element_of(root.unchecked_ref()),
        _ => None,
    }
}

/// Is `node` in a frame's document (not `recorded`) whose `designMode` is on?
pub fn in_design_mode_document(node: &Node, recorded: &Node) -> bool {
    let root = proto_node(node).get_root_node();
    node_type(&root) == Node::DOCUMENT_NODE && &root != recorded && in_design_mode(&root)
}

/// Is `document`'s `designMode` on (the whole document editable)?
pub fn in_design_mode(document: &Node) -> bool {
    js_sys::Reflect::get(document, &JsValue::from_str("designMode"))
        .ok()
        .and_then(|mode| mode.as_string())
        .is_some_and(|mode| mode == "on")
}

/// The frame element showing `document` (through its window), if any.
pub fn frame_element_of(document: &Document) -> Option<Element> {
    let window = proto_document(document).default_view()?;
    let frame = js_sys::Reflect::get(&window, &JsValue::from_str("frameElement")).ok()?;
    as_node(&frame)
        .filter(|node| node_type(node) == Node::ELEMENT_NODE)
        .map(JsCast::unchecked_into)
}

/// The document a frame element shows, when this world may read it (same
/// origin).
pub fn frame_content_document(frame: &Element) -> Option<Node> {
    FRAME_DOCUMENT.with(|getter| getter.frame_document_of(frame))
}

/// Is `document` in quirks mode?
pub fn in_quirks_mode(document: &Node) -> bool {
    js_sys::Reflect::get(document, &JsValue::from_str("compatMode"))
        .ok()
        .and_then(|mode| mode.as_string())
        .is_some_and(|mode| mode == "BackCompat")
}

/// The scroll position of the window showing `document`.
pub fn document_scroll(document: &Node) -> Option<(i32, i32)> {
    let window = proto_document(document.unchecked_ref()).default_view()?;
    Some((
        window.scroll_x().unwrap_or(0.0) as i32,
        window.scroll_y().unwrap_or(0.0) as i32,
    ))
}

/// A shadow root's host.
pub fn shadow_host(root: &Node) -> Element {
    root.unchecked_ref::<ProtoShadowRoot>().host()
}

/// `element.shadowRoot`: its open shadow root (`element` must be an
/// element: the getter throws on any other node).
#[inline(always)]
pub fn open_shadow_root(element: &Node) -> Option<Node> {
    HOT.with(|hot| hot.shadow_root.shadow_root_of(element))
}

/// `element`'s shadow root, open or closed, through the extension's own
/// API (`chrome.dom.openOrClosedShadowRoot(element)` in Chromium; in a
/// Firefox content script, the element's `openOrClosedShadowRoot`, a
/// read-only property there, not a function).
pub fn any_shadow_root(element: &Element) -> Option<Node> {
    let call = |this: &JsValue, function: JsValue, args: &js_sys::Array| {
        function
            .dyn_ref::<js_sys::Function>()
            .and_then(|f| f.apply(this, args).ok())
            .filter(|root| root.is_object())
            .map(|root| root.unchecked_into::<Node>())
    };
    let property = |target: &JsValue, name: &str| {
        js_sys::Reflect::get(target, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
    };
    let dom = property(&property(&js_sys::global(), "chrome"), "dom");
    let chromium = call(
        &dom,
        property(&dom, "openOrClosedShadowRoot"),
        &js_sys::Array::of1(element),
    );
    chromium.or_else(|| {
        let firefox = property(element, "openOrClosedShadowRoot");
        if firefox.is_function() {
            call(element, firefox, &js_sys::Array::new())
        } else {
            firefox
                .is_object()
                .then(|| firefox.unchecked_into::<Node>())
        }
    })
}

/// The adopted stylesheets of a shadow root or a document.
pub fn adopted_sheets(root: &Node) -> Vec<web_sys::CssStyleSheet> {
    let sheets = if node_type(root) == Node::DOCUMENT_NODE {
        root.unchecked_ref::<ProtoDocument>()
            .document_adopted_style_sheets()
    } else {
        root.unchecked_ref::<ProtoShadowRoot>()
            .adopted_style_sheets()
    };
    if !js_sys::Array::is_array(&sheets) {
        return Vec::new();
    }
    js_sys::Array::from(&sheets)
        .iter()
        .filter(|sheet| sheet.is_object())
        .map(JsCast::unchecked_into)
        .collect()
}

/// `node.ownerDocument`.
pub fn owner_document(node: &Node) -> Option<Document> {
    proto_node(node).owner_document()
}

/// `element.tagName`.
#[inline(always)]
pub fn tag_name(element: &Element) -> String {
    HOT.with(|hot| hot.tag_name.tag_name_of(element))
}

/// `element.localName`.
#[inline(always)]
pub fn local_name(element: &Element) -> String {
    HOT.with(|hot| hot.local_name.local_name_of(element))
}

/// `element.namespaceURI`.
#[inline(always)]
pub fn namespace_uri(element: &Element) -> Option<String> {
    HOT.with(|hot| hot.namespace_uri.namespace_uri_of(element))
}

/// `element.id`.
#[inline(always)]
pub fn id(element: &Element) -> String {
    HOT.with(|hot| hot.id.id_of(element))
}

/// The element's classes as its `class` attribute lists them (what
/// `className` reflects, for SVG elements too).
pub fn class_name(element: &Element) -> String {
    get_attribute(element, "class").unwrap_or_default()
}

/// `element.scrollLeft` and `element.scrollTop`, in whole pixels.
pub fn scroll_position(element: &Element) -> (i32, i32) {
    let element = proto_element(element);
    (element.scroll_left() as i32, element.scroll_top() as i32)
}

/// `element.firstElementChild`.
pub fn first_element_child(element: &Element) -> Option<Element> {
    proto_element(element).first_element_child()
}

/// `element.children`.
pub fn children(element: &Element) -> web_sys::HtmlCollection {
    proto_element(element).children()
}

/// `element.hasAttributes()`.
#[inline(always)]
pub fn has_attributes(element: &Element) -> bool {
    proto_element(element).has_attributes()
}

/// `element.getAttribute(name)`.
#[inline(always)]
pub fn get_attribute(element: &Element, name: &str) -> Option<String> {
    proto_element(element).get_attribute(name)
}

/// `element.clientLeft` and `element.clientTop`: where its content box starts inside its border.
pub fn client_offset(element: &Element) -> (f64, f64) {
    let element = proto_element(element);
    (element.client_left(), element.client_top())
}

/// `element.getBoundingClientRect()`.
pub fn bounding_rect(element: &Element) -> web_sys::DomRect {
    proto_element(element).get_bounding_client_rect()
}

/// `element.querySelectorAll(selectors)`; an error for a selector that does not parse.
pub fn query_all_under(element: &Element, selectors: &str) -> Result<web_sys::NodeList, JsValue> {
    proto_element(element).query_selector_all(selectors)
}

/// An `<input>`'s current value.
#[inline(always)]
pub fn input_value(input: &Element) -> String {
    HOT.with(|hot| hot.input_value.input_value_of(input))
}

/// An `<input>`'s type, lower case.
#[inline(always)]
pub fn input_type(input: &Element) -> String {
    HOT.with(|hot| hot.input_type.input_type_of(input))
}

/// Whether an `<input>` is checked now.
#[inline(always)]
pub fn input_checked(input: &Element) -> bool {
    HOT.with(|hot| hot.input_checked.input_checked_of(input))
}

/// A `<textarea>`'s current value.
#[inline(always)]
pub fn text_area_value(area: &Element) -> String {
    HOT.with(|hot| hot.text_area_value.text_area_value_of(area))
}

/// A `<select>`'s current value.
#[inline(always)]
pub fn select_value(select: &Element) -> String {
    HOT.with(|hot| hot.select_value.select_value_of(select))
}

/// A `<link>`'s style sheet, if it has one.
pub fn link_sheet(link: &Element) -> Option<web_sys::StyleSheet> {
    link.unchecked_ref::<ProtoLink>().sheet()
}

/// A `<style>` element's sheet.
pub fn style_sheet(style: &Element) -> Option<web_sys::StyleSheet> {
    style.unchecked_ref::<ProtoStyle>().sheet()
}

/// Is `element` in the state a pseudo-class names (`:modal`,
/// `:popover-open`)? `false` where the browser does not know it.
pub fn in_state(element: &Element, pseudo_class: &str) -> bool {
    element
        .unchecked_ref::<ProtoElement>()
        .matches(pseudo_class)
        .unwrap_or(false)
}

/// A stylesheet's own URL (`sheet.href`), for its relative references.
pub fn sheet_href(sheet: &web_sys::CssStyleSheet) -> Option<String> {
    // A stylesheet object is not a page element: no form can clobber it.
    sheet.href().ok().flatten()
}

/// A doctype's name.
pub fn doctype_name(doctype: &Node) -> String {
    doctype.unchecked_ref::<ProtoDoctype>().name()
}

/// `document.title`.
pub fn document_title(document: &Document) -> String {
    proto_document(document).title()
}

/// `document.URL`.
pub fn document_url(document: &Document) -> String {
    proto_document(document).url()
}

/// `document.readyState`.
pub fn ready_state(document: &Document) -> String {
    proto_document(document).ready_state()
}

/// `document.head`.
pub fn head(document: &Document) -> Option<Element> {
    proto_document(document).head()
}

/// `root.querySelectorAll(selectors)` for a shadow root or a (frame's) document.
pub fn root_query_all(root: &Node, selectors: &str) -> Option<web_sys::NodeList> {
    if node_type(root) == Node::DOCUMENT_NODE {
        return query_all(root.unchecked_ref(), selectors).ok();
    }
    root.unchecked_ref::<ProtoFragment>()
        .fragment_query_selector_all(selectors)
        .ok()
}

/// The nodes of a list, none for none.
pub fn nodes_of(list: Option<web_sys::NodeList>) -> Vec<Node> {
    let Some(list) = list else {
        return Vec::new();
    };
    (0..list.length()).filter_map(|i| list.item(i)).collect()
}

/// Where the content of frame element `frame` begins in the top
/// document's viewport (inside its border), through the frames it is in.
pub fn frame_content_offset(frame: &Element) -> (i32, i32) {
    let (mut x, mut y) = (0.0, 0.0);
    let mut element = Some(frame.clone());
    for _ in 0..16 {
        let Some(current) = element else {
            break;
        };
        let rect = proto_element(&current).get_bounding_client_rect();
        x += rect.left() + proto_element(&current).client_left();
        y += rect.top() + proto_element(&current).client_top();
        element = owner_document(current.unchecked_ref())
            .and_then(|document| document.default_view())
            .and_then(|view| view.frame_element().ok().flatten());
    }
    (x.round() as i32, y.round() as i32)
}

/// Where the viewport of the frame `node` is in begins in the top
/// document's viewport; `(0, 0)` in the top document.
pub fn offset_of_frame_holding(node: &Node) -> (i32, i32) {
    let frame = owner_document(node)
        .and_then(|document| document.default_view())
        .and_then(|view| view.frame_element().ok().flatten());
    frame.map_or((0, 0), |frame| frame_content_offset(&frame))
}

/// An iframe's window (a window of another origin too), as this world sees it.
pub fn iframe_window(frame: &Element) -> JsValue {
    frame.unchecked_ref::<ProtoIFrame>().content_window()
}

/// `document.querySelectorAll(selectors)`; an error for a selector that does not parse.
pub fn query_all(document: &Document, selectors: &str) -> Result<web_sys::NodeList, JsValue> {
    proto_document(document).query_selector_all(selectors)
}

/// `document.createDocumentFragment()`.
pub fn new_fragment(document: &Document) -> web_sys::DocumentFragment {
    proto_document(document).create_document_fragment()
}

/// `target.addEventListener(kind, listener, options)`.
pub fn add_listener(
    target: &web_sys::EventTarget,
    kind: &str,
    listener: &js_sys::Function,
    options: &web_sys::AddEventListenerOptions,
) {
    target
        .unchecked_ref::<ProtoEventTarget>()
        .add_event_listener(kind, listener, options);
}

/// `target.removeEventListener(kind, listener, capture)`.
pub fn remove_listener(
    target: &web_sys::EventTarget,
    kind: &str,
    listener: &js_sys::Function,
    capture: bool,
) {
    target
        .unchecked_ref::<ProtoEventTarget>()
        .remove_event_listener(kind, listener, capture);
}

/// `document.createElement(tag)`.
pub fn create_element(document: &Document, tag: &str) -> Result<Element, JsValue> {
    proto_document(document).create_element(tag)
}

/// `document.createRange()`.
pub fn create_range(document: &Document) -> Result<web_sys::Range, JsValue> {
    proto_document(document).create_range()
}

/// `document.createTreeWalker(root, what_to_show)`.
pub fn tree_walker(
    document: &Document,
    root: &Node,
    what_to_show: u32,
) -> Result<web_sys::TreeWalker, JsValue> {
    proto_document(document).create_tree_walker(root, what_to_show)
}

/// `document.elementFromPoint(x, y)`.
pub fn element_at_point(document: &Document, x: f64, y: f64) -> Option<Element> {
    proto_document(document).element_from_point(x, y)
}

/// `document.documentElement`.
pub fn document_element(document: &Document) -> Option<Element> {
    proto_document(document).document_element()
}

/// `document.body`.
pub fn body(document: &Document) -> Option<web_sys::HtmlElement> {
    proto_document(document).body()
}

/// `document.fullscreenElement`: the element shown full screen, if any
/// (a shadow tree's element as its host).
pub fn fullscreen_element(document: &Document) -> Option<Element> {
    proto_document(document).fullscreen_element()
}

/// `document.defaultView`.
pub fn default_view(document: &Document) -> Option<web_sys::Window> {
    proto_document(document).default_view()
}

/// The viewport size of `window`.
pub fn viewport(window: &web_sys::Window) -> repro_manifest::Size {
    let read = |v: Result<JsValue, JsValue>| v.ok().and_then(|v| v.as_f64()).unwrap_or(0.0) as u32;
    repro_manifest::Size {
        w: read(window.inner_width()),
        h: read(window.inner_height()),
    }
}

/// The longest `data:` URL a `blob:` picture is recorded as; a larger one
/// keeps its (dead) `blob:` address.
const MAX_BLOB_IMAGE_DATA: usize = 2 * 1024 * 1024;

/// An `<img>` showing a `blob:` URL, loaded: its pixels as a PNG `data:`
/// URL, drawn on a canvas of its own document (a picture from the page's
/// own blob does not taint it). Read by name, not `instanceof`: a frame's
/// image is of the frame's realm.
pub fn blob_image_data(image: &Node) -> Option<String> {
    let element = as_element(image)?;
    if local_name(element) != "img" {
        return None;
    }
    let get = |name: &str| js_sys::Reflect::get(image, &JsValue::from_str(name)).ok();
    let source = get("currentSrc")?.as_string()?;
    let (width, height) = (
        get("naturalWidth")?.as_f64()?,
        get("naturalHeight")?.as_f64()?,
    );
    if !source.starts_with("blob:") || width < 1.0 || height < 1.0 || width * height > 4.0e6 {
        return None;
    }
    let document = owner_document(element)?;
    let canvas: web_sys::HtmlCanvasElement =
        document.create_element("canvas").ok()?.unchecked_into();
    canvas.set_width(width as u32);
    canvas.set_height(height as u32);
    let context: web_sys::CanvasRenderingContext2d =
        canvas.get_context("2d").ok()??.unchecked_into();
    context
        .draw_image_with_html_image_element(image.unchecked_ref(), 0.0, 0.0)
        .ok()?;
    let data = canvas.to_data_url().ok()?;
    (data.len() <= MAX_BLOB_IMAGE_DATA && data.starts_with("data:image/")).then_some(data)
}
