//! A report's comments, so QA and developers discuss it in one place,
//! optionally at a moment of the replay: anyone with the link reads them
//! (`GET /r/{id}/comments`), a signed-in token holder writes them (`POST`,
//! with the session's check value, as the team's forms carry it). The
//! viewer shows them beside the replay and on its timeline.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;

use crate::blocking::blocking;
use crate::comment_store::{CommentRefusal, MAX_COMMENTS};
use crate::share::live_report;
use crate::{ApiError, ServerState};

/// The longest comment, in characters.
const MAX_COMMENT_CHARS: usize = 4_000;
/// The largest request body taken, in bytes.
pub const MAX_BODY: usize = 32 * 1024;

/// The comments of report `id`, and who may write one here (the holder's
/// label and check value, for this server's own viewer page).
async fn listing(
    state: &ServerState,
    id: &str,
    headers: &HeaderMap,
) -> Result<serde_json::Value, ApiError> {
    let meta = live_report(state, id).await?;
    let holder = crate::team_pages::holder(state, headers).await?;
    let store = state.store.clone();
    let comments = blocking(move || store.comments(&meta.id)).await??;
    Ok(json!({
        "comments": comments,
        "holder": holder.map(|h| json!({ "label": h.label, "csrf": h.csrf })),
    }))
}

fn fresh(status: StatusCode, value: serde_json::Value) -> Response {
    let mut response = (status, Json(value)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `GET /r/{id}/comments`.
pub(crate) async fn list(
    State(state): State<ServerState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    Ok(fresh(StatusCode::OK, listing(&state, &id, &headers).await?))
}

#[derive(Deserialize)]
struct NewComment {
    csrf: String,
    body: String,
    #[serde(default)]
    t_ms: Option<i64>,
}

/// `POST /r/{id}/comments` `{"csrf", "body", "t_ms"?}`: add one; the
/// comments now.
pub(crate) async fn add(
    State(state): State<ServerState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let meta = live_report(&state, &id).await?;
    let holder = crate::team_pages::holder(&state, &headers)
        .await?
        .ok_or_else(|| {
            ApiError::Unauthorized("sign in at /reports with an upload token to comment".into())
        })?;
    let comment: NewComment = serde_json::from_slice(&body).map_err(|e| ApiError::BadBundle {
        message: format!("a comment is {{\"csrf\", \"body\", \"t_ms\"?}}: {e}"),
        path: None,
    })?;
    if comment.csrf != holder.csrf {
        return Err(ApiError::Forbidden(
            "this comment came without this session's check value (another site, or a stale page): reload and try again".into(),
        ));
    }
    let text = comment.body.trim().to_string();
    let chars = text.chars().count();
    if chars == 0 || chars > MAX_COMMENT_CHARS {
        return Err(ApiError::BadBundle {
            message: format!("a comment holds 1 to {MAX_COMMENT_CHARS} characters, not {chars}"),
            path: Some("body".into()),
        });
    }
    if comment
        .t_ms
        .is_some_and(|t| !(0..=86_400_000 * 7).contains(&t))
    {
        return Err(ApiError::BadBundle {
            message: "t_ms is a moment of the recording: 0 or more milliseconds".into(),
            path: Some("t_ms".into()),
        });
    }
    let store = state.store.clone();
    let report = meta.id.clone();
    match blocking(move || store.add_comment(&report, holder.token_id, comment.t_ms, &text)).await?
    {
        Ok(()) => {}
        Err(CommentRefusal::Full) => {
            return Err(ApiError::Conflict(format!(
                "this report has {MAX_COMMENTS} comments, the most it keeps"
            )))
        }
        Err(CommentRefusal::Store(e)) => return Err(e.into()),
    }
    Ok(fresh(
        StatusCode::CREATED,
        listing(&state, &id, &headers).await?,
    ))
}
