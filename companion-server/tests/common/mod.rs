//! What the server's API tests share: a router over a real store in a
//! temporary folder, with one upload token, and helpers to send requests.
//!
//! The store is the embedded one, or PostgreSQL + S3 when the environment
//! names them the way an operator would (`REPRO_DATABASE_URL`,
//! `REPRO_S3_ENDPOINT`, …; `cargo xtask test` runs the suite both ways).
//! Each test then gets its own schema and key prefix, named after its
//! temporary folder.

#![allow(clippy::unwrap_used, dead_code)] // test helpers; not every test file uses each

use std::io::Write;
use std::path::Path;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use repro_server::settings::Settings;
use repro_server::{app, PendingUploads, ServerState, Store};
use tower::ServiceExt;

pub mod live;
pub mod team;

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
    let store = open_store(dir.path());
    let token = store.create_token("test").expect("token");
    let pending = PendingUploads::new(store.database());
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

/// How many blobs the store holds.
pub fn stored_blobs(state: &ServerState) -> usize {
    state.store.blob_ids().expect("blobs listed").len()
}

/// Flags giving the store of `data` its own PostgreSQL schema and S3 key
/// prefix when the environment names those backends; none otherwise.
pub fn backend_flags(data: &Path) -> Vec<String> {
    let name = format!(
        "t_{}",
        &repro_server::blobs::sigv4::sha256_hex(data.to_string_lossy().as_bytes())[..20]
    );
    let mut flags = Vec::new();
    if std::env::var_os("REPRO_DATABASE_URL").is_some() {
        flags.extend(["--database-schema".to_string(), name.clone()]);
    }
    if std::env::var_os("REPRO_S3_ENDPOINT").is_some() {
        flags.extend(["--s3-prefix".to_string(), format!("{name}/")]);
    }
    flags
}

/// The store of `data`, opened exactly as `repro-server` would open it
/// with this environment and [`backend_flags`].
pub fn open_store(data: &Path) -> Store {
    let settings = Settings::parse(
        &backend_flags(data),
        |name| std::env::var(name).ok(),
        |path| std::fs::read_to_string(path),
    )
    .expect("test settings");
    Store::open_with(data, &settings.backends().expect("test backends")).expect("store opens")
}

/// Whether the suite runs on PostgreSQL + S3.
pub fn on_scale_out_backends() -> bool {
    std::env::var_os("REPRO_DATABASE_URL").is_some()
}

pub fn example() -> Vec<u8> {
    repro_manifest::example_bundle_json().into_bytes()
}
