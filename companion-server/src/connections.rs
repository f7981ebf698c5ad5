//! Serving HTTP connections with bounds, so that no client can hold the
//! server: at most [`ConnectionLimits::max_connections`] at once (more wait
//! in the kernel's queue until one closes), a request's head must arrive
//! within [`HEADER_TIMEOUT`] (an idle keep-alive connection is closed after
//! as long), a body that stalls for [`BODY_IDLE_TIMEOUT`] is refused
//! (`crate::body_reading`), and a shutdown lets requests in flight finish
//! for at most [`SHUTDOWN_GRACE`] before it closes what is left.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};
use tokio::task::JoinSet;

/// How long a request's head may take to arrive, from the connection's
/// first byte or the end of the previous response.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a request body may send nothing before it is refused.
pub const BODY_IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a shutdown waits for requests in flight.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// File descriptors kept for the store (SQLite, blob files, PostgreSQL and
/// S3 connections) when the connection cap follows the process's limit.
const FDS_FOR_THE_STORE: usize = 64;
/// The connection cap when the process's limit allows it.
const MOST_CONNECTIONS: usize = 1024;

/// How many connections the server serves at once.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    pub max_connections: usize,
}

impl ConnectionLimits {
    /// `configured` connections, or (with `None`) as many as the process's
    /// open-file limit leaves beside the store's, at most 1024 and at least 8.
    pub fn new(configured: Option<usize>) -> ConnectionLimits {
        let automatic = || {
            open_file_limit()
                .map(|limit| limit.saturating_sub(FDS_FOR_THE_STORE))
                .unwrap_or(MOST_CONNECTIONS)
                .clamp(8, MOST_CONNECTIONS)
        };
        ConnectionLimits {
            max_connections: configured.unwrap_or_else(automatic).max(1),
        }
    }
}

/// The soft limit on open files, from `/proc/self/limits` (Linux).
fn open_file_limit() -> Option<usize> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

/// Serve `router` on `listener` until `shutdown` resolves, then let
/// requests in flight finish (at most [`SHUTDOWN_GRACE`]) and return.
pub async fn serve(
    listener: TcpListener,
    router: axum::Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()>,
) {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let (stopping, stop_seen) = watch::channel(false);
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        // A slot first: past the cap, new connections wait in the kernel's queue.
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(error) => {
                    // Out of file descriptors, most likely: wait, then go on.
                    crate::json_log::event(
                        "warn",
                        "accept failed",
                        serde_json::json!({ "error": error.to_string() }),
                    );
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = TowerToHyperService::new(router.clone());
        let mut stop_seen = stop_seen.clone();
        connections.spawn(async move {
            let _slot = slot;
            let connection = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .serve_connection(TokioIo::new(stream), service);
            tokio::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                _ = stop_seen.changed() => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
        });
        // Forget the connections that ended.
        while connections.try_join_next().is_some() {}
    }
    drop(listener);
    let _ = stopping.send(true);
    let finished = tokio::time::timeout(SHUTDOWN_GRACE, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if finished.is_err() {
        crate::json_log::event(
            "warn",
            "connections closed at shutdown",
            serde_json::json!({ "open": connections.len() }),
        );
        connections.abort_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_follows_the_setting_or_the_open_file_limit() {
        assert_eq!(ConnectionLimits::new(Some(5)).max_connections, 5);
        let automatic = ConnectionLimits::new(None).max_connections;
        assert!((8..=MOST_CONNECTIONS).contains(&automatic), "{automatic}");
        if let Some(limit) = open_file_limit() {
            assert!(
                automatic <= limit.max(8 + FDS_FOR_THE_STORE),
                "{automatic} of {limit}"
            );
        }
    }
}
