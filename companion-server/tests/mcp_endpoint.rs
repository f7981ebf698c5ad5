//! The MCP endpoint read as an attacker would: nothing without a token, a
//! page of another site refused, bad JSON and unknown methods answered
//! with JSON-RPC errors, a body past the cap refused before it is read
//! whole, batches bounded, tool arguments checked; and as a client would:
//! the version negotiated, notifications accepted, a report read by its
//! share link, long lists paged with a note.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{example, fixture, send};
use http_body_util::BodyExt;
use repro_server::app;
use serde_json::{json, Value};
use tower::ServiceExt;

async fn mcp(
    state: &repro_server::ServerState,
    token: Option<&str>,
    origin: Option<&str>,
    body: impl Into<Body>,
) -> (StatusCode, Value) {
    let mut request = Request::post("/mcp")
        .header("host", "repro.test")
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream");
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    if let Some(origin) = origin {
        request = request.header("origin", origin);
    }
    let response = app(state.clone())
        .oneshot(request.body(body.into()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes)
            .unwrap_or(Value::String(String::from_utf8_lossy(&bytes).to_string())),
    )
}

fn rpc(method: &str, params: Value) -> String {
    json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params }).to_string()
}

#[tokio::test]
async fn nothing_without_a_token_or_from_another_site() {
    let f = fixture();
    let (status, body) = mcp(&f.state, None, None, rpc("tools/list", json!({}))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("needs an upload token"),
        "{body}"
    );
    let (status, _) = mcp(&f.state, Some("nope"), None, rpc("tools/list", json!({}))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = mcp(
        &f.state,
        Some(&f.token),
        Some("https://evil.test"),
        rpc("tools/list", json!({})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = mcp(
        &f.state,
        Some(&f.token),
        Some("http://repro.test"),
        rpc("tools/list", json!({})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "its own pages may: {body}");
}

#[tokio::test]
async fn bad_messages_get_json_rpc_errors_and_bounded_cost() {
    let f = fixture();
    let token = Some(f.token.as_str());
    let (status, body) = mcp(&f.state, token, None, "{not json").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["code"], -32700);
    let (_, body) = mcp(&f.state, token, None, rpc("resources/list", json!({}))).await;
    assert_eq!(body["error"]["code"], -32601);
    let (_, body) = mcp(
        &f.state,
        token,
        None,
        rpc("tools/call", json!({"name": "rm"})),
    )
    .await;
    assert_eq!(body["error"]["code"], -32602);
    let big = format!("{{\"pad\":\"{}\"}}", "x".repeat(2 * 1024 * 1024));
    let (status, _) = mcp(&f.state, token, None, big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let batch: Vec<Value> = (0..33)
        .map(|_| json!({"jsonrpc": "2.0", "id": 1, "method": "ping"}))
        .collect();
    let (_, body) = mcp(&f.state, token, None, Value::Array(batch).to_string()).await;
    assert_eq!(body["error"]["code"], -32600, "{body}");
    let note = json!({"jsonrpc": "2.0", "method": "notifications/initialized"}).to_string();
    let (status, _) = mcp(&f.state, token, None, note).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let (_, body) = mcp(
        &f.state,
        token,
        None,
        rpc(
            "tools/call",
            json!({"name": "get_report", "arguments": {"id": "../../etc/passwd"}}),
        ),
    )
    .await;
    assert_eq!(body["result"]["isError"], true);
    assert!(
        body["result"]["content"][0]["text"]
            .as_str()
            .unwrap()
            .contains("is not a report"),
        "{body}"
    );
    let (_, body) = mcp(
        &f.state,
        token,
        None,
        rpc(
            "tools/call",
            json!({"name": "get_dom_at", "arguments": {"id": "f".repeat(32), "time": -1}}),
        ),
    )
    .await;
    assert_eq!(body["result"]["isError"], true, "{body}");
}

#[tokio::test]
async fn a_client_negotiates_and_reads_a_report_by_its_link() {
    let f = fixture();
    let token = Some(f.token.as_str());
    let (_, body) = mcp(&f.state, token, None, rpc("initialize", json!({"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}))).await;
    assert_eq!(body["result"]["protocolVersion"], "2025-06-18");
    assert_eq!(
        body["result"]["capabilities"]["tools"]["listChanged"],
        false
    );
    let (_, body) = mcp(
        &f.state,
        token,
        None,
        rpc("initialize", json!({"protocolVersion": "1999-01-01"})),
    )
    .await;
    assert_eq!(
        body["result"]["protocolVersion"], "2025-11-25",
        "an unknown version gets the newest"
    );

    let upload = Request::post("/api/reports")
        .header("authorization", format!("Bearer {}", f.token))
        .header("content-type", "application/json")
        .body(Body::from(example()))
        .unwrap();
    let (status, stored) = send(&f.state, upload).await;
    assert_eq!(status, StatusCode::CREATED);
    let link = stored["url"].as_str().unwrap();
    let call = |name: &str, arguments: Value| {
        rpc("tools/call", json!({"name": name, "arguments": arguments}))
    };
    let (_, body) = mcp(
        &f.state,
        token,
        None,
        call("get_report", json!({"id": format!("{link}#t=1.0")})),
    )
    .await;
    let report: Value =
        serde_json::from_str(body["result"]["content"][0]["text"].as_str().unwrap()).unwrap();
    assert_eq!(report["title"], "Checkout fails");
    assert_eq!(
        report["link"],
        format!("http://repro.test/r/{}", link.rsplit('/').next().unwrap())
    );
    let (_, body) = mcp(
        &f.state,
        token,
        None,
        call("get_network", json!({"id": link, "limit": 1, "offset": 0})),
    )
    .await;
    let page: Value =
        serde_json::from_str(body["result"]["content"][0]["text"].as_str().unwrap()).unwrap();
    assert_eq!(page["returned"], 1);
    let (_, body) = mcp(
        &f.state,
        token,
        None,
        call("get_screenshot", json!({"id": link, "index": 99})),
    )
    .await;
    assert_eq!(body["result"]["isError"], true);
}

#[tokio::test]
async fn a_get_opens_no_stream() {
    let f = fixture();
    let response = app(f.state.clone())
        .oneshot(Request::get("/mcp").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.headers()["allow"], "POST");
}
