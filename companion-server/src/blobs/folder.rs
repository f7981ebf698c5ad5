//! Blobs as files in `bundles/` and `assets/` of the data folder, each
//! written to `tmp/`, synced and renamed into place.

use std::fs;
use std::path::{Path, PathBuf};

use super::Shelf;
use crate::store_basics::{random_id, write_durably};
use crate::store_error::StoreError;

/// The blob folder of an embedded store.
pub struct FolderBlobs {
    folder: PathBuf,
    tmp: PathBuf,
}

impl FolderBlobs {
    /// Open (or create) `bundles/`, `assets/` and `tmp/` in `folder`. Half-written
    /// blobs from before a crash (never visible) are dropped once they are
    /// older than [`crate::integrity::SETTLE_MS`]: a younger one may be
    /// another process's write in progress (a server running on this
    /// folder while a command opens it).
    pub fn open(folder: &Path) -> Result<FolderBlobs, StoreError> {
        let tmp = folder.join("tmp");
        for shelf in [Shelf::Bundles, Shelf::Assets] {
            fs::create_dir_all(folder.join(shelf.folder()))?;
        }
        fs::create_dir_all(&tmp)?;
        let now = std::time::SystemTime::now();
        for entry in fs::read_dir(&tmp)?.flatten() {
            let age = entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|written| now.duration_since(written).ok());
            if age.is_some_and(|age| age.as_millis() as i64 > crate::integrity::SETTLE_MS) {
                let _ = fs::remove_file(entry.path());
            }
        }
        Ok(FolderBlobs {
            folder: folder.to_path_buf(),
            tmp,
        })
    }

    /// The file of blob `name` on `shelf`.
    pub fn path(&self, shelf: Shelf, name: &str) -> PathBuf {
        self.folder.join(shelf.folder()).join(shelf.file_name(name))
    }

    pub(super) fn put(&self, shelf: Shelf, name: &str, bytes: &[u8]) -> Result<(), StoreError> {
        // The temporary name is unique: two uploads of one asset may race.
        Ok(write_durably(
            &self.tmp.join(format!("{name}.{}.part", random_id()?)),
            &self.path(shelf, name),
            bytes,
        )?)
    }

    pub(super) fn get(&self, shelf: Shelf, name: &str) -> Result<Vec<u8>, StoreError> {
        match fs::read(self.path(shelf, name)) {
            Ok(bytes) => Ok(bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(StoreError::NotFound),
            Err(e) => Err(e.into()),
        }
    }

    pub(super) fn delete(&self, shelf: Shelf, name: &str) -> Result<(), StoreError> {
        match fs::remove_file(self.path(shelf, name)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
            _ => Ok(()),
        }
    }

    pub(super) fn listing(&self, shelf: Shelf) -> Result<Vec<(String, Option<i64>)>, StoreError> {
        let mut blobs = Vec::new();
        for entry in fs::read_dir(self.folder.join(shelf.folder()))?.flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            if let Some(id) = shelf.name_in(&name) {
                let written = entry
                    .metadata()
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map(|d| d.as_millis() as i64);
                blobs.push((id.to_string(), written));
            }
        }
        Ok(blobs)
    }

    pub(super) fn check_ready(&self) -> Result<(), StoreError> {
        let probe = self.tmp.join(format!("ready-{}.probe", random_id()?));
        fs::write(&probe, b"ok")?;
        fs::remove_file(&probe)?;
        Ok(())
    }
}
