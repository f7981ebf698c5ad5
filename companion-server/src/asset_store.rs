//! Page assets in the store: each stored once, named by the SHA-256 of its
//! bytes (the blob on the assets shelf, a row with its type and size), and
//! linked to the reports that use it. An asset is written blob first, then
//! row: a crash leaves at most an unnamed blob. One no report uses is swept
//! once it has not been asked for or used for [`UNUSED_ASSET_MS`]: an
//! upload asks which assets the server lacks, sends those, then the report,
//! and every step marks the assets it names as used now.
//!
//! Known gap: a sweep that deletes an asset unused for a day in the very
//! instant an upload sends the same bytes again can leave the new row
//! without its blob (the replay then shows that image empty). Rare by the
//! day's margin; `check` does not look at asset blobs yet.

use crate::asset_links::touch;
use crate::blobs::Shelf;
use crate::store::{now_ms, Store, StoreError};

/// How long an asset no report uses is kept after it was last asked for,
/// uploaded or used: longer than any upload takes between asking and
/// sending its report.
pub const UNUSED_ASSET_MS: i64 = 24 * 60 * 60 * 1000;

/// A stored asset's bytes and type.
pub struct StoredAsset {
    /// Its media type.
    pub content_type: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

impl Store {
    /// Which of `hashes` the store lacks (those it holds are marked used
    /// now, so that they stay for the report that will name them).
    pub fn missing_assets(&self, hashes: &[String]) -> Result<Vec<String>, StoreError> {
        let hashes = hashes.to_vec();
        let now = now_ms();
        self.db.transaction(move |tx| {
            let mut missing = Vec::new();
            for sha256 in hashes {
                if !touch(tx, &sha256, now)? {
                    missing.push(sha256);
                }
            }
            Ok(missing)
        })
    }

    /// Store an asset whose bytes hash to `sha256` (the caller checked), of
    /// `content_type`; `false` when it was stored already.
    pub fn put_asset(
        &self,
        sha256: &str,
        content_type: &str,
        bytes: &[u8],
    ) -> Result<bool, StoreError> {
        if self.missing_assets(&[sha256.to_string()])?.is_empty() {
            return Ok(false);
        }
        self.blobs.put_on(Shelf::Assets, sha256, bytes)?;
        let now = now_ms();
        self.db.execute(
            "INSERT INTO assets (sha256, content_type, bytes, created_at, used_at) \
             VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT (sha256) DO UPDATE SET used_at = ?4",
            vec![
                sha256.into(),
                content_type.into(),
                (bytes.len() as i64).into(),
                now.into(),
            ],
        )?;
        Ok(true)
    }

    /// Asset `sha256` as report `report_id` uses it (not found when the
    /// report does not list it).
    pub fn report_asset(&self, report_id: &str, sha256: &str) -> Result<StoredAsset, StoreError> {
        let content_type = self
            .db
            .query_one(
                "SELECT a.content_type FROM report_assets r JOIN assets a ON a.sha256 = r.sha256 \
                 WHERE r.report_id = ?1 AND r.sha256 = ?2",
                vec![report_id.into(), sha256.into()],
            )?
            .ok_or(StoreError::NotFound)?
            .text(0)?;
        let bytes = self.blobs.get_from(Shelf::Assets, sha256)?;
        Ok(StoredAsset {
            content_type,
            bytes,
        })
    }

    /// Delete every asset that no report uses and nothing asked for or
    /// used since `unused_since` (Unix ms): rows first, then blobs. How
    /// many went.
    pub fn sweep_unused_assets(&self, unused_since: i64) -> Result<usize, StoreError> {
        let gone = self.db.transaction(move |tx| {
            let unused = "FROM assets WHERE used_at < ?1 AND NOT EXISTS \
                 (SELECT 1 FROM report_assets r WHERE r.sha256 = assets.sha256)";
            let hashes = tx
                .query(&format!("SELECT sha256 {unused}"), &[unused_since.into()])?
                .iter()
                .map(|row| row.text(0))
                .collect::<Result<Vec<_>, _>>()?;
            tx.execute(&format!("DELETE {unused}"), &[unused_since.into()])?;
            Ok(hashes)
        })?;
        for sha256 in &gone {
            let _ = self.blobs.delete_from(Shelf::Assets, sha256);
        }
        Ok(gone.len())
    }

    /// The SHA-256 of every asset row.
    pub fn asset_hashes(&self) -> Result<Vec<String>, StoreError> {
        self.db
            .query("SELECT sha256 FROM assets ORDER BY sha256", Vec::new())?
            .iter()
            .map(|row| row.text(0))
            .collect()
    }

    /// Every asset blob: its name and when it was written (Unix ms, when known).
    pub fn asset_blob_listing(&self) -> Result<Vec<(String, Option<i64>)>, StoreError> {
        self.blobs.listing_of(Shelf::Assets)
    }

    /// Delete the asset blob `sha256` (one no row names).
    pub fn remove_asset_blob(&self, sha256: &str) -> Result<(), StoreError> {
        self.blobs.delete_from(Shelf::Assets, sha256)
    }

    /// How many assets are stored, and their bytes.
    pub fn asset_totals(&self) -> Result<(i64, i64), StoreError> {
        let row = self
            .db
            .query_one(
                "SELECT COUNT(*), CAST(COALESCE(SUM(bytes), 0) AS BIGINT) FROM assets",
                Vec::new(),
            )?
            .ok_or(StoreError::NotFound)?;
        Ok((row.int(0)?, row.int(1)?))
    }
}
