//! The store's one error type, shared by the store and its backends
//! (databases and blob stores), with "not found" kept apart.

use std::fmt;

/// A store failure.
#[derive(Debug)]
pub enum StoreError {
    /// The thing asked for does not exist.
    NotFound,
    /// Another upload token stored a bundle of this id.
    BundleOfAnotherToken,
    /// A report names an asset (this SHA-256) the store does not hold.
    AssetMissing(String),
    /// The metadata database failed.
    Database(String),
    /// The S3-compatible object store failed.
    ObjectStore(String),
    /// The file system failed.
    Io(std::io::Error),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::NotFound => write!(f, "not found"),
            StoreError::BundleOfAnotherToken => {
                write!(f, "another upload token stored a bundle of this id")
            }
            StoreError::AssetMissing(sha256) => {
                write!(f, "the asset {sha256} was not uploaded first")
            }
            StoreError::Database(e) => write!(f, "database: {e}"),
            StoreError::ObjectStore(e) => write!(f, "object store: {e}"),
            StoreError::Io(e) => write!(f, "file system: {e}"),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<std::io::Error> for StoreError {
    fn from(e: std::io::Error) -> Self {
        StoreError::Io(e)
    }
}
