//! The team pages through the real router and store: sign-in with a token,
//! the report list and its search, who may delete what, the admin page's
//! tokens (shown once, never listed), and the checks that keep other sites
//! from acting for a signed-in holder.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{example, fixture, send};
use http_body_util::BodyExt;
use repro_server::{app, ServerState};
use tower::ServiceExt;

async fn call(
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

fn form(path: &str, cookie: Option<&str>, fields: &str) -> Request<Body> {
    let mut request =
        Request::post(path).header("content-type", "application/x-www-form-urlencoded");
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.body(Body::from(fields.to_string())).unwrap()
}

fn page(path: &str, cookie: &str) -> Request<Body> {
    Request::get(path)
        .header("cookie", cookie)
        .body(Body::empty())
        .unwrap()
}

/// The sign-in form's check value and the cookie that carries it, as a
/// browser gets them by opening the sign-in page.
async fn sign_in_check(state: &ServerState) -> (String, String) {
    let request = Request::get("/reports").body(Body::empty()).unwrap();
    let (status, headers, html) = call(state, request).await;
    assert_eq!(status, StatusCode::OK);
    let check = html
        .split("name=\"check\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let cookie = headers["set-cookie"].to_str().unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    (check, cookie.split(';').next().unwrap().to_string())
}

/// Sign in with `token`; the cookie to send, and the page's check value.
async fn sign_in(state: &ServerState, token: &str) -> (String, String) {
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
    let csrf = html
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    (cookie, csrf)
}

async fn upload(state: &ServerState, token: &str, n: u8, title: &str, url: &str) -> String {
    let mut bundle: serde_json::Value = serde_json::from_slice(&example()).unwrap();
    bundle["id"] = serde_json::json!(format!("{n:032x}"));
    bundle["title"] = serde_json::json!(title);
    bundle["pages"][0]["url"] = serde_json::json!(url);
    let request = Request::post("/api/reports")
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(Body::from(bundle.to_string()))
        .unwrap();
    let (status, body) = send(state, request).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn the_server_address_alone_leads_to_the_reports_page() {
    let f = fixture();
    let (status, headers, _) = call(&f.state, Request::get("/").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers["location"], "/reports");
    let (status, _, html) = call(
        &f.state,
        Request::get("/reports").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("name=\"token\""), "a sign-in form: {html}");
}

#[tokio::test]
async fn token_holders_list_search_and_delete_their_reports() {
    let f = fixture();
    let bob = f.state.store.create_token("bob").unwrap();
    let mine = upload(
        &f.state,
        &f.token,
        1,
        "Checkout <script>alert(1)</script> fails",
        "https://shop.test/checkout",
    )
    .await;
    let theirs = upload(
        &f.state,
        &bob,
        2,
        "Search is slow",
        "https://shop.test/search",
    )
    .await;

    let (status, _, html) = call(
        &f.state,
        Request::get("/reports").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Upload token") && !html.contains("Search is slow"),
        "signed out: the sign-in form only"
    );
    let (check, check_cookie) = sign_in_check(&f.state).await;
    let (status, _, html) = call(
        &f.state,
        form(
            "/sign-in",
            Some(&check_cookie),
            &format!("token=repro_wrong&check={check}"),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(html.contains("unknown or revoked"));

    let (cookie, csrf) = sign_in(&f.state, &f.token).await;
    let (_, headers, html) = call(&f.state, page("/reports", &cookie)).await;
    assert!(html.contains("2 reports"), "{html}");
    // Escaped (askama writes `&#60;`, by number), never markup.
    assert!(
        (html.contains("Checkout &lt;script&gt;") || html.contains("Checkout &#60;script&#62;"))
            && !html.contains("<script>"),
        "titles are text: {html}"
    );
    assert!(html.contains(">bob<"), "the tester is the token's label");
    assert!(headers["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("default-src 'none'"));
    for (search, expected) in [
        ("q=checkout", "1 report<"),
        ("q=shop.test%2Fsearch", "1 report<"),
        ("tester=bo", "1 report<"),
        ("q=nothing-like-this", "0 reports"),
        ("from=2000-01-01&to=2999-12-31", "2 reports"),
        ("to=2000-01-01", "0 reports"),
    ] {
        let (_, _, html) = call(&f.state, page(&format!("/reports?{search}"), &cookie)).await;
        assert!(html.contains(expected), "{search}: {expected}");
    }
    let (_, _, html) = call(&f.state, page("/reports?from=last-week", &cookie)).await;
    assert!(html.contains("From `last-week` is not a date like 2026-01-31"));

    let delete = |id: &str, csrf: &str| {
        form(
            &format!("/reports/{id}/delete"),
            Some(&cookie),
            &format!("csrf={csrf}"),
        )
    };
    let (status, _, _) = call(&f.state, delete(&mine, "forged")).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a form without the session's check value is refused"
    );
    let (status, _, html) = call(&f.state, delete(&theirs, &csrf)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{html}");
    let revoke = form(
        &format!("/reports/{mine}/revoke"),
        Some(&cookie),
        &format!("csrf={csrf}"),
    );
    let (status, _, _) = call(&f.state, revoke).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, _) = call(
        &f.state,
        Request::get(format!("/r/{mine}"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::GONE, "a revoked link answers 410");
    let (_, _, html) = call(&f.state, page("/reports?q=checkout", &cookie)).await;
    assert!(
        html.contains(">revoked<") && !html.contains("Revoke link"),
        "{html}"
    );
    let (status, _, _) = call(&f.state, delete(&mine, &csrf)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, _) = call(
        &f.state,
        Request::get(format!("/r/{mine}"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a deleted report's link is gone"
    );
    assert!(!f
        ._dir
        .path()
        .join(format!("bundles/{mine}.json.gz"))
        .exists());

    let (status, headers, _) = call(
        &f.state,
        form("/sign-out", Some(&cookie), &format!("csrf={csrf}")),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(headers["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    let (_, _, html) = call(&f.state, page("/reports", &cookie)).await;
    assert!(html.contains("Upload token"), "signed out");
}

#[tokio::test]
async fn admins_create_list_and_revoke_tokens() {
    let f = fixture();
    let admin = f.state.store.create_token_with("lead", true).unwrap();
    let (cookie, _) = sign_in(&f.state, &f.token).await;
    let (status, _, html) = call(&f.state, page("/admin", &cookie)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{html}");

    let (cookie, csrf) = sign_in(&f.state, &admin).await;
    let (status, _, html) = call(&f.state, page("/admin", &cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(">lead<") && html.contains(">admin<") && html.contains(">test<"));
    assert!(
        !html.contains(&admin) && !html.contains(&f.token),
        "tokens are never listed"
    );

    let (status, _, html) = call(
        &f.state,
        form(
            "/admin/tokens",
            Some(&cookie),
            &format!("csrf={csrf}&label=carol"),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let created = html
        .split("<code id=\"new-token\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string();
    assert!(created.starts_with("repro_"));
    assert!(f.state.store.check_token(&created).unwrap().is_some());
    let (_, _, html) = call(&f.state, page("/admin", &cookie)).await;
    assert!(
        html.contains(">carol<") && !html.contains(&created),
        "shown once only"
    );

    let (holder_cookie, _) = sign_in(&f.state, &created).await;
    let number = f
        .state
        .store
        .list_tokens()
        .unwrap()
        .iter()
        .find(|t| t.label == "carol")
        .unwrap()
        .id;
    let (status, _, _) = call(
        &f.state,
        form(
            &format!("/admin/tokens/{number}/revoke"),
            Some(&cookie),
            "csrf=forged",
        ),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = call(
        &f.state,
        form(
            &format!("/admin/tokens/{number}/revoke"),
            Some(&cookie),
            &format!("csrf={csrf}"),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(f.state.store.check_token(&created).unwrap().is_none());
    let (status, _, text) = call(
        &f.state,
        form(
            "/admin/tokens/seven/revoke",
            Some(&cookie),
            &format!("csrf={csrf}"),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let answer: serde_json::Value = serde_json::from_str(&text).expect("a JSON refusal");
    assert_eq!(answer["path"], "token number", "{answer}");
    let (status, _, text) = call(
        &f.state,
        form(
            "/admin/tokens",
            Some(&cookie),
            &format!("csrf={csrf}&label={}", "x".repeat(201)),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
    let answer: serde_json::Value = serde_json::from_str(&text).expect("a JSON refusal");
    assert_eq!(answer["path"], "label", "{answer}");
    let (_, _, html) = call(&f.state, page("/reports", &holder_cookie)).await;
    assert!(
        html.contains("Upload token"),
        "a revoked token's sign-in ends with it"
    );
}

#[tokio::test]
async fn another_site_can_sign_no_one_in_or_out() {
    let f = fixture();
    // A form posted from another site carries no check value, or one its
    // author made up without the cookie (SameSite=Strict keeps it home).
    let (check, check_cookie) = sign_in_check(&f.state).await;
    for (cookie, fields) in [
        (None, format!("token={}&next=/reports", f.token)),
        (
            None,
            format!("token={}&next=/reports&check={check}", f.token),
        ),
        (
            Some(check_cookie.as_str()),
            format!("token={}&next=/reports&check=forged", f.token),
        ),
    ] {
        let (status, headers, _) = call(&f.state, form("/sign-in", cookie, &fields)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{fields}");
        let cookies: Vec<&str> = headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        assert!(
            cookies.iter().all(|c| !c.starts_with("repro_session=")),
            "no session from a cross-site form: {cookies:?}"
        );
    }
    let (session, csrf) = sign_in(&f.state, &f.token).await;
    let (status, headers, _) = call(&f.state, form("/sign-out", Some(&session), "")).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a sign-out without the check value"
    );
    assert!(
        headers.get("set-cookie").is_none(),
        "the session cookie stays"
    );
    let (_, _, html) = call(&f.state, page("/reports", &session)).await;
    assert!(html.contains("Signed in as"), "still signed in");
    let (status, _, _) = call(
        &f.state,
        form("/sign-out", Some(&session), &format!("csrf={csrf}")),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "the page's own sign-out works"
    );
}

#[tokio::test]
async fn any_holder_sets_a_reports_status_and_the_list_filters_on_it() {
    let f = fixture();
    let bob = f.state.store.create_token("bob").unwrap();
    let first = upload(&f.state, &f.token, 1, "Save fails", "https://app.test/a").await;
    upload(&f.state, &f.token, 2, "Menu jumps", "https://app.test/b").await;
    // Bob did not upload it: triage is the team's, anyone signed in may say.
    let (cookie, csrf) = sign_in(&f.state, &bob).await;
    let (_, _, html) = call(&f.state, page("/reports", &cookie)).await;
    assert_eq!(
        html.matches("<option value=\"open\" selected>").count(),
        2,
        "new reports are open"
    );
    let (status, headers, _) = call(
        &f.state,
        form(
            &format!("/reports/{first}/status"),
            Some(&cookie),
            &format!("csrf={csrf}&status=in_progress"),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers["location"], "/reports");
    for (search, expected) in [
        ("status=in_progress", "1 report<"),
        ("status=open", "1 report<"),
        ("status=fixed", "0 reports"),
        ("status=anything", "2 reports"),
        ("", "2 reports"),
    ] {
        let (_, _, html) = call(&f.state, page(&format!("/reports?{search}"), &cookie)).await;
        assert!(html.contains(expected), "{search}: {expected}");
    }
    let (_, _, html) = call(&f.state, page("/reports?status=in_progress", &cookie)).await;
    assert!(
        html.contains("Save fails") && html.contains("<option value=\"in_progress\" selected>")
    );
    // A status it does not know, a forged form, a missing report: refused.
    let (status, _, body) = call(
        &f.state,
        form(
            &format!("/reports/{first}/status"),
            Some(&cookie),
            &format!("csrf={csrf}&status=deleted"),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body.contains("status must be one of open, in_progress, fixed, wont_fix"),
        "{body}"
    );
    let (status, _, _) = call(
        &f.state,
        form(
            &format!("/reports/{first}/status"),
            Some(&cookie),
            "csrf=forged&status=fixed",
        ),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = call(
        &f.state,
        form(
            &format!("/reports/{}/status", "f".repeat(32)),
            Some(&cookie),
            &format!("csrf={csrf}&status=fixed"),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

fn comment(path: &str, cookie: Option<&str>, body: serde_json::Value) -> Request<Body> {
    let mut request = Request::post(path).header("content-type", "application/json");
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.body(Body::from(body.to_string())).unwrap()
}

#[tokio::test]
async fn a_signed_in_holder_comments_on_a_report_anyone_with_the_link_reads() {
    let f = fixture();
    let bob = f.state.store.create_token("bob").unwrap();
    let id = upload(&f.state, &f.token, 1, "Save fails", "https://app.test/a").await;
    let path = format!("/r/{id}/comments");
    let anonymous = |request| call(&f.state, request);
    let (status, headers, body) = anonymous(Request::get(&path).body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(body, r#"{"comments":[],"holder":null}"#);
    let (status, _, body) = anonymous(comment(
        &path,
        None,
        serde_json::json!({"csrf": "x", "body": "hi"}),
    ))
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");

    let (cookie, csrf) = sign_in(&f.state, &bob).await;
    let (_, _, body) = call(&f.state, page(&path, &cookie)).await;
    let listing: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(listing["holder"]["label"], "bob");
    assert_eq!(listing["holder"]["csrf"], csrf.as_str());
    let (status, _, body) = call(
        &f.state,
        comment(&path, Some(&cookie), serde_json::json!({"csrf": csrf, "body": "  Reproduced on staging <b>too</b>  ", "t_ms": 1200})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let listing: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(listing["comments"][0]["who"], "bob");
    assert_eq!(
        listing["comments"][0]["body"], "Reproduced on staging <b>too</b>",
        "kept as text, trimmed"
    );
    assert_eq!(listing["comments"][0]["t_ms"], 1200);
    let (_, _, body) = anonymous(Request::get(&path).body(Body::empty()).unwrap()).await;
    assert!(
        body.contains("Reproduced on staging"),
        "anyone with the link reads it"
    );

    for (fields, expected) in [
        (
            serde_json::json!({"csrf": "forged", "body": "x"}),
            StatusCode::FORBIDDEN,
        ),
        (
            serde_json::json!({"csrf": csrf, "body": "   "}),
            StatusCode::BAD_REQUEST,
        ),
        (
            serde_json::json!({"csrf": csrf, "body": "x".repeat(4001)}),
            StatusCode::BAD_REQUEST,
        ),
        (
            serde_json::json!({"csrf": csrf, "body": "x", "t_ms": -5}),
            StatusCode::BAD_REQUEST,
        ),
        (serde_json::json!({"csrf": csrf}), StatusCode::BAD_REQUEST),
    ] {
        let (status, _, body) = call(&f.state, comment(&path, Some(&cookie), fields.clone())).await;
        assert_eq!(status, expected, "{fields}: {body}");
    }
    let big = serde_json::json!({"csrf": csrf, "body": "x".repeat(40_000)});
    let (status, _, _) = call(&f.state, comment(&path, Some(&cookie), big)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let missing = format!("/r/{}/comments", "f".repeat(32));
    let (status, _, _) = call(
        &f.state,
        comment(
            &missing,
            Some(&cookie),
            serde_json::json!({"csrf": csrf, "body": "x"}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Deleting the report deletes its comments.
    f.state.store.delete_report(&id).unwrap();
    assert!(f.state.store.comments(&id).unwrap().is_empty());
}

#[tokio::test]
async fn the_list_pages_through_many_reports_keeping_the_search() {
    let f = fixture();
    for n in 1..=5u8 {
        upload(
            &f.state,
            &f.token,
            n,
            &format!("Report {n}"),
            "https://app.test/x",
        )
        .await;
    }
    // The store's pages, newest first, on either engine.
    let query = repro_server::team_store::ReportQuery::default();
    let titles = |offset| {
        f.state
            .store
            .find_reports(&query, 2, offset)
            .unwrap()
            .into_iter()
            .map(|r| r.title)
            .collect::<Vec<_>>()
    };
    let all: Vec<String> = f
        .state
        .store
        .find_reports(&query, 10, 0)
        .unwrap()
        .into_iter()
        .map(|r| r.title)
        .collect();
    assert_eq!(all.len(), 5);
    assert_eq!(titles(0), all[0..2]);
    assert_eq!(titles(2), all[2..4]);
    assert_eq!(titles(4), all[4..5]);
    assert!(titles(6).is_empty());
    // The page past the last: no report, a link back with the search kept.
    let (cookie, _) = sign_in(&f.state, &f.token).await;
    let (_, _, html) = call(
        &f.state,
        page("/reports?q=Report&status=open&page=2", &cookie),
    )
    .await;
    assert!(html.contains("0 reports (page 2)"), "{html}");
    assert!(
        html.contains("href=\"/reports?q=Report&amp;status=open&amp;page=1\" rel=\"prev\"")
            || html.contains("href=\"/reports?q=Report&#38;status=open&#38;page=1\" rel=\"prev\""),
        "{html}"
    );
    assert!(!html.contains("rel=\"next\""));
    let (_, _, html) = call(&f.state, page("/reports?page=-3", &cookie)).await;
    assert!(
        html.contains("5 reports<"),
        "a page that is not one is the first: {html}"
    );
}
