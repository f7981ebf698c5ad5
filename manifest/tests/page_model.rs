//! The page at a moment, rebuilt from the events: changes applied up to
//! that moment and not after, the page as HTML (typed values as recorded,
//! the recording's own marks left out, hostile text kept as text), and the
//! way a test finds the element a click landed on (its control, role and
//! a CSS path through frames).

#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use repro_manifest::locators::{control_of, element_path, role_of, ElementPath};
use repro_manifest::{page_html, Bundle, PageModel};

fn bundle(nodes: &str, events: &str) -> Bundle {
    let mut value: serde_json::Value =
        serde_json::from_str(&repro_manifest::example_bundle_json()).unwrap();
    value["pages"] = serde_json::json!([{"t": 0, "url": "https://app.test/", "title": "App"}]);
    let snapshot = format!(
        r#"{{"type":"snapshot","t":0,"page":0,"viewport":{{"w":1280,"h":800}},"nodes":[{nodes}]}}"#
    );
    let events = if events.is_empty() {
        snapshot
    } else {
        format!("{snapshot},{events}")
    };
    value["events"] = serde_json::from_str(&format!("[{events}]")).unwrap();
    serde_json::from_value(value).unwrap()
}

const SETTINGS: &str = r#"{"id":1,"p":0,"k":"document"},
    {"id":2,"p":1,"k":"doctype","name":"html"},
    {"id":3,"p":1,"k":"element","tag":"html"},
    {"id":4,"p":3,"k":"element","tag":"body"},
    {"id":5,"p":4,"k":"element","tag":"form","attrs":[["data-repro-hover",""]]},
    {"id":6,"p":5,"k":"element","tag":"input","attrs":[["id","display-name"]]},
    {"id":7,"p":5,"k":"element","tag":"button","attrs":[["type","button"]]},
    {"id":8,"p":7,"k":"element","tag":"span","attrs":[["aria-hidden","true"]]},
    {"id":9,"p":8,"k":"text","text":"💾"},
    {"id":10,"p":7,"k":"text","text":" Save <changes>"},
    {"id":11,"p":5,"k":"element","tag":"button"},
    {"id":12,"p":11,"k":"text","text":"Cancel"}"#;

#[test]
fn the_page_is_as_it_was_at_the_moment_asked() {
    let b = bundle(
        SETTINGS,
        r#"{"type":"input","t":100,"page":0,"id":6,"value":"****"},
        {"type":"mutation","t":200,"page":0,"adds":[{"id":20,"p":4,"b":5,"k":"element","tag":"p"},{"id":21,"p":20,"k":"text","text":"Saved"}]},
        {"type":"mutation","t":300,"page":0,"removes":[20],"texts":[{"id":12,"text":"Close"}],"attrs":[{"id":11,"name":"disabled","value":""}]}"#,
    );
    let at = |t| page_html(&PageModel::at(&b, 0, t).unwrap(), 100_000);
    let start = at(50);
    assert_eq!(
        start,
        "<!DOCTYPE html><html><body><form><input id=\"display-name\"><button type=\"button\"><span aria-hidden=\"true\">💾</span> Save &lt;changes&gt;</button><button>Cancel</button></form></body></html>",
        "the recording's own marks are not the page's markup; text stays text"
    );
    assert!(
        at(150).contains("<input id=\"display-name\" value=\"****\">"),
        "typed, masked as recorded"
    );
    assert!(
        at(250).contains("<body><p>Saved</p><form>"),
        "added before its sibling: {}",
        at(250)
    );
    let end = at(300);
    assert!(
        !end.contains("Saved") && end.contains("<button disabled=\"\">Close</button>"),
        "{end}"
    );
    assert!(PageModel::at(&b, 1, 300).is_none(), "no such page");
}

#[test]
fn a_long_page_is_cut_saying_so() {
    let b = bundle(SETTINGS, "");
    let html = page_html(&PageModel::at(&b, 0, 0).unwrap(), 40);
    assert!(
        html.len() < 200 && html.ends_with("<!-- cut here: the page is longer than 40 bytes -->"),
        "{html}"
    );
}

#[test]
fn hostile_markup_cannot_leave_its_place() {
    let b = bundle(
        r#"{"id":1,"p":0,"k":"document"},
        {"id":2,"p":1,"k":"comment","text":"--><script>alert(1)</script><!--"},
        {"id":3,"p":1,"k":"element","tag":"div","attrs":[["title","\"><script>x</script>"],["onclick","x()"]]},
        {"id":4,"p":3,"k":"element","tag":"style"},
        {"id":5,"p":4,"k":"text","text":"a{}</style><script>y</script>"}"#,
        "",
    );
    let html = page_html(&PageModel::at(&b, 0, 0).unwrap(), 100_000);
    assert!(
        html.starts_with("<!--- -&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;!- --->"),
        "a comment ends where it ends: {html}"
    );
    assert!(
        html.contains("<div title=\"&quot;>&lt;script>x&lt;/script>\">"),
        "{html}"
    );
    assert!(!html.contains("onclick"), "no handler: {html}");
    assert_eq!(
        html.matches("</style>").count(),
        1,
        "a style's text cannot end it: {html}"
    );
}

#[test]
fn a_click_on_an_icon_is_a_click_on_its_button_found_by_role_and_path() {
    let b = bundle(SETTINGS, "");
    let model = PageModel::at(&b, 0, 0).unwrap();
    assert_eq!(control_of(&model, 9), 9, "a text node is not an element");
    assert_eq!(control_of(&model, 8), 7, "the icon's button");
    assert_eq!(role_of(&model, 7).as_deref(), Some("button"));
    assert_eq!(role_of(&model, 6).as_deref(), Some("textbox"));
    assert_eq!(role_of(&model, 5), None);
    assert_eq!(
        element_path(&model, 6),
        ElementPath {
            frames: vec![],
            css: "#display-name".into()
        }
    );
    assert_eq!(
        element_path(&model, 11).css,
        "html > body > form > button:nth-of-type(2)"
    );
}

#[test]
fn an_element_in_a_frame_or_a_shadow_root_is_found_through_them() {
    let b = bundle(
        r#"{"id":1,"p":0,"k":"document"},
        {"id":2,"p":1,"k":"element","tag":"html"},
        {"id":3,"p":2,"k":"element","tag":"body"},
        {"id":4,"p":3,"k":"element","tag":"iframe","attrs":[["data-testid","pay \"frame\""]]},
        {"id":5,"p":4,"k":"frame_document","url":"https://pay.test/"},
        {"id":6,"p":5,"k":"element","tag":"html"},
        {"id":7,"p":6,"k":"element","tag":"body"},
        {"id":8,"p":7,"k":"element","tag":"x-card"},
        {"id":9,"p":8,"k":"shadow_root"},
        {"id":10,"p":9,"k":"element","tag":"div"},
        {"id":11,"p":10,"k":"element","tag":"a","attrs":[["href","/pay"],["role","button link"]]}"#,
        "",
    );
    let model = PageModel::at(&b, 0, 0).unwrap();
    assert_eq!(
        element_path(&model, 11),
        ElementPath {
            frames: vec!["iframe[data-testid=\"pay \\\"frame\\\"\"]".into()],
            css: "div > a".into()
        }
    );
    assert_eq!(
        role_of(&model, 11).as_deref(),
        Some("button"),
        "the role attribute's first word"
    );
    let html = page_html(&model, 100_000);
    assert!(
        html.contains("<iframe data-testid=\"pay &quot;frame&quot;\"><!-- the frame's document: https://pay.test/ --><html><body><x-card><template shadowrootmode=\"open\"><div><a "),
        "{html}"
    );
}
