//! The compact form of a list of node records, as a snapshot's `nodes` and a
//! mutation's `adds` are written.
//!
//! Records come in document order, and most follow from the one before:
//! the next id, under the element opened last or one of its ancestors. So
//! the list is written much like markup:
//!
//! - a text is a bare string;
//! - an element is an array `[tag, name, value, name, value, …]`, and it is
//!   open (the records after it go inside) until closed;
//! - a number `n` closes the `n` innermost open elements;
//! - an object `{"p": parent, "id": id, "b": before}` places the next record
//!   where it does not follow (`id` and `b` only when needed);
//! - rare kinds (the document, doctypes, comments, SVG elements, shadow
//!   roots and frame documents, which are open like elements) are
//!   objects with `k`, as in [`NodeData`].
//!
//! Ids and parents, which gzip cannot shrink, mostly vanish. Readers also
//! take the first form, one object per record with `id`, `p` and `k`, so
//! bundles written before keep replaying.

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::Serialize;

use crate::dom_reading::ReadItem;
use crate::{NodeData, NodeRecord};

/// How many open elements are searched for a record's parent before the
/// record is placed explicitly instead.
const MAX_CLOSE: usize = 64;

/// One item of the compact form.
#[derive(Debug, Clone, PartialEq)]
pub enum Item<'a> {
    /// Close this many open elements.
    Close(u32),
    /// Place the next record.
    Place {
        /// Its id, when it is not the one after the previous record's.
        id: Option<u32>,
        /// Its parent.
        parent: u32,
        /// The sibling it goes before.
        before: Option<u32>,
    },
    /// A text node.
    Text(&'a str),
    /// An HTML element.
    Element {
        /// Its tag.
        tag: &'a str,
        /// Its attributes.
        attrs: &'a [(String, String)],
    },
    /// Any other node, written as its [`NodeData`].
    Other(&'a NodeData),
}

impl Serialize for Item<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Item::Close(count) => serializer.serialize_u32(*count),
            Item::Place { id, parent, before } => {
                let mut map = serializer.serialize_map(None)?;
                map.serialize_entry("p", parent)?;
                if let Some(id) = id {
                    map.serialize_entry("id", id)?;
                }
                if let Some(before) = before {
                    map.serialize_entry("b", before)?;
                }
                map.end()
            }
            Item::Text(text) => serializer.serialize_str(text),
            Item::Element { tag, attrs } => {
                let mut seq = serializer.serialize_seq(Some(1 + 2 * attrs.len()))?;
                seq.serialize_element(tag)?;
                for (name, value) in attrs.iter() {
                    seq.serialize_element(name)?;
                    seq.serialize_element(value)?;
                }
                seq.end()
            }
            Item::Other(data) => data.serialize(serializer),
        }
    }
}

/// Turns records, one after the other, into items.
#[derive(Debug, Default)]
pub struct Encoder {
    open: Vec<u32>,
    next_id: Option<u32>,
}

impl Encoder {
    /// An encoder at the start of a list.
    pub fn new() -> Self {
        Encoder::default()
    }

    /// The items that write `record`: where it goes, if it does not simply
    /// follow, then what it is.
    pub fn items<'a>(&mut self, record: &'a NodeRecord) -> (Option<Item<'a>>, Item<'a>) {
        let follows = self.next_id == Some(record.id);
        let depth = if follows && record.before.is_none() {
            self.open
                .iter()
                .rev()
                .take(MAX_CLOSE)
                .position(|&id| id == record.parent)
        } else {
            None
        };
        let place = match depth {
            Some(0) => None,
            Some(depth) => {
                self.open.truncate(self.open.len() - depth);
                Some(Item::Close(depth as u32))
            }
            None => {
                self.open.clear();
                self.open.push(record.parent);
                Some(Item::Place {
                    id: (!follows).then_some(record.id),
                    parent: record.parent,
                    before: record.before,
                })
            }
        };
        let item = match &record.data {
            NodeData::Text { text } => Item::Text(text),
            NodeData::Element {
                tag,
                attrs,
                svg: false,
            } => Item::Element { tag, attrs },
            other => Item::Other(other),
        };
        if opens(&record.data) {
            self.open.push(record.id);
        }
        self.next_id = record.id.checked_add(1);
        (place, item)
    }
}

/// Do the records after this one go inside it?
fn opens(data: &NodeData) -> bool {
    matches!(
        data,
        NodeData::Element { .. }
            | NodeData::Document
            | NodeData::ShadowRoot { .. }
            | NodeData::FrameDocument { .. }
    )
}

/// Where the next record goes, when it does not follow.
struct Placement {
    p: u32,
    id: Option<u32>,
    b: Option<u32>,
}

/// Turns items, one after the other, back into records.
#[derive(Default)]
struct Decoder {
    open: Vec<u32>,
    next_id: Option<u32>,
    place: Option<Placement>,
}

impl Decoder {
    fn take(&mut self, item: ReadItem) -> Result<Option<NodeRecord>, String> {
        let data = match item {
            ReadItem::Close(count) => {
                let count = count as usize;
                if count == 0 || count >= self.open.len() || self.place.is_some() {
                    return Err(format!(
                        "closes {count} element(s) where {} can be closed",
                        self.open.len().saturating_sub(1)
                    ));
                }
                self.open.truncate(self.open.len() - count);
                return Ok(None);
            }
            ReadItem::Place { p, id, b } => {
                if self.place.replace(Placement { p, id, b }).is_some() {
                    return Err("two placements in a row".into());
                }
                return Ok(None);
            }
            ReadItem::Record(record) => {
                if self.place.is_some() {
                    return Err("a placement before a whole record".into());
                }
                self.open.clear();
                self.open.push(record.parent);
                return Ok(Some(self.opened(record)));
            }
            ReadItem::Text(text) => NodeData::Text { text },
            ReadItem::Element(parts) => {
                if parts.len() % 2 == 0 && !parts.is_empty() {
                    return Err("an element's attributes come in name, value pairs".into());
                }
                let mut attrs = Vec::with_capacity(parts.len() / 2);
                let mut parts = parts.into_iter();
                let Some(tag) = parts.next() else {
                    return Err("an element without a tag".into());
                };
                while let (Some(name), Some(value)) = (parts.next(), parts.next()) {
                    attrs.push((name, value));
                }
                NodeData::Element {
                    tag,
                    attrs,
                    svg: false,
                }
            }
            ReadItem::Other(data) => data,
        };
        let (id, parent, before) = match self.place.take() {
            Some(placement) => {
                self.open.clear();
                self.open.push(placement.p);
                (placement.id.or(self.next_id), placement.p, placement.b)
            }
            None => (self.next_id, self.open.last().copied().unwrap_or(0), None),
        };
        let Some(id) = id else {
            return Err("the first node has no id".into());
        };
        if self.open.is_empty() {
            return Err("a node with no parent: place it first".into());
        }
        Ok(Some(self.opened(NodeRecord {
            id,
            parent,
            before,
            data,
        })))
    }

    /// Note `record` as the latest one read.
    fn opened(&mut self, record: NodeRecord) -> NodeRecord {
        if opens(&record.data) {
            self.open.push(record.id);
        }
        self.next_id = record.id.checked_add(1);
        record
    }
}

/// Write `records` in the compact form (for `#[serde(with)]`).
pub fn serialize<S: Serializer>(records: &[NodeRecord], serializer: S) -> Result<S::Ok, S::Error> {
    let mut encoder = Encoder::new();
    let mut seq = serializer.serialize_seq(None)?;
    for record in records {
        let (place, item) = encoder.items(record);
        if let Some(place) = place {
            seq.serialize_element(&place)?;
        }
        seq.serialize_element(&item)?;
    }
    seq.end()
}

/// Read records in either form (for `#[serde(with)]`).
pub fn deserialize<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<NodeRecord>, D::Error> {
    deserializer.deserialize_seq(ListVisitor)
}

struct ListVisitor;

impl<'de> Visitor<'de> for ListVisitor {
    type Value = Vec<NodeRecord>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of nodes")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        let mut records = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        each_record(seq, |record| {
            records.push(record);
            Ok(())
        })?;
        Ok(records)
    }
}

/// Read the items of a node list one after the other, handing each record
/// they make to `each` as soon as it is whole: what both the list reader and
/// [`copy_checked`] do, the one keeping the records, the other not.
fn each_record<'de, A: SeqAccess<'de>>(
    mut seq: A,
    mut each: impl FnMut(NodeRecord) -> Result<(), A::Error>,
) -> Result<(), A::Error> {
    let mut decoder = Decoder::default();
    let mut index = 0usize;
    loop {
        let item = seq.next_element::<ReadItem>().map_err(|_| {
            de::Error::custom(format!(
                "node list item {index} is neither a node, a count of elements to close, nor a placement"
            ))
        })?;
        let Some(item) = item else { break };
        let record = decoder
            .take(item)
            .map_err(|problem| de::Error::custom(format!("node list item {index}: {problem}")))?;
        if let Some(record) = record {
            each(record)?;
        }
        index += 1;
    }
    if decoder.place.is_some() {
        return Err(de::Error::custom("the node list ends with a placement"));
    }
    Ok(())
}

/// Read a node list (either form) from `json` and write it to `out` in the
/// compact form, one record at a time: `check` sees each record (with its
/// index) before it is written, and no record outlives its turn, so a list
/// of millions of nodes costs the text in and the text out, never the
/// records. Returns how many records there were.
pub fn copy_checked<E>(
    json: &str,
    check: impl FnMut(usize, &NodeRecord) -> Result<(), E>,
    out: &mut impl std::io::Write,
) -> Result<usize, CopyFailure<E>> {
    let mut reader = serde_json::Deserializer::from_str(json);
    let mut refused = None;
    let visitor = CopyVisitor {
        check,
        out,
        refused: &mut refused,
    };
    let copied = de::Deserializer::deserialize_seq(&mut reader, visitor)
        .and_then(|records| reader.end().map(|()| records));
    match (copied, refused) {
        (_, Some(refused)) => Err(CopyFailure::Refused(refused)),
        (Ok(records), None) => Ok(records),
        (Err(e), None) => Err(CopyFailure::Unreadable(e.to_string())),
    }
}

/// Why [`copy_checked`] stopped.
#[derive(Debug)]
pub enum CopyFailure<E> {
    /// The check refused a record.
    Refused(E),
    /// The text is not a node list; what is wrong, naming the item.
    Unreadable(String),
}

/// Reads items, checks and writes each record (see [`copy_checked`]); a
/// failed check is kept in `refused` and stops the reading.
struct CopyVisitor<'o, C, E, W> {
    check: C,
    out: &'o mut W,
    refused: &'o mut Option<E>,
}

impl<'de, E, C: FnMut(usize, &NodeRecord) -> Result<(), E>, W: std::io::Write> Visitor<'de>
    for CopyVisitor<'_, C, E, W>
{
    type Value = usize;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of nodes")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        let written = |e: serde_json::Error| de::Error::custom(format!("writing a node: {e}"));
        let CopyVisitor {
            mut check,
            out,
            refused,
        } = self;
        let mut writer = serde_json::Serializer::new(out);
        let mut list = writer.serialize_seq(None).map_err(written)?;
        let mut encoder = Encoder::new();
        let mut records = 0usize;
        each_record(seq, |record| {
            if let Err(refusal) = check(records, &record) {
                *refused = Some(refusal);
                return Err(de::Error::custom("a node was refused"));
            }
            let (place, item) = encoder.items(&record);
            if let Some(place) = place {
                list.serialize_element(&place).map_err(written)?;
            }
            list.serialize_element(&item).map_err(written)?;
            records += 1;
            Ok(())
        })?;
        SerializeSeq::end(list).map_err(written)?;
        Ok(records)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    fn element(id: u32, parent: u32, tag: &str) -> NodeRecord {
        NodeRecord {
            id,
            parent,
            before: None,
            data: NodeData::Element {
                tag: tag.into(),
                attrs: vec![("class".into(), "a".into())],
                svg: false,
            },
        }
    }

    fn text(id: u32, parent: u32, text: &str) -> NodeRecord {
        NodeRecord {
            id,
            parent,
            before: None,
            data: NodeData::Text { text: text.into() },
        }
    }

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct List(#[serde(with = "super")] Vec<NodeRecord>);

    fn round_trip(records: Vec<NodeRecord>) -> String {
        let json = serde_json::to_string(&List(records.clone())).unwrap();
        let read: List = serde_json::from_str(&json).unwrap();
        assert_eq!(read.0, records, "{json}");
        json
    }

    #[test]
    fn a_page_reads_back_as_written_and_needs_no_ids() {
        let mut svg = element(8, 2, "circle");
        if let NodeData::Element { svg: flag, .. } = &mut svg.data {
            *flag = true;
        }
        let page = vec![
            NodeRecord {
                id: 1,
                parent: 0,
                before: None,
                data: NodeData::Document,
            },
            NodeRecord {
                id: 2,
                parent: 1,
                before: None,
                data: NodeData::Doctype {
                    name: "html".into(),
                },
            },
            element(3, 1, "html"),
            element(4, 3, "body"),
            element(5, 4, "p"),
            text(6, 5, "hello"),
            element(7, 4, "br"),
            svg,
            text(9, 1, "after"),
        ];
        let json = round_trip(page);
        assert_eq!(
            json,
            r#"[{"p":0,"id":1},{"k":"document"},{"k":"doctype","name":"html"},["html","class","a"],["body","class","a"],["p","class","a"],"hello",1,["br","class","a"],{"p":2},{"k":"element","tag":"circle","attrs":[["class","a"]],"svg":true},{"p":1},"after"]"#
        );
    }

    #[test]
    fn subtrees_added_in_several_places_are_placed() {
        let mut moved = element(20, 7, "li");
        moved.before = Some(9);
        round_trip(vec![
            moved,
            text(21, 20, "x"),
            element(30, 4, "p"),
            text(31, 30, "y"),
            text(25, 4, "z"),
        ]);
    }

    #[test]
    fn the_first_form_still_reads() {
        let old = r#"[{"id":1,"p":0,"k":"document"},{"id":2,"p":1,"k":"element","tag":"html"},{"id":3,"p":2,"b":9,"k":"text","text":"t"}]"#;
        let read: List = serde_json::from_str(old).unwrap();
        assert_eq!(read.0.len(), 3);
        assert_eq!(read.0[2].before, Some(9));
        assert_eq!(read.0[2].parent, 2);
    }

    #[test]
    fn malformed_lists_are_refused_with_the_reason() {
        for (json, reason) in [
            (r#"["text"]"#, "the first node has no id"),
            (
                r#"[{"p":1,"id":2},["div"],2]"#,
                "closes 2 element(s) where 1 can be closed",
            ),
            (r#"[{"p":1,"id":2},["div","class"]]"#, "name, value pairs"),
            (r#"[{"p":1,"id":2},[]]"#, "an element without a tag"),
            (r#"[{"p":1,"id":2},{"p":1}]"#, "two placements in a row"),
            (r#"[{"p":1,"id":2}]"#, "ends with a placement"),
            (r#"[{"p":1,"id":2},true]"#, "item 1 is neither"),
            (r#"[{"p":1,"id":2},-1]"#, "item 1 is neither"),
        ] {
            let error = serde_json::from_str::<List>(json).unwrap_err().to_string();
            assert!(error.contains(reason), "{json}: {error}");
        }
    }
}

#[cfg(test)]
mod hosted_tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[derive(serde::Serialize, serde::Deserialize)]
    struct List(#[serde(with = "super")] Vec<NodeRecord>);

    #[test]
    fn shadow_roots_and_frame_documents_read_back_as_written() {
        let record = |id, parent, data| NodeRecord {
            id,
            parent,
            before: None,
            data,
        };
        let element = |tag: &str| NodeData::Element {
            tag: tag.into(),
            attrs: vec![],
            svg: false,
        };
        let records = vec![
            record(1, 0, NodeData::Document),
            record(2, 1, element("html")),
            record(3, 2, element("iframe")),
            record(
                4,
                3,
                NodeData::FrameDocument {
                    quirks: false,
                    url: "https://a.test/f".into(),
                },
            ),
            record(
                5,
                4,
                NodeData::Doctype {
                    name: "html".into(),
                },
            ),
            record(6, 4, element("html")),
            record(7, 2, element("x-card")),
            record(8, 7, NodeData::ShadowRoot { css: "p{}".into() }),
            record(9, 8, NodeData::Text { text: "in".into() }),
            record(
                10,
                7,
                NodeData::Text {
                    text: "light".into(),
                },
            ),
            record(
                11,
                3,
                NodeData::FrameDocument {
                    quirks: true,
                    url: String::new(),
                },
            ),
        ];
        let json = serde_json::to_string(&List(records.clone())).unwrap();
        let read: List = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
        assert_eq!(read.0, records, "{json}");
    }
}
