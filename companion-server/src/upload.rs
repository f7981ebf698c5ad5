//! Taking an upload: the bearer token and its rate limit, the link's
//! expiry, decoding and checking the body, storing it, and the share link
//! in the answer. The whole-bundle route is here; uploads in parts
//! (`resumable`) end in the same [`store_upload`].

use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::blocking::blocking;
use crate::ingest;
use crate::{ApiError, ServerState};

pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
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

pub(crate) fn public_base(state: &ServerState, headers: &HeaderMap) -> String {
    if let Some(url) = &state.public_url {
        return url.trim_end_matches('/').to_string();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    format!("http://{host}")
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

/// `POST /api/reports`: a whole bundle in one request.
pub(crate) async fn upload(
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
    let body: Bytes = crate::body_reading::read_body(body, max, || {
        format!("the upload is larger than the limit of {max} bytes")
    })
    .await?;
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
    // Decoding holds the JSON and the bundle in memory: a few at a time.
    let permit = state
        .decodes
        .clone()
        .acquire_owned()
        .await
        .map_err(|_| ApiError::Internal("the server is shutting down".into()))?;
    // Only what the store needs outlives the decoding; the bundle goes.
    let (id, title, url, assets, thumbnail, gzip) = blocking(move || {
        let decoded = ingest::decode(body, gzipped, &limits, scan).map(|upload| {
            let url = upload.head.pages.first().map(|p| p.url.clone());
            let head = upload.head;
            let mut assets: Vec<String> = head.assets.into_iter().map(|a| a.sha256).collect();
            assets.sort();
            assets.dedup();
            (
                head.id,
                head.title,
                url.unwrap_or_default(),
                assets,
                head.thumbnail,
                upload.gzip,
            )
        });
        drop(permit);
        decoded
    })
    .await??;
    if let Some(expected) = bundle_id.filter(|expected| *expected != id) {
        return Err(ApiError::BadBundle {
            message: format!("the body holds bundle {id} but was uploaded as bundle {expected}"),
            path: Some("id".into()),
        });
    }
    let store = state.store.clone();
    let bundle_id = id.clone();
    let stored_bytes = gzip.len() as u64;
    let stored = blocking(move || {
        store.put_report_with_assets(
            token_id,
            &bundle_id,
            &title,
            &url,
            &gzip,
            expires_at,
            &assets,
            thumbnail.as_ref(),
        )
    })
    .await??;
    let link = report_link(state, headers, &stored.id);
    if stored.created {
        state.metrics.stored(stored_bytes);
        crate::webhooks::report_arrived(state, stored.id.clone(), link.clone());
    }
    crate::json_log::event(
        "info",
        "report stored",
        serde_json::json!({"bundle": id, "report": stored.id, "new": stored.created}),
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
