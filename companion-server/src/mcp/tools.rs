//! The MCP tools: a report's list, summary, steps and diagnosis, console,
//! network, marks, the page at a moment, screenshots, HAR, issue and
//! Playwright test. Each answers from the stored bundle, which was masked
//! in the tester's browser: nothing here can show more than the share link
//! does. Long answers are paged (`offset`, `limit`) or cut, and say so.

use serde_json::{json, Value};

use repro_manifest::{diagnose, page_html, steps, Bundle, ConsoleLevel, NetworkKind, PageModel};

use crate::blocking::blocking;
use crate::share::stored_bundle;
use crate::team_store::{ReportQuery, REPORT_STATUSES};
use crate::{ApiError, ServerState};

/// The most entries one page of a list holds.
const MAX_LIMIT: u64 = 200;
/// The most characters of one recorded text (a console argument, a body).
const MAX_TEXT: usize = 4_000;
/// The most bytes of HTML `get_dom_at` answers.
const MAX_HTML: usize = 256 * 1024;
/// The most bytes of HAR `get_har` answers (then it names the download).
const MAX_HAR: usize = 1024 * 1024;

/// `{ "id": … }`, the schema of a tool that takes a report only.
fn report_only() -> Value {
    json!({
        "type": "object",
        "properties": { "id": { "type": "string", "description": "The report: its share link (…/r/<id>) or the id itself (32 hex digits)" } },
        "required": ["id"],
    })
}

/// A schema taking a report and paging, with `more` properties.
fn paged(more: Value) -> Value {
    let mut schema = report_only();
    let properties = schema["properties"].as_object_mut().expect("an object");
    properties.insert(
        "offset".into(),
        json!({ "type": "integer", "minimum": 0, "description": "Entries to skip (default 0)" }),
    );
    properties.insert("limit".into(), json!({ "type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "description": "Entries to return (default 50)" }));
    if let Value::Object(more) = more {
        properties.extend(more);
    }
    schema
}

/// The tools, as `tools/list` gives them.
pub fn list() -> Value {
    json!([
        {
            "name": "list_reports",
            "description": "Reports on this server, newest first: id, link, title, first page, tester, upload time, link state, status (open, in progress, fixed, won't fix).",
            "inputSchema": {
                "type": "object",
                "properties": {
                    "text": { "type": "string", "description": "Words in the title or the first page's address" },
                    "tester": { "type": "string", "description": "Words in the tester's name (their upload token's label)" },
                    "since": { "type": "string", "description": "Uploaded on or after this day (YYYY-MM-DD, UTC)" },
                    "status": { "type": "string", "enum": ["open", "in_progress", "fixed", "wont_fix"], "description": "Only reports with this status" },
                    "limit": { "type": "integer", "minimum": 1, "maximum": 100, "description": "How many (default 20)" },
                },
            },
        },
        { "name": "get_report", "description": "A report's summary: title, link, environment, pages, the steps the tester took, the diagnosis (what probably went wrong, with evidence), marks, and how many console entries and requests it holds.", "inputSchema": report_only() },
        { "name": "get_console", "description": "A report's console entries in time order (ms from the recording's start), with stacks; filter by level and text; paged.", "inputSchema": paged(json!({
            "level": { "type": "string", "enum": ["error", "warn", "info", "log", "debug"], "description": "Only this level" },
            "text": { "type": "string", "description": "Only entries containing this text (any case)" },
        })) },
        { "name": "get_network", "description": "A report's requests in time order: method, URL, status or error, duration, headers and bodies (masked, cut); filter failed ones, by kind or text; paged.", "inputSchema": paged(json!({
            "failed_only": { "type": "boolean", "description": "Only requests that failed (4xx, 5xx, network error)" },
            "kind": { "type": "string", "enum": ["fetch", "xhr", "beacon", "websocket", "resource"], "description": "Only this kind" },
            "text": { "type": "string", "description": "Only requests whose URL contains this text (any case)" },
        })) },
        { "name": "get_marks", "description": "The tester's marks: comment, kind, severity, the element's selector, text, HTML and styles, and screenshot indexes (for get_screenshot).", "inputSchema": report_only() },
        { "name": "get_dom_at", "description": "The page as HTML at a moment of the recording (masked as recorded; scripts empty).", "inputSchema": {
            "type": "object",
            "properties": {
                "id": { "type": "string", "description": "The report: its share link or id" },
                "time": { "type": "number", "minimum": 0, "description": "Seconds from the recording's start" },
            },
            "required": ["id", "time"],
        } },
        { "name": "get_screenshot", "description": "A screenshot of the report (masked regions blacked out in the pixels), as an image.", "inputSchema": {
            "type": "object",
            "properties": {
                "id": { "type": "string", "description": "The report: its share link or id" },
                "index": { "type": "integer", "minimum": 0, "description": "The screenshot's index (from get_marks; default 0)" },
            },
            "required": ["id"],
        } },
        { "name": "get_har", "description": "The report's network log as HAR 1.2 (JSON).", "inputSchema": report_only() },
        { "name": "get_issue", "description": "The report as a Markdown issue: steps to reproduce, expected and actual, diagnosis, failed requests, console errors, environment.", "inputSchema": report_only() },
        { "name": "get_playwright_test", "description": "A Playwright test that does again what the tester did and fails while the recorded failure happens (failed request, console error); it passes once the bug is fixed.", "inputSchema": report_only() },
    ])
}

/// A tool's answer as text.
fn text(text: String) -> Value {
    json!({ "content": [{ "type": "text", "text": text }] })
}

/// A tool's answer as JSON (as text, pretty).
fn data(value: &Value) -> Value {
    text(serde_json::to_string_pretty(value).unwrap_or_default())
}

/// A tool's refusal, in words.
fn refusal(message: String) -> Value {
    json!({ "content": [{ "type": "text", "text": message }], "isError": true })
}

/// The report id in `text`: the id itself or a share link ending in it.
fn report_id(arguments: &Value) -> Result<String, String> {
    let given = arguments
        .get("id")
        .and_then(Value::as_str)
        .ok_or("`id` is needed: the report's share link or its id")?;
    let id = given
        .trim()
        .trim_end_matches('/')
        .rsplit("/r/")
        .next()
        .unwrap_or_default()
        .split(['/', '#', '?'])
        .next()
        .unwrap_or_default();
    if repro_manifest::is_valid_bundle_id(id) {
        Ok(id.to_string())
    } else {
        Err(format!(
            "`{}` is not a report: give its share link (…/r/<id>) or its 32-digit id",
            given.chars().take(80).collect::<String>()
        ))
    }
}

/// A report's share id and bundle, or why not, in words. (The share id
/// is the server's, not the bundle's own id.)
async fn bundle_of(state: &ServerState, arguments: &Value) -> Result<(String, Bundle), String> {
    let id = report_id(arguments)?;
    let bundle = stored_bundle(state, &id).await.map_err(|e| match e {
        ApiError::NotFound => format!("there is no report {id} on this server"),
        ApiError::Gone => format!("report {id} was revoked by its owner"),
        ApiError::Expired(at) => format!(
            "the link of report {id} expired on {} (UTC)",
            crate::dates::utc_minute(at)
        ),
        other => format!("report {id} could not be read ({})", other.reason()),
    })?;
    Ok((id, bundle))
}

/// `text` cut to [`MAX_TEXT`] characters, saying so.
fn cut(text: &str) -> String {
    match text.char_indices().nth(MAX_TEXT) {
        Some((end, _)) => format!(
            "{}… [cut: {} characters in all]",
            &text[..end],
            text.chars().count()
        ),
        None => text.to_string(),
    }
}

/// The page of `items` asked by `offset` and `limit`, with a note saying
/// what is left.
fn page_of(items: Vec<Value>, arguments: &Value, what: &str) -> Value {
    let total = items.len();
    let offset = arguments.get("offset").and_then(Value::as_u64).unwrap_or(0) as usize;
    let limit = arguments
        .get("limit")
        .and_then(Value::as_u64)
        .unwrap_or(50)
        .clamp(1, MAX_LIMIT) as usize;
    let shown: Vec<Value> = items.into_iter().skip(offset).take(limit).collect();
    let end = offset + shown.len();
    let note = if end < total {
        format!(
            "{what} {}–{end} of {total} shown; {} more: call again with offset {end}",
            offset + 1,
            total - end
        )
    } else {
        format!("all {total} {what} shown (from offset {offset})")
    };
    json!({ "total": total, "offset": offset, "returned": shown.len(), "note": note, what: shown })
}

/// Call tool `name`: `None` when there is no such tool.
pub async fn call(state: &ServerState, base: &str, name: &str, arguments: &Value) -> Option<Value> {
    let link = |id: &str| format!("{base}/r/{id}");
    let outcome: Result<Value, String> = match name {
        "list_reports" => list_reports(state, base, arguments).await,
        "get_report" => bundle_of(state, arguments)
            .await
            .map(|(id, b)| data(&summary(&id, &b, &link(&id)))),
        "get_console" => bundle_of(state, arguments)
            .await
            .map(|(_, b)| data(&console(&b, arguments))),
        "get_network" => bundle_of(state, arguments)
            .await
            .map(|(_, b)| data(&network(&b, arguments))),
        "get_marks" => bundle_of(state, arguments).await.map(|(_, b)| {
            let marks: Vec<Value> = b
                .marks
                .iter()
                .map(|m| {
                    let mut value = serde_json::to_value(m).unwrap_or_default();
                    value["html"] = cut(&m.html).into();
                    value
                })
                .collect();
            data(&json!({ "marks": marks }))
        }),
        "get_dom_at" => match bundle_of(state, arguments).await {
            Ok((_, b)) => dom_at(&b, arguments),
            Err(e) => Err(e),
        },
        "get_screenshot" => match bundle_of(state, arguments).await {
            Ok((_, b)) => screenshot(&b, arguments),
            Err(e) => Err(e),
        },
        "get_har" => bundle_of(state, arguments).await.map(|(id, b)| {
            let har = crate::exports::har(&b).to_string();
            if har.len() > MAX_HAR {
                text(format!(
                    "The HAR is {} bytes, more than this tool answers ({MAX_HAR}); download it from {}/har, or page through get_network.",
                    har.len(),
                    link(&id)
                ))
            } else {
                text(har)
            }
        }),
        "get_issue" => bundle_of(state, arguments)
            .await
            .map(|(id, b)| text(crate::issue_markdown::issue_markdown(&b, &link(&id)))),
        "get_playwright_test" => bundle_of(state, arguments)
            .await
            .map(|(id, b)| text(crate::playwright_spec::playwright_spec(&b, &link(&id)))),
        _ => return None,
    };
    Some(outcome.unwrap_or_else(refusal))
}

async fn list_reports(state: &ServerState, base: &str, arguments: &Value) -> Result<Value, String> {
    let word = |name: &str| {
        arguments
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .chars()
            .take(200)
            .collect::<String>()
    };
    let since = match arguments.get("since").and_then(Value::as_str) {
        Some(day) => Some(crate::dates::parse_day(day.trim()).ok_or_else(|| {
            format!(
                "`since` takes a day as YYYY-MM-DD, not `{}`",
                day.chars().take(40).collect::<String>()
            )
        })?),
        None => None,
    };
    let query = ReportQuery {
        text: word("text"),
        tester: word("tester"),
        from: since,
        until: None,
        status: Some(word("status"))
            .filter(|s| REPORT_STATUSES.iter().any(|(value, _)| value == s))
            .unwrap_or_default(),
    };
    let limit = arguments
        .get("limit")
        .and_then(Value::as_u64)
        .unwrap_or(20)
        .clamp(1, 100) as u32;
    let store = state.store.clone();
    let rows = blocking(move || store.find_reports(&query, limit, 0))
        .await
        .map_err(|e| e.reason().to_string())?
        .map_err(|e| ApiError::from(e).reason().to_string())?;
    let now = crate::store::now_ms();
    let reports: Vec<Value> = rows
        .iter()
        .map(|row| {
            let state = if row.revoked {
                "revoked".to_string()
            } else {
                match row.expires_at {
                    Some(at) if at <= now => "expired".into(),
                    _ => "live".into(),
                }
            };
            json!({
                "id": row.id,
                "link": format!("{base}/r/{}", row.id),
                "title": row.title,
                "url": row.url,
                "tester": row.tester,
                "uploaded": crate::dates::utc_millis(row.created_at),
                "state": state,
                "status": row.status,
            })
        })
        .collect();
    Ok(data(
        &json!({ "returned": reports.len(), "reports": reports }),
    ))
}

fn summary(id: &str, bundle: &Bundle, link: &str) -> Value {
    let steps: Vec<Value> = steps(bundle)
        .iter()
        .take(MAX_LIMIT as usize)
        .map(|s| json!({ "t_ms": s.t, "page": s.page, "step": s.line() }))
        .collect();
    let findings: Vec<Value> = diagnose(bundle)
        .iter()
        .map(|f| json!({ "t_ms": f.t, "finding": f.text }))
        .collect();
    json!({
        "id": id,
        "link": link,
        "title": bundle.title,
        "recorded": crate::dates::utc_millis(bundle.started_at as i64),
        "duration_ms": bundle.duration_ms,
        "environment": bundle.environment,
        "pages": bundle.pages,
        "steps": steps,
        "diagnosis": findings,
        "marks": bundle.marks.iter().map(|m| json!({ "t_ms": m.t, "comment": m.comment, "kind": m.kind, "severity": m.severity, "selector": m.selector })).collect::<Vec<_>>(),
        "console_entries": bundle.console.len(),
        "console_errors": bundle.console.iter().filter(|e| e.level == ConsoleLevel::Error).count(),
        "requests": bundle.network.len(),
        "failed_requests": bundle.network.iter().filter(|r| r.status.is_some_and(|s| s >= 400) || r.error.is_some()).count(),
        "capture_gaps": repro_manifest::capture_gaps(bundle),
        "more": "get_console, get_network, get_marks, get_dom_at (the page at a moment), get_screenshot, get_issue, get_playwright_test",
    })
}

fn console(bundle: &Bundle, arguments: &Value) -> Value {
    let level = arguments.get("level").and_then(Value::as_str);
    let needle = arguments
        .get("text")
        .and_then(Value::as_str)
        .map(str::to_lowercase);
    let entries: Vec<Value> = bundle
        .console
        .iter()
        .filter(|e| level.is_none_or(|l| format!("{:?}", e.level).eq_ignore_ascii_case(l)))
        .filter(|e| {
            needle
                .as_deref()
                .is_none_or(|n| e.args.join(" ").to_lowercase().contains(n))
        })
        .map(|e| {
            json!({
                "t_ms": e.t,
                "before_start_ms": e.before_start_ms,
                "level": format!("{:?}", e.level).to_lowercase(),
                "source": format!("{:?}", e.source).to_lowercase(),
                "message": cut(&e.args.join(" ")),
                "stack": e.stack.as_deref().map(cut),
            })
        })
        .collect();
    page_of(entries, arguments, "entries")
}

fn network(bundle: &Bundle, arguments: &Value) -> Value {
    let failed_only = arguments
        .get("failed_only")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let kind = arguments.get("kind").and_then(Value::as_str);
    let needle = arguments
        .get("text")
        .and_then(Value::as_str)
        .map(str::to_lowercase);
    let body = |b: &Option<repro_manifest::Body>| {
        b.as_ref()
            .map(|b| json!({ "mime": b.mime, "size": b.size, "text": b.text.as_deref().map(cut) }))
    };
    let requests: Vec<Value> = bundle
        .network
        .iter()
        .filter(|r| !failed_only || r.status.is_some_and(|s| s >= 400) || r.error.is_some())
        .filter(|r| kind.is_none_or(|k| format!("{:?}", r.kind).eq_ignore_ascii_case(k)))
        .filter(|r| {
            needle
                .as_deref()
                .is_none_or(|n| r.url.to_lowercase().contains(n))
        })
        .map(|r| {
            json!({
                "t_ms": r.t,
                "kind": format!("{:?}", r.kind).to_lowercase(),
                "method": r.method,
                "url": cut(&r.url),
                "status": r.status,
                "error": r.error,
                "duration_ms": r.duration_ms,
                "request_headers": r.request_headers,
                "response_headers": r.response_headers,
                "request_body": body(&r.request_body),
                "response_body": body(&r.response_body),
                "page_resource": r.kind == NetworkKind::Resource,
            })
        })
        .collect();
    page_of(requests, arguments, "requests")
}

fn dom_at(bundle: &Bundle, arguments: &Value) -> Result<Value, String> {
    let seconds = arguments
        .get("time")
        .and_then(Value::as_f64)
        .filter(|s| s.is_finite() && *s >= 0.0)
        .ok_or("`time` is needed: seconds from the recording's start (0 or more)")?;
    let t = (seconds * 1000.0).min(u64::MAX as f64 / 2.0) as u64;
    let page = bundle.pages.iter().rposition(|p| p.t <= t).unwrap_or(0) as u32;
    // Before the page's first snapshot (the recorder takes a moment to
    // walk it), the page as that snapshot shows it.
    let first_snapshot =
        bundle.events.iter().find_map(|e| match e {
            repro_manifest::EventRecord::Known(
                event @ repro_manifest::DomEvent::Snapshot { .. },
            ) if event.page() == page => Some(event.t()),
            _ => None,
        });
    let at = match first_snapshot {
        Some(first) if first > t => first,
        Some(_) => t,
        None => {
            return Err(format!(
                "the recording holds no snapshot of the page shown at {seconds} s"
            ))
        }
    };
    let model = PageModel::at(bundle, page, at).ok_or_else(|| {
        format!("the recording holds no snapshot of the page shown at {seconds} s")
    })?;
    let url = bundle
        .pages
        .get(page as usize)
        .map_or("", |p| p.url.as_str());
    let when = if at == t {
        format!("at {seconds} s")
    } else {
        format!(
            "at {:.3} s, its first snapshot (none before)",
            at as f64 / 1000.0
        )
    };
    Ok(text(format!(
        "<!-- Page {} ({url}) {when}, as recorded (masked; scripts empty) -->\n{}",
        page + 1,
        page_html(&model, MAX_HTML)
    )))
}

fn screenshot(bundle: &Bundle, arguments: &Value) -> Result<Value, String> {
    let index = arguments.get("index").and_then(Value::as_u64).unwrap_or(0) as usize;
    let shot = bundle.screenshots.get(index).ok_or_else(|| {
        format!(
            "the report has {} screenshots; there is none at index {index}",
            bundle.screenshots.len()
        )
    })?;
    if !matches!(shot.mime.as_str(), "image/png" | "image/jpeg") {
        return Err("this screenshot is not an image this server serves".into());
    }
    Ok(json!({ "content": [{ "type": "image", "data": shot.data, "mimeType": shot.mime }] }))
}
