//! Turning a batch of `MutationRecord`s into one masked `Mutation` event:
//! the records become [`DomChange`]s for the core's reconciliation
//! (`core::mutation_batch`), and the added subtrees are written as JSON
//! while they are walked, out of wasm memory (see `written_nodes`), and so
//! is the event that carries them.

use repro_manifest::DomEvent;
use wasm_bindgen::JsCast;
use web_sys::{MutationRecord, Node, NodeList};

use super::browser_dom::{write_subtree, BrowserDom, Serializer};
use super::dom_reads;
use super::recorder::Recorder;
use super::snapshot_progress::WalkedPlaces;
use super::written_nodes::WrittenNodes;
use crate::core::mutation_batch::{reconcile, BatchContext, DomChange};
use crate::core::written_json::around_nodes;

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
    // Roots attached and frame documents loaded since the last batch.
    let unobserved = std::mem::take(&mut recorder.unobserved_changes);
    let changes = records
        .iter()
        .filter_map(|record| change_of(&record.unchecked_into()))
        .chain(unobserved);
    let already_recorded =
        |serializer: &Serializer, node: &Node| walked.is_some_and(|w| w.holds(serializer, node));
    let context = BatchContext::<BrowserDom> {
        already_recorded: &already_recorded,
        is_own: &super::marker::is_overlay,
    };
    let mut adds = WrittenNodes::new();
    let outcome = reconcile(
        &mut recorder.serializer,
        changes,
        &context,
        |serializer, at| {
            write_subtree(
                serializer, &at.root, at.parent, at.before, at.masked, &mut adds,
            );
        },
    );
    recorder.watch_new_shadow_roots();
    if outcome.is_empty() {
        return;
    }
    let t = recorder.now();
    let page = recorder.page;
    let event = DomEvent::Mutation {
        t,
        page,
        removes: outcome.removes,
        adds: Vec::new(),
        attrs: outcome.attrs,
        texts: outcome.texts,
    };
    if adds.is_empty() {
        recorder.push(event);
        return;
    }
    // Batches are recorded once the snapshot is queued, so nothing holds
    // events any more: the written event follows those queued before it.
    let (before, after) = around_nodes(&event);
    recorder
        .outbox
        .push_written_event(adds.between(&before, &after));
}

/// What `record` changed, told without reading its `type`, a string that
/// would be allocated, decoded and freed in wasm memory for every record:
/// only an attribute record names an attribute, and only a character-data
/// record targets a character-data node. `None`: nothing the recorder
/// sends (a comment's text, which it does not record).
fn change_of(record: &MutationRecord) -> Option<DomChange<Node>> {
    if let Some(name) = record.attribute_name() {
        // Only elements have attributes.
        return Some(DomChange::Attribute {
            element: record.target()?,
            name,
        });
    }
    let target = record.target()?;
    match dom_reads::node_type(&target) {
        Node::TEXT_NODE | Node::CDATA_SECTION_NODE => Some(DomChange::Text { node: target }),
        Node::COMMENT_NODE | Node::PROCESSING_INSTRUCTION_NODE => None,
        _ => Some(DomChange::Children {
            added: nodes(&record.added_nodes()),
            removed: nodes(&record.removed_nodes()),
        }),
    }
}

fn nodes(list: &NodeList) -> Vec<Node> {
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}
