//! The headers every response carries, whatever answered it (a page, the
//! API, an asset, an error): set once here as layers, not by each handler.
//! Handlers set only what is theirs: a page's Content-Security-Policy and
//! caching, a download's type and name.

use axum::http::{header, HeaderValue};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;

/// `router` with the headers every response carries: no type sniffing, no
/// referrer (a share link must never reach another host through
/// `Referer`), and for a response that set no policy of its own, one that
/// loads, runs and frames nothing (a JSON or text answer opened as a
/// document stays inert).
pub fn add_to<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    router
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(INERT_POLICY),
        ))
}

/// The policy of a response that is not a page: nothing loads, runs or frames it.
pub const INERT_POLICY: &str = "default-src 'none'; frame-ancestors 'none'; sandbox";
