//! Page assets through the real router and store (both backends: the
//! suite runs on each): asked for, sent once per content, listed by a
//! report, served by its link only, refused when they lie about their
//! bytes or type, and swept once no report uses them.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{example, fixture, send};
use http_body_util::BodyExt;
use repro_server::app;
use repro_server::asset_store::UNUSED_ASSET_MS;
use tower::ServiceExt;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n not a real image, but bytes all the same";

fn sha256(bytes: &[u8]) -> String {
    repro_server::blobs::sigv4::sha256_hex(bytes)
}

fn ask(token: &str, hashes: &[String]) -> Request<Body> {
    Request::post("/api/assets/missing")
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(Body::from(
            serde_json::json!({ "sha256": hashes }).to_string(),
        ))
        .unwrap()
}

fn put(token: &str, name: &str, content_type: &str, bytes: &[u8]) -> Request<Body> {
    Request::put(format!("/api/assets/{name}"))
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", content_type)
        .body(Body::from(bytes.to_vec()))
        .unwrap()
}

/// The example bundle as bundle `n`, listing `assets` (url, bytes).
fn report(token: &str, n: u32, assets: &[(&str, &[u8])]) -> Request<Body> {
    let mut bundle: serde_json::Value = serde_json::from_slice(&example()).unwrap();
    bundle["id"] = serde_json::json!(format!("{n:032x}"));
    bundle["assets"] = assets
        .iter()
        .map(|(url, bytes)| {
            serde_json::json!({"url": url, "sha256": sha256(bytes), "type": "image/png", "bytes": bytes.len()})
        })
        .collect();
    Request::post("/api/reports")
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(Body::from(bundle.to_string()))
        .unwrap()
}

async fn get(
    state: &repro_server::ServerState,
    path: &str,
) -> (StatusCode, Option<String>, Vec<u8>) {
    let response = app(state.clone())
        .oneshot(Request::get(path).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string());
    let body = response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    (status, content_type, body)
}

fn link_path(answer: &serde_json::Value) -> String {
    let url = answer["url"].as_str().unwrap();
    url[url.find("/r/").unwrap()..].to_string()
}

#[tokio::test]
async fn an_asset_is_stored_once_and_served_by_the_reports_that_list_it() {
    let f = fixture();
    let name = sha256(PNG);
    let (status, answer) = send(&f.state, ask(&f.token, std::slice::from_ref(&name))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(answer["missing"], serde_json::json!([name]));

    let (status, _) = send(&f.state, put(&f.token, &name, "image/png", PNG)).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, answer) = send(&f.state, ask(&f.token, std::slice::from_ref(&name))).await;
    assert_eq!(
        (status, answer["missing"].clone()),
        (StatusCode::OK, serde_json::json!([]))
    );
    // Sent again (another tester, another day): nothing new is stored.
    let (status, _) = send(&f.state, put(&f.token, &name, "image/png", PNG)).await;
    assert_eq!(status, StatusCode::OK);

    let mut links = Vec::new();
    for n in 1..=2 {
        let (status, answer) = send(
            &f.state,
            report(&f.token, n, &[("https://cdn.test/logo.png", PNG)]),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{answer}");
        links.push(link_path(&answer));
    }
    assert_eq!(
        f.state.store.asset_totals().unwrap(),
        (1, PNG.len() as i64),
        "two reports, one stored asset"
    );
    let (_, _, metrics) = get(&f.state, "/metrics").await;
    let metrics = String::from_utf8(metrics).unwrap();
    assert!(metrics.contains("repro_assets_stored 1\n"), "{metrics}");
    assert!(
        metrics.contains(&format!("repro_asset_bytes {}\n", PNG.len())),
        "{metrics}"
    );
    for link in &links {
        let (status, content_type, body) = get(&f.state, &format!("{link}/assets/{name}")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(content_type.as_deref(), Some("image/png"));
        assert_eq!(body, PNG);
    }
    // A report that does not list an asset does not serve it.
    let (status, answer) = send(&f.state, report(&f.token, 3, &[])).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _, _) = get(&f.state, &format!("{}/assets/{name}", link_path(&answer))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = get(&f.state, &format!("{}/assets/{}", links[0], "0".repeat(64))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_report_listing_an_asset_not_sent_is_refused_and_nothing_is_stored() {
    let f = fixture();
    let (status, answer) = send(
        &f.state,
        report(&f.token, 1, &[("https://cdn.test/a.png", b"never sent")]),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    assert!(
        answer["error"]
            .as_str()
            .unwrap()
            .contains("was not uploaded first"),
        "{answer}"
    );
    assert_eq!(
        common::stored_blobs(&f.state),
        0,
        "no report blob is left behind"
    );
    assert!(f.state.store.report_ids().unwrap().is_empty());
}

#[tokio::test]
async fn assets_that_lie_about_their_bytes_or_type_are_refused() {
    let f = fixture();
    let name = sha256(PNG);
    let (status, answer) = send(&f.state, put(&f.token, &sha256(b"other"), "image/png", PNG)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        answer["error"].as_str().unwrap().contains("hash to"),
        "{answer}"
    );
    for bad_type in ["text/html", "application/javascript", "image/png; x=y", ""] {
        let (status, answer) = send(&f.state, put(&f.token, &name, bad_type, PNG)).await;
        assert_eq!(
            status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{bad_type}: {answer}"
        );
    }
    let (status, _) = send(
        &f.state,
        put(&f.token, "../../etc/passwd", "image/png", PNG),
    )
    .await;
    assert!(status.is_client_error());
    let (status, _) = send(
        &f.state,
        put(&f.token, &name.to_uppercase(), "image/png", PNG),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = send(&f.state, put("repro_not-a-token", &name, "image/png", PNG)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = send(&f.state, ask(&f.token, &["nothex".to_string()])).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let too_many: Vec<String> = (0..2001)
        .map(|i| sha256(&[i as u8, (i >> 8) as u8]))
        .collect();
    let (status, _) = send(&f.state, ask(&f.token, &too_many)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let big = vec![7u8; f.state.limits.max_asset_bytes + 1];
    let (status, _) = send(&f.state, put(&f.token, &sha256(&big), "image/png", &big)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        f.state.store.asset_totals().unwrap(),
        (0, 0),
        "nothing refused was stored"
    );
}

#[tokio::test]
async fn an_asset_goes_once_no_report_uses_it_and_not_before() {
    let f = fixture();
    let kept = sha256(PNG);
    let orphan_bytes: &[u8] = b"sent, never listed by a report";
    let orphan = sha256(orphan_bytes);
    for (name, bytes) in [(&kept, PNG), (&orphan, orphan_bytes)] {
        let (status, _) = send(&f.state, put(&f.token, name, "image/png", bytes)).await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let (status, answer) = send(
        &f.state,
        report(&f.token, 1, &[("https://cdn.test/logo.png", PNG)]),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let store = &f.state.store;
    let now = repro_server::store::now_ms();
    // Young: nothing goes, even the one no report lists.
    assert_eq!(store.sweep_unused_assets(now - UNUSED_ASSET_MS).unwrap(), 0);
    // Long unused: the orphan goes; the listed one stays while its report does.
    assert_eq!(store.sweep_unused_assets(now + 1).unwrap(), 1);
    assert_eq!(store.asset_totals().unwrap(), (1, PNG.len() as i64));
    assert_eq!(
        store.missing_assets(std::slice::from_ref(&orphan)).unwrap(),
        vec![orphan]
    );
    let link = link_path(&answer);
    let report_id = link.trim_start_matches("/r/").to_string();
    store.delete_report(&report_id).unwrap();
    assert_eq!(
        store
            .sweep_unused_assets(repro_server::store::now_ms() + 1)
            .unwrap(),
        1
    );
    assert_eq!(store.asset_totals().unwrap(), (0, 0));
    assert_eq!(
        store.missing_assets(std::slice::from_ref(&kept)).unwrap(),
        vec![kept]
    );
}

/// `check` finds an asset row whose blob went missing, and an asset blob
/// no row names; `--repair` deletes the blob once it is old enough.
#[tokio::test]
async fn the_integrity_check_sees_assets_without_blobs_and_blobs_without_rows() {
    let f = fixture();
    let store = &f.state.store;
    let kept = sha256(PNG);
    let orphan_bytes: &[u8] = b"written, then the server died";
    let orphan = sha256(orphan_bytes);
    for (name, bytes) in [(&kept, PNG), (&orphan, orphan_bytes)] {
        let (status, _) = send(&f.state, put(&f.token, name, "image/png", bytes)).await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let now = repro_server::store::now_ms();
    let sound = repro_server::integrity::check_at(store, false, now).unwrap();
    assert_eq!(
        (sound.assets, sound.is_sound()),
        (2, true),
        "{:?}",
        sound.problems
    );
    assert!(sound.orphan_assets.is_empty());

    // A crash between an asset's blob and its row leaves a blob no row
    // names; a lost blob leaves a row without its bytes.
    store
        .database()
        .execute(
            "DELETE FROM assets WHERE sha256 = ?1",
            vec![orphan.as_str().into()],
        )
        .unwrap();
    store.remove_asset_blob(&kept).unwrap();
    let found = repro_server::integrity::check_at(store, true, now).unwrap();
    assert_eq!(
        found.problems,
        vec![format!("asset {kept}: blob: not found")]
    );
    assert_eq!(found.orphan_assets, vec![orphan.clone()]);
    assert_eq!(
        found.young_orphan_assets,
        vec![orphan.clone()],
        "just written: left alone"
    );
    assert_eq!(store.asset_blob_listing().unwrap().len(), 1);
    let later = now + repro_server::integrity::SETTLE_MS + 60_000;
    let repaired = repro_server::integrity::check_at(store, true, later).unwrap();
    assert!(repaired.young_orphan_assets.is_empty());
    assert!(
        store.asset_blob_listing().unwrap().is_empty(),
        "the old orphan went"
    );
}
