//! The HTTP surface: upload (whole, or in parts: see `resumable`), share-link page, bundle download, viewer assets, health.

use axum::body::{Body, Bytes};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};

use crate::ingest;
use crate::resumable;
use crate::team_pages;
use crate::viewer_page;
use crate::{ApiError, ServerState};

/// The routes, with the upload size cap applied while the body arrives.
pub fn router(state: ServerState) -> Router {
    Router::new()
        .route("/api/reports", post(upload))
        .route("/api/uploads/{bundle}/{sha256}", get(resumable::progress))
        .route(
            "/api/uploads/{bundle}/{sha256}/parts/{n}",
            axum::routing::put(resumable::put_part),
        )
        .route(
            "/api/uploads/{bundle}/{sha256}/complete",
            post(resumable::complete),
        )
        .route("/r/{id}", get(viewer))
        .route("/r/{id}/bundle.json", get(bundle))
        .route("/r/{id}/har", get(har))
        .route("/r/{id}/console.txt", get(console_text))
        .route("/assets/{*path}", get(asset))
        // The server's address alone leads to the team's reports.
        .route(
            "/",
            get(|| async { axum::response::Redirect::to("/reports") }),
        )
        .route("/reports", get(team_pages::reports))
        .route("/reports/{id}/{action}", post(team_pages::report_action))
        .route("/sign-in", post(team_pages::sign_in))
        .route("/sign-out", post(team_pages::sign_out))
        .route("/admin", get(team_pages::admin))
        .route("/admin/tokens", post(team_pages::create_token))
        .route("/admin/tokens/{n}/revoke", post(team_pages::revoke_token))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/api/openapi.json", get(openapi))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::request_log::log_request,
        ))
        .layer(axum::extract::DefaultBodyLimit::disable())
        .with_state(state)
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// The share link of report `id`.
pub(crate) fn report_link(state: &ServerState, headers: &HeaderMap, id: &str) -> String {
    format!("{}/r/{id}", public_base(state, headers))
}

fn public_base(state: &ServerState, headers: &HeaderMap) -> String {
    if let Some(url) = &state.public_url {
        return url.trim_end_matches('/').to_string();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    format!("http://{host}")
}

pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))
}

/// The id of the request's upload token, or a 401 saying what is missing.
pub(crate) async fn authorize(state: &ServerState, headers: &HeaderMap) -> Result<i64, ApiError> {
    let token = bearer(headers)
        .ok_or_else(|| {
            ApiError::Unauthorized("an upload needs `Authorization: Bearer <token>`".into())
        })?
        .to_string();
    let store = state.store.clone();
    let token_id = blocking(move || store.check_token(&token))
        .await??
        .ok_or_else(|| ApiError::Unauthorized("unknown or revoked upload token".into()))?;
    state
        .rate_limit
        .take(token_id, std::time::Instant::now())
        .map_err(ApiError::TooMany)?;
    Ok(token_id)
}

/// Ready to serve: the database answers and the blob folder takes a file.
async fn readyz(State(state): State<ServerState>) -> Result<&'static str, ApiError> {
    let store = state.store.clone();
    match blocking(move || store.check_ready()).await? {
        Ok(()) => Ok("ready"),
        Err(e) => Err(ApiError::Unavailable(format!(
            "the store is not ready: {e}"
        ))),
    }
}

/// The counters, and the unfinished uploads in the store, for Prometheus.
async fn metrics(State(state): State<ServerState>) -> Response {
    let pending = state.pending.clone();
    let mut text = state.metrics.render();
    // Shared by every replica, so it is read from the store, not counted here.
    if let Ok(Ok(unfinished)) = blocking(move || pending.unfinished()).await {
        text.push_str(&format!(
            "# HELP repro_unfinished_uploads Uploads in parts begun and not yet completed or expired.\n# TYPE repro_unfinished_uploads gauge\nrepro_unfinished_uploads {unfinished}\n"
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
async fn openapi() -> Response {
    let mut response = include_str!("../openapi.json").into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// The link's end from `?expires_in_days=N` (1 to 3650), as Unix ms.
pub(crate) fn link_expiry(query: Option<&str>) -> Result<Option<i64>, ApiError> {
    let Some(days) = query
        .unwrap_or("")
        .split('&')
        .find_map(|pair| pair.strip_prefix("expires_in_days="))
    else {
        return Ok(None);
    };
    match days.parse::<i64>() {
        Ok(days @ 1..=3650) => Ok(Some(crate::store::now_ms() + days * 86_400_000)),
        _ => Err(ApiError::BadBundle {
            message: format!(
                "expires_in_days must be a whole number of days from 1 to 3650, not `{days}`"
            ),
            path: Some("expires_in_days".into()),
        }),
    }
}

async fn upload(
    State(state): State<ServerState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let token_id = authorize(&state, &headers).await?;
    let expires_at = link_expiry(query.as_deref())?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !content_type.starts_with("application/json") {
        return Err(ApiError::UnsupportedMedia(format!(
            "send the bundle as application/json (got `{content_type}`)"
        )));
    }
    let gzipped = match headers
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
    {
        None | Some("identity") => false,
        Some("gzip") => true,
        Some(other) => {
            return Err(ApiError::UnsupportedMedia(format!(
                "content encoding `{other}` is not supported; use gzip"
            )))
        }
    };
    let max = state.limits.max_compressed_bytes;
    let body: Bytes = axum::body::to_bytes(body, max).await.map_err(|_| {
        ApiError::TooLarge(format!(
            "the upload is larger than the limit of {max} bytes"
        ))
    })?;
    let upload = Received {
        body: body.to_vec(),
        gzipped,
        bundle_id: None,
        expires_at,
    };
    store_upload(&state, &headers, token_id, upload).await
}

/// An upload's body as received, and what was asked of it.
pub(crate) struct Received<'a> {
    /// The body (the bundle's JSON, maybe gzip-compressed).
    pub body: Vec<u8>,
    /// Whether it is gzip-compressed.
    pub gzipped: bool,
    /// The bundle id it must carry, when the URL named one.
    pub bundle_id: Option<&'a str>,
    /// When the link ends (Unix ms), if the tester chose so.
    pub expires_at: Option<i64>,
}

/// Decode, check and store an upload's body; answer with the report's link
/// (201 when new, 200 when the bundle was stored before).
pub(crate) async fn store_upload(
    state: &ServerState,
    headers: &HeaderMap,
    token_id: i64,
    received: Received<'_>,
) -> Result<Response, ApiError> {
    let Received {
        body,
        gzipped,
        bundle_id,
        expires_at,
    } = received;
    let limits = state.limits.clone();
    let scan = state.scan_secrets;
    let upload = blocking(move || ingest::decode(body, gzipped, &limits, scan)).await??;
    let bundle = upload.bundle;
    if let Some(expected) = bundle_id.filter(|id| *id != bundle.id) {
        return Err(ApiError::BadBundle {
            message: format!(
                "the body holds bundle {} but was uploaded as bundle {expected}",
                bundle.id
            ),
            path: Some("id".into()),
        });
    }
    let url = bundle
        .pages
        .first()
        .map(|p| p.url.clone())
        .unwrap_or_default();
    let store = state.store.clone();
    let bundle_id = bundle.id.clone();
    let title = bundle.title.clone();
    let gzip = upload.gzip;
    let stored_bytes = gzip.len() as u64;
    let stored =
        blocking(move || store.put_report(token_id, &bundle_id, &title, &url, &gzip, expires_at))
            .await??;
    let link = report_link(state, headers, &stored.id);
    if stored.created {
        state.metrics.stored(stored_bytes);
    }
    crate::log::event(
        "info",
        "report stored",
        serde_json::json!({"bundle": bundle.id, "report": stored.id, "new": stored.created}),
    );
    let status = if stored.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(serde_json::json!({ "id": stored.id, "url": link })),
    )
        .into_response())
}

fn check_id(id: &str) -> Result<(), ApiError> {
    if repro_manifest::is_valid_bundle_id(id) {
        Ok(())
    } else {
        Err(ApiError::NotFound)
    }
}

async fn live_report(state: &ServerState, id: &str) -> Result<crate::store::ReportMeta, ApiError> {
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

async fn viewer(State(state): State<ServerState>, Path(id): Path<String>) -> Response {
    let outcome = live_report(&state, &id).await;
    let refusal = outcome.as_ref().err().map(ApiError::reason);
    let mut response = match outcome {
        Ok(meta) => viewer_page::page(&meta),
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

async fn bundle(
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
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    Ok(response)
}

/// The stored bundle of a live report, parsed.
async fn stored_bundle(state: &ServerState, id: &str) -> Result<repro_manifest::Bundle, ApiError> {
    let meta = live_report(state, id).await?;
    let store = state.store.clone();
    let gzip = blocking(move || store.blob(&meta.id)).await??;
    let json = ingest::inflate(&gzip)?;
    serde_json::from_slice(&json)
        .map_err(|e| ApiError::Internal(format!("stored bundle does not parse: {e}")))
}

fn download(body: String, content_type: &'static str, filename: String) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// The network log as HAR 1.2.
async fn har(
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
async fn console_text(
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

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("js") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    }
}

async fn asset(
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
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(response)
}
