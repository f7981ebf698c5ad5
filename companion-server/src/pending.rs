//! Unfinished multi-part uploads, kept in a folder until they complete.
//!
//! An upload is named by its bundle id and the SHA-256 of its whole body, so
//! a client that prepares a different body for the same bundle starts a new
//! upload instead of mixing parts. Each part is its own file, written whole
//! (temporary file, synced, renamed): a dropped connection leaves the part
//! complete or absent, never cut. An upload belongs to the token that sent
//! its first part; it is deleted when it completes, or when it is older than
//! the server's expiry.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::store::{now_ms, write_durably};

/// Which upload: a bundle id (32 hex digits) and the body's SHA-256 (64 hex digits).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadKey {
    bundle_id: String,
    sha256: String,
}

impl UploadKey {
    /// The key, if both parts are well formed (they become a folder name).
    pub fn parse(bundle_id: &str, sha256: &str) -> Option<UploadKey> {
        let hex = |s: &str, len: usize| {
            s.len() == len
                && s.bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        };
        (hex(bundle_id, 32) && hex(sha256, 64)).then(|| UploadKey {
            bundle_id: bundle_id.to_string(),
            sha256: sha256.to_string(),
        })
    }

    /// The bundle id.
    pub fn bundle_id(&self) -> &str {
        &self.bundle_id
    }

    /// The SHA-256 the assembled body must have, as lowercase hex.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    fn folder_name(&self) -> String {
        format!("{}-{}", self.bundle_id, self.sha256)
    }
}

/// What has arrived of one upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    /// The token that began it.
    pub token_id: i64,
    /// Unix ms of its first part.
    pub started_at: i64,
    /// `(part number, bytes)` of every part in, by number.
    pub parts: Vec<(u32, u64)>,
}

impl Progress {
    /// Bytes received so far, not counting part `except`.
    pub fn bytes_except(&self, except: u32) -> u64 {
        self.parts
            .iter()
            .filter(|(n, _)| *n != except)
            .map(|(_, bytes)| bytes)
            .sum()
    }
}

/// Why a part or an assembly was refused.
#[derive(Debug)]
pub enum PendingError {
    /// Another token began this upload.
    NotYours,
    /// With this part the upload would pass its limit of so many bytes.
    TooLarge(u64),
    /// These part numbers (below the count asked for) have not arrived.
    Missing(Vec<u32>),
    /// The file system failed.
    Io(std::io::Error),
}

impl From<std::io::Error> for PendingError {
    fn from(e: std::io::Error) -> Self {
        PendingError::Io(e)
    }
}

/// The folder of unfinished uploads.
pub struct PendingUploads {
    root: PathBuf,
}

const OWNER: &str = "owner";

fn part_name(n: u32) -> String {
    format!("{n:06}.part")
}

impl PendingUploads {
    /// Open (or create) the folder; temporary files of parts that were being
    /// written when the server stopped are dropped.
    pub fn open(root: &Path) -> std::io::Result<PendingUploads> {
        fs::create_dir_all(root)?;
        for upload in fs::read_dir(root)?.flatten() {
            for file in fs::read_dir(upload.path())?.flatten() {
                if file.path().extension().is_some_and(|e| e == "tmp") {
                    let _ = fs::remove_file(file.path());
                }
            }
        }
        Ok(PendingUploads {
            root: root.to_path_buf(),
        })
    }

    fn folder(&self, key: &UploadKey) -> PathBuf {
        self.root.join(key.folder_name())
    }

    /// What has arrived of `key`, or `None` if nothing has.
    pub fn progress(&self, key: &UploadKey) -> Result<Option<Progress>, PendingError> {
        let folder = self.folder(key);
        let owner = match fs::read_to_string(folder.join(OWNER)) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let mut fields = owner.split_whitespace().map(str::parse::<i64>);
        let (Some(Ok(token_id)), Some(Ok(started_at))) = (fields.next(), fields.next()) else {
            return Err(PendingError::Io(std::io::Error::other(format!(
                "unreadable owner file in {}",
                folder.display()
            ))));
        };
        let mut parts = Vec::new();
        for entry in fs::read_dir(&folder)?.flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            if let Some(n) = name
                .strip_suffix(".part")
                .and_then(|n| n.parse::<u32>().ok())
            {
                parts.push((n, entry.metadata()?.len()));
            }
        }
        parts.sort_unstable();
        Ok(Some(Progress {
            token_id,
            started_at,
            parts,
        }))
    }

    /// Keep part `n` of `key`, sent with token `token_id` (the first part
    /// makes the token the upload's owner), unless the parts would then pass
    /// `max_total` bytes. Sending a part again replaces it.
    pub fn put_part(
        &self,
        key: &UploadKey,
        token_id: i64,
        n: u32,
        bytes: &[u8],
        max_total: u64,
    ) -> Result<(), PendingError> {
        let folder = self.folder(key);
        fs::create_dir_all(&folder)?;
        let owner_file = folder.join(OWNER);
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&owner_file)
        {
            Ok(mut file) => {
                file.write_all(format!("{token_id} {}", now_ms()).as_bytes())?;
                file.sync_all()?;
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e.into()),
        }
        if let Some(progress) = self.progress(key)? {
            if progress.token_id != token_id {
                return Err(PendingError::NotYours);
            }
            if progress.bytes_except(n) + bytes.len() as u64 > max_total {
                return Err(PendingError::TooLarge(max_total));
            }
        }
        let part = folder.join(part_name(n));
        write_durably(&part.with_extension("tmp"), &part, bytes)?;
        Ok(())
    }

    /// Parts `0..count` of `key` joined in order.
    pub fn assemble(&self, key: &UploadKey, count: u32) -> Result<Vec<u8>, PendingError> {
        let folder = self.folder(key);
        let missing: Vec<u32> = (0..count)
            .filter(|n| !folder.join(part_name(*n)).exists())
            .collect();
        if !missing.is_empty() {
            return Err(PendingError::Missing(missing));
        }
        let mut body = Vec::new();
        for n in 0..count {
            body.extend(fs::read(folder.join(part_name(n)))?);
        }
        Ok(body)
    }

    /// Forget upload `key` and its parts.
    pub fn remove(&self, key: &UploadKey) {
        let _ = fs::remove_dir_all(self.folder(key));
    }

    /// Delete every upload that began before `before_ms`; how many went.
    pub fn expire(&self, before_ms: i64) -> usize {
        let Ok(entries) = fs::read_dir(&self.root) else {
            return 0;
        };
        let mut removed = 0;
        for entry in entries.flatten() {
            let started_at = fs::read_to_string(entry.path().join(OWNER))
                .ok()
                .and_then(|t| t.split_whitespace().nth(1)?.parse::<i64>().ok());
            // A folder without a readable owner is a first part cut short: old by definition.
            let modified = entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map(|d| d.as_millis() as i64)
                .unwrap_or(0);
            if started_at.unwrap_or(modified) < before_ms
                && fs::remove_dir_all(entry.path()).is_ok()
            {
                removed += 1;
            }
        }
        removed
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn key() -> UploadKey {
        UploadKey::parse(&"a".repeat(32), &"b".repeat(64)).unwrap()
    }

    #[test]
    fn keys_are_hex_only() {
        assert!(UploadKey::parse("../../etc", &"b".repeat(64)).is_none());
        assert!(UploadKey::parse(&"a".repeat(32), "b").is_none());
        assert!(UploadKey::parse(&"A".repeat(32), &"b".repeat(64)).is_none());
    }

    #[test]
    fn parts_join_in_order_and_belong_to_their_token() {
        let dir = tempfile::tempdir().unwrap();
        let pending = PendingUploads::open(dir.path()).unwrap();
        assert!(pending.progress(&key()).unwrap().is_none());
        pending.put_part(&key(), 7, 1, b"world", 100).unwrap();
        pending.put_part(&key(), 7, 0, b"hello ", 100).unwrap();
        assert!(matches!(
            pending.put_part(&key(), 8, 2, b"!", 100),
            Err(PendingError::NotYours)
        ));
        let progress = pending.progress(&key()).unwrap().unwrap();
        assert_eq!(progress.parts, vec![(0, 6), (1, 5)]);
        assert_eq!(progress.bytes_except(1), 6);
        assert!(matches!(
            pending.assemble(&key(), 3),
            Err(PendingError::Missing(m)) if m == vec![2]
        ));
        assert_eq!(pending.assemble(&key(), 2).unwrap(), b"hello world");
        assert_eq!(pending.expire(0), 0);
        assert_eq!(pending.expire(now_ms() + 1), 1);
        assert!(pending.progress(&key()).unwrap().is_none());
    }
}
