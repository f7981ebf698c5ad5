//! Turning one batch of DOM changes into what a `Mutation` event says:
//! which recorded nodes left, which subtrees came (and where), and the
//! attribute and text values the batch led to. Written once over
//! [`PageDom`], like the walk: the browser feeds it `MutationRecord`s
//! (`web::mutations`), the tests feed it [`crate::core::native_dom`]'s
//! change log.
//!
//! Added subtrees are serialized as they are when the batch is handled (so
//! a node added then changed in the same batch is sent once, in its final
//! state); a node added and removed in the same batch is not sent at all.
//! The caller writes each added subtree (the browser writes JSON out of
//! wasm memory, the tests make records), in order, because a later
//! subtree's place may name a node an earlier one just gave an id.

use repro_manifest::markup::keep_attribute;
use repro_manifest::{AttributeChange, TextChange, MODAL_DIALOG_ATTRIBUTE};

use super::last_change::{last_of_each, last_per_node};
use super::page_dom::PageDom;
use super::walk::{mask_text, NodeSerializer};

/// One change a DOM observer saw.
#[derive(Debug, Clone, PartialEq)]
pub enum DomChange<N> {
    /// Children added to or removed from a node.
    Children {
        /// The nodes added, in order.
        added: Vec<N>,
        /// The nodes removed.
        removed: Vec<N>,
    },
    /// An attribute of an element.
    Attribute {
        /// The element.
        element: N,
        /// The attribute's name.
        name: String,
    },
    /// The text of a text node.
    Text {
        /// The text node.
        node: N,
    },
}

/// An added subtree to write: `root` goes under the recorded node
/// `parent`, before the recorded node `before` (or last), and `masked`
/// says whether text under `parent` is masked.
#[derive(Debug, Clone, PartialEq)]
pub struct AddedSubtree<N> {
    pub root: N,
    pub parent: u32,
    pub before: Option<u32>,
    pub masked: bool,
}

/// What a batch changed, apart from the added subtrees (written on the way).
#[derive(Debug, Default, PartialEq)]
pub struct BatchOutcome {
    /// Recorded nodes that left their parent.
    pub removes: Vec<u32>,
    /// Attribute values now, once per element and name.
    pub attrs: Vec<AttributeChange>,
    /// Text now, once per text node.
    pub texts: Vec<TextChange>,
    /// How many subtrees were written.
    pub added: usize,
}

impl BatchOutcome {
    /// Nothing to send.
    pub fn is_empty(&self) -> bool {
        self.removes.is_empty() && self.attrs.is_empty() && self.texts.is_empty() && self.added == 0
    }
}

/// What the caller knows that the core does not.
pub struct BatchContext<'a, D: PageDom> {
    /// Was this added node recorded already, where it is now (by a walk
    /// that ran while the batch waited)? Then adding it says nothing new.
    pub already_recorded: &'a dyn Fn(&NodeSerializer<D>, &D::Node) -> bool,
    /// Is this node the recorder's own (the mark overlay)? Never recorded.
    pub is_own: &'a dyn Fn(&D::Node) -> bool,
}

/// Reconcile `changes` (in the order observed) against what
/// `serializer` recorded; each added subtree is handed to `write`.
pub fn reconcile<D: PageDom>(
    serializer: &mut NodeSerializer<D>,
    changes: impl IntoIterator<Item = DomChange<D::Node>>,
    context: &BatchContext<D>,
    mut write: impl FnMut(&mut NodeSerializer<D>, AddedSubtree<D::Node>),
) -> BatchOutcome {
    let mut removes = Vec::new();
    let added = serializer.dom().new_set();
    let mut added_order: Vec<D::Node> = Vec::new();
    let mut attribute_targets: Vec<(D::Node, String)> = Vec::new();
    let mut text_targets: Vec<D::Node> = Vec::new();

    for change in changes {
        match change {
            DomChange::Children {
                added: nodes,
                removed,
            } => {
                for node in removed {
                    if let Some(id) = serializer.id_of(&node) {
                        removes.push(id);
                        serializer.forget(&node);
                    }
                }
                for node in nodes {
                    if (context.already_recorded)(serializer, &node) {
                        continue;
                    }
                    let dom = serializer.dom();
                    if !dom.set_has(&added, &node) {
                        dom.add_to_set(&added, &node);
                        added_order.push(node);
                    }
                }
            }
            DomChange::Attribute { element, name } => attribute_targets.push((element, name)),
            DomChange::Text { node } => text_targets.push(node),
        }
    }

    let written = write_added(serializer, &added, &added_order, context, &mut write);
    let any_added = (!added_order.is_empty()).then_some(&added);
    let attrs = attribute_changes(serializer, any_added, attribute_targets);
    let texts = text_changes(serializer, text_targets);
    BatchOutcome {
        removes,
        attrs,
        texts,
        added: written,
    }
}

fn has_added_ancestor<D: PageDom>(dom: &D, node: &D::Node, added: &D::NodeSet) -> bool {
    let mut current = dom.parent(node);
    while let Some(parent) = current {
        if dom.set_has(added, &parent) {
            return true;
        }
        current = dom.parent(&parent);
    }
    false
}

/// Hand each added subtree whose root is still in the document, and not
/// inside another added one, to `write`; how many were.
fn write_added<D: PageDom>(
    serializer: &mut NodeSerializer<D>,
    added: &D::NodeSet,
    order: &[D::Node],
    context: &BatchContext<D>,
    write: &mut impl FnMut(&mut NodeSerializer<D>, AddedSubtree<D::Node>),
) -> usize {
    let done = serializer.dom().new_set();
    let mut count = 0;
    for node in order {
        let dom = serializer.dom();
        if !dom.in_document(node) || has_added_ancestor(dom, node, added) || (context.is_own)(node)
        {
            continue;
        }
        let Some(parent) = dom.parent(node) else {
            continue;
        };
        let Some(parent_id) = serializer.id_of(&parent) else {
            continue;
        };
        // Insert before the first following sibling the viewer already has.
        let mut before = None;
        let mut sibling = dom.next_sibling(node);
        while let Some(candidate) = sibling {
            let settled = !dom.set_has(added, &candidate) || dom.set_has(&done, &candidate);
            if settled {
                if let Some(id) = serializer.id_of(&candidate) {
                    before = Some(id);
                    break;
                }
            }
            sibling = dom.next_sibling(&candidate);
        }
        let masked = serializer.masks_text_under(Some(&parent));
        write(
            serializer,
            AddedSubtree {
                root: node.clone(),
                parent: parent_id,
                before,
                masked,
            },
        );
        serializer.dom().add_to_set(&done, node);
        count += 1;
    }
    count
}

/// The current value of each attribute the batch changed, once per element
/// and name, in the order they were first changed; `added`: the nodes the
/// batch added, whose attributes their records carry already (`None` when
/// it added none).
fn attribute_changes<D: PageDom>(
    serializer: &NodeSerializer<D>,
    added: Option<&D::NodeSet>,
    mut targets: Vec<(D::Node, String)>,
) -> Vec<AttributeChange> {
    let dom = serializer.dom();
    // The value now is what every change of the batch led to: each
    // element and name read once, at the place of its first change.
    let mut firsts = Vec::new();
    for (index, (element, _)) in targets.iter().enumerate() {
        if added.is_some_and(|added| dom.set_has(added, element)) || !dom.in_document(element) {
            continue;
        }
        if let Some(id) = serializer.id_of(element) {
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
    let mut changes = Vec::with_capacity(firsts.len());
    for (id, index) in firsts {
        let (element, name) = &mut targets[index];
        let name = std::mem::take(name);
        let value = match name.as_str() {
            "value" => serializer
                .control_value(element)
                .or_else(|| serializer.attribute(element, &name)),
            _ => serializer.attribute(element, &name),
        };
        let value = match value {
            Some(v) if keep_attribute(&name, &v) => {
                let v = crate::core::mask::attribute_value(&name, v);
                // An image's address in a masked region is not recorded.
                let tag = dom.element_name(element).0;
                match repro_manifest::asset_urls::url_attribute(&tag, &name) {
                    Some(kind)
                        if serializer.masks_images_of(
                            element,
                            serializer.masks_text_under(dom.parent(element).as_ref()),
                        ) =>
                    {
                        Some(repro_manifest::asset_urls::without_assets(kind, &v))
                    }
                    _ => Some(v),
                }
            }
            Some(_) => continue,
            None if keep_attribute(&name, "") => None,
            None => continue,
        };
        // A dialog opened or closed: whether it is modal now goes with it.
        let modal = (name == "open" && dom.element_name(element).0 == "dialog")
            .then(|| dom.is_modal(element));
        changes.push(AttributeChange { id, name, value });
        if let Some(modal) = modal {
            changes.push(AttributeChange {
                id,
                name: MODAL_DIALOG_ATTRIBUTE.into(),
                value: modal.then(String::new),
            });
        }
    }
    changes
}

fn text_changes<D: PageDom>(
    serializer: &NodeSerializer<D>,
    targets: Vec<D::Node>,
) -> Vec<TextChange> {
    let dom = serializer.dom();
    let changed = targets.into_iter().filter_map(|node| {
        if !dom.in_document(&node) {
            return None;
        }
        Some((serializer.id_of(&node)?, node))
    });
    // Each node read once: its text now is what every change led to.
    last_per_node(changed)
        .into_iter()
        .map(|(id, node)| {
            let text = dom.text(&node);
            let text = if serializer.masks_text_under(dom.parent(&node).as_ref()) {
                mask_text(&text)
            } else {
                crate::core::mask::free_text(text)
            };
            TextChange { id, text }
        })
        .collect()
}
