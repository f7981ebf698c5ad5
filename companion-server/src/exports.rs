//! Exports of a report for other tools: the network log as HAR 1.2 (which
//! Chrome DevTools' network panel imports) and the console as plain text.

use repro_manifest::{Body, Bundle, ConsoleSource, NetworkEntry};
use serde_json::{json, Value};

/// `2026-11-27T22:44:18.123Z` for Unix milliseconds.
pub fn iso8601(unix_ms: i64) -> String {
    let days = unix_ms.div_euclid(86_400_000);
    let ms_of_day = unix_ms.rem_euclid(86_400_000);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let (h, m, s, ms) = (
        ms_of_day / 3_600_000,
        ms_of_day / 60_000 % 60,
        ms_of_day / 1000 % 60,
        ms_of_day % 1000,
    );
    format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}.{ms:03}Z")
}

fn pairs(list: &[(String, String)]) -> Value {
    Value::Array(
        list.iter()
            .map(|(name, value)| json!({ "name": name, "value": value }))
            .collect(),
    )
}

fn query_string(url: &str) -> Value {
    let query = url
        .split('#')
        .next()
        .unwrap_or("")
        .split_once('?')
        .map(|(_, q)| q)
        .unwrap_or("");
    Value::Array(
        query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                json!({ "name": name, "value": value })
            })
            .collect(),
    )
}

fn mime_of(headers: &[(String, String)], body: &Option<Body>) -> String {
    body.as_ref()
        .map(|b| b.mime.clone())
        .filter(|m| !m.is_empty())
        .or_else(|| {
            headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case("content-type"))
                .map(|(_, v)| v.clone())
        })
        .unwrap_or_else(|| "x-unknown".into())
}

fn entry(bundle: &Bundle, e: &NetworkEntry) -> Value {
    let started = bundle.started_at as i64 + e.t as i64 - e.before_start_ms.unwrap_or(0) as i64;
    let time = e.duration_ms.unwrap_or(0) as f64;
    let mut request = json!({
        "method": e.method,
        "url": e.url,
        "httpVersion": "HTTP/1.1",
        "cookies": [],
        "headers": pairs(&e.request_headers),
        "queryString": query_string(&e.url),
        "headersSize": -1,
        "bodySize": e.request_body.as_ref().map_or(0, |b| b.size as i64),
    });
    if let Some(body) = &e.request_body {
        request["postData"] = json!({
            "mimeType": mime_of(&e.request_headers, &e.request_body),
            "text": body.text.clone().unwrap_or_default(),
        });
    }
    let mut content = json!({
        "size": e.response_body.as_ref().map_or(0, |b| b.size as i64),
        "mimeType": mime_of(&e.response_headers, &e.response_body),
    });
    if let Some(text) = e.response_body.as_ref().and_then(|b| b.text.clone()) {
        content["text"] = Value::String(text);
    }
    let mut response = json!({
        "status": e.status.unwrap_or(0),
        "statusText": e.error.clone().unwrap_or_default(),
        "httpVersion": "HTTP/1.1",
        "cookies": [],
        "headers": pairs(&e.response_headers),
        "content": content,
        "redirectURL": "",
        "headersSize": -1,
        "bodySize": -1,
    });
    if let Some(error) = &e.error {
        response["_error"] = Value::String(error.clone());
    }
    json!({
        "pageref": format!("page_{}", e.page),
        "startedDateTime": iso8601(started),
        "time": time,
        "request": request,
        "response": response,
        "cache": {},
        "timings": { "send": 0, "wait": time, "receive": 0 },
        "_initiatorType": format!("{:?}", e.kind).to_lowercase(),
    })
}

/// The network log of `bundle` as a HAR 1.2 document.
pub fn har(bundle: &Bundle) -> Value {
    let pages: Vec<Value> = bundle
        .pages
        .iter()
        .enumerate()
        .map(|(i, page)| {
            json!({
                "startedDateTime": iso8601(bundle.started_at as i64 + page.t as i64),
                "id": format!("page_{i}"),
                "title": if page.title.is_empty() { &page.url } else { &page.title },
                "pageTimings": {},
            })
        })
        .collect();
    json!({
        "log": {
            "version": "1.2",
            "creator": { "name": "Repro", "version": env!("CARGO_PKG_VERSION") },
            "browser": { "name": bundle.environment.browser, "version": bundle.environment.browser_version },
            "pages": pages,
            "entries": bundle.network.iter().map(|e| entry(bundle, e)).collect::<Vec<_>>(),
        }
    })
}

fn clock(ms: u64) -> String {
    format!("{}:{:02}.{:03}", ms / 60_000, (ms / 1000) % 60, ms % 1000)
}

/// The console of `bundle` as text, one entry per line, stacks indented.
pub fn console_text(bundle: &Bundle) -> String {
    let mut out = format!(
        "# Repro console: {} ({})\n",
        bundle.title, bundle.environment.url
    );
    for entry in &bundle.console {
        let when = match entry.before_start_ms {
            Some(before) => format!("-{}", clock(before)),
            None => format!("+{}", clock(entry.t)),
        };
        let level = format!("{:?}", entry.level).to_lowercase();
        let source = match entry.source {
            ConsoleSource::Console => String::new(),
            other => format!(" ({})", format!("{other:?}").to_lowercase()),
        };
        out.push_str(&format!(
            "[{when}] {level}{source}: {}\n",
            entry.args.join(" ")
        ));
        if let Some(stack) = &entry.stack {
            for line in stack.lines() {
                out.push_str(&format!("    {}\n", line.trim()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundle() -> Bundle {
        serde_json::from_str(&repro_manifest::example_bundle_json()).unwrap()
    }

    #[test]
    fn dates_are_iso8601_utc() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601(1_795_000_000_123), "2026-11-18T11:06:40.123Z");
        assert_eq!(iso8601(951_782_400_000), "2000-02-29T00:00:00.000Z");
    }

    #[test]
    fn har_has_the_required_shape() {
        let har = har(&bundle());
        let log = &har["log"];
        assert_eq!(log["version"], "1.2");
        assert_eq!(log["pages"][0]["id"], "page_0");
        let entry = &log["entries"][0];
        assert_eq!(entry["request"]["method"], "POST");
        assert_eq!(entry["response"]["status"], 500);
        assert_eq!(entry["time"], 180.0);
        assert_eq!(entry["startedDateTime"], "2026-11-18T11:06:40.900Z");
        for field in ["cookies", "headers", "queryString"] {
            assert!(entry["request"][field].is_array(), "{field}");
        }
    }

    #[test]
    fn console_as_text() {
        let text = console_text(&bundle());
        assert!(
            text.contains("[+0:01.100] error (uncaught): TypeError: x is undefined\n    at pay"),
            "{text}"
        );
    }
}
