//! The one error type of the HTTP API: each refusal has a status and a JSON
//! body `{"error": "...", "path": "..."}` saying what is wrong. Internal
//! errors are logged and answered with a generic message.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

/// Why a request was refused.
#[derive(Debug)]
pub enum ApiError {
    /// 401: no token, or a token the server does not know.
    Unauthorized(String),
    /// 413: the body is larger than allowed.
    TooLarge(String),
    /// 408: the body stalled.
    Timeout(String),
    /// 415: not JSON, or an encoding other than gzip.
    UnsupportedMedia(String),
    /// 400: the body is not a valid bundle.
    BadBundle {
        /// What is wrong.
        message: String,
        /// Where, when known.
        path: Option<String>,
    },
    /// 422: the bundle still carries a secret shape (the secret itself is never echoed).
    Secret {
        /// Where.
        path: String,
        /// What it looks like, in words.
        kind: String,
    },
    /// 403: the token may not do this (another token began this upload).
    Forbidden(String),
    /// 409: the request does not fit what the server has (parts missing).
    Conflict(String),
    /// 404: no such report (or a malformed id).
    NotFound,
    /// 410: the report was revoked.
    Gone,
    /// 410: the link expired at this Unix ms.
    Expired(i64),
    /// 429: this token sent too much; try again after the duration.
    TooMany(std::time::Duration),
    /// 503: the server cannot serve now (its store is unreachable).
    Unavailable(String),
    /// 500: something broke on our side.
    Internal(String),
}

/// A number from a request's path (a part, a token's number), or a 400
/// JSON refusal saying which and why: axum's own extractor answers in
/// plain text.
pub fn number_in_path<T: std::str::FromStr>(text: &str, what: &str) -> Result<T, ApiError> {
    text.parse().map_err(|_| ApiError::BadBundle {
        message: format!(
            "{what} must be a whole number, not `{}`",
            text.chars().take(40).collect::<String>()
        ),
        path: Some(what.to_string()),
    })
}

/// Why a request was refused, in one word, attached to the response for the
/// request log and the metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refusal(pub &'static str);

impl ApiError {
    /// The refusal's reason, in one word.
    pub fn reason(&self) -> &'static str {
        match self {
            ApiError::Unauthorized(_) => "unauthorized",
            ApiError::TooLarge(_) => "too_large",
            ApiError::Timeout(_) => "timeout",
            ApiError::UnsupportedMedia(_) => "unsupported_media",
            ApiError::BadBundle { .. } => "bad_request",
            ApiError::Secret { .. } => "secret",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::Conflict(_) => "conflict",
            ApiError::NotFound => "not_found",
            ApiError::Gone => "revoked",
            ApiError::Expired(_) => "expired",
            ApiError::TooMany(_) => "rate_limited",
            ApiError::Unavailable(_) => "unavailable",
            ApiError::Internal(_) => "internal",
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let reason = self.reason();
        let retry_after = match &self {
            ApiError::TooMany(wait) => Some((wait.as_secs_f64().ceil() as u64).max(1)),
            _ => None,
        };
        let (status, message, path) = match self {
            ApiError::Unauthorized(m) => (StatusCode::UNAUTHORIZED, m, None),
            ApiError::TooLarge(m) => (StatusCode::PAYLOAD_TOO_LARGE, m, None),
            ApiError::Timeout(m) => (StatusCode::REQUEST_TIMEOUT, m, None),
            ApiError::UnsupportedMedia(m) => (StatusCode::UNSUPPORTED_MEDIA_TYPE, m, None),
            ApiError::BadBundle { message, path } => (StatusCode::BAD_REQUEST, message, path),
            ApiError::Secret { path, kind } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("the bundle still carries what looks like an unmasked {kind}; nothing was stored"),
                Some(path),
            ),
            ApiError::Forbidden(m) => (StatusCode::FORBIDDEN, m, None),
            ApiError::Conflict(m) => (StatusCode::CONFLICT, m, None),
            ApiError::NotFound => (StatusCode::NOT_FOUND, "no such report".to_string(), None),
            ApiError::Gone => (
                StatusCode::GONE,
                "this report was revoked".to_string(),
                None,
            ),
            ApiError::Expired(at) => (
                StatusCode::GONE,
                format!(
                    "this link expired on {} (UTC)",
                    crate::dates::utc_minute(at)
                ),
                None,
            ),
            ApiError::TooMany(_) => (
                StatusCode::TOO_MANY_REQUESTS,
                format!(
                    "this upload token sent more than its rate limit allows; try again in {} s",
                    retry_after.unwrap_or(1)
                ),
                None,
            ),
            ApiError::Unavailable(m) => (StatusCode::SERVICE_UNAVAILABLE, m, None),
            ApiError::Internal(detail) => {
                crate::json_log::event("error", "internal error", serde_json::json!({ "detail": detail }));
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal error".to_string(),
                    None,
                )
            }
        };
        let body = match path {
            Some(path) => serde_json::json!({ "error": message, "path": path }),
            None => serde_json::json!({ "error": message }),
        };
        let mut response = (status, Json(body)).into_response();
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response.extensions_mut().insert(Refusal(reason));
        response
    }
}

impl From<crate::StoreError> for ApiError {
    fn from(error: crate::StoreError) -> Self {
        match error {
            crate::StoreError::NotFound => ApiError::NotFound,
            crate::StoreError::BundleOfAnotherToken => ApiError::Forbidden(
                "another upload token stored a bundle of this id; nothing was stored \
                 (a bundle's id is chosen at random: send this report with a new one)"
                    .into(),
            ),
            crate::StoreError::AssetMissing(sha256) => ApiError::Conflict(format!(
                "the report lists the asset {sha256}, which was not uploaded first \
                 (ask POST /api/assets/missing, then PUT /api/assets/{{sha256}})"
            )),
            other => ApiError::Internal(other.to_string()),
        }
    }
}
