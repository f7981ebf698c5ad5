//! The server as an MCP server, for coding agents: the Model Context
//! Protocol's Streamable HTTP transport at `/mcp`, answering each JSON-RPC
//! request with one JSON response (which the transport allows; the server
//! never starts a stream, so `GET /mcp` answers 405). Written to the
//! specification rather than with an SDK: the protocol the tools need is
//! four methods (`initialize`, `ping`, `tools/list`, `tools/call`), and the
//! official Rust SDK would add a macro and schema stack to a lean build
//! (docs/DEPENDENCIES.md).
//!
//! Every request needs an upload token as `Authorization: Bearer`; without
//! one the answer is a 401 that says so, and nothing else. A request with
//! an `Origin` of another host is refused (the specification's guard
//! against DNS rebinding). Bodies are capped at [`MAX_BODY`]; the tools'
//! answers are capped too (`tools`).

mod tools;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::blocking::blocking;
use crate::{ApiError, ServerState};

/// The largest request body taken, in bytes.
pub const MAX_BODY: usize = 1024 * 1024;

/// Protocol versions this server speaks, newest first.
const VERSIONS: [&str; 4] = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"];

/// What a client is told of the server at `initialize`.
const INSTRUCTIONS: &str = "Repro reports: what a tester did in their browser, recorded with \
the page's console and network, masked before it left the browser. Find a report with \
list_reports (or take the id from its share link /r/<id>), read get_report (steps and \
diagnosis first), then get_console, get_network, get_dom_at and get_playwright_test.";

/// A JSON-RPC error object.
fn rpc_error(id: Value, code: i64, message: &str) -> Value {
    json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code, "message": message } })
}

/// `POST /mcp`: one JSON-RPC message (or a batch) from an MCP client.
pub(crate) async fn post(
    State(state): State<ServerState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(refusal) = admit(&state, &headers).await {
        return refusal;
    }
    let message: Value = match serde_json::from_slice(&body) {
        Ok(message) => message,
        Err(e) => {
            let error = rpc_error(Value::Null, -32700, &format!("not JSON: {e}"));
            return (StatusCode::BAD_REQUEST, Json(error)).into_response();
        }
    };
    let base = crate::upload::public_base(&state, &headers);
    let answers: Vec<Value> = match &message {
        Value::Array(batch) if !batch.is_empty() && batch.len() <= 32 => {
            let mut answers = Vec::new();
            for one in batch {
                if let Some(answer) = answer(&state, &base, one).await {
                    answers.push(answer);
                }
            }
            if answers.is_empty() {
                return StatusCode::ACCEPTED.into_response();
            }
            return Json(Value::Array(answers)).into_response();
        }
        Value::Array(_) => vec![rpc_error(
            Value::Null,
            -32600,
            "a batch holds 1 to 32 messages",
        )],
        one => answer(&state, &base, one).await.into_iter().collect(),
    };
    match answers.into_iter().next() {
        Some(answer) => Json(answer).into_response(),
        // A notification or a response: accepted, nothing to say.
        None => StatusCode::ACCEPTED.into_response(),
    }
}

/// `GET` and `DELETE /mcp`: this server opens no stream and keeps no session.
pub(crate) async fn no_stream() -> Response {
    let mut response = (
        StatusCode::METHOD_NOT_ALLOWED,
        Json(json!({ "error": "this MCP server answers POST requests only (no event stream, no session)" })),
    )
        .into_response();
    response
        .headers_mut()
        .insert(header::ALLOW, header::HeaderValue::from_static("POST"));
    response
}

/// Check the token and the origin; a refusal to send as it is.
async fn admit(state: &ServerState, headers: &HeaderMap) -> Result<i64, Response> {
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or_default();
        let origin_host = origin.split_once("://").map_or("", |(_, rest)| rest);
        if origin_host != host {
            return Err(ApiError::Forbidden(format!(
                "requests from the page at {origin} are refused (another site's page may not use this server's MCP endpoint)"
            ))
            .into_response());
        }
    }
    let unauthorized = |message: &str| {
        let mut response = ApiError::Unauthorized(message.to_string()).into_response();
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static("Bearer realm=\"repro\""),
        );
        response
    };
    let Some(token) = crate::upload::bearer(headers).map(str::to_string) else {
        return Err(unauthorized(
            "the MCP endpoint needs an upload token: `Authorization: Bearer <token>`",
        ));
    };
    let store = state.store.clone();
    let token_id = match blocking(move || store.check_token(&token)).await {
        Ok(Ok(Some(id))) => id,
        Ok(Ok(None)) => return Err(unauthorized("unknown or revoked upload token")),
        Ok(Err(e)) => return Err(ApiError::from(e).into_response()),
        Err(e) => return Err(e.into_response()),
    };
    state
        .rate_limit
        .take(token_id, std::time::Instant::now())
        .map_err(|wait| ApiError::TooMany(wait).into_response())?;
    Ok(token_id)
}

/// The answer to one message: `None` for a notification or a response.
async fn answer(state: &ServerState, base: &str, message: &Value) -> Option<Value> {
    let Some(object) = message.as_object() else {
        return Some(rpc_error(Value::Null, -32600, "a message is a JSON object"));
    };
    let method = object.get("method").and_then(Value::as_str);
    let id = object.get("id").cloned();
    let (Some(method), Some(id)) = (method, id) else {
        // A notification (`notifications/initialized`, …) or a client's
        // response: nothing to answer.
        return None;
    };
    let params = object.get("params").cloned().unwrap_or(Value::Null);
    let result = match method {
        "initialize" => Ok(initialize(&params)),
        "ping" => Ok(json!({})),
        "tools/list" => Ok(json!({ "tools": tools::list() })),
        "tools/call" => {
            let name = params.get("name").and_then(Value::as_str).unwrap_or("");
            let arguments = params.get("arguments").cloned().unwrap_or(json!({}));
            match tools::call(state, base, name, &arguments).await {
                Some(result) => Ok(result),
                None => Err((-32602, format!("there is no tool `{name}`: see tools/list"))),
            }
        }
        other => Err((-32601, format!("this server does not answer `{other}`"))),
    };
    Some(match result {
        Ok(result) => json!({ "jsonrpc": "2.0", "id": id, "result": result }),
        Err((code, message)) => rpc_error(id, code, &message),
    })
}

/// `initialize`: the version both speak, what the server offers.
fn initialize(params: &Value) -> Value {
    let asked = params
        .get("protocolVersion")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let version = VERSIONS
        .iter()
        .find(|v| **v == asked)
        .unwrap_or(&VERSIONS[0]);
    json!({
        "protocolVersion": version,
        "capabilities": { "tools": { "listChanged": false } },
        "serverInfo": { "name": "repro", "title": "Repro reports", "version": env!("CARGO_PKG_VERSION") },
        "instructions": INSTRUCTIONS,
    })
}
