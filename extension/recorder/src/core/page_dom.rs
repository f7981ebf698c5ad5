//! The page as the walker reads it: the few facts of nodes it needs, the
//! masking policy's selectors, and the node-id map, behind one trait.
//!
//! The browser implements it over web-sys (`web::browser_dom`, reading
//! through the prototypes, past DOM clobbering); [`crate::core::native_dom`]
//! implements it over a small in-memory tree built from HTML fixtures, so
//! the walk is unit-tested natively. Like rrweb's snapshot, which is generic
//! over its mirror, the walk ([`crate::core::walk`]) is written once.

/// What a node is, as far as the recording cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    /// An element (HTML, SVG, MathML).
    Element,
    /// A text or CDATA section.
    Text,
    /// A comment.
    Comment,
    /// The doctype.
    Doctype,
    /// The document.
    Document,
    /// A shadow root (open or closed).
    ShadowRoot,
    /// The document a frame element shows (not the recorded document).
    FrameDocument,
    /// Anything else (processing instructions, fragments): not recorded.
    Other,
}

/// A selector of the masking policy, named by its role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicySelector {
    /// Elements replaced by a same-size placeholder.
    Block,
    /// Elements whose text is masked.
    Mask,
    /// Form controls recorded unmasked (never passwords).
    Unmask,
    /// The mask selector and editable regions (`[contenteditable]`,
    /// `textarea`) in one list: text under them is masked when every
    /// input is.
    MaskOrEditable,
}

/// The DOM facts the walk reads, and the ids it gives nodes.
///
/// A selector the implementation cannot parse *fails closed* in the
/// `_or_fails_closed` questions (blocks, masks) and matches nothing in
/// [`PageDom::matches`] (it never unmasks).
pub trait PageDom {
    /// A node handle.
    type Node: Clone;
    /// A set of nodes (the nodes the page added while a walk waited).
    type NodeSet;

    /// What `node` is.
    fn kind(&self, node: &Self::Node) -> NodeKind;
    /// Its first child.
    fn first_child(&self, node: &Self::Node) -> Option<Self::Node>;
    /// Its next sibling.
    fn next_sibling(&self, node: &Self::Node) -> Option<Self::Node>;
    /// Its parent; a shadow root's is its host, a frame document's its
    /// frame element.
    fn parent(&self, node: &Self::Node) -> Option<Self::Node>;
    /// An element's shadow root, open or closed, when it has one the
    /// recorder can reach. `custom_element`: its name has a hyphen (custom
    /// elements are the usual hosts of closed roots, which cost the browser
    /// more to ask for: only they are asked).
    fn shadow_root(&self, element: &Self::Node, custom_element: bool) -> Option<Self::Node>;
    /// The rules of a shadow root's adopted stylesheets, in order, as text.
    fn adopted_css(&self, root: &Self::Node) -> String;
    /// The document a frame element (`<iframe>`, `<frame>`) shows, when
    /// the recorder may read it (same origin).
    fn frame_document(&self, frame: &Self::Node) -> Option<Self::Node>;
    /// Is a (frame's) document in quirks mode?
    fn quirks_mode(&self, document: &Self::Node) -> bool;
    /// A (frame's) document's URL.
    fn document_url(&self, document: &Self::Node) -> String;
    /// Is a frame's document editable as a whole (`designMode` on, as
    /// older rich-text editors make their frame)?
    fn design_mode(&self, document: &Self::Node) -> bool;
    /// Is it in the recorded document (not taken out, not yet put in)?
    fn in_document(&self, node: &Self::Node) -> bool;
    /// A text or comment node's text.
    fn text(&self, node: &Self::Node) -> String;
    /// A doctype's name.
    fn doctype_name(&self, node: &Self::Node) -> String;
    /// An element's local name as the DOM spells it (`div`,
    /// `linearGradient`) and whether it is an SVG element.
    fn element_name(&self, element: &Self::Node) -> (String, bool);
    /// An element's attribute names, in order, joined by spaces (no
    /// attribute name holds one).
    fn attribute_names(&self, element: &Self::Node) -> String;
    /// An attribute's value.
    fn attribute(&self, element: &Self::Node, name: &str) -> Option<String>;
    /// The element's `id`.
    fn element_id(&self, element: &Self::Node) -> String;
    /// A form control's current type and value (`tag` is `input`,
    /// `textarea` or `select`; the latter two answer type `text`).
    fn control_state(&self, control: &Self::Node, tag: &str) -> (String, String);
    /// Whether an `<input>` is checked now.
    fn is_checked(&self, input: &Self::Node) -> bool;
    /// Whether a `<dialog>` is open as a modal (`showModal()`).
    fn is_modal(&self, dialog: &Self::Node) -> bool;
    /// Whether an element with a `popover` attribute is showing.
    fn is_popover_open(&self, element: &Self::Node) -> bool;
    /// The rules of the stylesheet a `<link>` loaded, as text, when they
    /// can be read (same origin), and the stylesheet's own URL (what its
    /// relative `url()`s mean); `None` for anything else.
    fn linked_stylesheet(&self, link: &Self::Node) -> Option<(String, Option<String>)>;

    /// An `<img>` showing a `blob:` URL (an upload preview, a picture a
    /// script made), once loaded: its pixels as a `data:` URL, which the
    /// replay can show (a `blob:` URL dies with the page). `None` for any
    /// other element, or before it loaded.
    fn blob_image_data(&self, _image: &Self::Node) -> Option<String> {
        None
    }
    /// The walk recorded `element`, a `<canvas>` or `<video>` outside any
    /// masked or blocked region: its pixels are recorded from now on.
    fn note_pixel_source(&self, _element: &Self::Node) {}
    /// The rules of a `<style>` element's sheet when a script put them
    /// there through the CSS object model (the element holds no text, its
    /// sheet has rules: CSS-in-JS libraries work so); `None` otherwise.
    fn scripted_style_rules(&self, style: &Self::Node) -> Option<String>;
    /// An element's rendered width and height in CSS pixels.
    fn size(&self, element: &Self::Node) -> (f64, f64);

    /// Does `element` match the selector? An unparsable one matches.
    fn matches_or_fails_closed(&self, element: &Self::Node, selector: PolicySelector) -> bool;
    /// Does `element` match the selector? An unparsable one does not.
    fn matches(&self, element: &Self::Node, selector: PolicySelector) -> bool;
    /// Is `element` or an ancestor matched? An unparsable selector says yes.
    fn inside_or_fails_closed(&self, element: &Self::Node, selector: PolicySelector) -> bool;
    /// Does nothing in `root`'s subtree, `root` included, match? An
    /// unparsable selector matches everything (so: `false`).
    fn none_under(&self, root: &Self::Node, selector: PolicySelector) -> bool;

    /// The id given to `node`, if it was recorded.
    fn id_of(&self, node: &Self::Node) -> Option<u32>;
    /// Give `node` the id `id`.
    fn set_id(&self, node: &Self::Node, id: u32);
    /// Forget `node`'s id (it left the document).
    fn forget_id(&self, node: &Self::Node);

    /// An empty node set.
    fn new_set(&self) -> Self::NodeSet;
    /// Add `node` to `set`.
    fn add_to_set(&self, set: &Self::NodeSet, node: &Self::Node);
    /// Is `node` in `set`?
    fn set_has(&self, set: &Self::NodeSet, node: &Self::Node) -> bool;
}
