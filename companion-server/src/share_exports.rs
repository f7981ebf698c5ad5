//! What a share link exports for developers and their tools, beside the
//! bundle, HAR and console text (`share`): the report as a Markdown issue,
//! as a prompt for a coding agent, as a Playwright test, and its
//! screenshots as images (which the issue links).

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};

use repro_manifest::Bundle;

use crate::blocking::blocking;
use crate::share::{download, stored_bundle};
use crate::upload::{public_base, report_link};
use crate::{ApiError, ServerState};

const MARKDOWN: &str = "text/markdown; charset=utf-8";
const PLAIN_TEXT: &str = "text/plain; charset=utf-8";

/// A text export of report `id`: `write` makes it from the bundle, the
/// share link and the server's base address.
async fn text_export(
    state: &ServerState,
    id: &str,
    headers: &HeaderMap,
    content_type: &'static str,
    filename: String,
    write: impl FnOnce(&Bundle, &str, &str) -> String,
) -> Result<Response, ApiError> {
    let bundle = stored_bundle(state, id).await?;
    let link = report_link(state, headers, id);
    let base = public_base(state, headers);
    Ok(download(
        write(&bundle, &link, &base),
        content_type,
        filename,
    ))
}

/// `GET /r/{id}/issue.md`: the report as a Markdown issue.
pub(crate) async fn issue_md(
    State(state): State<ServerState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let filename = format!("repro-{id}-issue.md");
    text_export(
        &state,
        &id,
        &headers,
        MARKDOWN,
        filename,
        |bundle, link, _| crate::issue_markdown::issue_markdown(bundle, link),
    )
    .await
}

/// `GET /r/{id}/prompt.md`: the report as a prompt for a coding agent.
pub(crate) async fn prompt_md(
    State(state): State<ServerState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let filename = format!("repro-{id}-prompt.md");
    text_export(
        &state,
        &id,
        &headers,
        MARKDOWN,
        filename,
        |bundle, link, base| crate::agent_prompt::agent_prompt(&id, bundle, link, base),
    )
    .await
}

/// `GET /r/{id}/playwright.spec.ts`: a Playwright test that fails while
/// the recorded bug is there.
pub(crate) async fn playwright_spec(
    State(state): State<ServerState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let filename = format!("repro-{id}.spec.ts");
    text_export(
        &state,
        &id,
        &headers,
        PLAIN_TEXT,
        filename,
        |bundle, link, _| crate::playwright_spec::playwright_spec(bundle, link),
    )
    .await
}

/// A stored image (`mime`, its bytes in base64) as a response, if it is of
/// a type the format allows (`image/webp` only where `webp` says so);
/// `what` names it in the error a broken store gives.
fn image_response(mime: &str, data: &str, webp: bool, what: &str) -> Result<Response, ApiError> {
    let content_type = match mime {
        "image/png" => "image/png",
        "image/jpeg" => "image/jpeg",
        "image/webp" if webp => "image/webp",
        _ => return Err(ApiError::NotFound),
    };
    let bytes = crate::base64_decode::decode(data)
        .ok_or_else(|| ApiError::Internal(format!("a stored {what} is not base64")))?;
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=3600"),
    );
    Ok(response)
}

/// `GET /r/{id}/thumbnail`: the small picture of the tab at Stop that the
/// reports list shows (404 when the report has none).
pub(crate) async fn thumbnail(
    State(state): State<ServerState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let meta = crate::share::live_report(&state, &id).await?;
    let store = state.store.clone();
    let (mime, data) = blocking(move || store.report_thumbnail(&meta.id))
        .await??
        .ok_or(ApiError::NotFound)?;
    image_response(&mime, &data, true, "thumbnail")
}

/// `GET /r/{id}/screenshots/{n}`: screenshot `n` of the report, as an image.
pub(crate) async fn screenshot(
    State(state): State<ServerState>,
    Path((id, n)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let n: usize = n.parse().map_err(|_| ApiError::NotFound)?;
    let bundle = stored_bundle(&state, &id).await?;
    let shot = bundle.screenshots.get(n).ok_or(ApiError::NotFound)?;
    image_response(&shot.mime, &shot.data, false, "screenshot")
}
