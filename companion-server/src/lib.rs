//! The Repro companion server: it validates and stores uploaded bundles and
//! serves share links, where the viewer replays a session beside its console
//! and network.
//!
//! [`app`] builds the router from a [`ServerState`], so tests drive it
//! without a socket; `main.rs` is a thin CLI on top.
//!
//! The server never trusts a bundle: it caps the compressed and the
//! decompressed size while reading, parses strictly, validates against the
//! format's limits, and stores blob first, metadata second, so that a reader
//! never sees half a report.

mod agent_prompt;
mod asset_links;
pub mod asset_store;
mod asset_uploads;
mod base64_decode;
pub mod blobs;
mod blocking;
pub mod body_reading;
mod comment_store;
mod comments;
pub mod connections;
pub mod database;
mod dates;
mod error;
mod exports;
pub mod housekeeping;
pub mod ingest;
pub mod integrity;
mod issue_markdown;
pub mod json_log;
mod markdown_text;
mod mcp;
pub mod metrics;
mod operations;
mod playwright_spec;
pub mod rate_limit;
mod request_log;
mod response_headers;
mod resumable;
mod routes;
mod secret_scan;
pub mod settings;
mod share;
mod share_exports;
pub mod store;
mod store_basics;
mod store_error;
mod team_html;
mod team_pages;
pub mod team_store;
pub mod unfinished_uploads;
mod upload;
mod viewer_page;
pub mod webhooks;

use std::path::PathBuf;
use std::sync::Arc;

pub use error::ApiError;
pub use store::{Store, StoreError};
pub use unfinished_uploads::PendingUploads;

/// What every request handler shares.
#[derive(Clone)]
pub struct ServerState {
    /// The store (embedded, or PostgreSQL + S3).
    pub store: Arc<Store>,
    /// Folder of the viewer's assets (`dist/viewer`).
    pub assets: PathBuf,
    /// Public base URL for share links; when `None`, taken from the request's `Host`.
    pub public_url: Option<String>,
    /// Size and count limits for uploads.
    pub limits: repro_manifest::Limits,
    /// Refuse uploads that still carry a secret shape (on by default).
    pub scan_secrets: bool,
    /// Unfinished uploads in parts.
    pub pending: Arc<PendingUploads>,
    /// The size of one part of an upload in parts, in bytes (the last may be smaller).
    pub part_bytes: usize,
    /// Requests per minute each upload token may make.
    pub rate_limit: Arc<rate_limit::RateLimiter>,
    /// Counters for `/metrics`.
    pub metrics: Arc<metrics::Metrics>,
    /// Uploads decoded at once (each holds its JSON and its bundle in
    /// memory): the others wait their turn.
    pub decodes: Arc<tokio::sync::Semaphore>,
    /// The repository the viewer's "new issue" buttons open, if set.
    pub issue_repository: Option<String>,
    /// Where new reports are announced.
    pub webhooks: Arc<webhooks::Webhooks>,
}

/// How many uploads are decoded at once by default: one per core, at
/// least two, at most four.
pub fn default_concurrent_decodes() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(2, 4)
}

impl ServerState {
    /// A state over `store` and `pending` serving the viewer from `assets`,
    /// with the default limits, part size, secret scan and rate limit (600
    /// requests a minute per token); set other fields as needed.
    pub fn new(store: Store, pending: PendingUploads, assets: PathBuf) -> ServerState {
        ServerState {
            store: Arc::new(store),
            assets,
            public_url: None,
            limits: repro_manifest::Limits::default(),
            scan_secrets: true,
            pending: Arc::new(pending),
            part_bytes: DEFAULT_PART_BYTES,
            rate_limit: Arc::new(rate_limit::RateLimiter::new(600)),
            metrics: Arc::new(metrics::Metrics::default()),
            decodes: Arc::new(tokio::sync::Semaphore::new(default_concurrent_decodes())),
            issue_repository: None,
            webhooks: Arc::new(webhooks::Webhooks::default()),
        }
    }
}

/// The part size clients are told to use unless the server is told otherwise: 1 MiB.
pub const DEFAULT_PART_BYTES: usize = 1024 * 1024;

/// The HTTP API and pages.
pub fn app(state: ServerState) -> axum::Router {
    routes::router(state)
}
