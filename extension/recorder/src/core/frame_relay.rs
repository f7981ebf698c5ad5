//! Frames of other origins, stitched into the page's recording. The page's
//! recorder cannot read a frame of another origin (its `contentDocument` is
//! `null`), so the extension runs a recorder of its own in that frame,
//! under the same privacy policy; its events come here through the
//! background, in ids of its own. They become events of the page's
//! recording: the frame's document goes under its frame element as a
//! frame document (as a same-origin frame's does), each of the frame's ids
//! gets one of the page's, and text is masked when the frame element is in
//! a masked region. A click moves by where the frame's content shows in
//! the page's viewport. What does not translate is left out: the frame's
//! viewport and its address.

use std::collections::{HashMap, HashSet};

use repro_manifest::{DomEvent, NodeData, NodeRecord};

use crate::core::walk::mask_text;

/// One frame of another origin, as the page's recording holds it.
#[derive(Debug)]
pub struct RelayedFrame {
    /// The frame element's id in the page's recording.
    element: u32,
    /// Whether text inside the frame is masked.
    masked: bool,
    /// The frame recorder's ids, as the page's.
    ids: HashMap<u32, u32>,
    /// The page's id of the frame's current document.
    document: Option<u32>,
    /// The frame's `<style>` elements and their texts (frame ids): never
    /// masked, as the walk keeps a stylesheet's text.
    styles: HashSet<u32>,
    style_texts: HashSet<u32>,
    /// Where the frame's content begins in the page's viewport, in CSS
    /// pixels (its element's box, inside its border).
    offset: (i32, i32),
}

impl RelayedFrame {
    /// A frame shown by element `element` of the page's recording; `masked`
    /// when text there is masked.
    pub fn new(element: u32, masked: bool) -> Self {
        RelayedFrame {
            element,
            masked,
            ids: HashMap::new(),
            document: None,
            styles: HashSet::new(),
            style_texts: HashSet::new(),
            offset: (0, 0),
        }
    }

    /// The frame's content now begins at `offset` in the page's viewport.
    pub fn set_offset(&mut self, offset: (i32, i32)) {
        self.offset = offset;
    }

    /// The frame element's id in the page's recording.
    pub fn element(&self) -> u32 {
        self.element
    }

    /// `event`, recorded by the frame's recorder (at `url`, masked), as an
    /// event of the page's recording on page `page`; `new_id` gives the
    /// page's next free id. `None` for what does not translate.
    pub fn translate(
        &mut self,
        event: DomEvent,
        url: &str,
        page: u32,
        new_id: &mut impl FnMut() -> u32,
    ) -> Option<DomEvent> {
        match event {
            DomEvent::Snapshot { t, nodes, .. } => {
                Some(self.new_document(t, page, nodes, url, new_id))
            }
            DomEvent::Mutation {
                t,
                removes,
                adds,
                attrs,
                texts,
                ..
            } => {
                let removes = removes.iter().filter_map(|id| self.ids.get(id)).copied();
                let removes: Vec<u32> = removes.collect();
                let adds = adds
                    .into_iter()
                    .filter_map(|record| self.added(record, new_id))
                    .collect();
                let attrs = attrs
                    .into_iter()
                    .filter_map(|mut change| {
                        change.id = *self.ids.get(&change.id)?;
                        Some(change)
                    })
                    .collect();
                let texts = texts
                    .into_iter()
                    .filter_map(|mut change| {
                        if self.masked && !self.style_texts.contains(&change.id) {
                            change.text = mask_text(&change.text);
                        }
                        change.id = *self.ids.get(&change.id)?;
                        Some(change)
                    })
                    .collect();
                Some(DomEvent::Mutation {
                    t,
                    page,
                    removes,
                    adds,
                    attrs,
                    texts,
                })
            }
            DomEvent::Input {
                t,
                id,
                value,
                checked,
                label,
                ..
            } => Some(DomEvent::Input {
                t,
                page,
                id: *self.ids.get(&id)?,
                value,
                checked,
                label: label.map(|label| self.relayed_label(label)),
            }),
            DomEvent::Scroll { t, id, x, y, .. } => Some(DomEvent::Scroll {
                t,
                page,
                id: *self.ids.get(&id)?,
                x,
                y,
            }),
            DomEvent::Click {
                t, id, x, y, label, ..
            } => Some(DomEvent::Click {
                t,
                page,
                id: *self.ids.get(&id)?,
                x: x.saturating_add(self.offset.0),
                y: y.saturating_add(self.offset.1),
                label: label.map(|label| self.relayed_label(label)),
            }),
            DomEvent::Pixels { t, id, image, .. } => Some(DomEvent::Pixels {
                t,
                page,
                id: *self.ids.get(&id)?,
                image,
            }),
            DomEvent::Selection {
                t, anchor, focus, ..
            } => {
                let map = |point: Option<(u32, u32)>| match point {
                    Some((id, offset)) => self.ids.get(&id).map(|id| Some((*id, offset))),
                    None => Some(None),
                };
                Some(DomEvent::Selection {
                    t,
                    page,
                    anchor: map(anchor)?,
                    focus: map(focus)?,
                })
            }
            DomEvent::Pointer { t, path, .. } => Some(DomEvent::Pointer {
                t,
                page,
                path: path
                    .into_iter()
                    .map(|(dt, x, y)| {
                        (
                            dt,
                            x.saturating_add(self.offset.0),
                            y.saturating_add(self.offset.1),
                        )
                    })
                    .collect(),
            }),
            DomEvent::Navigation { .. } | DomEvent::Viewport { .. } => None,
        }
    }

    /// The frame's recorder took a snapshot (its first, or after the frame
    /// loaded another document): the document recorded before goes, this
    /// one comes under the frame element.
    /// A label the frame's recorder read, as the page records it: masked
    /// whole when the frame is under a masked element.
    fn relayed_label(&self, label: String) -> String {
        match self.masked {
            true => mask_text(&label),
            false => label,
        }
    }

    fn new_document(
        &mut self,
        t: u64,
        page: u32,
        nodes: Vec<NodeRecord>,
        url: &str,
        new_id: &mut impl FnMut() -> u32,
    ) -> DomEvent {
        let removes = self.document.take().into_iter().collect();
        self.ids.clear();
        self.styles.clear();
        self.style_texts.clear();
        let quirks = !nodes
            .iter()
            .any(|record| matches!(record.data, NodeData::Doctype { .. }));
        let mut adds = Vec::with_capacity(nodes.len());
        for record in nodes {
            if let NodeData::Document = record.data {
                if self.document.is_some() {
                    continue;
                }
                let id = new_id();
                self.ids.insert(record.id, id);
                self.document = Some(id);
                adds.push(NodeRecord {
                    id,
                    parent: self.element,
                    before: None,
                    data: NodeData::FrameDocument {
                        quirks,
                        url: url.to_string(),
                    },
                });
                continue;
            }
            if let Some(record) = self.added(record, new_id) {
                adds.push(record);
            }
        }
        DomEvent::Mutation {
            t,
            page,
            removes,
            adds,
            attrs: Vec::new(),
            texts: Vec::new(),
        }
    }

    /// A node the frame's recorder added, in the page's ids; `None` when
    /// its parent is not known here (a record out of order, or forged).
    fn added(
        &mut self,
        mut record: NodeRecord,
        new_id: &mut impl FnMut() -> u32,
    ) -> Option<NodeRecord> {
        if matches!(record.data, NodeData::Document) {
            return None;
        }
        let style_text = self.styles.contains(&record.parent);
        match &record.data {
            NodeData::Element { tag, .. } if tag == "style" => {
                self.styles.insert(record.id);
            }
            NodeData::Text { .. } if style_text => {
                self.style_texts.insert(record.id);
            }
            _ => {}
        }
        record.parent = *self.ids.get(&record.parent)?;
        record.before = record.before.and_then(|id| self.ids.get(&id).copied());
        record.id = match self.ids.get(&record.id) {
            Some(known) => *known,
            None => {
                let id = new_id();
                self.ids.insert(record.id, id);
                id
            }
        };
        if let (true, false, NodeData::Text { text }) = (self.masked, style_text, &mut record.data)
        {
            *text = mask_text(text);
        }
        Some(record)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use repro_manifest::{AttributeChange, Size, TextChange};

    fn element(id: u32, parent: u32, tag: &str) -> NodeRecord {
        NodeRecord {
            id,
            parent,
            before: None,
            data: NodeData::Element {
                tag: tag.into(),
                attrs: Vec::new(),
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

    /// The frame's own snapshot: a document with a doctype, html, body, a
    /// paragraph and its text.
    fn frame_snapshot(t: u64, words: &str) -> DomEvent {
        let doctype = NodeRecord {
            id: 2,
            parent: 1,
            before: None,
            data: NodeData::Doctype {
                name: "html".into(),
            },
        };
        let document = NodeRecord {
            id: 1,
            parent: 0,
            before: None,
            data: NodeData::Document,
        };
        DomEvent::Snapshot {
            t,
            page: 0,
            nodes: vec![
                document,
                doctype,
                element(3, 1, "html"),
                element(4, 3, "body"),
                element(5, 4, "p"),
                text(6, 5, words),
            ],
            viewport: Size { w: 300, h: 150 },
            scroll: (0, 0),
            took_ms: None,
        }
    }

    fn ids_from(first: u32) -> impl FnMut() -> u32 {
        let mut next = first;
        move || {
            next += 1;
            next - 1
        }
    }

    #[test]
    fn a_frames_snapshot_becomes_its_document_under_the_frame_element() {
        let mut frame = RelayedFrame::new(40, false);
        let mut new_id = ids_from(100);
        let url = "https://pay.example/card";
        let event = frame.translate(frame_snapshot(5, "Card number"), url, 2, &mut new_id);
        let Some(DomEvent::Mutation {
            t,
            page,
            removes,
            adds,
            ..
        }) = event
        else {
            panic!("a mutation: {event:?}");
        };
        assert_eq!((t, page, removes.len()), (5, 2, 0));
        assert_eq!(adds[0].parent, 40);
        assert_eq!(
            adds[0].data,
            NodeData::FrameDocument {
                quirks: false,
                url: url.into()
            }
        );
        let ids: Vec<(u32, u32)> = adds.iter().map(|r| (r.id, r.parent)).collect();
        assert_eq!(
            ids,
            vec![
                (100, 40),
                (101, 100),
                (102, 100),
                (103, 102),
                (104, 103),
                (105, 104)
            ]
        );
        assert_eq!(
            adds[5].data,
            NodeData::Text {
                text: "Card number".into()
            }
        );
    }

    #[test]
    fn the_frames_changes_follow_in_the_pages_ids() {
        let mut frame = RelayedFrame::new(40, false);
        let mut new_id = ids_from(100);
        frame.translate(frame_snapshot(5, "Card"), "u", 0, &mut new_id);
        let change = DomEvent::Mutation {
            t: 9,
            page: 0,
            removes: vec![6, 77],
            adds: vec![
                text(7, 5, "Expiry"),
                NodeRecord {
                    before: Some(7),
                    ..element(8, 5, "b")
                },
                element(9, 999, "i"),
            ],
            attrs: vec![AttributeChange {
                id: 5,
                name: "class".into(),
                value: Some("error".into()),
            }],
            texts: vec![TextChange {
                id: 7,
                text: "Expiry date".into(),
            }],
        };
        let Some(DomEvent::Mutation {
            removes,
            adds,
            attrs,
            texts,
            ..
        }) = frame.translate(change, "u", 0, &mut new_id)
        else {
            panic!("a mutation");
        };
        assert_eq!(removes, vec![105], "an id never seen is left out");
        let added: Vec<(u32, u32, Option<u32>)> =
            adds.iter().map(|r| (r.id, r.parent, r.before)).collect();
        assert_eq!(
            added,
            vec![(106, 104, None), (107, 104, Some(106))],
            "a node under an unknown parent is left out"
        );
        assert_eq!((attrs[0].id, texts[0].id), (104, 106));
        let scroll = DomEvent::Scroll {
            t: 10,
            page: 0,
            id: 1,
            x: 0,
            y: 30,
        };
        assert_eq!(
            frame.translate(scroll, "u", 3, &mut new_id),
            Some(DomEvent::Scroll {
                t: 10,
                page: 3,
                id: 100,
                x: 0,
                y: 30
            }),
            "the frame's document scrolls as its frame document"
        );
        frame.set_offset((20, 300));
        let click = DomEvent::Click {
            t: 11,
            page: 0,
            id: 5,
            x: 1,
            y: 2,
            label: Some("Pay".into()),
        };
        assert_eq!(
            frame.translate(click, "u", 3, &mut new_id),
            Some(DomEvent::Click {
                t: 11,
                page: 3,
                id: 104,
                x: 21,
                y: 302,
                label: Some("Pay".into()),
            }),
            "a click lands where the frame showed it in the page"
        );
        let path = DomEvent::Pointer {
            t: 11,
            page: 0,
            path: vec![(0, 1, 2), (50, 3, 4)],
        };
        assert_eq!(
            frame.translate(path, "u", 3, &mut new_id),
            Some(DomEvent::Pointer {
                t: 11,
                page: 3,
                path: vec![(0, 21, 302), (50, 23, 304)],
            }),
            "so does the pointer's path"
        );
        let viewport = DomEvent::Viewport {
            t: 12,
            page: 0,
            size: Size { w: 1, h: 1 },
        };
        assert_eq!(frame.translate(viewport, "u", 3, &mut new_id), None);
    }

    #[test]
    fn a_new_document_in_the_frame_replaces_the_one_recorded() {
        let mut frame = RelayedFrame::new(40, false);
        let mut new_id = ids_from(100);
        frame.translate(frame_snapshot(5, "First"), "u", 0, &mut new_id);
        let Some(DomEvent::Mutation { removes, adds, .. }) =
            frame.translate(frame_snapshot(50, "Second"), "u2", 0, &mut new_id)
        else {
            panic!("a mutation");
        };
        assert_eq!(removes, vec![100]);
        assert_eq!((adds[0].id, adds[0].parent), (106, 40));
        let input = DomEvent::Input {
            t: 60,
            page: 0,
            id: 6,
            value: Some("•••".into()),
            checked: None,
            label: None,
        };
        let Some(DomEvent::Input { id, .. }) = frame.translate(input, "u2", 0, &mut new_id) else {
            panic!("an input");
        };
        assert_eq!(id, 111, "ids of the old document mean the new one's");
    }

    #[test]
    fn text_in_a_frame_under_a_masked_element_is_masked() {
        let mut frame = RelayedFrame::new(40, true);
        let mut new_id = ids_from(100);
        let Some(DomEvent::Mutation { adds, .. }) =
            frame.translate(frame_snapshot(5, "Jane Doe"), "u", 0, &mut new_id)
        else {
            panic!("a mutation");
        };
        assert_eq!(
            adds[5].data,
            NodeData::Text {
                text: mask_text("Jane Doe")
            }
        );
        let change = DomEvent::Mutation {
            t: 9,
            page: 0,
            removes: Vec::new(),
            adds: vec![text(7, 5, "secret")],
            attrs: Vec::new(),
            texts: vec![TextChange {
                id: 6,
                text: "John".into(),
            }],
        };
        let Some(DomEvent::Mutation { adds, texts, .. }) =
            frame.translate(change, "u", 0, &mut new_id)
        else {
            panic!("a mutation");
        };
        assert!(!format!("{adds:?}{texts:?}").contains("secret"));
        assert!(!format!("{texts:?}").contains("John"));
        // A stylesheet's text is design, not content: kept.
        let style = DomEvent::Mutation {
            t: 10,
            page: 0,
            removes: Vec::new(),
            adds: vec![element(8, 3, "style"), text(9, 8, "p { color: red }")],
            attrs: Vec::new(),
            texts: Vec::new(),
        };
        let Some(DomEvent::Mutation { adds, .. }) = frame.translate(style, "u", 0, &mut new_id)
        else {
            panic!("a mutation");
        };
        assert!(format!("{adds:?}").contains("p { color: red }"));
    }
}
