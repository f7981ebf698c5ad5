//! The HTTP surface as one router: which path and method go to which
//! handler. The handlers live in the room of their work: `upload` and
//! `resumable` (taking reports), `share` (what a link serves),
//! `share_exports` (issue, prompt, test, screenshots),
//! `mcp` (the endpoint for coding agents), `team_pages` (the team's HTML), `operations` (health, metrics, assets).
//! The headers every answer carries are `response_headers`'.

use axum::routing::{get, post};
use axum::Router;

use crate::asset_uploads;
use crate::comments;
use crate::mcp;
use crate::operations;
use crate::resumable;
use crate::share;
use crate::share_exports;
use crate::team_pages;
use crate::upload;
use crate::ServerState;

/// The routes, with the upload size cap applied while the body arrives.
pub fn router(state: ServerState) -> Router {
    let router = Router::new()
        .route("/api/reports", post(upload::upload))
        .route("/api/uploads/{bundle}/{sha256}", get(resumable::progress))
        .route(
            "/api/uploads/{bundle}/{sha256}/parts/{n}",
            axum::routing::put(resumable::put_part),
        )
        .route(
            "/api/uploads/{bundle}/{sha256}/complete",
            post(resumable::complete),
        )
        .route("/r/{id}", get(share::viewer))
        .route("/r/{id}/bundle.json", get(share::bundle))
        .route("/r/{id}/har", get(share::har))
        .route("/r/{id}/console.txt", get(share::console_text))
        .route("/r/{id}/assets/{sha256}", get(share::asset))
        .route("/r/{id}/issue.md", get(share_exports::issue_md))
        .route("/r/{id}/prompt.md", get(share_exports::prompt_md))
        .route(
            "/r/{id}/playwright.spec.ts",
            get(share_exports::playwright_spec),
        )
        .route("/r/{id}/screenshots/{n}", get(share_exports::screenshot))
        .route("/r/{id}/thumbnail", get(share_exports::thumbnail))
        .route(
            "/r/{id}/comments",
            get(comments::list)
                .post(comments::add)
                .layer(axum::extract::DefaultBodyLimit::max(comments::MAX_BODY)),
        )
        .route(
            "/mcp",
            post(mcp::post)
                .get(mcp::no_stream)
                .delete(mcp::no_stream)
                .layer(axum::extract::DefaultBodyLimit::max(mcp::MAX_BODY)),
        )
        .route("/api/assets/missing", post(asset_uploads::missing))
        .route(
            "/api/assets/{sha256}",
            axum::routing::put(asset_uploads::put),
        )
        .route("/assets/{*path}", get(operations::asset))
        // The server's address alone leads to the team's reports.
        .route(
            "/",
            get(|| async { axum::response::Redirect::to("/reports") }),
        )
        .route("/reports", get(team_pages::reports))
        .route("/reports/{id}/{action}", post(team_pages::report_action))
        .route("/sign-in", post(team_pages::sign_in))
        .route("/sign-out", post(team_pages::sign_out))
        .route("/admin", get(team_pages::admin))
        .route("/admin/tokens", post(team_pages::create_token))
        .route("/admin/tokens/{n}/revoke", post(team_pages::revoke_token))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(operations::readyz))
        .route("/metrics", get(operations::metrics))
        .route("/api/openapi.json", get(operations::openapi))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::request_log::log_request,
        ))
        .layer(axum::extract::DefaultBodyLimit::disable());
    crate::response_headers::add_to(router).with_state(state)
}
