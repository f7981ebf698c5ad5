//! Splicing JSON written ahead of time into the JSON around it.
//!
//! A large page's snapshot is written slice by slice while it is walked, so
//! that no single task serializes the whole page. These put the pieces
//! together with plain copies, without parsing them again.

use repro_manifest::node_list::Encoder;
use repro_manifest::{DomEvent, NodeRecord};

/// Append `record` to `out`, the items of a node list in the compact form
/// (comma-separated JSON), which `encoder` has written so far.
pub fn append_node(out: &mut Vec<u8>, encoder: &mut Encoder, record: &NodeRecord) {
    let (place, item) = encoder.items(record);
    for item in place.iter().chain([&item]) {
        if !out.is_empty() {
            out.push(b',');
        }
        // Writing into a Vec cannot fail, and an item always serializes.
        let _ = serde_json::to_writer(&mut *out, item);
    }
}

/// The JSON of `snapshot` (whose `nodes` are empty) with `nodes`, the
/// records written by [`append_node`], as its nodes.
pub fn snapshot_with_nodes(snapshot: &DomEvent, nodes: &[u8]) -> String {
    const EMPTY: &str = "\"nodes\":[]";
    let head = serde_json::to_string(snapshot).unwrap_or_default();
    let Some(at) = head.find(EMPTY) else {
        return head;
    };
    let mut out = Vec::with_capacity(head.len() + nodes.len());
    out.extend_from_slice(&head.as_bytes()[..at]);
    out.extend_from_slice(b"\"nodes\":[");
    out.extend_from_slice(nodes);
    out.push(b']');
    out.extend_from_slice(&head.as_bytes()[at + EMPTY.len()..]);
    // serde_json writes UTF-8 only.
    String::from_utf8(out).unwrap_or_default()
}

/// `chunk` (a chunk's JSON) with `event` (an event's JSON) first among its
/// events.
pub fn chunk_with_leading_event(chunk: &str, event: &str) -> String {
    const EVENTS: &str = "\"events\":[";
    // A chunk starts with its page and sequence numbers, then its events.
    let Some(at) = chunk.find(EVENTS).map(|at| at + EVENTS.len()) else {
        return chunk.to_string();
    };
    let others = !chunk[at..].starts_with(']');
    let mut out = String::with_capacity(chunk.len() + event.len() + 1);
    out.push_str(&chunk[..at]);
    out.push_str(event);
    if others {
        out.push(',');
    }
    out.push_str(&chunk[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use repro_manifest::{Chunk, EventRecord, NodeData, Size};

    fn snapshot(nodes: Vec<NodeRecord>) -> DomEvent {
        DomEvent::Snapshot {
            t: 5,
            page: 1,
            nodes,
            viewport: Size { w: 800, h: 600 },
            scroll: (0, 10),
            took_ms: Some(12.5),
        }
    }

    fn records() -> Vec<NodeRecord> {
        vec![
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
                data: NodeData::Text {
                    text: "\"nodes\":[] in a text, and \"events\":[".into(),
                },
            },
        ]
    }

    #[test]
    fn a_snapshot_written_in_pieces_reads_as_the_whole() {
        let mut nodes = Vec::new();
        let mut encoder = Encoder::new();
        for record in records() {
            append_node(&mut nodes, &mut encoder, &record);
        }
        let json = snapshot_with_nodes(&snapshot(Vec::new()), &nodes);
        let read: DomEvent = serde_json::from_str(&json).unwrap();
        assert_eq!(read, snapshot(records()));
    }

    #[test]
    fn the_leading_event_goes_first_whether_or_not_others_follow() {
        let event = serde_json::to_string(&snapshot(records())).unwrap();
        for others in [vec![], vec![EventRecord::Known(snapshot(Vec::new()))]] {
            let chunk = Chunk {
                page: 1,
                seq: 3,
                events: others.clone(),
                ..Chunk::default()
            };
            let text = chunk_with_leading_event(&serde_json::to_string(&chunk).unwrap(), &event);
            let read: Chunk = serde_json::from_str(&text).unwrap();
            assert_eq!(read.seq, 3);
            assert_eq!(read.events.len(), others.len() + 1);
            assert_eq!(read.events[0], EventRecord::Known(snapshot(records())));
        }
    }
}
