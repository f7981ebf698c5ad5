//! The steps a recording becomes: the seed's case (a Save that answers
//! 403, clicked three times) and what folds and what does not: a click
//! into a field or on a box is told by what it did.

#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use repro_manifest::{steps, Action, Bundle};

fn bundle(events: &str, marks: &str) -> Bundle {
    let mut value: serde_json::Value =
        serde_json::from_str(&repro_manifest::example_bundle_json()).unwrap();
    value["pages"] =
        serde_json::json!([{"t": 0, "url": "https://app.test/settings", "title": "Settings"}]);
    let snapshot = r#"{"type":"snapshot","t":0,"page":0,"viewport":{"w":1280,"h":800},"nodes":[{"id":1,"p":0,"k":"document"}]}"#;
    value["events"] = serde_json::from_str(&format!("[{snapshot},{events}]")).unwrap();
    value["marks"] = serde_json::from_str(&format!("[{marks}]")).unwrap();
    value["screenshots"] = serde_json::json!([]);
    serde_json::from_value(value).unwrap()
}

#[test]
fn the_seed_case_reads_as_a_person_would_tell_it() {
    let b = bundle(
        r#"{"type":"click","t":400,"page":0,"id":7,"x":5,"y":5,"label":"Display name"},
        {"type":"input","t":500,"page":0,"id":7,"value":"*","label":"Display name"},
        {"type":"input","t":600,"page":0,"id":7,"value":"**"},
        {"type":"input","t":900,"page":0,"id":7,"value":"*************"},
        {"type":"click","t":1200,"page":0,"id":9,"x":10,"y":10,"label":"Save changes"},
        {"type":"click","t":2000,"page":0,"id":9,"x":10,"y":10,"label":"Save changes"},
        {"type":"click","t":2900,"page":0,"id":9,"x":10,"y":10,"label":"Save changes"},
        {"type":"click","t":3090,"page":0,"id":11,"x":5,"y":5,"label":"Email me"},
        {"type":"input","t":3100,"page":0,"id":11,"checked":true,"label":"Email me"},
        {"type":"input","t":3101,"page":0,"id":11,"checked":true},
        {"type":"navigation","t":4000,"page":0,"url":"https://app.test/profile","how":"script"},
        {"type":"viewport","t":4100,"page":0,"size":{"w":900,"h":700}},
        {"type":"viewport","t":4200,"page":0,"size":{"w":800,"h":600}},
        {"type":"click","t":5000,"page":0,"id":13,"x":1,"y":1}"#,
        r#"{"t":4500,"page":0,"selector":"p","xpath":"/x","rect":{"x":0,"y":0,"w":1,"h":1},"viewport":{"w":1,"h":1},"scroll":[0,0],"comment":"Nothing happens","kind":"bug","severity":"major"}"#,
    );
    let lines: Vec<String> = steps(&b).iter().map(|s| s.line()).collect();
    assert_eq!(
        lines,
        vec![
            "Opened https://app.test/settings",
            "Entered 13 characters into \u{201c}Display name\u{201d}",
            "Clicked \u{201c}Save changes\u{201d} 3×",
            "Checked \u{201c}Email me\u{201d}",
            "Went to https://app.test/profile",
            "Resized the window to 800 × 600",
            "Marked an element: \u{201c}Nothing happens\u{201d}",
            "Clicked an element",
        ]
    );
    let all = steps(&b);
    assert_eq!((all[2].t, all[2].until, all[2].count), (1200, 2900, 3));
    assert_eq!(
        (all[1].t, all[1].until),
        (400, 900),
        "the click into the field starts its step"
    );
    assert_eq!(
        all[1].action,
        Action::Type {
            label: Some("Display name".into()),
            value: "*************".into()
        },
        "the value in the end, as recorded (masked)"
    );
    assert_eq!(
        all[3].action,
        Action::Check {
            label: Some("Email me".into()),
            checked: true
        }
    );
    assert_eq!(
        all[2].action,
        Action::Click {
            label: Some("Save changes".into())
        }
    );
}

#[test]
fn clicks_far_apart_or_on_other_elements_are_steps_of_their_own() {
    let b = bundle(
        r#"{"type":"click","t":100,"page":0,"id":9,"x":1,"y":1,"label":"Next"},
        {"type":"click","t":20100,"page":0,"id":9,"x":1,"y":1,"label":"Next"},
        {"type":"click","t":20200,"page":0,"id":10,"x":1,"y":1,"label":"Next"}"#,
        "",
    );
    let counts: Vec<u32> = steps(&b).iter().map(|s| s.count).collect();
    assert_eq!(counts, vec![1, 1, 1, 1], "{:?}", steps(&b));
}
