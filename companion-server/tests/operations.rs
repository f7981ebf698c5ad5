//! What an operator relies on: the per-token rate limit, readiness, the
//! Prometheus counters, request ids, and an OpenAPI document that covers
//! every route.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{example, fixture, send};
use http_body_util::BodyExt;
use repro_server::app;
use repro_server::rate_limit::RateLimiter;
use tower::ServiceExt;

fn upload(token: &str, id: &str) -> Request<Body> {
    let mut bundle: serde_json::Value = serde_json::from_slice(&example()).unwrap();
    bundle["id"] = serde_json::json!(id);
    Request::post("/api/reports")
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(Body::from(bundle.to_string()))
        .unwrap()
}

async fn text(state: &repro_server::ServerState, path: &str) -> (StatusCode, String) {
    let response = app(state.clone())
        .oneshot(Request::get(path).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&bytes).to_string())
}

#[tokio::test]
async fn a_token_past_its_rate_limit_is_told_when_to_come_back() {
    let mut f = fixture();
    f.state.rate_limit = Arc::new(RateLimiter::new(2));
    let other = f.state.store.create_token("other").unwrap();
    for n in 0..2 {
        let (status, _) = send(&f.state, upload(&f.token, &format!("{n:032x}"))).await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let response = app(f.state.clone())
        .oneshot(upload(&f.token, &format!("{:032x}", 7)))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(response.headers()["retry-after"], "30");
    let body = response.into_body().collect().await.unwrap().to_bytes();
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("try again in 30 s"),
        "{body}"
    );
    assert!(matches!(
        f.state.store.report_for_bundle(&format!("{:032x}", 7)),
        Ok(None)
    ));
    let (status, _) = send(&f.state, upload(&other, &format!("{:032x}", 8))).await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "other tokens are not held back"
    );
}

#[tokio::test]
async fn the_store_is_where_the_settings_say() {
    let f = fixture();
    let (status, _) = send(&f.state, upload(&f.token, &"4".repeat(32))).await;
    assert_eq!(status, StatusCode::CREATED);
    let described = f.state.store.describe();
    let local_database = f._dir.path().join("repro.sqlite3").exists();
    let local_blobs = f._dir.path().join("bundles").exists();
    if common::on_scale_out_backends() {
        assert_eq!(
            described,
            "metadata in PostgreSQL, blobs in an S3-compatible bucket"
        );
        assert!(
            !local_database && !local_blobs,
            "nothing of the store is on the replica's disk"
        );
    } else {
        assert_eq!(described, "metadata in SQLite, blobs in a folder");
        assert!(local_database && local_blobs);
    }
}

#[tokio::test]
async fn readiness_follows_the_store() {
    let f = fixture();
    assert_eq!(
        text(&f.state, "/readyz").await,
        (StatusCode::OK, "ready".into())
    );
    if common::on_scale_out_backends() {
        // The tables vanish (a wrong database, a restore gone wrong).
        let schema = common::backend_flags(f._dir.path())[1].clone();
        let drop = format!("DROP SCHEMA {schema} CASCADE");
        f.state
            .store
            .database()
            .transaction(move |tx| tx.execute(&drop, &[]))
            .unwrap();
    } else {
        std::fs::remove_dir_all(f._dir.path().join("tmp")).unwrap();
    }
    let (status, body) = text(&f.state, "/readyz").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(body.contains("the store is not ready"), "{body}");
}

#[tokio::test]
async fn metrics_count_uploads_refusals_and_time() {
    let f = fixture();
    send(&f.state, upload(&f.token, &"1".repeat(32))).await;
    send(&f.state, upload(&f.token, &"1".repeat(32))).await;
    send(&f.state, upload("repro_wrong", &"2".repeat(32))).await;
    text(&f.state, &format!("/r/{}", "3".repeat(32))).await;
    let (status, metrics) = text(&f.state, "/metrics").await;
    assert_eq!(status, StatusCode::OK);
    for line in [
        "repro_reports_stored_total 1\n",
        "repro_refusals_total{reason=\"unauthorized\"} 1\n",
        "repro_refusals_total{reason=\"not_found\"} 1\n",
        "repro_http_responses_total{status=\"201\"} 1\n",
        "repro_http_responses_total{status=\"200\"} 1\n",
        "repro_upload_duration_seconds_count 2\n",
        "repro_unfinished_uploads 0\n",
    ] {
        assert!(metrics.contains(line), "{line} in\n{metrics}");
    }
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let f = fixture();
    let response = app(f.state.clone())
        .oneshot(
            Request::get("/healthz")
                .header("x-request-id", "lb-42")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.headers()["x-request-id"], "lb-42");
    let response = app(f.state.clone())
        .oneshot(
            Request::get("/healthz")
                .header("x-request-id", "<script>")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let id = response.headers()["x-request-id"].to_str().unwrap();
    assert_eq!(id.len(), 16, "an unsafe id is replaced: {id}");
}

#[tokio::test]
async fn the_openapi_document_covers_every_route() {
    let f = fixture();
    let (status, document) = text(&f.state, "/api/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    let document: serde_json::Value = serde_json::from_str(&document).unwrap();
    assert!(document["openapi"].as_str().unwrap().starts_with("3."));
    let mut documented: Vec<String> = Vec::new();
    for (path, operations) in document["paths"].as_object().unwrap() {
        for method in operations.as_object().unwrap().keys() {
            documented.push(format!("{} {path}", method.to_uppercase()));
        }
    }
    documented.sort();
    let mut routes = vec![
        "POST /api/reports",
        "GET /api/uploads/{bundle}/{sha256}",
        "PUT /api/uploads/{bundle}/{sha256}/parts/{n}",
        "POST /api/uploads/{bundle}/{sha256}/complete",
        "GET /r/{id}",
        "GET /r/{id}/bundle.json",
        "GET /r/{id}/har",
        "GET /r/{id}/console.txt",
        "GET /r/{id}/issue.md",
        "GET /r/{id}/prompt.md",
        "GET /r/{id}/playwright.spec.ts",
        "GET /r/{id}/screenshots/{n}",
        "GET /r/{id}/thumbnail",
        "POST /mcp",
        "GET /r/{id}/comments",
        "POST /r/{id}/comments",
        "GET /r/{id}/assets/{sha256}",
        "POST /api/assets/missing",
        "PUT /api/assets/{sha256}",
        "GET /assets/{path}",
        "GET /healthz",
        "GET /readyz",
        "GET /metrics",
        "GET /api/openapi.json",
        "GET /",
        "GET /reports",
        "POST /reports/{id}/{action}",
        "POST /sign-in",
        "POST /sign-out",
        "GET /admin",
        "POST /admin/tokens",
        "POST /admin/tokens/{n}/revoke",
    ];
    routes.sort();
    assert_eq!(documented, routes);
    // Each documented route is served: the router's own "no such route" is an empty 404 or a 405.
    for route in routes {
        let (method, path) = route.split_once(' ').unwrap();
        let path = path
            .replace("{bundle}", &"a".repeat(32))
            .replace("{sha256}", &"b".repeat(64))
            .replace("{n}", "0")
            .replace("{id}", &"c".repeat(32))
            .replace("{path}", "viewer.js")
            .replace("{action}", "revoke");
        let request = Request::builder()
            .method(method)
            .uri(&path)
            .body(Body::empty())
            .unwrap();
        let response = app(f.state.clone()).oneshot(request).await.unwrap();
        let status = response.status();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        assert!(
            status != StatusCode::METHOD_NOT_ALLOWED
                && !(status == StatusCode::NOT_FOUND && body.is_empty()),
            "{route} is routed ({status})"
        );
    }
}

/// Every kind of answer, whoever wrote it (a page, the API, a download, an
/// asset, an error, an unknown path), carries the same protective headers;
/// a page keeps its own policy, anything else gets one that loads nothing.
#[tokio::test]
async fn every_answer_carries_nosniff_no_referrer_and_a_policy() {
    let f = fixture();
    std::fs::create_dir_all(f.state.assets.clone()).unwrap();
    std::fs::write(f.state.assets.join("viewer.css"), "body{}").unwrap();
    let (status, body) = send(&f.state, upload(&f.token, &format!("{:032x}", 1))).await;
    assert_eq!(status, StatusCode::CREATED);
    let link = body["url"].as_str().unwrap();
    let path = &link[link.find("/r/").unwrap()..];
    let paths = [
        path.to_string(),
        format!("{path}/bundle.json"),
        format!("{path}/console.txt"),
        "/r/no-such-report".to_string(),
        "/reports".to_string(),
        "/assets/viewer.css".to_string(),
        "/api/openapi.json".to_string(),
        "/metrics".to_string(),
        "/healthz".to_string(),
        "/no/such/path".to_string(),
    ];
    for path in paths {
        let response = app(f.state.clone())
            .oneshot(Request::get(&path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let headers = response.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "no-referrer", "{path}");
        let policy = headers["content-security-policy"].to_str().unwrap();
        let is_page = headers
            .get("content-type")
            .is_some_and(|t| t.to_str().unwrap().starts_with("text/html"));
        if is_page {
            assert!(
                policy.contains("frame-ancestors 'none'"),
                "{path}: {policy}"
            );
            assert!(
                !policy.contains("sandbox"),
                "{path}: a page keeps its own policy"
            );
        } else {
            assert!(policy.starts_with("default-src 'none'"), "{path}: {policy}");
            assert!(policy.contains("sandbox"), "{path}: {policy}");
        }
    }
}
