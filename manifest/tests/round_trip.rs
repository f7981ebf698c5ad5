//! The format round-trips, keeps unknown events, and refuses what breaks its rules.

#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use repro_manifest::{Bundle, DomEvent, EventRecord, Limits, NodeData};

fn example() -> Bundle {
    serde_json::from_str(&repro_manifest::example_bundle_json()).expect("example parses")
}

#[test]
fn example_validates_and_round_trips() {
    let bundle = example();
    bundle
        .validate(&Limits::default())
        .expect("example is valid");
    let text = serde_json::to_string(&bundle).expect("serializes");
    let again: Bundle = serde_json::from_str(&text).expect("reparses");
    assert_eq!(bundle, again);
}

#[test]
fn unknown_event_types_are_kept_verbatim() {
    let bundle = example();
    let unknown = bundle
        .events
        .iter()
        .find_map(|e| match e {
            EventRecord::Unknown(v) => {
                Some(serde_json::from_str::<serde_json::Value>(v.json()).unwrap())
            }
            EventRecord::Known(_) => None,
        })
        .expect("the hologram event is kept");
    assert_eq!(unknown["from_the_future"], true);
    let text = serde_json::to_string(&bundle).expect("serializes");
    assert!(text.contains("\"hologram\""));
}

#[test]
fn a_known_type_with_bad_fields_is_an_error_not_an_unknown() {
    let mut value: serde_json::Value =
        serde_json::from_str(&repro_manifest::example_bundle_json()).unwrap();
    value["events"][2]["id"] = serde_json::json!("five");
    let err = serde_json::from_value::<Bundle>(value).unwrap_err();
    assert!(err.to_string().contains("invalid type"), "{err}");
}

fn refusal(edit: impl FnOnce(&mut Bundle)) -> String {
    let mut bundle = example();
    edit(&mut bundle);
    bundle.validate(&Limits::default()).unwrap_err().to_string()
}

#[test]
fn refusals_name_the_field() {
    assert!(refusal(|b| b.format_version = 99).starts_with("format_version:"));
    assert!(refusal(|b| b.id = "../../etc/passwd".into()).starts_with("id:"));
    assert!(refusal(|b| b.pages.clear()).starts_with("pages:"));
    assert!(refusal(|b| b.console[0].page = 7).starts_with("console[0].page:"));
    let err = refusal(|b| {
        if let EventRecord::Known(DomEvent::Snapshot { nodes, .. }) = &mut b.events[0] {
            nodes[4].parent = 42;
        }
    });
    assert!(err.starts_with("events[0].nodes[4].p:"), "{err}");
    let err = refusal(|b| {
        if let EventRecord::Known(DomEvent::Snapshot { nodes, .. }) = &mut b.events[0] {
            nodes[3].data = NodeData::Element {
                tag: "img onerror=x".into(),
                attrs: vec![],
                svg: false,
            };
        }
    });
    assert!(err.starts_with("events[0].nodes[3].tag:"), "{err}");
}

#[test]
fn screenshots_and_marks_are_checked() {
    let shot = |data: &str| repro_manifest::Screenshot {
        t: 1,
        width: 1,
        height: 1,
        mime: "image/png".into(),
        data: data.into(),
    };
    assert!(
        refusal(|b| b.screenshots.push(shot("<svg onload=x>"))).starts_with("screenshots[0].data:")
    );
    let err = refusal(|b| {
        b.screenshots.push(shot("iVBORw0KGgo="));
        b.marks.push(repro_manifest::Mark {
            t: 1,
            page: 0,
            selector: "#x".into(),
            frames: Vec::new(),
            xpath: String::new(),
            rect: Default::default(),
            viewport: Default::default(),
            scroll: (0, 0),
            comment: String::new(),
            kind: "bug".into(),
            severity: "low".into(),
            text: String::new(),
            html: String::new(),
            styles: Vec::new(),
            screenshot: Some(0),
            crop: Some(3),
        });
    });
    assert!(err.starts_with("marks[0].crop:"), "{err}");
}

#[test]
fn limits_are_enforced() {
    let bundle = example();
    let tight = Limits {
        max_string_bytes: 5,
        ..Limits::default()
    };
    let err = bundle.validate(&tight).unwrap_err();
    assert!(err.message.contains("longer than the limit"), "{err}");
    let few = Limits {
        max_events: 2,
        ..Limits::default()
    };
    assert_eq!(bundle.validate(&few).unwrap_err().path, "events");
}

#[test]
fn pixels_carry_a_data_image_and_nothing_that_loads_or_runs() {
    let pixels = |image: &str| {
        let mut bundle = example();
        bundle.events.push(EventRecord::Known(DomEvent::Pixels {
            t: 5,
            page: 0,
            id: 3,
            image: image.into(),
        }));
        bundle
    };
    let good = pixels("data:image/webp;base64,UklGRhIAAABXRUJQVlA4");
    good.validate(&Limits::default())
        .expect("a WebP frame is valid");
    let text = serde_json::to_string(&good).unwrap();
    assert!(text.contains(r#""type":"pixels""#), "{text}");
    assert_eq!(serde_json::from_str::<Bundle>(&text).unwrap(), good);
    for bad in [
        "https://tracker.example/pixel.png",
        "data:image/svg+xml;base64,PHN2Zz4=",
        "data:image/png;base64,\");background:url(https://x.example/",
        "data:image/png;base64,",
        "javascript:alert(1)",
    ] {
        let err = pixels(bad).validate(&Limits::default()).unwrap_err();
        assert!(err.to_string().contains(".image:"), "{bad}: {err}");
    }
}

#[test]
fn assets_not_stored_are_listed_and_bounded() {
    let mut bundle = example();
    bundle.skipped_assets.push(repro_manifest::SkippedAsset {
        url: "https://cdn.test/gone.png".into(),
        why: "unreachable".into(),
    });
    bundle.validate(&Limits::default()).expect("valid");
    let text = serde_json::to_string(&bundle).unwrap();
    assert!(text
        .contains(r#""skipped_assets":[{"url":"https://cdn.test/gone.png","why":"unreachable"}]"#));
    assert_eq!(serde_json::from_str::<Bundle>(&text).unwrap(), bundle);
    let err = refusal(|b| {
        b.skipped_assets.push(repro_manifest::SkippedAsset {
            url: "x".repeat(10_000),
            why: "unreachable".into(),
        })
    });
    assert!(err.starts_with("skipped_assets[0].url:"), "{err}");
}

#[test]
fn a_selection_round_trips_and_nothing_selected_is_both_points_absent() {
    let text = r#"{"type":"selection","t":4,"page":0,"anchor":[7,2],"focus":[9,0]}"#;
    let event: DomEvent = serde_json::from_str(text).unwrap();
    assert_eq!(
        event,
        DomEvent::Selection {
            t: 4,
            page: 0,
            anchor: Some((7, 2)),
            focus: Some((9, 0))
        }
    );
    assert_eq!(serde_json::to_string(&event).unwrap(), text);
    let none: DomEvent = serde_json::from_str(r#"{"type":"selection","t":5,"page":0}"#).unwrap();
    assert_eq!(
        serde_json::to_string(&none).unwrap(),
        r#"{"type":"selection","t":5,"page":0}"#
    );
}

#[test]
fn a_pointer_path_round_trips_and_is_bounded_and_in_order() {
    let text = r#"{"type":"pointer","t":4,"page":0,"path":[[0,10,20],[50,12,24]]}"#;
    let event: DomEvent = serde_json::from_str(text).unwrap();
    assert_eq!(
        event,
        DomEvent::Pointer {
            t: 4,
            page: 0,
            path: vec![(0, 10, 20), (50, 12, 24)]
        }
    );
    assert_eq!(serde_json::to_string(&event).unwrap(), text);
    let with = |path: Vec<(u32, i32, i32)>| {
        refusal(|b| {
            b.events.push(EventRecord::Known(DomEvent::Pointer {
                t: 1,
                page: 0,
                path,
            }))
        })
    };
    assert!(with(vec![]).contains("must hold 1 to 1000 positions"));
    assert!(with(vec![(0, 0, 0); 1001]).contains("must hold 1 to 1000 positions"));
    assert!(with(vec![(50, 0, 0), (0, 1, 1)]).ends_with("must be in time order"));
}
