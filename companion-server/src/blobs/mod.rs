//! Where report blobs (gzip-compressed bundle JSON) and page assets (named
//! by the SHA-256 of their bytes) live: a folder of the embedded store, or
//! an S3-compatible bucket that several server replicas share, each kind on
//! a [`Shelf`] of its own. Both write a blob whole or not at all: a folder
//! through a synced temporary file renamed into place, S3 by the nature of
//! `PutObject`.

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

/// The two kinds of blob, each kept apart (a folder, a key prefix).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shelf {
    /// Reports' bundles, `{id}.json.gz` in `bundles/`.
    Bundles,
    /// Page assets, `{sha256}` in `assets/`.
    Assets,
}

impl Shelf {
    /// The folder (or key prefix) of the shelf.
    fn folder(self) -> &'static str {
        match self {
            Shelf::Bundles => "bundles",
            Shelf::Assets => "assets",
        }
    }

    /// The file name of blob `name` on this shelf.
    fn file_name(self, name: &str) -> String {
        match self {
            Shelf::Bundles => blob_name(name),
            Shelf::Assets => name.to_string(),
        }
    }

    /// The blob name a file on this shelf holds, if it is one of its blobs.
    fn name_in(self, file: &str) -> Option<&str> {
        match self {
            Shelf::Bundles => file.strip_suffix(".json.gz"),
            Shelf::Assets => repro_manifest::is_sha256_hex(file).then_some(file),
        }
    }
}

impl Blobs {
    /// Store the blob of report `id` durably.
    pub fn put(&self, id: &str, bytes: &[u8]) -> Result<(), StoreError> {
        self.put_on(Shelf::Bundles, id, bytes)
    }

    /// The blob of report `id`.
    pub fn get(&self, id: &str) -> Result<Vec<u8>, StoreError> {
        self.get_from(Shelf::Bundles, id)
    }

    /// Delete the blob of report `id` (absent is fine).
    pub fn delete(&self, id: &str) -> Result<(), StoreError> {
        self.delete_from(Shelf::Bundles, id)
    }

    /// The report ids that have a blob, sorted.
    pub fn ids(&self) -> Result<Vec<String>, StoreError> {
        Ok(self.listing()?.into_iter().map(|(id, _)| id).collect())
    }

    /// Every report blob: its report id and when it was written (Unix ms,
    /// when the storage says), sorted by id.
    pub fn listing(&self) -> Result<Vec<(String, Option<i64>)>, StoreError> {
        self.listing_of(Shelf::Bundles)
    }

    /// Store blob `name` on `shelf` durably.
    pub fn put_on(&self, shelf: Shelf, name: &str, bytes: &[u8]) -> Result<(), StoreError> {
        match self {
            Blobs::Folder(blobs) => blobs.put(shelf, name, bytes),
            Blobs::S3(blobs) => blobs.put(shelf, name, bytes),
        }
    }

    /// Blob `name` of `shelf`.
    pub fn get_from(&self, shelf: Shelf, name: &str) -> Result<Vec<u8>, StoreError> {
        match self {
            Blobs::Folder(blobs) => blobs.get(shelf, name),
            Blobs::S3(blobs) => blobs.get(shelf, name),
        }
    }

    /// Delete blob `name` of `shelf` (absent is fine).
    pub fn delete_from(&self, shelf: Shelf, name: &str) -> Result<(), StoreError> {
        match self {
            Blobs::Folder(blobs) => blobs.delete(shelf, name),
            Blobs::S3(blobs) => blobs.delete(shelf, name),
        }
    }

    /// Every blob of `shelf`: its name and when it was written (Unix ms,
    /// when the storage says), sorted by name.
    pub fn listing_of(&self, shelf: Shelf) -> Result<Vec<(String, Option<i64>)>, StoreError> {
        let mut blobs = match self {
            Blobs::Folder(blobs) => blobs.listing(shelf),
            Blobs::S3(blobs) => blobs.listing(shelf),
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
            Blobs::Folder(blobs) => blobs.path(Shelf::Bundles, id).display().to_string(),
            Blobs::S3(blobs) => blobs.locate(id),
        }
    }
}

/// The name of report `id`'s blob.
fn blob_name(id: &str) -> String {
    format!("{id}.json.gz")
}
