//! The team pages through the real router and store: sign-in with a token,
//! the report list and its search, who may delete what, the admin page's
//! tokens (shown once, never listed), and the checks that keep other sites
//! from acting for a signed-in holder.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::fixture;
use common::team::{call, form, page, sign_in, sign_in_check, upload};

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
