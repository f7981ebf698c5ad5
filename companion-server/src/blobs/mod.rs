//! Where report blobs (gzip-compressed bundle JSON) live: a folder of the
//! embedded store, or an S3-compatible bucket that several server replicas
//! share. Both write a blob whole or not at all: a folder through a synced
//! temporary file renamed into place, S3 by the nature of `PutObject`.

mod folder;
mod s3;
pub mod sigv4;

use crate::store_error::StoreError;

pub use folder::FolderBlobs;
pub use s3::{S3Blobs, S3Settings};

/// The two kinds of blob storage.
pub enum Blobs {
    /// `bundles/` in the data folder.
    Folder(FolderBlobs),
    /// A bucket of an S3-compatible store.
    S3(Box<S3Blobs>),
}

impl Blobs {
    /// Store the blob of report `id` durably.
    pub fn put(&self, id: &str, bytes: &[u8]) -> Result<(), StoreError> {
        match self {
            Blobs::Folder(blobs) => blobs.put(id, bytes),
            Blobs::S3(blobs) => blobs.put(id, bytes),
        }
    }

    /// The blob of report `id`.
    pub fn get(&self, id: &str) -> Result<Vec<u8>, StoreError> {
        match self {
            Blobs::Folder(blobs) => blobs.get(id),
            Blobs::S3(blobs) => blobs.get(id),
        }
    }

    /// Delete the blob of report `id` (absent is fine).
    pub fn delete(&self, id: &str) -> Result<(), StoreError> {
        match self {
            Blobs::Folder(blobs) => blobs.delete(id),
            Blobs::S3(blobs) => blobs.delete(id),
        }
    }

    /// The report ids that have a blob, sorted.
    pub fn ids(&self) -> Result<Vec<String>, StoreError> {
        let mut ids = match self {
            Blobs::Folder(blobs) => blobs.ids(),
            Blobs::S3(blobs) => blobs.ids(),
        }?;
        ids.sort();
        Ok(ids)
    }

    /// Every blob: its report id and when it was written (Unix ms, when the
    /// storage says), sorted by id.
    pub fn listing(&self) -> Result<Vec<(String, Option<i64>)>, StoreError> {
        let mut blobs = match self {
            Blobs::Folder(blobs) => blobs.listing(),
            Blobs::S3(blobs) => blobs.listing(),
        }?;
        blobs.sort();
        Ok(blobs)
    }

    /// Can blobs be written and read now?
    pub fn check_ready(&self) -> Result<(), StoreError> {
        match self {
            Blobs::Folder(blobs) => blobs.check_ready(),
            Blobs::S3(blobs) => blobs.check_ready(),
        }
    }

    /// Where the blob of `id` is, in words (for `check`).
    pub fn locate(&self, id: &str) -> String {
        match self {
            Blobs::Folder(blobs) => blobs.path(id).display().to_string(),
            Blobs::S3(blobs) => blobs.locate(id),
        }
    }
}

/// The name of report `id`'s blob.
fn blob_name(id: &str) -> String {
    format!("{id}.json.gz")
}
