//! Taking page assets before their report: `POST /api/assets/missing` says
//! which of a list of SHA-256s the server lacks, `PUT /api/assets/{sha256}`
//! sends one (its bytes must hash to the name; its type must be one an
//! asset may have). A report then lists the assets it uses by hash, and a
//! team that records the same app a hundred times stores its fonts once.

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

use crate::blocking::blocking;
use crate::store_basics::sha256_hex;
use crate::upload::authorize;
use crate::{ApiError, ServerState};

/// The most hashes one question may ask about.
const MAX_ASKED: usize = 2_000;

/// The largest body of the question (hashes and JSON punctuation).
const MAX_QUESTION_BYTES: usize = MAX_ASKED * 70 + 64;

/// `{"sha256": ["…", …]}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Question {
    sha256: Vec<String>,
}

/// `POST /api/assets/missing`: which of these the server lacks.
pub(crate) async fn missing(
    State(state): State<ServerState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    authorize(&state, &headers).await?;
    let body: Bytes = crate::body_reading::read_body(body, MAX_QUESTION_BYTES, || {
        format!("ask about at most {MAX_ASKED} assets at a time")
    })
    .await?;
    let question: Question = serde_json::from_slice(&body).map_err(|e| ApiError::BadBundle {
        message: format!("send {{\"sha256\": [hashes]}}: {e}"),
        path: None,
    })?;
    if question.sha256.len() > MAX_ASKED {
        return Err(ApiError::TooLarge(format!(
            "ask about at most {MAX_ASKED} assets at a time"
        )));
    }
    if let Some((i, bad)) = question
        .sha256
        .iter()
        .enumerate()
        .find(|(_, h)| !repro_manifest::is_sha256_hex(h))
    {
        return Err(ApiError::BadBundle {
            message: format!(
                "`{}` is not a SHA-256 in 64 lowercase hexadecimal digits",
                bad.chars().take(80).collect::<String>()
            ),
            path: Some(format!("sha256[{i}]")),
        });
    }
    let store = state.store.clone();
    let missing = blocking(move || store.missing_assets(&question.sha256)).await??;
    Ok(Json(serde_json::json!({ "missing": missing })).into_response())
}

/// `PUT /api/assets/{sha256}`: one asset's bytes, with its type as the
/// request's `Content-Type`. 201 when stored now, 200 when it was there.
pub(crate) async fn put(
    State(state): State<ServerState>,
    Path(sha256): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    authorize(&state, &headers).await?;
    if !repro_manifest::is_sha256_hex(&sha256) {
        return Err(ApiError::BadBundle {
            message:
                "an asset is named by the SHA-256 of its bytes, 64 lowercase hexadecimal digits"
                    .into(),
            path: Some("sha256".into()),
        });
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    if !repro_manifest::is_asset_type(&content_type) {
        return Err(ApiError::UnsupportedMedia(format!(
            "`{}` is not a type an asset may have (one of: {})",
            content_type.chars().take(80).collect::<String>(),
            repro_manifest::ASSET_TYPES.join(", ")
        )));
    }
    let max = state.limits.max_asset_bytes;
    let bytes: Bytes = crate::body_reading::read_body(body, max, || {
        format!("an asset may have at most {max} bytes")
    })
    .await?;
    let store = state.store.clone();
    let created = blocking(move || {
        let actual = sha256_hex(&bytes);
        if actual != sha256 {
            return Err(ApiError::BadBundle {
                message: format!("the bytes hash to {actual}, not to the name {sha256}"),
                path: Some("sha256".into()),
            });
        }
        Ok(store.put_asset(&sha256, &content_type, &bytes)?)
    })
    .await??;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(serde_json::json!({ "stored": true }))).into_response())
}
