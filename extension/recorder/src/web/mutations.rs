//! Turning a batch of `MutationRecord`s into one masked `Mutation` event.
//!
//! Added subtrees are serialized as they are when the batch is handled (so a
//! node added then changed in the same batch is sent once, in its final
//! state); a node added and removed in the same batch is not sent at all.
//! They are written as JSON while they are walked, out of wasm memory (see
//! `written_nodes`), and so is the event that carries them.

use repro_manifest::{AttributeChange, DomEvent, TextChange};
use wasm_bindgen::JsCast;
use web_sys::{Element, MutationRecord, Node};

use super::browser_dom::write_subtree;
use super::dom_reads;
use super::recorder::Recorder;
use super::snapshot_progress::WalkedPlaces;
use super::written_nodes::WrittenNodes;
use crate::core::last_change::{last_of_each, last_per_node};
use crate::core::walk::mask_text;
use crate::core::written_json::around_added_nodes;
use repro_manifest::markup::keep_attribute;

/// Record one observer batch.
pub fn record(recorder: &mut Recorder, records: &js_sys::Array) {
    record_batch(recorder, records, None);
}

/// Record a batch held while the snapshot was walked: an added node the
/// walk already recorded where it is now is not sent again.
pub fn record_after_walk(recorder: &mut Recorder, records: &js_sys::Array, walked: &WalkedPlaces) {
    record_batch(recorder, records, Some(walked));
}

fn record_batch(recorder: &mut Recorder, records: &js_sys::Array, walked: Option<&WalkedPlaces>) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let doc: &Node = document.unchecked_ref();
    let mut removes = Vec::new();
    let added = js_sys::Set::new(&wasm_bindgen::JsValue::UNDEFINED);
    let mut added_order: Vec<Node> = Vec::new();
    let mut attribute_targets: Vec<(Element, String)> = Vec::new();
    let mut text_targets: Vec<Node> = Vec::new();

    for record in records.iter() {
        let record: MutationRecord = record.unchecked_into();
        match kind_of(&record) {
            Some(Kind::ChildList) => {
                let removed = record.removed_nodes();
                for i in 0..removed.length() {
                    let Some(node) = removed.get(i) else { continue };
                    if let Some(id) = recorder.serializer.id_of(&node) {
                        removes.push(id);
                        recorder.serializer.forget(&node);
                    }
                }
                let nodes = record.added_nodes();
                for i in 0..nodes.length() {
                    let Some(node) = nodes.get(i) else { continue };
                    if walked.is_some_and(|w| w.holds(&recorder.serializer, &node)) {
                        continue;
                    }
                    if !added.has(&node) {
                        added.add(&node);
                        added_order.push(node);
                    }
                }
            }
            Some(Kind::Attribute(element, name)) => attribute_targets.push((element, name)),
            Some(Kind::Text(node)) => text_targets.push(node),
            None => {}
        }
    }

    let adds = serialize_added(recorder, doc, &added, &added_order);
    let any_added = (!added_order.is_empty()).then_some(&added);
    let attrs = attribute_changes(recorder, doc, any_added, attribute_targets);
    let texts = text_changes(recorder, doc, text_targets);
    if removes.is_empty() && adds.is_empty() && attrs.is_empty() && texts.is_empty() {
        return;
    }
    let t = recorder.now();
    let page = recorder.page;
    let event = DomEvent::Mutation {
        t,
        page,
        removes,
        adds: Vec::new(),
        attrs,
        texts,
    };
    if adds.is_empty() {
        recorder.push(event);
        return;
    }
    // Batches are recorded once the snapshot is queued, so nothing holds
    // events any more: the written event follows those queued before it.
    let (before, after) = around_added_nodes(&event);
    recorder
        .outbox
        .push_written_event(adds.between(&before, &after));
}

/// What a mutation record changed.
enum Kind {
    /// Children added or removed.
    ChildList,
    /// This attribute of this element.
    Attribute(Element, String),
    /// The text of this text node.
    Text(Node),
}

/// What `record` changed, told without reading its `type`, a string that
/// would be allocated, decoded and freed in wasm memory for every record:
/// only an attribute record names an attribute, and only a character-data
/// record targets a character-data node. `None`: nothing the recorder
/// sends (a comment's text, which it does not record).
fn kind_of(record: &MutationRecord) -> Option<Kind> {
    if let Some(name) = record.attribute_name() {
        // Only elements have attributes.
        return Some(Kind::Attribute(record.target()?.unchecked_into(), name));
    }
    let target = record.target()?;
    match dom_reads::node_type(&target) {
        Node::TEXT_NODE | Node::CDATA_SECTION_NODE => Some(Kind::Text(target)),
        Node::COMMENT_NODE | Node::PROCESSING_INSTRUCTION_NODE => None,
        _ => Some(Kind::ChildList),
    }
}

fn has_added_ancestor(node: &Node, added: &js_sys::Set) -> bool {
    let mut current = dom_reads::parent_node(node);
    while let Some(parent) = current {
        if added.has(&parent) {
            return true;
        }
        current = dom_reads::parent_node(&parent);
    }
    false
}

/// The added subtrees, written.
fn serialize_added(
    recorder: &mut Recorder,
    doc: &Node,
    added: &js_sys::Set,
    order: &[Node],
) -> WrittenNodes {
    let done = js_sys::Set::new(&wasm_bindgen::JsValue::UNDEFINED);
    let mut out = WrittenNodes::new();
    for node in order {
        if !dom_reads::contains(doc, node)
            || has_added_ancestor(node, added)
            || super::marker::is_overlay(node)
        {
            continue;
        }
        let Some(parent) = dom_reads::parent_node(node) else {
            continue;
        };
        let Some(parent_id) = recorder.serializer.id_of(&parent) else {
            continue;
        };
        // Insert before the first following sibling the viewer already has.
        let mut before = None;
        let mut sibling = dom_reads::next_sibling(node);
        while let Some(candidate) = sibling {
            let settled = !added.has(&candidate) || done.has(&candidate);
            if settled {
                if let Some(id) = recorder.serializer.id_of(&candidate) {
                    before = Some(id);
                    break;
                }
            }
            sibling = dom_reads::next_sibling(&candidate);
        }
        let parent_element =
            (dom_reads::node_type(&parent) == Node::ELEMENT_NODE).then_some(&parent);
        let masked = recorder.serializer.masks_text_under(parent_element);
        write_subtree(
            &mut recorder.serializer,
            node,
            parent_id,
            before,
            masked,
            &mut out,
        );
        done.add(node);
    }
    out
}

/// The current value of each attribute the batch changed, once per element
/// and name, in the order they were first changed; `added`: the nodes the
/// batch added, whose attributes their records carry already (`None` when
/// it added none).
fn attribute_changes(
    recorder: &Recorder,
    doc: &Node,
    added: Option<&js_sys::Set>,
    mut targets: Vec<(Element, String)>,
) -> Vec<AttributeChange> {
    // The value now is what every change of the batch led to: each
    // element and name read once, at the place of its first change.
    let mut firsts = Vec::new();
    for (index, (element, _)) in targets.iter().enumerate() {
        if added.is_some_and(|added| added.has(element)) || !dom_reads::contains(doc, element) {
            continue;
        }
        if let Some(id) = recorder.serializer.id_of(element) {
            firsts.push((id, index));
        }
    }
    // Reversed, the first of each becomes the last of each.
    let keys = firsts
        .iter()
        .rev()
        .map(|&(id, index)| (id, &targets[index].1));
    let mut keep = last_of_each(keys);
    keep.reverse();
    let firsts: Vec<(u32, usize)> = firsts
        .into_iter()
        .zip(keep)
        .filter_map(|(first, keep)| keep.then_some(first))
        .collect();
    firsts
        .into_iter()
        .filter_map(|(id, index)| {
            let (element, name) = &mut targets[index];
            let name = std::mem::take(name);
            let value = match name.as_str() {
                "value" => recorder
                    .serializer
                    .control_value(element)
                    .or_else(|| recorder.serializer.attribute(element, &name)),
                _ => recorder.serializer.attribute(element, &name),
            };
            let value = match value {
                Some(v) if keep_attribute(&name, &v) => {
                    Some(crate::core::mask::attribute_value(&name, v))
                }
                Some(_) => return None,
                None if keep_attribute(&name, "") => None,
                None => return None,
            };
            Some(AttributeChange { id, name, value })
        })
        .collect()
}

fn text_changes(recorder: &Recorder, doc: &Node, targets: Vec<Node>) -> Vec<TextChange> {
    let changed = targets.into_iter().filter_map(|node| {
        if !dom_reads::contains(doc, &node) {
            return None;
        }
        Some((recorder.serializer.id_of(&node)?, node))
    });
    // Each node read once: its text now is what every change led to.
    last_per_node(changed)
        .into_iter()
        .map(|(id, node)| {
            let text = dom_reads::text_content(&node).unwrap_or_default();
            let parent = dom_reads::parent_element(&node);
            let masked = recorder
                .serializer
                .masks_text_under(parent.as_ref().map(|element| -> &Node { element }));
            let text = if masked {
                mask_text(&text)
            } else {
                crate::core::mask::free_text(text)
            };
            TextChange { id, text }
        })
        .collect()
}
