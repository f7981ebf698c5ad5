//! The HTML of share-link pages: a static shell that the wasm viewer fills.
//! Nothing from a bundle is ever written into this HTML; the few stored
//! fields used (title) are escaped. Pages carry a strict CSP and no referrer,
//! so that assets the replay loads from the recorded site never learn the link.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::store::ReportMeta;
use repro_manifest::markup::escape_html as escape;

/// The viewer pages' Content-Security-Policy. The replay iframe (same-origin,
/// sandboxed without scripts) inherits it: styles and images of the recorded
/// page may load, nothing may run.
pub const CSP: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self' 'unsafe-inline' http: https: data:; img-src http: https: data: blob:; \
font-src http: https: data:; media-src http: https: data:; connect-src 'self'; \
frame-src 'self' about:; form-action 'none'; frame-ancestors 'none'";

fn html_response(status: StatusCode, html: String) -> Response {
    html_with_policy(status, html, CSP)
}

/// An HTML page that nothing may frame, refer from or cache, under `csp`.
pub fn html_with_policy(status: StatusCode, html: String, csp: &'static str) -> Response {
    let mut response = (status, html).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(csp),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    response
}

/// The viewer page of a report; `issue_repository` is the server's
/// repository for new issues, if it names one.
pub fn page(meta: &ReportMeta, issue_repository: Option<&str>) -> Response {
    let title = escape(if meta.title.is_empty() {
        "Repro report"
    } else {
        &meta.title
    });
    let id = escape(&meta.id);
    let repository = escape(issue_repository.unwrap_or_default());
    let expiry = meta
        .expires_at
        .map(|at| {
            format!(
                "<span id=\"expiry\">This link expires on {} (UTC).</span>",
                crate::dates::utc_minute(at)
            )
        })
        .unwrap_or_default();
    html_response(
        StatusCode::OK,
        format!(
            r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="referrer" content="no-referrer">
<title>{title} · Repro</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/assets/repro.css">
<link rel="stylesheet" href="/assets/viewer.css">
</head>
<body data-bundle="/r/{id}/bundle.json">
<header><h1 id="title">{title}</h1><a href="/r/{id}/bundle.json" download>Download bundle (JSON)</a>
<a href="/r/{id}/har" download>Download network log (HAR)</a><a href="/r/{id}/console.txt" download>Download console (text)</a>
<a href="/r/{id}/playwright.spec.ts" download>Download Playwright test</a><a href="/r/{id}/issue.md" download>Download issue (Markdown)</a>{expiry}
<div id="issue-actions" role="group" aria-label="File an issue"><button id="copy-issue" type="button">Copy issue (Markdown)</button>
<input id="issue-repository" type="text" value="{repository}" placeholder="owner/name" aria-label="Issue repository (owner/name or its address)">
<button id="new-github-issue" type="button">New GitHub issue</button><button id="new-gitlab-issue" type="button">New GitLab issue</button>
<span id="issue-status" role="status"></span></div></header>
<p id="viewer-error" role="alert" hidden></p>
<main id="layout">
  <div id="player-column">
    <p id="address" aria-label="Page address"></p>
    <div id="stage"><iframe id="replay" title="Replayed page" sandbox="allow-same-origin"></iframe><div id="pointer" hidden></div><div id="mark-outline" hidden></div></div>
    <div id="pins" aria-label="Marks on the timeline"></div>
    <div id="controls"><button id="play" type="button" aria-keyshortcuts="Space">Play</button><input id="timeline" type="range" min="0" max="0" value="0" aria-label="Timeline"><span id="clock"></span>
      <select id="speed" aria-label="Playback speed"><option>1×</option><option>2×</option><option>4×</option><option>8×</option></select>
      <label><input id="skip-inactivity" type="checkbox" checked> Skip inactivity</label>
      <button id="copy-moment" type="button">Copy link to this moment</button><button id="fullscreen" type="button" aria-keyshortcuts="F">Full screen</button><span id="moment-status" role="status"></span></div>
    <p id="keys">Keys: space plays or pauses, ← → seek 5 s, [ ] previous or next moment, F full screen.</p>
    <section id="mark-detail" aria-label="Mark" hidden></section>
  </div>
  <div id="divider" role="separator" tabindex="0" aria-orientation="vertical" aria-label="Width of the replay" aria-controls="player-column" aria-valuemin="30" aria-valuemax="80" aria-valuenow="60"></div>
  <div id="panels">
    <section tabindex="0" aria-labelledby="h-diagnosis"><h2 id="h-diagnosis">Diagnosis</h2><ol id="diagnosis" aria-label="Diagnosis"></ol></section>
    <section tabindex="0" aria-labelledby="h-comments"><h2 id="h-comments">Comments</h2><ol id="comments" aria-label="Comments"></ol>
      <form id="comment-form" hidden><p id="comment-as"></p><textarea id="comment-body" aria-label="Comment" rows="3" maxlength="4000" required></textarea>
      <p><label><input id="comment-at-moment" type="checkbox" checked> At the moment shown</label> <button type="submit">Post comment</button></p></form>
      <p id="comment-sign-in" hidden><a href="/reports">Sign in</a> with an upload token to comment.</p><p id="comment-status" role="status"></p></section>
    <section tabindex="0" aria-labelledby="h-steps"><h2 id="h-steps">Steps</h2><ol id="steps" aria-label="Steps"></ol></section>
    <section tabindex="0" aria-labelledby="h-marks"><h2 id="h-marks">Marks</h2><ol id="marks" aria-label="Marks"></ol></section>
    <section tabindex="0" aria-labelledby="h-console"><h2 id="h-console">Console</h2>
      <div class="filters"><select id="console-level" aria-label="Console level"><option value="">All levels</option><option value="error">Errors</option><option value="warn">Warnings</option><option value="info">Info</option><option value="log">Log</option><option value="debug">Debug</option></select>
      <input id="console-search" type="search" placeholder="Search console" aria-label="Search console"></div>
      <ol id="console" aria-label="Console"></ol></section>
    <section tabindex="0" aria-labelledby="h-network"><h2 id="h-network">Network</h2>
      <div class="filters"><select id="network-filter" aria-label="Network filter"><option value="">All requests</option><option value="failed">Failed only</option><option value="fetch">fetch</option><option value="xhr">XHR</option><option value="beacon">Beacons</option><option value="websocket">WebSocket</option><option value="resource">Page resources</option></select>
      <input id="network-search" type="search" placeholder="Search network" aria-label="Search network"></div>
      <table aria-label="Network"><tbody id="network"></tbody></table><pre id="network-detail" aria-label="Request details" hidden></pre></section>
    <section tabindex="0" aria-labelledby="h-environment"><h2 id="h-environment">Environment</h2><dl id="environment"></dl></section>
  </div>
</main>
<script type="module" src="/assets/viewer.js"></script>
</body>
</html>
"#
        ),
    )
}

/// A page saying why there is no report here.
pub fn missing(status: StatusCode, message: &str) -> Response {
    html_response(
        status,
        format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Repro</title></head>\
             <body><h1>Report not available</h1><p>{}</p></body></html>",
            escape(message)
        ),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn escaping_covers_markup_and_quotes() {
        assert_eq!(
            super::escape(r#"<img src=x onerror="a">'"#),
            "&lt;img src=x onerror=&quot;a&quot;&gt;&#39;"
        );
    }
}
