//! Splicing JSON written ahead of time into the JSON around it.
//!
//! A large page's snapshot is written slice by slice while it is walked, so
//! that no single task serializes the whole page, and each slice's JSON
//! leaves wasm memory as a JS string (wasm memory never shrinks: what it
//! grows to for one large snapshot it keeps until the page goes away).
//! These say where the pieces go in the JSON around them, without parsing
//! them again.

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

/// The JSON of `event` (a snapshot or a mutation, its node list empty)
/// cut where its nodes go: what goes before the records written by
/// [`append_node`], and what goes after them. The records themselves never
/// need to be in one piece of wasm memory with the rest (a large page's
/// are megabytes).
pub fn around_nodes(event: &DomEvent) -> (String, String) {
    match event.json_around_node_list() {
        Some((before, after)) => (format!("{before}["), format!("]{after}")),
        None => (
            serde_json::to_string(event).unwrap_or_default(),
            String::new(),
        ),
    }
}

/// `chunk` (a chunk's JSON) cut where an event goes first among its events:
/// what goes before the event, and what goes after it (with the comma that
/// parts it from the chunk's own events, if it has any).
pub fn around_leading_event(chunk: &str) -> (&str, String) {
    const EVENTS: &str = "\"events\":[";
    // A chunk starts with its page and sequence numbers, then its events.
    let Some(at) = chunk.find(EVENTS).map(|at| at + EVENTS.len()) else {
        return (chunk, String::new());
    };
    let rest = &chunk[at..];
    let after = match rest.starts_with(']') {
        true => rest.to_string(),
        false => format!(",{rest}"),
    };
    (&chunk[..at], after)
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

    /// [`records`] written by [`append_node`] between `(before, after)`, read back.
    fn read_with_records((before, after): (String, String)) -> DomEvent {
        let mut nodes = Vec::new();
        let mut encoder = Encoder::new();
        for record in records() {
            append_node(&mut nodes, &mut encoder, &record);
        }
        let json = format!("{before}{}{after}", String::from_utf8(nodes).unwrap());
        serde_json::from_str(&json).unwrap()
    }

    #[test]
    fn a_snapshot_written_in_pieces_reads_as_the_whole() {
        let read = read_with_records(around_nodes(&snapshot(Vec::new())));
        assert_eq!(read, snapshot(records()));
    }

    #[test]
    fn a_mutation_written_in_pieces_reads_as_the_whole() {
        let mutation = |adds| DomEvent::Mutation {
            t: 7,
            page: 2,
            removes: vec![4],
            adds,
            attrs: Vec::new(),
            texts: vec![repro_manifest::TextChange {
                id: 3,
                text: "\"adds\":[ in a text".into(),
            }],
        };
        let read = read_with_records(around_nodes(&mutation(Vec::new())));
        assert_eq!(read, mutation(records()));
    }

    #[test]
    fn the_leading_event_goes_first_whether_or_not_others_follow() {
        let event = serde_json::to_string(&snapshot(records())).unwrap();
        for others in [vec![], vec![EventRecord::Known(snapshot(records()))]] {
            let chunk = Chunk {
                page: 1,
                seq: 3,
                events: others.clone(),
                ..Chunk::default()
            };
            let chunk = serde_json::to_string(&chunk).unwrap();
            let (before, after) = around_leading_event(&chunk);
            let text = format!("{before}{event}{after}");
            let read: Chunk = serde_json::from_str(&text).unwrap();
            assert_eq!(read.seq, 3);
            assert_eq!(read.events.len(), others.len() + 1);
            assert_eq!(read.events[0], EventRecord::Known(snapshot(records())));
        }
    }
}
