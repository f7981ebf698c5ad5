//! DOM events: a full snapshot of a page, then what changed.
//!
//! Nodes are sent flat, in document order; no part of the format nests
//! deeper than a few levels however deep the page is, so neither the
//! recorder, the server nor the viewer recurses over a document. Each record
//! names its parent, but the written form ([`crate::node_list`]) leaves out
//! what follows from the record before.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

use crate::dom_reading::{EventFields, EventKind, Nodes};

use crate::Size;

/// One node of a page. Ids are dense positive integers, unique within a page.
/// (Read by `dom_reading`, in one pass.)
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeRecord {
    /// The node's id.
    pub id: u32,
    /// The parent's id; `0` for the document itself.
    #[serde(rename = "p", default)]
    pub parent: u32,
    /// The id of the sibling this node goes before; absent means "append".
    #[serde(rename = "b", default, skip_serializing_if = "Option::is_none")]
    pub before: Option<u32>,
    /// What the node is.
    #[serde(flatten)]
    pub data: NodeData,
}

/// The kind and content of a node. (Read by `dom_reading`, in one pass.)
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "k", rename_all = "snake_case")]
pub enum NodeData {
    /// The document.
    Document,
    /// `<!DOCTYPE name>`.
    Doctype {
        /// The doctype name, usually `html`.
        name: String,
    },
    /// An element. Scripts arrive without content; `on*` attributes and
    /// `javascript:` URLs are dropped by the recorder (and again by the viewer).
    Element {
        /// Lower-case tag name.
        tag: String,
        /// Attributes, in page order, values masked.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        attrs: Vec<(String, String)>,
        /// True for elements in the SVG namespace.
        #[serde(default, skip_serializing_if = "is_false")]
        svg: bool,
    },
    /// A text node (masked).
    Text {
        /// The text.
        text: String,
    },
    /// A comment.
    Comment {
        /// The comment text.
        text: String,
    },
    /// The shadow root of its parent (the host element): the records
    /// under it are the shadow tree, the host's other children its light
    /// DOM. Open and closed roots alike (the recorder, an extension,
    /// reaches both); the replay attaches an open one.
    ShadowRoot {
        /// The rules of the root's adopted stylesheets (`adoptedStyleSheets`,
        /// as component libraries style their shadow trees), in order, as
        /// text; empty when it has none.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        css: String,
    },
    /// The document shown by its parent, an `<iframe>` (or `<frame>`)
    /// element, when the recorder could read it (same origin): the records
    /// under it are that document's doctype and elements. A frame that
    /// loads another document gets a new one (the old one removed).
    FrameDocument {
        /// The document was in quirks mode (it had no doctype).
        #[serde(default, skip_serializing_if = "is_false")]
        quirks: bool,
        /// The document's URL (masked like any URL): what its relative
        /// URLs mean. Empty when unknown.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        url: String,
    },
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// A text node whose content changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextChange {
    /// The text node.
    pub id: u32,
    /// Its new text (masked).
    pub text: String,
}

/// An attribute that was set or removed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttributeChange {
    /// The element.
    pub id: u32,
    /// Attribute name.
    pub name: String,
    /// New value (masked); `None` when the attribute was removed.
    pub value: Option<String>,
}

/// Something that happened to the DOM of a page. (Read by `dom_reading`,
/// in one pass.)
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum DomEvent {
    /// The whole page at one moment; starts every page.
    Snapshot {
        /// Time, ms from the session start.
        t: u64,
        /// Index into the bundle's pages.
        page: u32,
        /// Every node, in document order, the document first. (Never
        /// empty in a valid snapshot; left out when empty only so that a
        /// list checked and written apart can be added after the event.)
        #[serde(skip_serializing_if = "Vec::is_empty", with = "crate::node_list")]
        nodes: Vec<NodeRecord>,
        /// Viewport size.
        viewport: Size,
        /// Document scroll position.
        #[serde(default)]
        scroll: (i32, i32),
        /// How long the recorder took to walk and serialize the page, in
        /// milliseconds of the page's main thread (for the tester's and the
        /// benchmark's information).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        took_ms: Option<f64>,
    },
    /// A batch of DOM changes, applied in the order: removes, adds, attributes, texts.
    Mutation {
        /// Time.
        t: u64,
        /// Page index.
        page: u32,
        /// Ids of removed nodes (their subtrees go with them).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        removes: Vec<u32>,
        /// Added nodes in document order; a subtree's nodes follow its root.
        #[serde(
            default,
            skip_serializing_if = "Vec::is_empty",
            with = "crate::node_list"
        )]
        adds: Vec<NodeRecord>,
        /// Attribute changes.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        attrs: Vec<AttributeChange>,
        /// Text changes.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        texts: Vec<TextChange>,
    },
    /// A form control's state changed.
    Input {
        /// Time.
        t: u64,
        /// Page index.
        page: u32,
        /// The control.
        id: u32,
        /// Its value (masked).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        value: Option<String>,
        /// Its checked state, for checkboxes and radios.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        checked: Option<bool>,
        /// What a person calls the control (its label, masked as page
        /// text), on the control's first input of the page: the steps say
        /// "into “Display name”".
        #[serde(default, skip_serializing_if = "Option::is_none")]
        label: Option<String>,
    },
    /// The document (id of the document node) or an element scrolled.
    Scroll {
        /// Time.
        t: u64,
        /// Page index.
        page: u32,
        /// What scrolled.
        id: u32,
        /// Horizontal offset.
        x: i32,
        /// Vertical offset.
        y: i32,
    },
    /// A click on an element.
    Click {
        /// Time.
        t: u64,
        /// Page index.
        page: u32,
        /// The element.
        id: u32,
        /// Pointer x in viewport pixels.
        x: i32,
        /// Pointer y in viewport pixels.
        y: i32,
        /// What a person calls the control clicked (the button, link or
        /// field the target is part of), masked as page text: the steps
        /// say "Clicked “Save changes”".
        #[serde(default, skip_serializing_if = "Option::is_none")]
        label: Option<String>,
    },
    /// The page changed its address without loading a document: a
    /// script's `history.pushState`/`replaceState` (a single-page app's
    /// router), going back or forward between such entries, or a new `#`.
    Navigation {
        /// Time.
        t: u64,
        /// Page index.
        page: u32,
        /// The address now (masked like any URL).
        url: String,
        /// How: `script` (pushState or replaceState), `history` (back or
        /// forward), or `hash` (the fragment changed).
        how: String,
    },
    /// The viewport was resized.
    Viewport {
        /// Time.
        t: u64,
        /// Page index.
        page: u32,
        /// New size.
        size: Size,
    },
    /// The text selection changed: what the tester selected (an anchor and
    /// a focus, each a recorded node and an offset in it, as the DOM's
    /// `Selection` says them: UTF-16 units in a text node, a child index in
    /// an element), or nothing selected any more (both absent).
    Selection {
        /// Time.
        t: u64,
        /// Page index.
        page: u32,
        /// Where the selection starts: node id and offset.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        anchor: Option<(u32, u32)>,
        /// Where it ends (before the anchor when selected backwards).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        focus: Option<(u32, u32)>,
    },
    /// The pointer's path, as the tester moved it: positions in viewport
    /// pixels, each with its time after `t` (the first is at `t`). The
    /// recorder samples a moving pointer a few times a second and sends a
    /// batch at most every second.
    Pointer {
        /// Time of the first position.
        t: u64,
        /// Page index.
        page: u32,
        /// `[ms after t, x, y]`, in time order.
        path: Vec<(u32, i32, i32)>,
    },
    /// What a `<canvas>` or `<video>` showed from this moment: its pixels,
    /// as an image (the DOM does not hold them). Never recorded for an
    /// element in a masked or blocked region.
    Pixels {
        /// Time.
        t: u64,
        /// Page index.
        page: u32,
        /// The element.
        id: u32,
        /// The pixels, as a `data:` URL of a WebP, PNG or JPEG image
        /// ([`PIXEL_IMAGE_PREFIXES`]).
        image: String,
    },
}

/// How a [`DomEvent::Pixels`] image starts: the only kinds of image a
/// replay draws (a base64 `data:` URL, never an address to load).
pub const PIXEL_IMAGE_PREFIXES: [&str; 3] = [
    "data:image/webp;base64,",
    "data:image/png;base64,",
    "data:image/jpeg;base64,",
];

/// Is `text` made of base64's characters only (standard alphabet, padding)?
pub(crate) fn is_base64(text: &str) -> bool {
    text.bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
}

/// Is `image` what a [`DomEvent::Pixels`] may carry: a `data:` URL of one
/// of [`PIXEL_IMAGE_PREFIXES`], base64 after its comma?
pub fn is_pixel_image(image: &str) -> bool {
    PIXEL_IMAGE_PREFIXES.iter().any(|prefix| {
        image
            .strip_prefix(prefix)
            .is_some_and(|data| !data.is_empty() && is_base64(data))
    })
}

impl DomEvent {
    /// The names of the `type` field this version knows.
    pub const KNOWN_TYPES: [&'static str; 10] = [
        "snapshot",
        "mutation",
        "input",
        "scroll",
        "click",
        "navigation",
        "viewport",
        "pixels",
        "selection",
        "pointer",
    ];

    /// The event's time.
    pub fn t(&self) -> u64 {
        match self {
            DomEvent::Snapshot { t, .. }
            | DomEvent::Mutation { t, .. }
            | DomEvent::Input { t, .. }
            | DomEvent::Scroll { t, .. }
            | DomEvent::Click { t, .. }
            | DomEvent::Navigation { t, .. }
            | DomEvent::Viewport { t, .. }
            | DomEvent::Pixels { t, .. }
            | DomEvent::Selection { t, .. }
            | DomEvent::Pointer { t, .. } => *t,
        }
    }

    /// The event's node list: a snapshot's nodes, a mutation's adds.
    pub fn node_list(&self) -> Option<&Vec<NodeRecord>> {
        match self {
            DomEvent::Snapshot { nodes, .. } => Some(nodes),
            DomEvent::Mutation { adds, .. } => Some(adds),
            _ => None,
        }
    }

    /// Where the event's node list goes.
    pub(crate) fn node_list_slot(&mut self) -> Option<&mut Vec<NodeRecord>> {
        match self {
            DomEvent::Snapshot { nodes, .. } => Some(nodes),
            DomEvent::Mutation { adds, .. } => Some(adds),
            _ => None,
        }
    }

    /// The JSON of this event, whose node list is empty, cut where its
    /// list goes: the text before the list (ending in `"nodes":` or
    /// `"adds":`) and after it. `None` for kinds without a node list. So a
    /// list can be written apart, a node at a time, and never be in one
    /// piece with the rest (the recorder's snapshot slices, the server's
    /// entry-by-entry reading).
    pub fn json_around_node_list(&self) -> Option<(String, &'static str)> {
        let field = match self {
            DomEvent::Snapshot { .. } => "nodes",
            DomEvent::Mutation { .. } => "adds",
            _ => return None,
        };
        // An empty list is left out, and an event is an object with its
        // type, time and page at least: the list goes before its `}`.
        let mut head = serde_json::to_string(self).ok()?;
        head.pop();
        head.push_str(&format!(",\"{field}\":"));
        Some((head, "}"))
    }

    /// The event's page index.
    pub fn page(&self) -> u32 {
        match self {
            DomEvent::Snapshot { page, .. }
            | DomEvent::Mutation { page, .. }
            | DomEvent::Input { page, .. }
            | DomEvent::Scroll { page, .. }
            | DomEvent::Click { page, .. }
            | DomEvent::Navigation { page, .. }
            | DomEvent::Viewport { page, .. }
            | DomEvent::Pixels { page, .. }
            | DomEvent::Selection { page, .. }
            | DomEvent::Pointer { page, .. } => *page,
        }
    }
}

/// A DOM event as stored: one this version knows, or one from a newer
/// version, kept as it came so that nothing is lost on a round trip.
#[derive(Debug, Clone, PartialEq)]
pub enum EventRecord {
    /// An event of a known type.
    Known(DomEvent),
    /// An event whose `type` this version does not know, as its JSON text.
    Unknown(UnknownEvent),
}

/// An event of a newer version: its JSON text, kept as it came (one copy
/// of the text, never a tree of it).
#[derive(Debug, Clone)]
pub struct UnknownEvent(Box<RawValue>);

impl UnknownEvent {
    /// The event's JSON text.
    pub fn json(&self) -> &str {
        self.0.get()
    }
}

/// Equal when the two texts hold the same JSON (key order and spacing aside).
impl PartialEq for UnknownEvent {
    fn eq(&self, other: &Self) -> bool {
        let value =
            |event: &UnknownEvent| serde_json::from_str::<serde_json::Value>(event.json()).ok();
        self.json() == other.json() || value(self) == value(other)
    }
}

impl Serialize for EventRecord {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            EventRecord::Known(event) => event.serialize(serializer),
            EventRecord::Unknown(event) => event.0.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for EventRecord {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        // The text once (a copy), then its fields read from it in one pass.
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        let need_type = |e: serde_json::Error| {
            D::Error::custom(format!("a DOM event needs a string `type`: {e}"))
        };
        let kind: EventKind = serde_json::from_str(raw.get()).map_err(need_type)?;
        if !kind.is_known() {
            return Ok(EventRecord::Unknown(UnknownEvent(raw)));
        }
        let fields: EventFields<Nodes> = serde_json::from_str(raw.get()).map_err(|e| {
            D::Error::custom(format!("a DOM event needs the fields of its kind: {e}"))
        })?;
        fields.event().map(EventRecord::Known)
    }
}
