//! Uploads in parts through the real router and store: parts arrive in any
//! order and may be sent twice, only `complete` makes a report, a retry
//! after a lost answer returns the same report, and every refusal says why.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{example, fixture, gzip, send, stored_blobs};
use sha2::{Digest, Sha256};

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn bundle_id() -> String {
    serde_json::from_slice::<serde_json::Value>(&example()).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn request(method: &str, path: &str, token: &str, body: Vec<u8>) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(path)
        .header("host", "repro.test")
        .header("authorization", format!("Bearer {token}"))
        .body(Body::from(body))
        .unwrap()
}

fn pending_uploads(state: &repro_server::ServerState) -> usize {
    state.pending.unfinished().unwrap()
}

#[tokio::test]
async fn parts_in_any_order_make_one_report_and_a_retry_returns_it() {
    let f = fixture();
    let body = gzip(&example());
    let base = format!("/api/uploads/{}/{}", bundle_id(), sha256(&body));
    let (status, progress) = send(&f.state, request("GET", &base, &f.token, vec![])).await;
    assert_eq!(status, StatusCode::OK, "{progress}");
    assert_eq!(progress["part_bytes"], 64);
    assert_eq!(progress["parts"], serde_json::json!([]));
    assert!(progress["report"].is_null());

    let parts: Vec<&[u8]> = body.chunks(64).collect();
    assert!(parts.len() > 3, "the example spans several parts");
    let mut order: Vec<usize> = (0..parts.len()).rev().collect();
    order.push(1); // a part sent twice (its answer was lost) is harmless
    for n in order.iter().copied().skip(1) {
        let path = format!("{base}/parts/{n}");
        let (status, answer) =
            send(&f.state, request("PUT", &path, &f.token, parts[n].to_vec())).await;
        assert_eq!(status, StatusCode::OK, "{answer}");
    }
    let (_, progress) = send(&f.state, request("GET", &base, &f.token, vec![])).await;
    let arrived: Vec<u64> = progress["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["n"].as_u64().unwrap())
        .collect();
    assert_eq!(arrived, (0..parts.len() as u64 - 1).collect::<Vec<_>>());

    let complete = format!("{base}/complete");
    let count = serde_json::to_vec(&serde_json::json!({ "parts": parts.len() })).unwrap();
    let (status, answer) = send(
        &f.state,
        request("POST", &complete, &f.token, count.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    let last = parts.len() - 1;
    assert_eq!(
        answer["error"],
        format!("part {last} has not arrived; send it and complete again")
    );
    assert_eq!(
        stored_blobs(&f.state),
        0,
        "nothing is stored before every part is in"
    );

    let path = format!("{base}/parts/{last}");
    send(
        &f.state,
        request("PUT", &path, &f.token, parts[last].to_vec()),
    )
    .await;
    let (status, first) = send(
        &f.state,
        request("POST", &complete, &f.token, count.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(
        pending_uploads(&f.state),
        0,
        "the parts are gone once stored"
    );
    let id = first["id"].as_str().unwrap();
    let stored = repro_server::ingest::inflate(&f.state.store.blob(id).unwrap()).unwrap();
    let stored: repro_manifest::Bundle = serde_json::from_slice(&stored).unwrap();
    let sent: repro_manifest::Bundle = serde_json::from_slice(&example()).unwrap();
    assert_eq!(
        stored, sent,
        "the stored blob is the bundle the parts made, as validated"
    );

    // The answer was lost: the client asks again, or completes again.
    let (_, progress) = send(&f.state, request("GET", &base, &f.token, vec![])).await;
    assert_eq!(progress["report"]["id"], first["id"]);
    let (status, again) = send(&f.state, request("POST", &complete, &f.token, count)).await;
    assert_eq!((status, &again["id"]), (StatusCode::OK, &first["id"]));
    assert_eq!(stored_blobs(&f.state), 1);
}

#[tokio::test]
async fn parts_that_do_not_match_their_checksum_are_dropped() {
    let f = fixture();
    let body = gzip(&example());
    let base = format!("/api/uploads/{}/{}", bundle_id(), "0".repeat(64));
    for (n, part) in body.chunks(64).enumerate() {
        send(
            &f.state,
            request("PUT", &format!("{base}/parts/{n}"), &f.token, part.to_vec()),
        )
        .await;
    }
    let count =
        serde_json::to_vec(&serde_json::json!({ "parts": body.chunks(64).count() })).unwrap();
    let (status, answer) = send(
        &f.state,
        request("POST", &format!("{base}/complete"), &f.token, count),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        answer["error"]
            .as_str()
            .unwrap()
            .contains("do not match the SHA-256"),
        "{answer}"
    );
    assert_eq!(pending_uploads(&f.state), 0);
    assert_eq!(stored_blobs(&f.state), 0);
}

#[tokio::test]
async fn an_upload_in_parts_is_checked_like_a_whole_one() {
    let f = fixture();
    let other_token = f.state.store.create_token("other").unwrap();
    let body = gzip(&example());
    let base = format!("/api/uploads/{}/{}", bundle_id(), sha256(&body));
    send(
        &f.state,
        request(
            "PUT",
            &format!("{base}/parts/0"),
            &f.token,
            body[..64].to_vec(),
        ),
    )
    .await;

    let cases = [
        (
            request("PUT", &format!("{base}/parts/1"), &other_token, vec![1]),
            StatusCode::FORBIDDEN,
            "another upload token",
        ),
        (
            request("GET", &base, &other_token, vec![]),
            StatusCode::FORBIDDEN,
            "another upload token",
        ),
        (
            request("PUT", &format!("{base}/parts/1"), "repro_nope", vec![1]),
            StatusCode::UNAUTHORIZED,
            "unknown",
        ),
        (
            request("PUT", &format!("{base}/parts/1"), &f.token, vec![0; 65]),
            StatusCode::PAYLOAD_TOO_LARGE,
            "at most 64 bytes",
        ),
        (
            request("PUT", &format!("{base}/parts/999999999"), &f.token, vec![1]),
            StatusCode::PAYLOAD_TOO_LARGE,
            "past the largest upload",
        ),
        (
            request("GET", "/api/uploads/..%2F..%2Fetc/passwd", &f.token, vec![]),
            StatusCode::BAD_REQUEST,
            "32 hex digits",
        ),
        (
            request(
                "POST",
                &format!("{base}/complete"),
                &f.token,
                b"{}".to_vec(),
            ),
            StatusCode::BAD_REQUEST,
            "\"parts\"",
        ),
    ];
    for (request, status, words) in cases {
        let (got, answer) = send(&f.state, request).await;
        assert_eq!(got, status, "{answer}");
        assert!(
            answer["error"].as_str().unwrap().contains(words),
            "{answer}"
        );
    }

    // A bundle uploaded under another bundle's id is refused, and its parts dropped.
    let mut renamed: serde_json::Value = serde_json::from_slice(&example()).unwrap();
    renamed["id"] = serde_json::json!("f".repeat(32));
    let body = gzip(&serde_json::to_vec(&renamed).unwrap());
    let base = format!("/api/uploads/{}/{}", bundle_id(), sha256(&body));
    send(
        &f.state,
        request(
            "PUT",
            &format!("{base}/parts/0"),
            &f.token,
            body[..64].to_vec(),
        ),
    )
    .await;
    let mut parts = 1;
    for (n, part) in body.chunks(64).enumerate().skip(1) {
        send(
            &f.state,
            request("PUT", &format!("{base}/parts/{n}"), &f.token, part.to_vec()),
        )
        .await;
        parts += 1;
    }
    let count = serde_json::to_vec(&serde_json::json!({ "parts": parts })).unwrap();
    let (status, answer) = send(
        &f.state,
        request("POST", &format!("{base}/complete"), &f.token, count),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
    assert_eq!(answer["path"], "id");
    assert_eq!(stored_blobs(&f.state), 0);
    assert_eq!(
        pending_uploads(&f.state),
        1,
        "only the first, unfinished upload is left"
    );
}

#[tokio::test]
async fn a_part_number_that_is_not_a_number_is_refused_in_json() {
    let f = fixture();
    let body = gzip(&example());
    for n in ["x", "-1", "99999999999999999999"] {
        let path = format!("/api/uploads/{}/{}/parts/{n}", bundle_id(), sha256(&body));
        let (status, answer) = send(&f.state, request("PUT", &path, &f.token, vec![1])).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{n}: {answer}");
        assert_eq!(answer["path"], "part number", "{answer}");
        assert!(
            answer["error"]
                .as_str()
                .unwrap()
                .contains("must be a whole number"),
            "{answer}"
        );
    }
}

/// The parts path of an upload named by `bundle` (a number made into 32
/// hex digits) with a made-up digest.
fn parts_path(bundle: u32, n: u32) -> String {
    format!("/api/uploads/{bundle:032x}/{:064x}/parts/{n}", bundle)
}

#[tokio::test]
async fn one_token_may_park_only_so_many_uploads_and_bytes() {
    let f = fixture();
    let most = repro_server::unfinished_uploads::MAX_UNFINISHED_PER_TOKEN as u32;
    for bundle in 0..most {
        let (status, answer) = send(
            &f.state,
            request("PUT", &parts_path(bundle, 0), &f.token, vec![1; 8]),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "upload {bundle}: {answer}");
    }
    let (status, answer) = send(
        &f.state,
        request("PUT", &parts_path(most, 0), &f.token, vec![1; 8]),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    assert!(
        answer["error"]
            .as_str()
            .unwrap()
            .contains("begun and not finished"),
        "{answer}"
    );
    let (status, _) = send(
        &f.state,
        request("PUT", &parts_path(0, 1), &f.token, vec![1; 8]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "an upload begun goes on");

    // Bytes: with a 256-byte largest upload, a token parks 512 bytes at most.
    let small = common::fixture_with(repro_manifest::Limits {
        max_compressed_bytes: 256,
        ..repro_manifest::Limits::default()
    });
    for (bundle, n) in [
        (0, 0),
        (0, 1),
        (0, 2),
        (0, 3),
        (1, 0),
        (1, 1),
        (1, 2),
        (1, 3),
    ] {
        let (status, answer) = send(
            &small.state,
            request("PUT", &parts_path(bundle, n), &small.token, vec![1; 64]),
        )
        .await;
        assert_eq!(
            status,
            StatusCode::OK,
            "part {n} of upload {bundle}: {answer}"
        );
    }
    let (status, answer) = send(
        &small.state,
        request("PUT", &parts_path(2, 0), &small.token, vec![1; 64]),
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{answer}");
    assert!(
        answer["error"].as_str().unwrap().contains("512 bytes"),
        "{answer}"
    );
    assert_eq!(
        small.state.pending.unfinished().unwrap(),
        2,
        "the refused one was not begun"
    );
}
