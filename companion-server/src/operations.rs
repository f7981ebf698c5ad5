//! What operators and the viewer's page need besides reports: readiness,
//! Prometheus metrics, the OpenAPI document, and the viewer's static assets.

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

use crate::blocking::blocking;
use crate::{ApiError, ServerState};

/// Ready to serve: the database answers and the blob folder takes a file.
pub(crate) async fn readyz(State(state): State<ServerState>) -> Result<&'static str, ApiError> {
    let store = state.store.clone();
    match blocking(move || store.check_ready()).await? {
        Ok(()) => Ok("ready"),
        Err(e) => Err(ApiError::Unavailable(format!(
            "the store is not ready: {e}"
        ))),
    }
}

/// The counters, and the unfinished uploads in the store, for Prometheus.
pub(crate) async fn metrics(State(state): State<ServerState>) -> Response {
    let pending = state.pending.clone();
    let mut text = state.metrics.render();
    // Shared by every replica, so it is read from the store, not counted here.
    if let Ok(Ok(unfinished)) = blocking(move || pending.unfinished()).await {
        text.push_str(&format!(
            "# HELP repro_unfinished_uploads Uploads in parts begun and not yet completed or expired.\n# TYPE repro_unfinished_uploads gauge\nrepro_unfinished_uploads {unfinished}\n"
        ));
    }
    let store = state.store.clone();
    if let Ok(Ok((count, bytes))) = blocking(move || store.asset_totals()).await {
        text.push_str(&format!(
            "# HELP repro_assets_stored Page assets stored (each once, whatever the number of reports using it).\n# TYPE repro_assets_stored gauge\nrepro_assets_stored {count}\n\
             # HELP repro_asset_bytes Bytes of the page assets stored.\n# TYPE repro_asset_bytes gauge\nrepro_asset_bytes {bytes}\n"
        ));
    }
    let mut response = text.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4"),
    );
    response
}

/// The OpenAPI document of the HTTP API.
pub(crate) async fn openapi() -> Response {
    let mut response = include_str!("../openapi.json").into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("js") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    }
}

/// `GET /assets/{path}`: a file of the viewer's assets folder.
pub(crate) async fn asset(
    State(state): State<ServerState>,
    Path(path): Path<String>,
) -> Result<Response, ApiError> {
    let safe = !path.is_empty()
        && path.split('/').all(|part| {
            !part.is_empty()
                && !part.starts_with('.')
                && part
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
        });
    if !safe {
        return Err(ApiError::NotFound);
    }
    let file = state.assets.join(&path);
    let bytes = tokio::fs::read(&file)
        .await
        .map_err(|_| ApiError::NotFound)?;
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(&path)),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(response)
}
