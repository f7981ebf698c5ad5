//! What a share link serves: the viewer's page, the bundle, the page
//! assets it lists, and its exports (HAR, console text), for live links
//! only (revoked and expired ones answer 410).

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::blocking::blocking;
use crate::ingest;
use crate::viewer_page;
use crate::{ApiError, ServerState};

fn check_id(id: &str) -> Result<(), ApiError> {
    if repro_manifest::is_valid_bundle_id(id) {
        Ok(())
    } else {
        Err(ApiError::NotFound)
    }
}

pub(crate) async fn live_report(
    state: &ServerState,
    id: &str,
) -> Result<crate::store::ReportMeta, ApiError> {
    check_id(id)?;
    let store = state.store.clone();
    let id = id.to_string();
    let meta = blocking(move || store.report(&id)).await??;
    if meta.revoked {
        return Err(ApiError::Gone);
    }
    if let Some(at) = meta.expires_at.filter(|at| *at <= crate::store::now_ms()) {
        return Err(ApiError::Expired(at));
    }
    Ok(meta)
}

/// `GET /r/{id}`: the viewer's page.
pub(crate) async fn viewer(State(state): State<ServerState>, Path(id): Path<String>) -> Response {
    let outcome = live_report(&state, &id).await;
    let refusal = outcome.as_ref().err().map(ApiError::reason);
    let mut response = match outcome {
        Ok(meta) => viewer_page::page(&meta, state.issue_repository.as_deref()),
        Err(ApiError::NotFound) => {
            viewer_page::missing(StatusCode::NOT_FOUND, "There is no report at this link.")
        }
        Err(ApiError::Gone) => {
            viewer_page::missing(StatusCode::GONE, "This report was revoked by its owner.")
        }
        Err(ApiError::Expired(at)) => viewer_page::missing(
            StatusCode::GONE,
            &format!(
                "This link expired on {} (UTC), as its tester chose.",
                crate::dates::utc_minute(at)
            ),
        ),
        Err(other) => other.into_response(),
    };
    if let Some(reason) = refusal {
        response
            .extensions_mut()
            .insert(crate::error::Refusal(reason));
    }
    response
}

/// `GET /r/{id}/bundle.json`: the bundle, gzip-compressed when the client takes it.
pub(crate) async fn bundle(
    State(state): State<ServerState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let meta = live_report(&state, &id).await?;
    let store = state.store.clone();
    let gzip = blocking(move || store.blob(&meta.id)).await??;
    let accepts_gzip = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("gzip"));
    let mut response = if accepts_gzip {
        let mut r = gzip.into_response();
        r.headers_mut()
            .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        r
    } else {
        ingest::inflate(&gzip)?.into_response()
    };
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"repro-bundle.json\""),
    );
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    Ok(response)
}

/// The stored bundle of a live report, parsed.
pub(crate) async fn stored_bundle(
    state: &ServerState,
    id: &str,
) -> Result<repro_manifest::Bundle, ApiError> {
    let meta = live_report(state, id).await?;
    let store = state.store.clone();
    let gzip = blocking(move || store.blob(&meta.id)).await??;
    let json = ingest::inflate(&gzip)?;
    serde_json::from_slice(&json)
        .map_err(|e| ApiError::Internal(format!("stored bundle does not parse: {e}")))
}

pub(crate) fn download(body: String, content_type: &'static str, filename: String) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// The network log as HAR 1.2.
pub(crate) async fn har(
    State(state): State<ServerState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let bundle = stored_bundle(&state, &id).await?;
    let text = serde_json::to_string_pretty(&crate::exports::har(&bundle))
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(download(
        text,
        "application/json",
        format!("repro-{id}.har"),
    ))
}

/// The console as plain text.
pub(crate) async fn console_text(
    State(state): State<ServerState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let bundle = stored_bundle(&state, &id).await?;
    Ok(download(
        crate::exports::console_text(&bundle),
        "text/plain; charset=utf-8",
        format!("repro-{id}-console.txt"),
    ))
}

/// `GET /r/{id}/assets/{sha256}`: an asset the report lists, with its
/// stored type. Its name is its content, so it never changes: cached long.
/// (The policy every non-page answer carries keeps an SVG opened on its own
/// from running anything.)
pub(crate) async fn asset(
    State(state): State<ServerState>,
    Path((id, sha256)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let meta = live_report(&state, &id).await?;
    if !repro_manifest::is_sha256_hex(&sha256) {
        return Err(ApiError::NotFound);
    }
    let store = state.store.clone();
    let asset = blocking(move || store.report_asset(&meta.id, &sha256)).await??;
    let content_type = HeaderValue::from_str(&asset.content_type)
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let mut response = asset.bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, content_type);
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=31536000, immutable"),
    );
    Ok(response)
}
