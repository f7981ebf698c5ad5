//! The walk, natively: HTML fixtures read into the in-memory DOM, walked
//! into records exactly as the recorder walks a page, and the records
//! checked (ids, parents, masking, what is dropped). The browser tests run
//! the same walk over the real DOM; these run in milliseconds.

use repro_manifest::{MaskPolicy, NodeData, NodeRecord};
use repro_recorder::core::mark_html::render;
use repro_recorder::core::native_dom::{self, NativeDom};
use repro_recorder::core::page_dom::PageDom;
use repro_recorder::core::walk::{NodeSerializer, Walk};

fn fixture(name: &str) -> NativeDom {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let html = std::fs::read_to_string(&path).expect("the fixture is there");
    NativeDom::parse(&html).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Walk the whole document in one go, as a snapshot that is not interrupted.
fn snapshot(dom: NativeDom, policy: MaskPolicy) -> (Vec<NodeRecord>, NodeSerializer<NativeDom>) {
    let mut serializer = native_dom::serializer(dom, policy);
    let document = serializer.dom().document();
    let records = serializer.subtree_records(&document, 0, None, false);
    (records, serializer)
}

fn element<'a>(records: &'a [NodeRecord], id_attribute: &str) -> &'a NodeRecord {
    records
        .iter()
        .find(|r| match &r.data {
            NodeData::Element { attrs, .. } => {
                attrs.iter().any(|(n, v)| n == "id" && v == id_attribute)
            }
            _ => false,
        })
        .unwrap_or_else(|| panic!("no element #{id_attribute}"))
}

fn attr<'a>(record: &'a NodeRecord, name: &str) -> Option<&'a str> {
    match &record.data {
        NodeData::Element { attrs, .. } => attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str()),
        _ => None,
    }
}

/// The records of `root`'s subtree (records come in document order, a
/// parent before its children).
fn subtree(records: &[NodeRecord], root: u32) -> Vec<NodeRecord> {
    let mut inside = std::collections::HashSet::from([root]);
    let mut out = Vec::new();
    for record in records {
        if record.id == root || inside.contains(&record.parent) {
            inside.insert(record.id);
            out.push(record.clone());
        }
    }
    out
}

fn texts(records: &[NodeRecord]) -> Vec<&str> {
    records
        .iter()
        .filter_map(|r| match &r.data {
            NodeData::Text { text } => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

#[test]
fn ids_are_dense_in_document_order_and_parents_precede_children() {
    let (records, _) = snapshot(fixture("form_privacy.html"), MaskPolicy::default());
    for (index, record) in records.iter().enumerate() {
        assert_eq!(record.id, index as u32 + 1, "ids follow document order");
        assert!(
            record.parent < record.id,
            "a parent is recorded before its child"
        );
    }
    assert!(matches!(records[0].data, NodeData::Document));
    assert!(matches!(&records[1].data, NodeData::Doctype { name } if name == "html"));
}

#[test]
fn form_values_are_masked_as_the_policy_says_and_secrets_always() {
    let mut dom = fixture("form_privacy.html");
    let name = dom.by_id("name").expect("#name");
    dom.set_value(name, "Ada Lovelace");
    let (records, _) = snapshot(dom, MaskPolicy::default());
    assert_eq!(
        attr(element(&records, "name"), "value"),
        Some("************"),
        "the current value, not the markup's, one star per character"
    );
    assert_eq!(
        attr(element(&records, "password"), "value"),
        Some("*******************")
    );
    assert_eq!(attr(element(&records, "card"), "value"), Some(""));
    assert_eq!(
        attr(element(&records, "city"), "value"),
        Some("Paris"),
        "data-repro-unmask records the value"
    );
    assert_eq!(attr(element(&records, "agree"), "checked"), Some(""));
    assert_eq!(attr(element(&records, "size"), "value"), Some("*"));
    let everything = format!("{records:?}");
    for secret in [
        "hunter2-Sup3rSecret",
        "hidden-csrf-Zq8Rt5Wn",
        "prefilled note",
        "Editable text",
        "Masked by the site",
        "Blocked by the site",
        "grace.hopper@navy.example",
        "script body",
        "steal()",
        "javascript:",
        "alert(1)",
    ] {
        assert!(!everything.contains(secret), "{secret} reached the records");
    }
}

#[test]
fn unmasked_inputs_record_values_except_secrets() {
    let policy = MaskPolicy {
        mask_all_inputs: false,
        ..MaskPolicy::default()
    };
    let (records, _) = snapshot(fixture("form_privacy.html"), policy);
    assert_eq!(attr(element(&records, "name"), "value"), Some("Ada"));
    assert_eq!(
        attr(element(&records, "password"), "value"),
        Some("*******************"),
        "passwords are masked whatever the policy says"
    );
    assert!(
        texts(&records).contains(&"prefilled note"),
        "a textarea's text is kept when inputs are not masked"
    );
}

#[test]
fn blocked_elements_become_placeholders_of_their_size_with_nothing_inside() {
    let mut dom = fixture("form_privacy.html");
    let blocked = dom.by_id("blocked").expect("#blocked");
    dom.set_size(blocked, 320.4, 48.6);
    let (records, _) = snapshot(dom, MaskPolicy::default());
    let placeholder = records
        .iter()
        .find(|r| attr(r, "data-repro-blocked").is_some())
        .expect("a placeholder");
    assert_eq!(
        attr(placeholder, "style"),
        Some("width:320px;height:49px;background:#d0d0d0;display:inline-block")
    );
    assert!(
        records.iter().all(|r| r.parent != placeholder.id),
        "nothing of a blocked element's inside"
    );
}

#[test]
fn scripts_handlers_and_script_urls_are_dropped_and_the_rest_renders() {
    let (records, _) = snapshot(fixture("form_privacy.html"), MaskPolicy::default());
    let body = records
        .iter()
        .find(|r| matches!(&r.data, NodeData::Element { tag, .. } if tag == "p"))
        .expect("the paragraph of links");
    assert_eq!(
        render(&subtree(&records, body.id), 10_000),
        r#"<p><a>a link</a> <a href="/next">next</a></p>"#
    );
    let frame = records
        .iter()
        .find(|r| matches!(&r.data, NodeData::Element { tag, .. } if tag == "iframe"))
        .expect("the iframe");
    assert_eq!(attr(frame, "srcdoc"), None);
    assert_eq!(attr(frame, "src"), Some("/frame.html"));
    let script = records
        .iter()
        .find(|r| matches!(&r.data, NodeData::Element { tag, .. } if tag == "script"))
        .expect("the script element stays, as a placeholder");
    assert!(records.iter().all(|r| r.parent != script.id));
}

#[test]
fn text_keeps_whitespace_and_personal_data_is_masked_in_free_text() {
    let (records, _) = snapshot(fixture("form_privacy.html"), MaskPolicy::default());
    let title = element(&records, "title");
    let heading: Vec<&str> = records
        .iter()
        .filter(|r| r.parent == title.id)
        .filter_map(|r| match &r.data {
            NodeData::Text { text } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(heading.len(), 1);
    assert!(heading[0].starts_with("Account of "));
    assert!(!heading[0].contains('@'), "{}", heading[0]);
    assert!(
        texts(&records).contains(&"****** ** *** ****"),
        "masked text keeps its length: {:?}",
        texts(&records)
    );
}

#[test]
fn a_same_origin_stylesheet_is_inlined_masked() {
    let mut dom = fixture("form_privacy.html");
    let link = dom
        .descendants(dom.document())
        .find(|n| dom.element_name(n).0 == "link")
        .expect("the link");
    dom.set_stylesheet(
        link,
        "h1 { color: rgb(20, 90, 160); }\n.x::after { content: \"ada@example.com\"; }\n",
    );
    let (records, _) = snapshot(dom, MaskPolicy::default());
    let link = records
        .iter()
        .find(|r| matches!(&r.data, NodeData::Element { tag, .. } if tag == "link"))
        .expect("the link");
    let css = attr(link, repro_manifest::INLINED_CSS_ATTRIBUTE).expect("inlined");
    assert!(css.contains("rgb(20, 90, 160)"));
    assert!(!css.contains("ada@example.com"));
}

#[test]
fn a_copied_stylesheets_relative_urls_point_where_the_stylesheet_meant() {
    let html = r#"<html><head><link rel="stylesheet" href="https://cdn.test/css/site.css"></head><body></body></html>"#;
    let mut dom = NativeDom::parse(html).unwrap();
    let link = dom
        .descendants(dom.document())
        .find(|n| dom.element_name(n).0 == "link")
        .expect("the link");
    dom.set_stylesheet(
        link,
        ".i { background: url(\"../img/icon.svg\"); }\n@font-face { src: url(fonts/a.woff2); }\n",
    );
    let (records, _) = snapshot(dom, MaskPolicy::default());
    let link = records
        .iter()
        .find(|r| matches!(&r.data, NodeData::Element { tag, .. } if tag == "link"))
        .expect("the link");
    let css = attr(link, repro_manifest::INLINED_CSS_ATTRIBUTE).expect("inlined");
    assert!(
        css.contains(r#"url("https://cdn.test/img/icon.svg")"#),
        "{css}"
    );
    assert!(
        css.contains(r#"url("https://cdn.test/css/fonts/a.woff2")"#),
        "{css}"
    );
}

#[test]
fn svg_elements_keep_their_names_and_namespace() {
    let (records, _) = snapshot(fixture("svg_and_text.html"), MaskPolicy::default());
    let elements: Vec<(&str, bool)> = records
        .iter()
        .filter_map(|r| match &r.data {
            NodeData::Element { tag, svg, .. } => Some((tag.as_str(), *svg)),
            _ => None,
        })
        .collect();
    assert_eq!(
        elements,
        [
            ("html", false),
            ("body", false),
            ("svg", true),
            ("defs", true),
            ("linearGradient", true),
            ("circle", true),
            ("foreignObject", true),
            ("p", false),
            ("pre", false)
        ]
    );
    assert!(texts(&records).contains(&"  two\n  lines  "));
}

#[test]
fn a_mask_selector_that_does_not_parse_masks_every_text() {
    let policy = MaskPolicy {
        mask_selector: "div[".into(),
        ..MaskPolicy::default()
    };
    let (records, _) = snapshot(fixture("svg_and_text.html"), policy);
    for text in texts(&records) {
        assert!(
            text.chars().all(|c| c == '*' || c.is_whitespace()),
            "{text:?} is not masked"
        );
    }
}

#[test]
fn a_page_nested_twenty_thousand_deep_is_walked_without_recursion() {
    let mut html = String::from("<html><body>");
    html.push_str(&"<div>".repeat(20_000));
    html.push_str("deep");
    html.push_str(&"</div>".repeat(20_000));
    html.push_str("</body></html>");
    let dom = NativeDom::parse(&html).expect("parses");
    let (records, _) = snapshot(dom, MaskPolicy::default());
    assert_eq!(records.len(), 1 + 2 + 20_000 + 1);
    assert_eq!(texts(&records), ["deep"]);
}

/// A page with a list of `n` items.
fn long_list(n: usize) -> NativeDom {
    let items: String = (0..n)
        .map(|i| format!("<li id=\"i{i}\">{i}</li>"))
        .collect();
    NativeDom::parse(&format!(
        "<html><body><ul id=\"list\">{items}</ul></body></html>"
    ))
    .expect("parses")
}

#[test]
fn a_walk_paused_while_the_page_changes_records_each_node_once_where_it_is() {
    let dom = long_list(1000);
    let mut serializer = native_dom::serializer(dom, MaskPolicy::default());
    let document = serializer.dom().document();
    let mut walk: Walk<NativeDom> = Walk::new(&document, 0, None, false);
    assert!(
        !serializer.walk_until(&mut walk, &mut || true),
        "one batch is not the whole page"
    );
    let mut records = std::mem::take(&mut walk.records);
    let walked = records.len();

    // The page's scripts run between two slices: the last item moves to the
    // front (behind the walk), and a new item is appended.
    let (list, first, last) = {
        let dom = serializer.dom();
        let list = dom.by_id("list").expect("#list");
        (
            list,
            dom.by_id("i0").expect("#i0"),
            dom.by_id("i999").expect("#i999"),
        )
    };
    let dom = serializer.dom_mut();
    dom.insert_before(list, last, first);
    let added = dom.create_element("li", false);
    let added_text = dom.create_text("added while paused");
    dom.append(added, added_text);
    dom.append(list, added);
    // The browser lists both in its mutation records: the moved item as
    // removed and added, the new one as added.
    walk.page_changed(serializer.dom(), [last, added]);
    assert!(serializer.walk_until(&mut walk, &mut || false));
    records.append(&mut walk.records);

    let ids: std::collections::HashSet<u32> = records.iter().map(|r| r.id).collect();
    assert_eq!(ids.len(), records.len(), "no node recorded twice");
    assert!(
        !texts(&records).contains(&"added while paused"),
        "a node added meanwhile is left to the mutation that added it"
    );
    let items: Vec<&NodeRecord> = records
        .iter()
        .filter(|r| matches!(&r.data, NodeData::Element { tag, .. } if tag == "li"))
        .collect();
    assert_eq!(
        items.len(),
        999,
        "every item the page did not move or add meanwhile ({walked} records before the pause)"
    );
    assert!(
        items.iter().all(|r| attr(r, "id") != Some("i999")),
        "the item moved behind the walk is left to the records of the move"
    );
}

#[test]
fn markup_values_are_kept_and_control_values_masked() {
    let html = r#"<html><head></head><body><select id="s"><option value="fr">France</option></select><progress id="p" value="40" max="100"></progress><input id="i" value="typed by the page"></body></html>"#;
    let (records, _) = snapshot(NativeDom::parse(html).unwrap(), MaskPolicy::default());
    let option = records
        .iter()
        .find(|r| matches!(&r.data, NodeData::Element { tag, .. } if tag == "option"))
        .expect("the option");
    assert_eq!(
        attr(option, "value"),
        Some("fr"),
        "an option's value is markup"
    );
    assert_eq!(
        attr(element(&records, "p"), "value"),
        Some("40"),
        "so is a progress bar's"
    );
    assert_ne!(
        attr(element(&records, "i"), "value"),
        Some("typed by the page"),
        "an input's value is its current value, masked"
    );
}

/// An image in a masked region (or masked itself) is recorded without its
/// address, so the report neither names nor stores it; "mask all text"
/// masks text, not images, except a masked region's.
#[test]
fn images_in_masked_regions_are_recorded_without_their_address() {
    let html = "<html><head></head><body>\
        <img id=\"shown\" src=\"/logo.png\" srcset=\"/logo.png 1x, /logo2.png 2x\">\
        <div data-repro-mask><img id=\"inside\" src=\"/id-card.png\">\
        <div id=\"styled\" style=\"background: url('/face.jpg'); color: red\">x</div></div>\
        <img id=\"itself\" data-repro-mask src=\"/signature.png\">\
        </body></html>";
    for mask_all_text in [false, true] {
        let dom = NativeDom::parse(html).unwrap_or_else(|e| panic!("{e}"));
        let policy = MaskPolicy {
            mask_all_text,
            ..MaskPolicy::default()
        };
        let (records, mut serializer) = snapshot(dom, policy);
        // Changed later: the same.
        for (id, src) in [("inside", "/passport.png"), ("shown", "/logo-dark.png")] {
            let node = serializer
                .dom()
                .by_id(id)
                .unwrap_or_else(|| panic!("#{id}"));
            serializer.dom_mut().set_attribute(node, "src", src);
        }
        let changed = match native_dom::mutation_event(&mut serializer, 1, 0) {
            Some(repro_manifest::DomEvent::Mutation { attrs, .. }) => attrs,
            other => panic!("a mutation: {other:?}"),
        };
        let values: Vec<_> = changed.iter().filter_map(|c| c.value.as_deref()).collect();
        assert_eq!(
            values,
            vec!["", "/logo-dark.png"],
            "mask all text: {mask_all_text}"
        );
        let shown = element(&records, "shown");
        assert_eq!(
            attr(shown, "src"),
            Some("/logo.png"),
            "mask all text: {mask_all_text}"
        );
        assert_eq!(attr(shown, "srcset"), Some("/logo.png 1x, /logo2.png 2x"));
        assert_eq!(attr(element(&records, "inside"), "src"), Some(""));
        assert_eq!(attr(element(&records, "itself"), "src"), Some(""));
        let style = attr(element(&records, "styled"), "style").unwrap_or_default();
        assert!(
            !style.contains("face.jpg") && style.contains("color: red"),
            "{style}"
        );
    }
}

/// The pixels of canvases and videos are recorded, except in a masked or
/// blocked region (or masked itself), added later or not.
#[test]
fn canvases_and_videos_in_hidden_regions_give_no_pixels() {
    let html = "<html><head></head><body>\
        <canvas id=\"chart\"></canvas><video id=\"film\"></video>\
        <div data-repro-mask><canvas id=\"signature\"></canvas><video id=\"call\"></video></div>\
        <canvas id=\"itself\" data-repro-mask></canvas>\
        <div data-repro-block><canvas id=\"blocked\"></canvas></div>\
        </body></html>";
    let dom = NativeDom::parse(html).unwrap_or_else(|e| panic!("{e}"));
    let (_, mut serializer) = snapshot(dom, MaskPolicy::default());
    let ids_of = |serializer: &NodeSerializer<NativeDom>| -> Vec<String> {
        let dom = serializer.dom();
        dom.pixel_sources()
            .iter()
            .map(|node| dom.attribute(node, "id").unwrap_or_default())
            .collect()
    };
    assert_eq!(ids_of(&serializer), vec!["chart", "film"]);
    let body = serializer
        .dom()
        .by_id("chart")
        .and_then(|c| serializer.dom().parent(&c));
    let masked = serializer
        .dom()
        .by_id("signature")
        .and_then(|c| serializer.dom().parent(&c));
    for (parent, id) in [(body, "later"), (masked, "masked-later")] {
        let parent = parent.unwrap_or_else(|| panic!("a parent for #{id}"));
        let dom = serializer.dom_mut();
        let canvas = dom.create_element("canvas", false);
        dom.set_attribute(canvas, "id", id);
        dom.append(parent, canvas);
    }
    native_dom::mutation_event(&mut serializer, 1, 0);
    assert_eq!(ids_of(&serializer), vec!["chart", "film", "later"]);
}

/// What a person calls a control, for the steps: a button's text (a click
/// on its icon names the button), a field's label, an `aria-label`, an
/// input button's value, a placeholder; masked as the recording masks.
#[test]
fn controls_are_named_the_way_a_person_names_them_and_masked_alike() {
    use repro_recorder::core::labels::{acted_on, label_of};
    let html = "<html><head></head><body>\
        <button id=\"save\"><i id=\"icon\" aria-hidden=\"true\">*</i> Save   changes</button>\
        <button id=\"next\"><b id=\"arrow\">→</b> Next</button>\
        <label>Display name <input id=\"name\" value=\"typed\"></label>\
        <a id=\"help\" aria-label=\"Open help\" href=\"/h\">?</a>\
        <input id=\"go\" type=\"submit\" value=\"Send\">\
        <input id=\"q\" placeholder=\"Search orders\">\
        <div data-repro-mask><button id=\"secret\">Pay grace@example.com</button></div>\
        <p id=\"plain\">Contact ada@example.com</p>\
        </body></html>";
    let dom = NativeDom::parse(html).unwrap_or_else(|e| panic!("{e}"));
    let (_, serializer) = snapshot(dom, MaskPolicy::default());
    let label = |id: &str| {
        let node = serializer
            .dom()
            .by_id(id)
            .unwrap_or_else(|| panic!("#{id}"));
        label_of(&serializer, &acted_on(serializer.dom(), &node))
    };
    assert_eq!(
        label("icon"),
        "Save changes",
        "a click on the icon names its button, the icon aside"
    );
    assert_eq!(
        label("arrow"),
        "→ Next",
        "a shown symbol is part of the name"
    );
    assert_eq!(label("name"), "Display name", "a field inside its label");
    assert_eq!(label("help"), "Open help");
    assert_eq!(label("go"), "Send");
    assert_eq!(label("q"), "Search orders");
    assert_eq!(
        label("secret"),
        "*** *****************",
        "masked region: stars"
    );
    assert!(
        !label("plain").contains("ada@example.com"),
        "{}",
        label("plain")
    );
}
