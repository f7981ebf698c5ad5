//! Reading a bundle entry by entry ([`repro_manifest::read_checked`], the
//! server's way) accepts and refuses exactly what reading it whole and
//! [`Bundle::validate`] do, with the same words, and writes back the same
//! bundle.

#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use repro_manifest::{
    read_checked, AttributeChange, Bundle, DomEvent, EventRecord, Limits, Mark, NodeData,
    NodeRecord, Screenshot,
};

fn example() -> Bundle {
    serde_json::from_str(&repro_manifest::example_bundle_json()).unwrap()
}

/// Both readings of `bundle`'s text under `limits`: the refusal of each, or
/// (for the entry by entry one) the bundle its written text holds.
fn both_ways(bundle: &Bundle, limits: &Limits) -> (Result<(), String>, Result<Bundle, String>) {
    let json = serde_json::to_vec(bundle).unwrap();
    let whole = serde_json::from_slice::<Bundle>(&json)
        .unwrap()
        .validate(limits)
        .map_err(|e| e.to_string());
    let mut written = Vec::new();
    let streamed = read_checked(&json, limits, &mut written)
        .map(|head| {
            assert!(head.events.is_empty() && head.console.is_empty());
            assert_eq!(head.id, bundle.id);
            serde_json::from_slice::<Bundle>(&written).unwrap()
        })
        .map_err(|e| e.to_string());
    (whole, streamed)
}

fn agree(bundle: &Bundle, limits: &Limits) -> Result<(), String> {
    let (whole, streamed) = both_ways(bundle, limits);
    match (&whole, &streamed) {
        (Ok(()), Ok(written)) => assert_eq!(written, bundle, "the bundle written back differs"),
        (Err(a), Err(b)) => assert_eq!(a, b, "the two readings refuse differently"),
        _ => panic!(
            "whole: {whole:?}, entry by entry: {:?}",
            streamed.map(|_| ())
        ),
    }
    whole
}

fn snapshot_nodes(bundle: &mut Bundle) -> &mut Vec<NodeRecord> {
    match &mut bundle.events[0] {
        EventRecord::Known(DomEvent::Snapshot { nodes, .. }) => nodes,
        _ => unreachable!("the example starts with a snapshot"),
    }
}

fn edited(edit: impl FnOnce(&mut Bundle)) -> Bundle {
    let mut bundle = example();
    edit(&mut bundle);
    bundle
}

fn thumbnail(width: u32, mime: &str, data: &str) -> repro_manifest::Screenshot {
    repro_manifest::Screenshot {
        t: 0,
        width,
        height: 200,
        mime: mime.into(),
        data: data.into(),
    }
}

#[test]
fn the_example_is_written_back_as_it_was_read() {
    assert_eq!(agree(&example(), &Limits::default()), Ok(()));
    let with_thumbnail = edited(|b| b.thumbnail = Some(thumbnail(320, "image/webp", "AAAA")));
    assert_eq!(agree(&with_thumbnail, &Limits::default()), Ok(()));
}

#[test]
fn every_refusal_is_the_same_both_ways() {
    let defaults = Limits::default();
    let cases: Vec<(&str, Bundle, Limits)> = vec![
        (
            "version",
            edited(|b| b.format_version = 99),
            defaults.clone(),
        ),
        ("no pages", edited(|b| b.pages.clear()), defaults.clone()),
        (
            "a thumbnail too wide",
            edited(|b| b.thumbnail = Some(thumbnail(641, "image/webp", "AAAA"))),
            defaults.clone(),
        ),
        (
            "a thumbnail of another type",
            edited(|b| b.thumbnail = Some(thumbnail(320, "image/svg+xml", "AAAA"))),
            defaults.clone(),
        ),
        (
            "a thumbnail too large",
            edited(|b| b.thumbnail = Some(thumbnail(320, "image/webp", &"A".repeat(90_000)))),
            defaults.clone(),
        ),
        (
            "console page",
            edited(|b| b.console[0].page = 7),
            defaults.clone(),
        ),
        (
            "network page",
            edited(|b| b.network[0].page = 3),
            defaults.clone(),
        ),
        (
            "a parent that comes later",
            edited(|b| snapshot_nodes(b)[4].parent = 42),
            defaults.clone(),
        ),
        (
            "an id used twice",
            edited(|b| snapshot_nodes(b)[5].id = 4),
            defaults.clone(),
        ),
        (
            "a snapshot without its document first",
            edited(|b| {
                snapshot_nodes(b).remove(0);
            }),
            defaults.clone(),
        ),
        (
            "an unsafe tag",
            edited(|b| {
                snapshot_nodes(b)[3].data = NodeData::Element {
                    tag: "img onerror=x".into(),
                    attrs: vec![],
                    svg: false,
                }
            }),
            defaults.clone(),
        ),
        (
            "an unsafe attribute change",
            edited(|b| {
                if let EventRecord::Known(DomEvent::Mutation { attrs, .. }) = &mut b.events[1] {
                    attrs.push(AttributeChange {
                        id: 4,
                        name: "on load".into(),
                        value: None,
                    });
                }
            }),
            defaults.clone(),
        ),
        (
            "a mark pointing past the screenshots",
            edited(|b| {
                b.marks.push(Mark {
                    t: 1,
                    page: 0,
                    selector: "p".into(),
                    frames: vec![],
                    xpath: String::new(),
                    rect: Default::default(),
                    viewport: Default::default(),
                    scroll: (0, 0),
                    comment: "off by one".into(),
                    kind: "bug".into(),
                    severity: "low".into(),
                    text: String::new(),
                    html: String::new(),
                    styles: vec![],
                    screenshot: Some(1),
                    crop: None,
                });
                b.screenshots.push(Screenshot {
                    t: 1,
                    width: 1,
                    height: 1,
                    mime: "image/png".into(),
                    data: "AAAA".into(),
                });
            }),
            defaults.clone(),
        ),
        (
            "a screenshot that is not base64",
            edited(|b| {
                b.screenshots.push(Screenshot {
                    t: 1,
                    width: 1,
                    height: 1,
                    mime: "image/png".into(),
                    data: "<svg>".into(),
                })
            }),
            defaults.clone(),
        ),
        (
            "too many nodes in one event",
            example(),
            Limits {
                max_nodes_per_event: 3,
                ..defaults.clone()
            },
        ),
        (
            "too many events",
            example(),
            Limits {
                max_events: 2,
                ..defaults.clone()
            },
        ),
        (
            "too many console entries",
            example(),
            Limits {
                max_console: 0,
                ..defaults.clone()
            },
        ),
        (
            "a long input value",
            example(),
            Limits {
                max_string_bytes: 4,
                ..defaults.clone()
            },
        ),
    ];
    for (name, bundle, limits) in cases {
        let refused = agree(&bundle, &limits);
        assert!(refused.is_err(), "{name}: accepted");
        println!("{name}: {}", refused.unwrap_err());
    }
}

/// Snapshots whose ids jump about, repeat, and name parents that are and
/// are not there yet: both readings agree on each.
#[test]
fn scattered_ids_are_judged_the_same_both_ways() {
    let mut seed = 0x2545_f491_u64;
    let mut next = |below: u32| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 33) % u64::from(below)) as u32
    };
    let (mut accepted, mut refused) = (0, 0);
    for _ in 0..300 {
        let mut bundle = example();
        let nodes = snapshot_nodes(&mut bundle);
        nodes.truncate(1);
        let mut ids = vec![1u32];
        for _ in 0..next(40) {
            let id = if next(10) == 0 {
                1 + next(60)
            } else {
                ids[ids.len() - 1] + 1 + next(3)
            };
            let parent = if next(25) == 0 {
                1 + next(60)
            } else {
                ids[next(ids.len() as u32) as usize]
            };
            nodes.push(NodeRecord {
                id,
                parent,
                before: None,
                data: NodeData::Element {
                    tag: "div".into(),
                    attrs: vec![],
                    svg: false,
                },
            });
            ids.push(id);
        }
        match agree(&bundle, &Limits::default()) {
            Ok(()) => accepted += 1,
            Err(_) => refused += 1,
        }
    }
    assert!(
        accepted > 20 && refused > 20,
        "{accepted} accepted, {refused} refused"
    );
}

#[test]
fn unknown_keys_are_dropped_and_unknown_events_kept() {
    let mut value: serde_json::Value =
        serde_json::from_str(&repro_manifest::example_bundle_json()).unwrap();
    value["smuggled"] = serde_json::json!("ada@example.com");
    value["console"][0]["smuggled"] = serde_json::json!("ada@example.com");
    let json = serde_json::to_vec(&value).unwrap();
    let mut written = Vec::new();
    read_checked(&json, &Limits::default(), &mut written).unwrap();
    let text = String::from_utf8(written).unwrap();
    assert!(!text.contains("smuggled"), "{text}");
    // Every list is written, once, even when empty (readers may count on it).
    assert_eq!(text.matches("\"marks\":[]").count(), 1, "{text}");
    assert_eq!(text.matches("\"events\":").count(), 1, "{text}");
    assert!(text.contains("\"from_the_future\":true"), "{text}");
}

#[test]
fn text_after_the_bundle_and_lists_of_the_wrong_shape_are_refused() {
    let json = repro_manifest::example_bundle_json();
    let refused =
        |text: &str| read_checked(text.as_bytes(), &Limits::default(), &mut Vec::new()).is_err();
    assert!(refused(&format!("{json} {{}}")));
    assert!(refused(&json.replacen(
        "\"console\": [",
        "\"console\": {\"a\": [",
        1
    )));
    assert!(refused(&json.replacen(
        "\"events\": [",
        "\"events\": [0, ",
        1
    )));
}
