//! The diagnosis, the steps, the console list, the network list and the
//! environment, as text only.

use repro_manifest::{Bundle, ConsoleEntry, Finding, NetworkEntry, Step};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element};

use super::{by_id, document};
use crate::asset_notes::asset_lines;
use crate::timeline::clock;

fn element(document: &Document, tag: &str, class: &str, text: &str) -> Result<Element, JsValue> {
    let element = document.create_element(tag)?;
    if !class.is_empty() {
        element.set_class_name(class);
    }
    if !text.is_empty() {
        element.set_text_content(Some(text));
    }
    Ok(element)
}

fn append(parent: &Element, child: Element) -> Result<(), JsValue> {
    parent.append_child(&child)?;
    Ok(())
}

/// An entry's time; pre-roll entries count back from the start (`-0:12.3`).
fn entry_clock(t: u64, before_start_ms: Option<u64>) -> String {
    match before_start_ms {
        Some(before) => format!("-{}", clock(before)),
        None => clock(t),
    }
}

/// The most assets not stored that the environment names one by one.
const MAX_SKIPPED_SHOWN: usize = 20;

/// Fill the environment list.
pub fn environment(bundle: &Bundle) -> Result<(), JsValue> {
    let document = document()?;
    let list: Element = by_id("environment")?;
    let env = &bundle.environment;
    let rows = [
        (
            "Browser",
            format!("{} {}", env.browser, env.browser_version),
        ),
        ("OS", env.os.clone()),
        (
            "Viewport",
            format!(
                "{} × {} at {}×",
                env.viewport.w, env.viewport.h, env.device_pixel_ratio
            ),
        ),
        ("Language", env.language.clone()),
        ("Time zone", env.time_zone.clone()),
        ("URL", env.url.clone()),
        ("Pages", bundle.pages.len().to_string()),
        ("Duration", clock(bundle.duration_ms)),
        (
            "Extension",
            format!(
                "{} (recorder: {})",
                env.extension_version, env.recorder_build
            ),
        ),
        (
            "Masking",
            format!(
                "policy \u{201c}{}\u{201d}: masked values show as ***",
                bundle.mask_policy.name
            ),
        ),
    ];
    for (name, value) in rows {
        append(&list, element(&document, "dt", "", name)?)?;
        append(&list, element(&document, "dd", "", &value)?)?;
    }
    let gaps = repro_manifest::capture_gaps(bundle);
    if !gaps.is_empty() {
        append(&list, element(&document, "dt", "", "Not captured")?)?;
        for gap in gaps {
            append(&list, element(&document, "dd", "gap", &gap)?)?;
        }
    }
    append(&list, element(&document, "dt", "", "Page assets")?)?;
    for line in asset_lines(&bundle.assets, &bundle.skipped_assets, MAX_SKIPPED_SHOWN) {
        append(&list, element(&document, "dd", "", &line)?)?;
    }
    by_id::<Element>("title")?.set_text_content(Some(if bundle.title.is_empty() {
        "Untitled report"
    } else {
        &bundle.title
    }));
    Ok(())
}

/// Fill the list `list_id` with one item of class `class` per `(t,
/// moment, text)`, carrying `t` for seeking; `empty` when there are none.
fn timed_list(
    list_id: &str,
    class: &str,
    rows: impl Iterator<Item = (u64, String, String)>,
    empty: &str,
) -> Result<Vec<Element>, JsValue> {
    let document = document()?;
    let list: Element = by_id(list_id)?;
    let mut items = Vec::new();
    for (t, moment, text) in rows {
        let item = element(&document, "li", &format!("entry {class}"), "")?;
        item.set_attribute("data-t", &t.to_string())?;
        append(&item, element(&document, "span", "time", &moment)?)?;
        append(&item, element(&document, "span", "message", &text)?)?;
        list.append_child(&item)?;
        items.push(item);
    }
    if items.is_empty() {
        append(&list, element(&document, "li", "empty", empty)?)?;
    }
    Ok(items)
}

/// Fill the diagnosis list, most likely cause first; each finding carries
/// the moment of its evidence for seeking.
pub fn diagnosis(findings: &[Finding]) -> Result<Vec<Element>, JsValue> {
    let rows = findings.iter().map(|f| (f.t, clock(f.t), f.text.clone()));
    timed_list("diagnosis", "finding", rows, "The rules found no failure.")
}

/// Fill the steps list; each step carries its time for seeking.
pub fn steps(steps: &[Step]) -> Result<Vec<Element>, JsValue> {
    let rows = steps.iter().map(|step| {
        let moment = match step.count {
            1 => clock(step.t),
            _ => format!("{}–{}", clock(step.t), clock(step.until)),
        };
        (step.t, moment, step.line())
    });
    timed_list("steps", "step", rows, "No steps recorded.")
}

/// Fill the console list; each entry carries its time for seeking.
pub fn console(entries: &[ConsoleEntry]) -> Result<Vec<Element>, JsValue> {
    let document = document()?;
    let list: Element = by_id("console")?;
    let mut items = Vec::new();
    for entry in entries {
        let level = format!("{:?}", entry.level).to_lowercase();
        let item = element(&document, "li", &format!("entry level-{level}"), "")?;
        item.set_attribute("data-t", &entry.t.to_string())?;
        item.set_attribute("data-level", &level)?;
        let searchable = format!(
            "{} {}",
            entry.args.join(" "),
            entry.stack.as_deref().unwrap_or("")
        )
        .to_lowercase();
        item.set_attribute("data-text", &searchable)?;
        append(
            &item,
            element(
                &document,
                "span",
                "time",
                &entry_clock(entry.t, entry.before_start_ms),
            )?,
        )?;
        append(&item, element(&document, "span", "level", &level)?)?;
        append(
            &item,
            element(&document, "span", "message", &entry.args.join(" "))?,
        )?;
        if let Some(stack) = &entry.stack {
            let details = element(&document, "details", "", "")?;
            append(&details, element(&document, "summary", "", "stack")?)?;
            append(&details, element(&document, "pre", "", stack)?)?;
            item.append_child(&details)?;
        }
        list.append_child(&item)?;
        items.push(item);
    }
    if entries.is_empty() {
        append(
            &list,
            element(&document, "li", "empty", "No console entries.")?,
        )?;
    }
    Ok(items)
}

/// Fill the network list; each row carries its time for seeking and a
/// waterfall bar placed on the session's length, `session_ms`.
pub fn network(entries: &[NetworkEntry], session_ms: u64) -> Result<Vec<Element>, JsValue> {
    let document = document()?;
    let body: Element = by_id("network")?;
    let mut rows = Vec::new();
    for entry in entries {
        let failed = entry.error.is_some() || entry.status.is_none_or(|s| s >= 400);
        let row = element(
            &document,
            "tr",
            if failed { "entry failed" } else { "entry" },
            "",
        )?;
        row.set_attribute("data-t", &entry.t.to_string())?;
        row.set_attribute("data-kind", &format!("{:?}", entry.kind).to_lowercase())?;
        row.set_attribute("data-failed", if failed { "yes" } else { "no" })?;
        row.set_attribute(
            "data-text",
            &format!(
                "{} {} {}",
                entry.method,
                entry.url,
                entry.status.map(|s| s.to_string()).unwrap_or_default()
            )
            .to_lowercase(),
        )?;
        let status = match (&entry.status, &entry.error) {
            (Some(status), _) => status.to_string(),
            (None, Some(error)) => error.clone(),
            (None, None) => "pending".into(),
        };
        let duration = entry
            .duration_ms
            .map(|d| format!("{d} ms"))
            .unwrap_or_default();
        for (class, text) in [
            ("time", entry_clock(entry.t, entry.before_start_ms)),
            ("method", entry.method.clone()),
            ("url", entry.url.clone()),
            ("status", status),
            ("duration", duration),
        ] {
            append(&row, element(&document, "td", class, &text)?)?;
        }
        let bar = element(&document, "td", "waterfall", "")?;
        let span = element(&document, "span", "", "")?;
        let total = session_ms.max(1) as f64;
        let left = entry.t as f64 / total * 100.0;
        let width = entry.duration_ms.unwrap_or(0) as f64 / total * 100.0;
        span.set_attribute(
            "style",
            &format!(
                "margin-left:{left:.2}%;width:{:.2}%",
                width.min(100.0 - left)
            ),
        )?;
        span.set_attribute("title", &format!("{} ms", entry.duration_ms.unwrap_or(0)))?;
        append(&bar, span)?;
        append(&row, bar)?;
        let detail = describe_request(entry);
        let listener = Closure::<dyn FnMut()>::new(move || {
            if let Ok(pre) = by_id::<web_sys::HtmlElement>("network-detail") {
                pre.set_text_content(Some(&detail));
                pre.set_hidden(false);
            }
        });
        row.add_event_listener_with_callback("click", listener.as_ref().unchecked_ref())?;
        listener.forget();
        body.append_child(&row)?;
        rows.push(row);
    }
    Ok(rows)
}

/// A request in words: line, headers, bodies (shown as text, never as HTML).
pub fn describe_request(entry: &NetworkEntry) -> String {
    let mut out = format!("{} {}\n", entry.method, entry.url);
    match (&entry.status, &entry.error) {
        (Some(status), _) => out.push_str(&format!("Status {status}")),
        (None, Some(error)) => out.push_str(&format!("Failed: {error}")),
        (None, None) => out.push_str("No response"),
    }
    if let Some(duration) = entry.duration_ms {
        out.push_str(&format!(" after {duration} ms"));
    }
    out.push('\n');
    let section = |out: &mut String,
                   title: &str,
                   headers: &[(String, String)],
                   body: &Option<repro_manifest::Body>| {
        out.push_str(&format!("\n{title} headers\n"));
        if headers.is_empty() {
            out.push_str("  (none recorded)\n");
        }
        for (name, value) in headers {
            out.push_str(&format!("  {name}: {value}\n"));
        }
        if let Some(body) = body {
            let kind = if body.mime.is_empty() {
                String::new()
            } else {
                format!(", {}", body.mime)
            };
            let cut = if body.truncated { ", truncated" } else { "" };
            out.push_str(&format!(
                "\n{title} body ({} characters or bytes{kind}{cut})\n",
                body.size
            ));
            match &body.text {
                Some(text) => out.push_str(text),
                None => out.push_str("  (not text: size only)"),
            }
            out.push('\n');
        }
    };
    section(
        &mut out,
        "Request",
        &entry.request_headers,
        &entry.request_body,
    );
    section(
        &mut out,
        "Response",
        &entry.response_headers,
        &entry.response_body,
    );
    out
}

/// Show only the entries of `list_id` that pass the filter and contain the search text.
pub fn apply_filters(
    list_id: &str,
    attribute: &str,
    filter: &str,
    search: &str,
) -> Result<(), JsValue> {
    let items = document()?.query_selector_all(&format!("#{list_id} .entry"))?;
    let search = search.trim().to_lowercase();
    for i in 0..items.length() {
        let Some(item) = items
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        else {
            continue;
        };
        let value = |name: &str| item.get_attribute(name).unwrap_or_default();
        let passes = match (attribute, filter) {
            (_, "") => true,
            ("network", "failed") => value("data-failed") == "yes",
            ("network", kind) => value("data-kind") == kind,
            (_, level) => value("data-level") == level,
        };
        item.set_hidden(!(passes && (search.is_empty() || value("data-text").contains(&search))));
    }
    Ok(())
}
