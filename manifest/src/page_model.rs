//! A page as it was at a moment, rebuilt natively from the recording's DOM
//! events (its snapshot, then the changes up to that moment): what an
//! export or a coding agent asks of a report that the events alone do not
//! say at once (the page as HTML at 0:12.3, the element a click landed on
//! and its parents). Masked exactly as the bundle is: it holds nothing the
//! events did not.
//!
//! Nothing here recurses over the document: a forged bundle may nest as
//! deep as its size allows.

use std::collections::HashMap;

use crate::{Bundle, DomEvent, EventRecord, NodeData, NodeRecord};

/// One node of the model.
#[derive(Debug, Clone)]
pub struct ModelNode {
    /// The parent's id (`0` for the document).
    pub parent: u32,
    /// The children's ids, in order.
    pub children: Vec<u32>,
    /// What the node is.
    pub data: NodeData,
    /// A form control's value from its last input, when it had one.
    pub value: Option<String>,
    /// A box's checked state from its last input.
    pub checked: Option<bool>,
}

/// A page at a moment.
#[derive(Debug, Clone, Default)]
pub struct PageModel {
    nodes: HashMap<u32, ModelNode>,
    /// The document's id.
    root: Option<u32>,
}

/// A page followed through the recording, moment after moment: each
/// event is applied once however many moments are asked (in time order).
#[derive(Debug)]
pub struct PageCursor<'a> {
    events: &'a [EventRecord],
    page: u32,
    next: usize,
    model: Option<PageModel>,
}

impl<'a> PageCursor<'a> {
    /// Page `page` of `bundle`, before its first event.
    pub fn new(bundle: &'a Bundle, page: u32) -> PageCursor<'a> {
        PageCursor {
            events: &bundle.events,
            page,
            next: 0,
            model: None,
        }
    }

    /// The page as it was at `t` (ms from the session start; not before
    /// a moment asked earlier): `None` when it had no snapshot by then.
    pub fn advance_to(&mut self, t: u64) -> Option<&PageModel> {
        while let Some(record) = self.events.get(self.next) {
            let EventRecord::Known(event) = record else {
                self.next += 1;
                continue;
            };
            if event.page() == self.page {
                if event.t() > t {
                    break;
                }
                match event {
                    DomEvent::Snapshot { nodes, .. } => {
                        let mut fresh = PageModel::default();
                        fresh.add(nodes);
                        self.model = Some(fresh);
                    }
                    other => {
                        if let Some(model) = self.model.as_mut() {
                            model.apply(other);
                        }
                    }
                }
            }
            self.next += 1;
        }
        self.model.as_ref()
    }
}

impl PageModel {
    /// Page `page` of `bundle` as it was at `t` (ms from the session
    /// start): `None` when that page had no snapshot by then.
    pub fn at(bundle: &Bundle, page: u32, t: u64) -> Option<PageModel> {
        let mut cursor = PageCursor::new(bundle, page);
        cursor.advance_to(t);
        cursor.model
    }

    /// Apply one change.
    fn apply(&mut self, event: &DomEvent) {
        match event {
            DomEvent::Mutation {
                removes,
                adds,
                attrs,
                texts,
                ..
            } => {
                for id in removes {
                    self.remove(*id);
                }
                self.add(adds);
                for change in attrs {
                    if let Some(NodeData::Element { attrs, .. }) =
                        self.nodes.get_mut(&change.id).map(|n| &mut n.data)
                    {
                        let at = attrs.iter().position(|(name, _)| *name == change.name);
                        match (&change.value, at) {
                            (Some(value), Some(i)) => attrs[i].1 = value.clone(),
                            (Some(value), None) => attrs.push((change.name.clone(), value.clone())),
                            (None, Some(i)) => {
                                attrs.remove(i);
                            }
                            (None, None) => {}
                        }
                    }
                }
                for change in texts {
                    if let Some(NodeData::Text { text } | NodeData::Comment { text }) =
                        self.nodes.get_mut(&change.id).map(|n| &mut n.data)
                    {
                        text.clone_from(&change.text);
                    }
                }
            }
            DomEvent::Input {
                id, value, checked, ..
            } => {
                if let Some(node) = self.nodes.get_mut(id) {
                    if value.is_some() {
                        node.value.clone_from(value);
                    }
                    if checked.is_some() {
                        node.checked = *checked;
                    }
                }
            }
            _ => {}
        }
    }

    /// Add `records` (each under a parent already there, or the document).
    fn add(&mut self, records: &[NodeRecord]) {
        for record in records {
            if self.nodes.contains_key(&record.id) {
                continue;
            }
            if record.parent == 0 {
                if self.root.is_some() {
                    continue;
                }
                self.root = Some(record.id);
            } else {
                let Some(parent) = self.nodes.get_mut(&record.parent) else {
                    continue;
                };
                let at = record
                    .before
                    .and_then(|b| parent.children.iter().position(|c| *c == b))
                    .unwrap_or(parent.children.len());
                parent.children.insert(at, record.id);
            }
            self.nodes.insert(
                record.id,
                ModelNode {
                    parent: record.parent,
                    children: Vec::new(),
                    data: record.data.clone(),
                    value: None,
                    checked: None,
                },
            );
        }
    }

    /// Remove `id` and its subtree.
    fn remove(&mut self, id: u32) {
        let Some(node) = self.nodes.get(&id) else {
            return;
        };
        let parent = node.parent;
        if let Some(parent) = self.nodes.get_mut(&parent) {
            parent.children.retain(|c| *c != id);
        }
        if self.root == Some(id) {
            self.root = None;
        }
        let mut stack = vec![id];
        while let Some(id) = stack.pop() {
            if let Some(node) = self.nodes.remove(&id) {
                stack.extend(node.children);
            }
        }
    }

    /// The node `id`, when it is in the page.
    pub fn node(&self, id: u32) -> Option<&ModelNode> {
        self.nodes.get(&id)
    }

    /// The document's id.
    pub fn root(&self) -> Option<u32> {
        self.root
    }

    /// An element's tag and attributes.
    pub fn element(&self, id: u32) -> Option<(&str, &[(String, String)])> {
        match &self.nodes.get(&id)?.data {
            NodeData::Element { tag, attrs, .. } => Some((tag, attrs)),
            _ => None,
        }
    }

    /// The value of attribute `name` of element `id`.
    pub fn attribute(&self, id: u32, name: &str) -> Option<&str> {
        self.element(id)?
            .1
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// How many elements of the page have attribute `name` equal to `value`.
    pub fn count_with(&self, name: &str, value: &str) -> usize {
        self.nodes
            .values()
            .filter(|n| match &n.data {
                NodeData::Element { attrs, .. } => {
                    attrs.iter().any(|(a, v)| a == name && v == value)
                }
                _ => false,
            })
            .count()
    }

    /// The text of `id`'s subtree, whitespace folded.
    pub fn text_of(&self, id: u32) -> String {
        let mut words: Vec<&str> = Vec::new();
        let mut stack = vec![id];
        while let Some(id) = stack.pop() {
            let Some(node) = self.nodes.get(&id) else {
                continue;
            };
            match &node.data {
                NodeData::Text { text } => words.extend(text.split_whitespace()),
                NodeData::Element { tag, .. } if tag == "script" || tag == "style" => continue,
                _ => {}
            }
            stack.extend(node.children.iter().rev());
        }
        words.join(" ")
    }
}
