//! Uploads in parts that survive a dropped connection.
//!
//! The client names an upload by its bundle id and the SHA-256 of the whole
//! gzip body, then:
//!
//! ```text
//! GET  /api/uploads/{bundle}/{sha256}            → {"part_bytes", "parts": [{"n", "bytes"}], "report"}
//! PUT  /api/uploads/{bundle}/{sha256}/parts/{n}  (application/octet-stream, at most part_bytes)
//! POST /api/uploads/{bundle}/{sha256}/complete   {"parts": N} → {"id", "url"} like POST /api/reports
//!      (and like it, `?expires_in_days=N` ends the link after N days)
//! ```
//!
//! After a dropped connection the client asks what arrived and sends only
//! the rest. Only `complete` joins, checks the checksum, decodes, validates
//! and stores, so a reader never sees a half report; a bundle already stored
//! answers `report` (on GET) or its link (on `complete`), so a retry after a
//! lost response never makes a duplicate. Unfinished uploads expire.

use axum::body::{Body, Bytes};
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::blocking::blocking;
use crate::unfinished_uploads::{PendingError, UploadKey};
use crate::upload::{authorize, link_expiry, report_link, store_upload, Received};
use crate::{ApiError, ServerState};

fn upload_key(bundle: &str, sha256: &str) -> Result<UploadKey, ApiError> {
    UploadKey::parse(bundle, sha256).ok_or_else(|| ApiError::BadBundle {
        message: "an upload is named /api/uploads/<bundle id: 32 hex digits>/<SHA-256 of the body: 64 hex digits>".into(),
        path: None,
    })
}

impl From<PendingError> for ApiError {
    fn from(error: PendingError) -> Self {
        match error {
            PendingError::NotYours => {
                ApiError::Forbidden("another upload token began this upload".into())
            }
            PendingError::Missing(parts) => ApiError::Conflict(format!(
                "part{} {} {} not arrived; send {} and complete again",
                if parts.len() == 1 { "" } else { "s" },
                parts
                    .iter()
                    .map(u32::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
                if parts.len() == 1 { "has" } else { "have" },
                if parts.len() == 1 { "it" } else { "them" },
            )),
            PendingError::TooLarge(max) => ApiError::TooLarge(format!(
                "the upload is larger than the limit of {max} bytes"
            )),
            PendingError::TooManyOpen(most) => ApiError::Conflict(format!(
                "this upload token has {most} uploads in parts begun and not finished, \
                 the most it may have: complete them, or wait until they expire"
            )),
            PendingError::TokenFull(most) => ApiError::TooLarge(format!(
                "this upload token's unfinished uploads would hold more than {most} bytes: \
                 complete them, or wait until they expire"
            )),
            PendingError::Store(e) => e.into(),
        }
    }
}

/// The stored report's link for `bundle`, if `token_id` stored it: another
/// token learns nothing of it (a link is a capability).
async fn stored_link(
    state: &ServerState,
    headers: &HeaderMap,
    bundle: &str,
    token_id: i64,
) -> Result<Option<(String, String)>, ApiError> {
    let store = state.store.clone();
    let bundle = bundle.to_string();
    let stored = blocking(move || store.report_for_bundle(&bundle)).await??;
    Ok(stored
        .filter(|(_, owner)| *owner == token_id)
        .map(|(id, _)| (report_link(state, headers, &id), id)))
}

/// What has arrived of an upload, the part size to use, and the report if
/// the bundle is stored already.
pub async fn progress(
    State(state): State<ServerState>,
    Path((bundle, sha256)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let token_id = authorize(&state, &headers).await?;
    let key = upload_key(&bundle, &sha256)?;
    let report = stored_link(&state, &headers, &bundle, token_id)
        .await?
        .map(|(url, id)| serde_json::json!({ "id": id, "url": url }));
    let pending = state.pending.clone();
    let progress = blocking(move || pending.progress(&key)).await??;
    let parts = match progress {
        Some(p) if p.token_id != token_id => return Err(PendingError::NotYours.into()),
        Some(p) => p.parts,
        None => Vec::new(),
    };
    let parts: Vec<_> = parts
        .iter()
        .map(|(n, bytes)| serde_json::json!({ "n": n, "bytes": bytes }))
        .collect();
    Ok(Json(serde_json::json!({
        "part_bytes": state.part_bytes,
        "parts": parts,
        "report": report,
    }))
    .into_response())
}

/// Keep one part.
pub async fn put_part(
    State(state): State<ServerState>,
    Path((bundle, sha256, n)): Path<(String, String, String)>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let n: u32 = crate::error::number_in_path(&n, "part number")?;
    let token_id = authorize(&state, &headers).await?;
    let key = upload_key(&bundle, &sha256)?;
    let max_total = state.limits.max_compressed_bytes;
    let most_parts = max_total.div_ceil(state.part_bytes.max(1));
    if n as usize >= most_parts {
        return Err(ApiError::TooLarge(format!(
            "part {n} is past the largest upload ({max_total} bytes in parts of {} bytes)",
            state.part_bytes
        )));
    }
    let part_bytes = state.part_bytes;
    let bytes: Bytes = crate::body_reading::read_body(body, part_bytes, || {
        format!("a part may be at most {part_bytes} bytes")
    })
    .await?;
    let pending = state.pending.clone();
    let len = bytes.len();
    blocking(move || pending.put_part(&key, token_id, n, &bytes, max_total as u64)).await??;
    Ok(Json(serde_json::json!({ "n": n, "bytes": len })).into_response())
}

/// Join the parts, check them against the name's SHA-256, decode, validate and store.
pub async fn complete(
    State(state): State<ServerState>,
    Path((bundle, sha256)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let token_id = authorize(&state, &headers).await?;
    let expires_at = link_expiry(query.as_deref())?;
    let key = upload_key(&bundle, &sha256)?;
    let count = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v.get("parts")?.as_u64())
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| ApiError::BadBundle {
            message: "send {\"parts\": <how many parts the upload has>}".into(),
            path: Some("parts".into()),
        })?;
    let pending = state.pending.clone();
    if let Some((url, id)) = stored_link(&state, &headers, &bundle, token_id).await? {
        let key = key.clone();
        blocking(move || pending.remove(&key)).await?;
        return Ok((
            StatusCode::OK,
            Json(serde_json::json!({ "id": id, "url": url })),
        )
            .into_response());
    }
    let joined = {
        let (pending, key) = (pending.clone(), key.clone());
        blocking(move || match pending.progress(&key)? {
            None => Err(ApiError::Conflict(
                "no part of this upload is here (unfinished uploads expire); send the parts again"
                    .into(),
            )),
            Some(p) if p.token_id != token_id => Err(PendingError::NotYours.into()),
            Some(_) => Ok(pending.assemble(&key, count)?),
        })
        .await??
    };
    let digest = crate::blobs::sigv4::sha256_hex(&joined);
    if digest != key.sha256() {
        let key = key.clone();
        blocking(move || pending.remove(&key)).await?;
        return Err(ApiError::Conflict(
            "the joined parts do not match the SHA-256 in the upload's name; they were dropped: send them again".into(),
        ));
    }
    let received = Received {
        body: joined,
        gzipped: true,
        bundle_id: Some(&bundle),
        expires_at,
    };
    let outcome = store_upload(&state, &headers, token_id, received).await;
    // Stored, or refused for what it is: either way its parts have served.
    if !matches!(outcome, Err(ApiError::Internal(_))) {
        blocking(move || pending.remove(&key)).await?;
    }
    outcome
}
