//! Reading DOM events and node records in one pass, without buffering.
//!
//! serde's internally tagged enums (`"type": "snapshot"`, `"k": "text"`),
//! `flatten` and `untagged` read each value into an in-memory tree first,
//! at 16 to 32 times its size in the text (a hostile `[0,0,0,…]` in one
//! event cost a server gigabytes). Here every event and node object is read
//! straight into one struct holding every field any kind may have, whose
//! unknown fields are skipped without being kept, and the kind is checked
//! afterwards. The written form is unchanged: serialization stays derived.

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use crate::{
    AttributeChange, DomEvent, NodeData, NodeRecord, Size, TextChange, MAX_ATTRIBUTES_PER_ELEMENT,
};

/// Every field of every node kind, and of a record's place.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct NodeFields {
    id: Option<u32>,
    p: Option<u32>,
    b: Option<u32>,
    k: Option<String>,
    name: Option<String>,
    tag: Option<String>,
    #[serde(default, deserialize_with = "few_attributes")]
    attrs: Option<Vec<(String, String)>>,
    svg: Option<bool>,
    text: Option<String>,
    css: Option<String>,
    quirks: Option<bool>,
    url: Option<String>,
}

/// An element's attributes, refused past [`MAX_ATTRIBUTES_PER_ELEMENT`]
/// while they are read.
fn few_attributes<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Vec<(String, String)>>, D::Error> {
    struct Pairs;
    impl<'de> Visitor<'de> for Pairs {
        type Value = Vec<(String, String)>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a list of [name, value] pairs")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut pairs: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(pair) = pairs.next_element::<(String, String)>()? {
                if out.len() == MAX_ATTRIBUTES_PER_ELEMENT {
                    return Err(de::Error::custom(format!(
                        "an element with more than {MAX_ATTRIBUTES_PER_ELEMENT} attributes"
                    )));
                }
                out.push(pair);
            }
            Ok(out)
        }
    }
    deserializer.deserialize_seq(Pairs).map(Some)
}

fn missing<E: de::Error>(kind: &str, field: &str) -> E {
    E::custom(format!("a `{kind}` node needs `{field}`"))
}

impl NodeFields {
    /// The node's data, from `k` and the fields of that kind.
    fn data<E: de::Error>(self) -> Result<NodeData, E> {
        let kind = self.k.ok_or_else(|| E::missing_field("k"))?;
        Ok(match kind.as_str() {
            "document" => NodeData::Document,
            "doctype" => NodeData::Doctype {
                name: self.name.ok_or_else(|| missing(&kind, "name"))?,
            },
            "element" => NodeData::Element {
                tag: self.tag.ok_or_else(|| missing(&kind, "tag"))?,
                attrs: self.attrs.unwrap_or_default(),
                svg: self.svg.unwrap_or_default(),
            },
            "text" => NodeData::Text {
                text: self.text.ok_or_else(|| missing(&kind, "text"))?,
            },
            "comment" => NodeData::Comment {
                text: self.text.ok_or_else(|| missing(&kind, "text"))?,
            },
            "shadow_root" => NodeData::ShadowRoot {
                css: self.css.unwrap_or_default(),
            },
            "frame_document" => NodeData::FrameDocument {
                quirks: self.quirks.unwrap_or_default(),
                url: self.url.unwrap_or_default(),
            },
            other => {
                return Err(E::unknown_variant(
                    other,
                    &[
                        "document",
                        "doctype",
                        "element",
                        "text",
                        "comment",
                        "shadow_root",
                        "frame_document",
                    ],
                ))
            }
        })
    }
}

impl<'de> Deserialize<'de> for NodeData {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        NodeFields::deserialize(deserializer)?.data()
    }
}

impl<'de> Deserialize<'de> for NodeRecord {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let fields = NodeFields::deserialize(deserializer)?;
        fields.into_record()
    }
}

impl NodeFields {
    fn into_record<E: de::Error>(self) -> Result<NodeRecord, E> {
        let id = self.id.ok_or_else(|| E::missing_field("id"))?;
        let (parent, before) = (self.p.unwrap_or_default(), self.b);
        Ok(NodeRecord {
            id,
            parent,
            before,
            data: self.data()?,
        })
    }
}

/// One item of a node list as read (see [`crate::node_list`]).
pub(crate) enum ReadItem {
    /// Close this many open elements.
    Close(u32),
    /// A text node.
    Text(String),
    /// An HTML element: its tag, then attribute names and values.
    Element(Vec<String>),
    /// A whole record of the first form.
    Record(NodeRecord),
    /// Where the next record goes.
    Place {
        /// Its parent.
        p: u32,
        /// Its id, when not the next one.
        id: Option<u32>,
        /// The sibling it goes before.
        b: Option<u32>,
    },
    /// Any other node.
    Other(NodeData),
}

impl<'de> Deserialize<'de> for ReadItem {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ItemVisitor)
    }
}

struct ItemVisitor;

impl<'de> Visitor<'de> for ItemVisitor {
    type Value = ReadItem;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a node, a count of elements to close, or a placement")
    }

    fn visit_u64<E: de::Error>(self, count: u64) -> Result<ReadItem, E> {
        u32::try_from(count)
            .map(ReadItem::Close)
            .map_err(|_| E::custom("a count of elements to close that is too large"))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<ReadItem, E> {
        Ok(ReadItem::Text(text.to_string()))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<ReadItem, E> {
        Ok(ReadItem::Text(text))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut parts: A) -> Result<ReadItem, A::Error> {
        let mut out = Vec::with_capacity(parts.size_hint().unwrap_or(0).min(64));
        while let Some(part) = parts.next_element::<String>()? {
            if out.len() > 2 * MAX_ATTRIBUTES_PER_ELEMENT {
                return Err(de::Error::custom(format!(
                    "an element with more than {MAX_ATTRIBUTES_PER_ELEMENT} attributes"
                )));
            }
            out.push(part);
        }
        Ok(ReadItem::Element(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<ReadItem, A::Error> {
        let fields = NodeFields::deserialize(de::value::MapAccessDeserializer::new(map))?;
        match (&fields.k, fields.id) {
            (None, _) => {
                let only_place = fields.name.is_none()
                    && fields.tag.is_none()
                    && fields.attrs.is_none()
                    && fields.svg.is_none()
                    && fields.text.is_none()
                    && fields.css.is_none()
                    && fields.quirks.is_none()
                    && fields.url.is_none();
                match (fields.p, only_place) {
                    (Some(p), true) => Ok(ReadItem::Place {
                        p,
                        id: fields.id,
                        b: fields.b,
                    }),
                    _ => Err(de::Error::custom(
                        "a placement holds `p`, `id` and `b` only",
                    )),
                }
            }
            (Some(_), Some(_)) => fields.into_record().map(ReadItem::Record),
            (Some(_), None) => fields.data().map(ReadItem::Other),
        }
    }
}

/// A node list field of an event, read whole.
#[derive(Deserialize)]
pub(crate) struct Nodes(#[serde(with = "crate::node_list")] Vec<NodeRecord>);

/// Every field of every DOM event kind; the node list (`nodes` or `adds`)
/// as `N`: read whole ([`Nodes`]), or left as its text to be read apart.
#[derive(Deserialize)]
pub(crate) struct EventFields<N> {
    #[serde(rename = "type")]
    kind: String,
    t: Option<u64>,
    page: Option<u32>,
    nodes: Option<N>,
    viewport: Option<Size>,
    scroll: Option<(i32, i32)>,
    took_ms: Option<f64>,
    removes: Option<Vec<u32>>,
    adds: Option<N>,
    attrs: Option<Vec<AttributeChange>>,
    texts: Option<Vec<TextChange>>,
    id: Option<u32>,
    value: Option<String>,
    checked: Option<bool>,
    x: Option<i32>,
    y: Option<i32>,
    size: Option<Size>,
    url: Option<String>,
    how: Option<String>,
    image: Option<String>,
    anchor: Option<(u32, u32)>,
    focus: Option<(u32, u32)>,
    label: Option<String>,
    path: Option<Vec<(u32, i32, i32)>>,
}

/// Only an event's kind, its other fields skipped: an event of a newer
/// version is kept whatever its fields hold.
#[derive(Deserialize)]
pub(crate) struct EventKind {
    #[serde(rename = "type")]
    kind: String,
}

impl EventKind {
    /// Is it a kind this version knows?
    pub(crate) fn is_known(&self) -> bool {
        DomEvent::KNOWN_TYPES.contains(&self.kind.as_str())
    }
}

impl<N> EventFields<N> {
    /// The event of a kind this version knows, with its node list apart
    /// (the event's own list left empty).
    pub(crate) fn split<E: de::Error>(self) -> Result<(DomEvent, Option<N>), E> {
        let kind = self.kind.as_str();
        let need = |field: &'static str| missing_in::<E>(kind, field);
        let t = self.t.ok_or_else(|| need("t"))?;
        let page = self.page.ok_or_else(|| need("page"))?;
        Ok(match kind {
            "snapshot" => (
                DomEvent::Snapshot {
                    t,
                    page,
                    nodes: Vec::new(),
                    viewport: self.viewport.ok_or_else(|| need("viewport"))?,
                    scroll: self.scroll.unwrap_or_default(),
                    took_ms: self.took_ms,
                },
                Some(self.nodes.ok_or_else(|| need("nodes"))?),
            ),
            "mutation" => (
                DomEvent::Mutation {
                    t,
                    page,
                    removes: self.removes.unwrap_or_default(),
                    adds: Vec::new(),
                    attrs: self.attrs.unwrap_or_default(),
                    texts: self.texts.unwrap_or_default(),
                },
                self.adds,
            ),
            "input" => (
                DomEvent::Input {
                    t,
                    page,
                    id: self.id.ok_or_else(|| need("id"))?,
                    value: self.value,
                    checked: self.checked,
                    label: self.label,
                },
                None,
            ),
            "scroll" => (
                DomEvent::Scroll {
                    t,
                    page,
                    id: self.id.ok_or_else(|| need("id"))?,
                    x: self.x.ok_or_else(|| need("x"))?,
                    y: self.y.ok_or_else(|| need("y"))?,
                },
                None,
            ),
            "click" => (
                DomEvent::Click {
                    t,
                    page,
                    id: self.id.ok_or_else(|| need("id"))?,
                    x: self.x.ok_or_else(|| need("x"))?,
                    y: self.y.ok_or_else(|| need("y"))?,
                    label: self.label,
                },
                None,
            ),
            "navigation" => (
                DomEvent::Navigation {
                    t,
                    page,
                    url: self.url.ok_or_else(|| need("url"))?,
                    how: self.how.unwrap_or_default(),
                },
                None,
            ),
            "viewport" => (
                DomEvent::Viewport {
                    t,
                    page,
                    size: self.size.ok_or_else(|| need("size"))?,
                },
                None,
            ),
            "pixels" => (
                DomEvent::Pixels {
                    t,
                    page,
                    id: self.id.ok_or_else(|| need("id"))?,
                    image: self.image.ok_or_else(|| need("image"))?,
                },
                None,
            ),
            "selection" => (
                DomEvent::Selection {
                    t,
                    page,
                    anchor: self.anchor,
                    focus: self.focus,
                },
                None,
            ),
            "pointer" => (
                DomEvent::Pointer {
                    t,
                    page,
                    path: self.path.ok_or_else(|| need("path"))?,
                },
                None,
            ),
            other => return Err(E::unknown_variant(other, &DomEvent::KNOWN_TYPES)),
        })
    }
}

impl EventFields<Nodes> {
    /// The event of a kind this version knows, whole.
    pub(crate) fn event<E: de::Error>(self) -> Result<DomEvent, E> {
        let (mut event, list) = self.split()?;
        if let (Some(Nodes(records)), Some(slot)) = (list, event.node_list_slot()) {
            *slot = records;
        }
        Ok(event)
    }
}

fn missing_in<E: de::Error>(kind: &str, field: &'static str) -> E {
    E::custom(format!("a `{kind}` event needs `{field}`"))
}

impl<'de> Deserialize<'de> for DomEvent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        EventFields::<Nodes>::deserialize(deserializer)?.event()
    }
}
