//! Report thumbnails, through the real router and store: the small picture
//! of the tab at Stop that a bundle may carry is kept with the report's row,
//! shown in the team's list and served at `/r/{id}/thumbnail` while the
//! link works; a thumbnail that is not small, or not an image, is refused.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::fixture;
use common::team::{call, form, page, sign_in, upload, upload_edited};

/// A 1 × 1 PNG.
const PIXEL_PNG: &str =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

async fn upload_with_thumbnail(
    state: &repro_server::ServerState,
    token: &str,
    n: u8,
    thumbnail: serde_json::Value,
) -> (StatusCode, serde_json::Value) {
    upload_edited(state, token, n, |bundle| {
        bundle["title"] = serde_json::json!(format!("Report {n}"));
        bundle["thumbnail"] = thumbnail;
    })
    .await
}

fn thumbnail(width: u32, mime: &str, data: &str) -> serde_json::Value {
    serde_json::json!({"t": 0, "width": width, "height": 1, "mime": mime, "data": data})
}

#[tokio::test]
async fn the_list_shows_thumbnails_while_the_link_works() {
    let f = fixture();
    let (status, body) =
        upload_with_thumbnail(&f.state, &f.token, 1, thumbnail(1, "image/png", PIXEL_PNG)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let with = body["id"].as_str().unwrap().to_string();
    let without = upload(&f.state, &f.token, 2, "No picture", "https://app.test/").await;
    let (cookie, csrf) = sign_in(&f.state, &f.token).await;
    let (_, _, html) = call(&f.state, page("/reports", &cookie)).await;
    assert!(
        html.contains(&format!("<img src=\"/r/{with}/thumbnail\"")),
        "{html}"
    );
    assert!(!html.contains(&format!("/r/{without}/thumbnail")));
    assert_eq!(html.matches("class=\"no-thumb\"").count(), 1);

    let get = |path: String| Request::get(path).body(Body::empty()).unwrap();
    let (status, headers, bytes) = call(&f.state, get(format!("/r/{with}/thumbnail"))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "image/png");
    assert!(bytes.starts_with("\u{fffd}PNG"), "the PNG's own bytes");
    let (status, _, _) = call(&f.state, get(format!("/r/{without}/thumbnail"))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // A revoked link shows no picture, in the list or at its address.
    let (status, _, _) = call(
        &f.state,
        form(
            &format!("/reports/{with}/revoke"),
            Some(&cookie),
            &format!("csrf={csrf}"),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, _, html) = call(&f.state, page("/reports", &cookie)).await;
    assert!(!html.contains(&format!("/r/{with}/thumbnail")));
    let (status, _, _) = call(&f.state, get(format!("/r/{with}/thumbnail"))).await;
    assert_eq!(status, StatusCode::GONE);
}

#[tokio::test]
async fn a_thumbnail_that_is_not_small_or_not_an_image_is_refused() {
    let f = fixture();
    for (n, shot, path) in [
        (
            3,
            thumbnail(2000, "image/png", PIXEL_PNG),
            "thumbnail.width",
        ),
        (4, thumbnail(1, "text/html", PIXEL_PNG), "thumbnail.mime"),
        (
            5,
            thumbnail(1, "image/webp", &"A".repeat(100_000)),
            "thumbnail.data",
        ),
        (
            6,
            thumbnail(1, "image/png", "<svg onload=x>"),
            "thumbnail.data",
        ),
    ] {
        let (status, body) = upload_with_thumbnail(&f.state, &f.token, n, shot).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["path"], path, "{body}");
    }
}
