//! What the server's API tests share: a router over a real store in a
//! temporary folder, with one upload token, and helpers to send requests.

#![allow(clippy::unwrap_used, dead_code)] // test helpers; not every test file uses each

use std::io::Write;
use std::path::Path;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use repro_server::{app, PendingUploads, ServerState, Store};
use tower::ServiceExt;

pub mod live;

pub struct Fixture {
    pub _dir: tempfile::TempDir,
    pub state: ServerState,
    pub token: String,
}

pub fn fixture() -> Fixture {
    fixture_with(repro_manifest::Limits::default())
}

pub fn fixture_with(limits: repro_manifest::Limits) -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(dir.path()).expect("store opens");
    let token = store.create_token("test").expect("token");
    let pending = PendingUploads::open(&dir.path().join("uploads")).expect("uploads folder");
    let state = ServerState {
        limits,
        part_bytes: 64,
        ..ServerState::new(store, pending, dir.path().join("assets"))
    };
    Fixture {
        _dir: dir,
        state,
        token,
    }
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

pub async fn send(state: &ServerState, request: Request<Body>) -> (StatusCode, serde_json::Value) {
    let response = app(state.clone()).oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null),
    )
}

pub fn stored_blobs(dir: &Path) -> usize {
    std::fs::read_dir(dir.join("bundles"))
        .map(|d| d.count())
        .unwrap_or(0)
}

pub fn example() -> Vec<u8> {
    repro_manifest::example_bundle_json().into_bytes()
}
