//! Unfinished multi-part uploads, kept in the store's database until they
//! complete, so that every replica of the server sees every part.
//!
//! An upload is named by its bundle id and the SHA-256 of its whole body, so
//! a client that prepares a different body for the same bundle starts a new
//! upload instead of mixing parts. Each part is one row written in one
//! transaction: a dropped connection leaves the part complete or absent,
//! never cut. An upload belongs to the token that sent its first part; it is
//! deleted when it completes, or when it is older than the server's expiry.

use crate::database::{Database, Value};
use crate::store::{now_ms, StoreError};
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

    fn name(&self) -> String {
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
    /// The token has this many uploads begun and not finished: no new one.
    TooManyOpen(i64),
    /// The token's unfinished uploads would pass this many bytes in all.
    TokenFull(u64),
    /// The store failed.
    Store(StoreError),
}

impl From<StoreError> for PendingError {
    fn from(e: StoreError) -> Self {
        PendingError::Store(e)
    }
}

/// The unfinished uploads, in the store's database.
pub struct PendingUploads {
    db: Database,
}

/// A refusal decided inside a transaction, carried out of it.
enum Refusal {
    NotYours,
    TooLarge,
    TooManyOpen,
    TokenFull,
}

/// Most uploads in parts one token may have begun and not finished: a
/// token parks nothing more for a day than a few uploads' worth.
pub const MAX_UNFINISHED_PER_TOKEN: i64 = 8;

/// How many times the largest upload one token's unfinished parts may hold
/// in all.
pub const TOKEN_BYTES_PER_LARGEST_UPLOAD: u64 = 2;

impl PendingUploads {
    /// The unfinished uploads kept in `db`.
    pub fn new(db: Database) -> PendingUploads {
        PendingUploads { db }
    }

    /// What has arrived of `key`, or `None` if nothing has.
    pub fn progress(&self, key: &UploadKey) -> Result<Option<Progress>, PendingError> {
        let name: Value = key.name().into();
        let found = self.db.transaction(move |tx| {
            let Some(owner) = tx.query_one(
                "SELECT token_id, started_at FROM uploads WHERE name = ?1",
                std::slice::from_ref(&name),
            )?
            else {
                return Ok(None);
            };
            let parts = tx
                .query(
                    "SELECT n, size FROM upload_parts WHERE name = ?1 ORDER BY n",
                    &[name],
                )?
                .iter()
                .map(|row| Ok((row.int(0)? as u32, row.int(1)? as u64)))
                .collect::<Result<Vec<_>, StoreError>>()?;
            Ok(Some(Progress {
                token_id: owner.int(0)?,
                started_at: owner.int(1)?,
                parts,
            }))
        })?;
        Ok(found)
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
        let name: Value = key.name().into();
        let size = bytes.len() as i64;
        let bytes = Value::Bytes(bytes.to_vec());
        let outcome = self.db.transaction(move |tx| {
            let begun = tx
                .query_one("SELECT token_id FROM uploads WHERE name = ?1", std::slice::from_ref(&name))?
                .is_some();
            if !begun {
                let open = tx
                    .query_one(
                        "SELECT CAST(COUNT(*) AS BIGINT) FROM uploads WHERE token_id = ?1",
                        &[token_id.into()],
                    )?
                    .map(|row| row.int(0))
                    .transpose()?
                    .unwrap_or(0);
                if open >= MAX_UNFINISHED_PER_TOKEN {
                    return Ok(Err(Refusal::TooManyOpen));
                }
            }
            // Checked before the upload is begun: a refused part begins nothing.
            let token_parts = tx
                .query_one(
                    "SELECT CAST(COALESCE(SUM(p.size), 0) AS BIGINT) FROM upload_parts p \
                     JOIN uploads u ON u.name = p.name \
                     WHERE u.token_id = ?1 AND NOT (p.name = ?2 AND p.n = ?3)",
                    &[token_id.into(), name.clone(), i64::from(n).into()],
                )?
                .map(|row| row.int(0))
                .transpose()?
                .unwrap_or(0);
            if (token_parts + size) as u64 > max_total * TOKEN_BYTES_PER_LARGEST_UPLOAD {
                return Ok(Err(Refusal::TokenFull));
            }
            tx.execute(
                "INSERT INTO uploads (name, token_id, started_at) VALUES (?1, ?2, ?3) ON CONFLICT (name) DO NOTHING",
                &[name.clone(), token_id.into(), now_ms().into()],
            )?;
            let owner = tx
                .query_one("SELECT token_id FROM uploads WHERE name = ?1", std::slice::from_ref(&name))?
                .map(|row| row.int(0))
                .transpose()?;
            if owner != Some(token_id) {
                return Ok(Err(Refusal::NotYours));
            }
            let others = tx
                .query_one(
                    "SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM upload_parts WHERE name = ?1 AND n <> ?2",
                    &[name.clone(), i64::from(n).into()],
                )?
                .map(|row| row.int(0))
                .transpose()?
                .unwrap_or(0);
            if (others + size) as u64 > max_total {
                return Ok(Err(Refusal::TooLarge));
            }
            tx.execute(
                "INSERT INTO upload_parts (name, n, size, bytes) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (name, n) DO UPDATE SET size = excluded.size, bytes = excluded.bytes",
                &[name, i64::from(n).into(), size.into(), bytes],
            )?;
            Ok(Ok(()))
        })?;
        match outcome {
            Ok(()) => Ok(()),
            Err(Refusal::NotYours) => Err(PendingError::NotYours),
            Err(Refusal::TooLarge) => Err(PendingError::TooLarge(max_total)),
            Err(Refusal::TooManyOpen) => Err(PendingError::TooManyOpen(MAX_UNFINISHED_PER_TOKEN)),
            Err(Refusal::TokenFull) => Err(PendingError::TokenFull(
                max_total * TOKEN_BYTES_PER_LARGEST_UPLOAD,
            )),
        }
    }

    /// Parts `0..count` of `key` joined in order.
    pub fn assemble(&self, key: &UploadKey, count: u32) -> Result<Vec<u8>, PendingError> {
        let name: Value = key.name().into();
        let mut rows = self.db.query(
            "SELECT n, bytes FROM upload_parts WHERE name = ?1 ORDER BY n",
            vec![name],
        )?;
        let present: std::collections::HashSet<i64> =
            rows.iter().filter_map(|row| row.int(0).ok()).collect();
        let missing: Vec<u32> = (0..count)
            .filter(|n| !present.contains(&i64::from(*n)))
            .collect();
        if !missing.is_empty() {
            return Err(PendingError::Missing(missing));
        }
        let mut body = Vec::new();
        for row in rows.iter_mut().take(count as usize) {
            body.extend(row.take_bytes(1)?);
        }
        Ok(body)
    }

    /// Forget upload `key` and its parts.
    pub fn remove(&self, key: &UploadKey) {
        let name: Value = key.name().into();
        let _ = self.db.transaction(move |tx| {
            tx.execute(
                "DELETE FROM upload_parts WHERE name = ?1",
                std::slice::from_ref(&name),
            )?;
            tx.execute("DELETE FROM uploads WHERE name = ?1", &[name])
        });
    }

    /// How many uploads are unfinished.
    pub fn unfinished(&self) -> Result<usize, StoreError> {
        let count = self
            .db
            .query_one("SELECT COUNT(*) FROM uploads", Vec::new())?
            .map(|row| row.int(0))
            .transpose()?
            .unwrap_or(0);
        Ok(count as usize)
    }

    /// Delete every upload that began before `before_ms`; how many went.
    pub fn expire(&self, before_ms: i64) -> Result<usize, StoreError> {
        let removed = self.db.transaction(move |tx| {
            tx.execute(
                "DELETE FROM upload_parts WHERE name IN (SELECT name FROM uploads WHERE started_at < ?1)",
                &[before_ms.into()],
            )?;
            tx.execute("DELETE FROM uploads WHERE started_at < ?1", &[before_ms.into()])
        })?;
        Ok(removed as usize)
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
        let store = crate::Store::open(dir.path()).unwrap();
        let pending = PendingUploads::new(store.database());
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
        assert_eq!(pending.expire(0).unwrap(), 0);
        assert_eq!(pending.expire(now_ms() + 1).unwrap(), 1);
        assert!(pending.progress(&key()).unwrap().is_none());
    }
}
