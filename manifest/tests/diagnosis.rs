//! The diagnosis of the seed case: a settings page whose Save answers 403,
//! clicked three times, the page showing nothing. And the same with an
//! error message shown: then "no change" is not said.

#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use repro_manifest::{diagnose, Bundle};

fn seed(shown_after: bool) -> Bundle {
    seed_marked(shown_after, "[]")
}

fn seed_marked(shown_after: bool, marks: &str) -> Bundle {
    let mut value: serde_json::Value =
        serde_json::from_str(&repro_manifest::example_bundle_json()).unwrap();
    value["pages"] =
        serde_json::json!([{"t": 0, "url": "https://app.test/settings", "title": "Settings"}]);
    let mut events = vec![
        serde_json::json!({"type":"snapshot","t":0,"page":0,"viewport":{"w":1280,"h":800},"nodes":[{"id":1,"p":0,"k":"document"}]}),
    ];
    let mut network = Vec::new();
    let mut console = Vec::new();
    for t in [1200u64, 2000, 2900] {
        events.push(serde_json::json!({"type":"mutation","t":t - 5,"page":0,"attrs":[{"id":9,"name":"data-repro-active","value":""}]}));
        events.push(serde_json::json!({"type":"click","t":t,"page":0,"id":9,"x":30,"y":40,"label":"Save changes"}));
        network.push(serde_json::json!({"t":t + 10,"page":0,"kind":"fetch","method":"POST","url":"https://app.test/api/settings","status":403,"duration_ms":40}));
        console.push(serde_json::json!({"t":t + 60,"page":0,"level":"error","source":"console","args":["Save failed with status 403"]}));
    }
    if shown_after {
        events.push(serde_json::json!({"type":"mutation","t":3100,"page":0,"texts":[{"id":12,"text":"Could not save"}]}));
    }
    value["events"] = serde_json::Value::Array(events);
    value["network"] = serde_json::Value::Array(network);
    value["console"] = serde_json::Value::Array(console);
    value["marks"] = serde_json::from_str(marks).unwrap();
    value["screenshots"] = serde_json::json!([]);
    serde_json::from_value(value).unwrap()
}

#[test]
fn a_refused_save_clicked_three_times_is_told_with_its_evidence() {
    let findings: Vec<String> = diagnose(&seed(false)).into_iter().map(|f| f.text).collect();
    assert_eq!(
        findings,
        vec![
            "POST /api/settings answered 403 (3 times) after the step: Clicked \u{201c}Save changes\u{201d} 3×",
            "The page showed no change after POST /api/settings answered 403: no error was shown to the tester",
            "Console error (3 times) after the step: Clicked \u{201c}Save changes\u{201d} 3×: \u{201c}Save failed with status 403\u{201d}",
            "Clicked \u{201c}Save changes\u{201d} 3 times in 1.7 s: the tester expected something to happen",
        ]
    );
    assert_eq!(
        diagnose(&seed(false))[0].t,
        1210,
        "the first failed request's moment"
    );
}

#[test]
fn an_error_the_page_showed_is_not_called_no_change() {
    let findings: Vec<String> = diagnose(&seed(true)).into_iter().map(|f| f.text).collect();
    assert!(
        !findings
            .iter()
            .any(|f| f.starts_with("The page showed no change")),
        "{findings:?}"
    );
    assert_eq!(findings.len(), 3, "{findings:?}");
}

#[test]
fn a_click_after_which_nothing_happens_is_a_dead_click() {
    let mut value: serde_json::Value =
        serde_json::from_str(&repro_manifest::example_bundle_json()).unwrap();
    value["events"] = serde_json::json!([
        {"type":"snapshot","t":0,"page":0,"viewport":{"w":1280,"h":800},"nodes":[{"id":1,"p":0,"k":"document"}]},
        {"type":"mutation","t":995,"page":0,"attrs":[{"id":9,"name":"data-repro-active","value":""}]},
        {"type":"click","t":1000,"page":0,"id":9,"x":1,"y":1,"label":"Export"},
        {"type":"click","t":5000,"page":0,"id":10,"x":1,"y":1,"label":"Open menu"},
        {"type":"mutation","t":5100,"page":0,"texts":[{"id":12,"text":"Menu"}]}
    ]);
    value["network"] = serde_json::json!([]);
    value["console"] = serde_json::json!([]);
    value["marks"] = serde_json::json!([]);
    value["screenshots"] = serde_json::json!([]);
    let bundle: Bundle = serde_json::from_value(value).unwrap();
    let findings: Vec<String> = diagnose(&bundle).into_iter().map(|f| f.text).collect();
    assert_eq!(
        findings,
        vec!["Nothing happened after the step: Clicked \u{201c}Export\u{201d} (no change on the page, no request, no navigation within 1 s)"],
        "the click that opened the menu did something"
    );
}

#[test]
fn a_mark_on_the_control_that_went_wrong_is_named() {
    let mark = |x: f64| {
        format!(
            r##"[{{"t":3500,"page":0,"selector":"#save","rect":{{"x":{x},"y":30,"w":100,"h":24}},"comment":"Save does\nnothing","kind":"bug","severity":"high"}}]"##
        )
    };
    let findings = diagnose(&seed_marked(false, &mark(10.0)));
    let marked = findings
        .iter()
        .find(|f| f.text.starts_with("The tester marked"))
        .expect("the mark is named");
    assert_eq!(
        marked.text,
        "The tester marked the control of the step Clicked \u{201c}Save changes\u{201d} 3× (\u{201c}Save does nothing\u{201d}), where it went wrong"
    );
    assert_eq!((marked.t, marked.rank), (3500, 1));
    let elsewhere = diagnose(&seed_marked(false, &mark(500.0)));
    assert!(
        !elsewhere
            .iter()
            .any(|f| f.text.starts_with("The tester marked")),
        "a mark on another element is not"
    );
}
