//! Store calls run on tokio's blocking pool: the store's engines (SQLite,
//! the PostgreSQL client, file and S3 I/O) block, and must not hold up the
//! request tasks.

use crate::ApiError;

/// Run `f` on the blocking pool; a panic in it becomes a 500.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))
}
