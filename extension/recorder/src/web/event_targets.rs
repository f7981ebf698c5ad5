//! Which recorded node an event came from: its target, or the node inside
//! an open shadow root that the target stands for at the document.

use web_sys::{Event, Node};

use super::dom_reads;
use super::recorder::Recorder;

/// The node an event came from: its target, or when the target hosts an
/// open shadow root, the first of its composed path (the node inside the
/// root that the target stands for at the document).
pub fn origin(event: &Event) -> Option<Node> {
    let target = dom_reads::as_node(event.target()?.as_ref())?;
    // (The getter throws on anything but an element: the document scrolls.)
    if dom_reads::node_type(&target) != Node::ELEMENT_NODE
        || dom_reads::open_shadow_root(&target).is_none()
    {
        return Some(target);
    }
    dom_reads::as_node(&event.composed_path().get(0)).or(Some(target))
}

/// The recorded id of the node an event came from, and the node.
pub fn target_id(recorder: &Recorder, event: &Event) -> Option<(u32, Node)> {
    let node = origin(event)?;
    Some((recorder.serializer.id_of(&node)?, node))
}
