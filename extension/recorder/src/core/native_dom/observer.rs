//! The tests' `MutationObserver`: what changed in a [`NativeDom`] since it
//! was last asked, reconciled by the same core as the browser's records
//! (`core::mutation_batch`) into the `Mutation` event the recorder sends.

use repro_manifest::DomEvent;

use super::{NativeDom, NodeRef};
use crate::core::mutation_batch::{reconcile, BatchContext};
use crate::core::walk::NodeSerializer;

/// The `Mutation` event for what changed since the last call (`None`:
/// nothing the recorder sends), at time `t` of page `page`.
pub fn mutation_event(
    serializer: &mut NodeSerializer<NativeDom>,
    t: u64,
    page: u32,
) -> Option<DomEvent> {
    let changes = serializer.dom_mut().take_changes();
    let context = BatchContext::<NativeDom> {
        already_recorded: &|_, _| false,
        is_own: &|_: &NodeRef| false,
    };
    let mut adds = Vec::new();
    let outcome = reconcile(serializer, changes, &context, |serializer, at| {
        adds.extend(serializer.subtree_records(&at.root, at.parent, at.before, at.masked));
    });
    if outcome.is_empty() {
        return None;
    }
    Some(DomEvent::Mutation {
        t,
        page,
        removes: outcome.removes,
        adds,
        attrs: outcome.attrs,
        texts: outcome.texts,
    })
}
