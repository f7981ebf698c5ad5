//! Triage on the team's side, through the real router and store: a
//! report's status that any signed-in holder sets and the list filters
//! on, comments that signed-in holders write and anyone with the link
//! reads, and the list's pages.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::fixture;
use common::team::{call, form, page, sign_in, upload};

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
