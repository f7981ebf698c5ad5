//! What the team pages' tests share: requests through the real router as a
//! browser sends them (forms, pages with the session cookie), signing in
//! with a token, and uploading a titled report.

#![allow(clippy::unwrap_used, dead_code)] // test helpers; not every test file uses each

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use repro_server::{app, ServerState};
use tower::ServiceExt;

use super::{example, send};

pub async fn call(
    state: &ServerState,
    request: Request<Body>,
) -> (StatusCode, axum::http::HeaderMap, String) {
    let response = app(state.clone()).oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    let body = body.collect().await.unwrap().to_bytes();
    (
        parts.status,
        parts.headers,
        String::from_utf8_lossy(&body).to_string(),
    )
}

pub fn form(path: &str, cookie: Option<&str>, fields: &str) -> Request<Body> {
    let mut request =
        Request::post(path).header("content-type", "application/x-www-form-urlencoded");
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.body(Body::from(fields.to_string())).unwrap()
}

pub fn page(path: &str, cookie: &str) -> Request<Body> {
    Request::get(path)
        .header("cookie", cookie)
        .body(Body::empty())
        .unwrap()
}

/// The value of the first form field named `name` in `html`.
fn hidden_value(html: &str, name: &str) -> String {
    html.split(&format!("name=\"{name}\" value=\""))
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string()
}

/// The sign-in form's check value and the cookie that carries it, as a
/// browser gets them by opening the sign-in page.
pub async fn sign_in_check(state: &ServerState) -> (String, String) {
    let request = Request::get("/reports").body(Body::empty()).unwrap();
    let (status, headers, html) = call(state, request).await;
    assert_eq!(status, StatusCode::OK);
    let check = hidden_value(&html, "check");
    let cookie = headers["set-cookie"].to_str().unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    (check, cookie.split(';').next().unwrap().to_string())
}

/// Sign in with `token`; the cookie to send, and the page's check value.
pub async fn sign_in(state: &ServerState, token: &str) -> (String, String) {
    let (check, check_cookie) = sign_in_check(state).await;
    let (status, headers, _) = call(
        state,
        form(
            "/sign-in",
            Some(&check_cookie),
            &format!("token={token}&next=/reports&check={check}"),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let cookie = headers["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let cookie = cookie.split(';').next().unwrap().to_string();
    let (_, _, html) = call(state, page("/reports", &cookie)).await;
    let csrf = hidden_value(&html, "csrf");
    (cookie, csrf)
}

/// Upload the example bundle as bundle number `n`, changed by `edit`; the
/// server's answer.
pub async fn upload_edited(
    state: &ServerState,
    token: &str,
    n: u8,
    edit: impl FnOnce(&mut serde_json::Value),
) -> (StatusCode, serde_json::Value) {
    let mut bundle: serde_json::Value = serde_json::from_slice(&example()).unwrap();
    bundle["id"] = serde_json::json!(format!("{n:032x}"));
    edit(&mut bundle);
    let request = Request::post("/api/reports")
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(Body::from(bundle.to_string()))
        .unwrap();
    send(state, request).await
}

pub async fn upload(state: &ServerState, token: &str, n: u8, title: &str, url: &str) -> String {
    let (status, body) = upload_edited(state, token, n, |bundle| {
        bundle["title"] = serde_json::json!(title);
        bundle["pages"][0]["url"] = serde_json::json!(url);
    })
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["id"].as_str().unwrap().to_string()
}
