//! Every request gets an id (the client's `X-Request-Id` when it is a sane
//! one, else a new random one), echoed in the response, and one log line:
//! method, path, status, time taken, and why it was refused. The same pass
//! feeds the metrics.

use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

use crate::error::Refusal;
use crate::ServerState;

static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

fn request_id(request: &Request) -> String {
    request
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|id| {
            !id.is_empty()
                && id.len() <= 64
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .map(str::to_string)
        .or_else(|| {
            crate::store::random_id()
                .ok()
                .map(|id| id[..16].to_string())
        })
        .unwrap_or_default()
}

/// Is this request an upload whose time the metrics keep?
fn is_upload(method: &str, path: &str) -> bool {
    method == "POST" && (path == "/api/reports" || path.ends_with("/complete"))
}

/// The middleware.
pub async fn log_request(
    State(state): State<ServerState>,
    request: Request,
    next: Next,
) -> Response {
    let id = request_id(&request);
    let method = request.method().to_string();
    let path = request.uri().path().to_string();
    let started = Instant::now();
    let mut response = next.run(request).await;
    let took = started.elapsed();
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID.clone(), value);
    }
    let status = response.status().as_u16();
    let refusal = response.extensions().get::<Refusal>().map(|r| r.0);
    state.metrics.answered(status, refusal);
    if is_upload(&method, &path) && response.status().is_success() {
        state.metrics.upload_took(took);
    }
    let level = match status {
        500.. => "error",
        400.. => "warn",
        _ => "info",
    };
    crate::json_log::event(
        level,
        "request",
        serde_json::json!({
            "request_id": id,
            "method": method,
            "path": path,
            "status": status,
            "ms": (took.as_secs_f64() * 1000.0 * 10.0).round() / 10.0,
            "refusal": refusal,
        }),
    );
    response
}
