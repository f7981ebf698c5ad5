//! The store: report metadata, upload tokens and sign-in sessions in a
//! database (SQLite in the data folder by default, PostgreSQL for several
//! replicas), report blobs in a blob store (a folder by default, an
//! S3-compatible bucket for several replicas). The same code runs on both.
//!
//! An upload is written blob first (whole or not at all), then its metadata
//! row in one transaction: a crash leaves at most an unreferenced blob, never
//! a visible half report. Uploads are idempotent by bundle id, also between
//! replicas racing on the same bundle. Tokens are stored as SHA-256 hashes only.

use std::fs;
use std::path::Path;

use crate::blobs::{Blobs, FolderBlobs, S3Blobs, S3Settings};
use crate::database::{Database, PostgresDatabase, Row, SqliteDatabase, Value};
use crate::store_basics::sha256_hex;
pub use crate::store_basics::{now_ms, random_id};
pub use crate::store_error::StoreError;

/// What the store knows of a report besides its blob.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportMeta {
    /// The share id (32 hex digits, 128 random bits).
    pub id: String,
    /// The client's bundle id.
    pub bundle_id: String,
    /// Title of the report.
    pub title: String,
    /// URL of its first page.
    pub url: String,
    /// Unix ms of the upload.
    pub created_at: i64,
    /// Size of the stored (compressed) blob.
    pub bytes: i64,
    /// Whether the link was revoked.
    pub revoked: bool,
    /// Unix ms after which the link answers 410, if the tester chose an expiry.
    pub expires_at: Option<i64>,
}

/// What `token list` shows of an upload token (never the token itself).
#[derive(Debug, Clone, PartialEq)]
pub struct TokenInfo {
    /// The token's number, for `token revoke`.
    pub id: i64,
    /// The label given at creation.
    pub label: String,
    /// Unix ms of creation.
    pub created_at: i64,
    /// Whether it was revoked.
    pub revoked: bool,
    /// How many reports were uploaded with it.
    pub reports: i64,
    /// Whether it may manage tokens and every report.
    pub admin: bool,
}

/// The outcome of storing a report.
#[derive(Debug, Clone, PartialEq)]
pub struct Stored {
    /// The report's share id.
    pub id: String,
    /// False when the same bundle had already been stored (the old id is returned).
    pub created: bool,
}

/// Where a store keeps its metadata and blobs besides the data folder.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Backends {
    /// PostgreSQL URL for metadata; SQLite in the data folder when `None`.
    pub database_url: Option<String>,
    /// PostgreSQL schema for Repro's tables (created if missing).
    pub database_schema: Option<String>,
    /// S3-compatible bucket for blobs; `bundles/` in the data folder when `None`.
    pub s3: Option<S3Settings>,
}

/// The one storage abstraction: a metadata database (SQLite or PostgreSQL)
/// and a blob store (folder or S3-compatible bucket).
pub struct Store {
    pub(crate) db: Database,
    pub(crate) blobs: Blobs,
}

/// The longest label a token may have, in characters (labels are shown on
/// the team pages and in `token list`).
pub const MAX_TOKEN_LABEL_CHARS: usize = 200;

/// `label` if a token may carry it, else why not.
pub fn check_token_label(label: &str) -> Result<(), String> {
    let chars = label.chars().count();
    if chars > MAX_TOKEN_LABEL_CHARS {
        return Err(format!(
            "a token's label may have at most {MAX_TOKEN_LABEL_CHARS} characters, not {chars}"
        ));
    }
    Ok(())
}

pub(crate) fn hash_token(token: &str) -> String {
    sha256_hex(token.as_bytes())
}

fn report_meta(row: &Row) -> Result<ReportMeta, StoreError> {
    Ok(ReportMeta {
        id: row.text(0)?,
        bundle_id: row.text(1)?,
        title: row.text(2)?,
        url: row.text(3)?,
        created_at: row.int(4)?,
        bytes: row.int(5)?,
        revoked: row.bool(6)?,
        expires_at: row.opt_int(7)?,
    })
}

impl Store {
    /// Open (or create) the embedded store in `folder`: SQLite and `bundles/`.
    pub fn open(folder: &Path) -> Result<Store, StoreError> {
        Store::open_with(folder, &Backends::default())
    }

    /// Open the store with metadata and blobs where `backends` says, the
    /// data folder holding whatever they leave local.
    pub fn open_with(folder: &Path, backends: &Backends) -> Result<Store, StoreError> {
        let db = match &backends.database_url {
            Some(url) => Database::Postgres(PostgresDatabase::open(
                url,
                backends.database_schema.as_deref(),
            )?),
            None => {
                fs::create_dir_all(folder)?;
                Database::Sqlite(SqliteDatabase::open(&folder.join("repro.sqlite3"))?)
            }
        };
        let blobs = match &backends.s3 {
            Some(s3) => Blobs::S3(Box::new(S3Blobs::open(s3.clone())?)),
            None => Blobs::Folder(FolderBlobs::open(folder)?),
        };
        Ok(Store { db, blobs })
    }

    /// The metadata database (the unfinished uploads share it).
    pub fn database(&self) -> Database {
        self.db.clone()
    }

    /// Where metadata and blobs are, in words, for the log.
    pub fn describe(&self) -> String {
        let blobs = match &self.blobs {
            Blobs::Folder(_) => "a folder",
            Blobs::S3(_) => "an S3-compatible bucket",
        };
        format!("metadata in {}, blobs in {blobs}", self.db.describe())
    }

    /// Create an upload token; the token itself is returned once and only its hash kept.
    pub fn create_token(&self, label: &str) -> Result<String, StoreError> {
        self.create_token_with(label, false)
    }

    /// Create an upload token; an `admin` one may also manage tokens and
    /// every report on the admin and reports pages.
    pub fn create_token_with(&self, label: &str, admin: bool) -> Result<String, StoreError> {
        let token = format!("repro_{}", random_id()?);
        self.db.execute(
            "INSERT INTO tokens (hash, label, created_at, admin) VALUES (?1, ?2, ?3, ?4)",
            vec![
                hash_token(&token).into(),
                label.into(),
                now_ms().into(),
                admin.into(),
            ],
        )?;
        Ok(token)
    }

    /// Every upload token, oldest first.
    pub fn list_tokens(&self) -> Result<Vec<TokenInfo>, StoreError> {
        self.db
            .query(
                "SELECT t.id, t.label, t.created_at, t.revoked_at IS NOT NULL, \
                 (SELECT COUNT(*) FROM reports r WHERE r.token_id = t.id), t.admin FROM tokens t ORDER BY t.id",
                Vec::new(),
            )?
            .iter()
            .map(|row| {
                Ok(TokenInfo {
                    id: row.int(0)?,
                    label: row.text(1)?,
                    created_at: row.int(2)?,
                    revoked: row.bool(3)?,
                    reports: row.int(4)?,
                    admin: row.bool(5)?,
                })
            })
            .collect()
    }

    /// Revoke upload token number `id`: it can no longer upload.
    pub fn revoke_token(&self, id: i64) -> Result<(), StoreError> {
        self.revoke(
            "UPDATE tokens SET revoked_at = COALESCE(revoked_at, ?2) WHERE id = ?1",
            id.into(),
        )
    }

    /// Revoke the share link of report `id`: it answers 410 from now on.
    pub fn revoke_report(&self, id: &str) -> Result<(), StoreError> {
        self.revoke(
            "UPDATE reports SET revoked_at = COALESCE(revoked_at, ?2) WHERE id = ?1",
            id.into(),
        )
    }

    /// Run a revoking `UPDATE` on row `id`; `NotFound` when no row matched.
    fn revoke(&self, sql: &'static str, id: Value) -> Result<(), StoreError> {
        match self.db.execute(sql, vec![id, now_ms().into()])? {
            0 => Err(StoreError::NotFound),
            _ => Ok(()),
        }
    }

    /// The id of a valid, unrevoked token.
    pub fn check_token(&self, token: &str) -> Result<Option<i64>, StoreError> {
        self.db
            .query_one(
                "SELECT id FROM tokens WHERE hash = ?1 AND revoked_at IS NULL",
                vec![hash_token(token).into()],
            )?
            .map(|row| row.int(0))
            .transpose()
    }

    /// Store a report: blob first, then metadata. A bundle id seen before
    /// returns the existing report. `expires_at` (Unix ms) ends the link.
    pub fn put_report(
        &self,
        token_id: i64,
        bundle_id: &str,
        title: &str,
        url: &str,
        gzip: &[u8],
        expires_at: Option<i64>,
    ) -> Result<Stored, StoreError> {
        self.put_report_with_assets(token_id, bundle_id, title, url, gzip, expires_at, &[], None)
    }

    /// [`Store::put_report`], the report using the stored assets `assets`
    /// (SHA-256s): each must be stored already, or nothing is
    /// ([`StoreError::AssetMissing`]); in the same transaction as the
    /// report's row, each is marked used now, so no sweep takes it. The
    /// bundle's `thumbnail` (checked already) is kept in the row, for lists.
    #[allow(clippy::too_many_arguments)]
    pub fn put_report_with_assets(
        &self,
        token_id: i64,
        bundle_id: &str,
        title: &str,
        url: &str,
        gzip: &[u8],
        expires_at: Option<i64>,
        assets: &[String],
        thumbnail: Option<&repro_manifest::Screenshot>,
    ) -> Result<Stored, StoreError> {
        match self.report_for_bundle(bundle_id)? {
            Some((id, owner)) if owner == token_id => return Ok(Stored { id, created: false }),
            Some(_) => return Err(StoreError::BundleOfAnotherToken),
            None => {}
        }
        let id = random_id()?;
        self.blobs.put(&id, gzip)?;
        let row = vec![
            id.clone().into(),
            bundle_id.into(),
            token_id.into(),
            title.into(),
            url.into(),
            now_ms().into(),
            (gzip.len() as i64).into(),
            expires_at.into(),
            thumbnail.map(|t| t.mime.clone()).into(),
            thumbnail.map(|t| t.data.clone()).into(),
        ];
        let assets = assets.to_vec();
        // The insert does nothing when another upload of the bundle won the race.
        let existing = self.db.transaction(move |tx| {
            let inserted = tx.execute(
                "INSERT INTO reports (id, bundle_id, token_id, title, url, created_at, bytes, expires_at, \
                 thumbnail_mime, thumbnail) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (bundle_id) DO NOTHING",
                &row,
            )?;
            if inserted == 1 {
                crate::asset_links::link_report_assets(tx, &row[0], &assets, now_ms())?;
            }
            tx.query_one("SELECT id, token_id FROM reports WHERE bundle_id = ?1", &row[1..2])?
                .map(|row| Ok((row.text(0)?, row.int(1)?)))
                .transpose()
        });
        let existing = match existing {
            Ok(existing) => existing,
            Err(e) => {
                // Nothing names the blob: it goes at once.
                let _ = self.blobs.delete(&id);
                return Err(e);
            }
        };
        match existing {
            Some((stored, _)) if stored == id => Ok(Stored { id, created: true }),
            Some((stored, owner)) => {
                let _ = self.blobs.delete(&id);
                if owner != token_id {
                    return Err(StoreError::BundleOfAnotherToken);
                }
                Ok(Stored {
                    id: stored,
                    created: false,
                })
            }
            None => Err(StoreError::Database(
                "the report row vanished while it was written".into(),
            )),
        }
    }

    /// The report holding bundle `bundle_id`, if it was stored, and the
    /// token that uploaded it.
    pub fn report_for_bundle(&self, bundle_id: &str) -> Result<Option<(String, i64)>, StoreError> {
        self.db
            .query_one(
                "SELECT id, token_id FROM reports WHERE bundle_id = ?1",
                vec![bundle_id.into()],
            )?
            .map(|row| Ok((row.text(0)?, row.int(1)?)))
            .transpose()
    }

    /// A report's metadata.
    pub fn report(&self, id: &str) -> Result<ReportMeta, StoreError> {
        let row = self
            .db
            .query_one(
                "SELECT id, bundle_id, title, url, created_at, bytes, revoked_at IS NOT NULL, expires_at \
                 FROM reports WHERE id = ?1",
                vec![id.into()],
            )?
            .ok_or(StoreError::NotFound)?;
        report_meta(&row)
    }

    /// A report's stored blob (gzip-compressed bundle JSON).
    pub fn blob(&self, id: &str) -> Result<Vec<u8>, StoreError> {
        self.blobs.get(id)
    }

    /// Delete every report uploaded before `before_ms`: rows first (in one
    /// transaction), then blobs; how many went. A crash in between leaves
    /// only unreferenced blobs, which no link reaches.
    pub fn delete_reports_created_before(&self, before_ms: i64) -> Result<usize, StoreError> {
        let ids = self.db.transaction(move |tx| {
            let ids = tx
                .query(
                    "SELECT id FROM reports WHERE created_at < ?1",
                    &[before_ms.into()],
                )?
                .iter()
                .map(|row| row.text(0))
                .collect::<Result<Vec<_>, _>>()?;
            tx.execute(
                "DELETE FROM report_assets WHERE report_id IN \
                 (SELECT id FROM reports WHERE created_at < ?1)",
                &[before_ms.into()],
            )?;
            tx.execute(
                "DELETE FROM comments WHERE report_id IN \
                 (SELECT id FROM reports WHERE created_at < ?1)",
                &[before_ms.into()],
            )?;
            tx.execute(
                "DELETE FROM reports WHERE created_at < ?1",
                &[before_ms.into()],
            )?;
            Ok(ids)
        })?;
        for id in &ids {
            let _ = self.blobs.delete(id);
        }
        Ok(ids.len())
    }

    /// Delete report `id`: its row (its link answers 404 at once) and its
    /// uses of assets, then its blob.
    pub fn delete_report(&self, id: &str) -> Result<(), StoreError> {
        let key: Value = id.into();
        let deleted = self.db.transaction(move |tx| {
            tx.execute(
                "DELETE FROM report_assets WHERE report_id = ?1",
                std::slice::from_ref(&key),
            )?;
            tx.execute(
                "DELETE FROM comments WHERE report_id = ?1",
                std::slice::from_ref(&key),
            )?;
            tx.execute("DELETE FROM reports WHERE id = ?1", &[key])
        })?;
        if deleted == 0 {
            return Err(StoreError::NotFound);
        }
        let _ = self.blobs.delete(id);
        Ok(())
    }

    /// Can the store serve? The database answers with Repro's tables and the blob store is there.
    pub fn check_ready(&self) -> Result<(), StoreError> {
        self.db.query("SELECT 1 FROM tokens LIMIT 1", Vec::new())?;
        self.blobs.check_ready()
    }

    /// `(report id, bundle id)` of every report.
    pub fn report_ids(&self) -> Result<Vec<(String, String)>, StoreError> {
        self.db
            .query("SELECT id, bundle_id FROM reports ORDER BY id", Vec::new())?
            .iter()
            .map(|row| Ok((row.text(0)?, row.text(1)?)))
            .collect()
    }

    /// The report ids that have a blob, sorted.
    pub fn blob_ids(&self) -> Result<Vec<String>, StoreError> {
        self.blobs.ids()
    }

    /// Every blob's report id and when it was written (Unix ms, when known).
    pub fn blob_listing(&self) -> Result<Vec<(String, Option<i64>)>, StoreError> {
        self.blobs.listing()
    }

    /// Where the blob of `id` is, in words.
    pub fn blob_location(&self, id: &str) -> String {
        self.blobs.locate(id)
    }

    /// Delete the blob of `id` (one no row names).
    pub fn remove_blob(&self, id: &str) -> Result<(), StoreError> {
        self.blobs.delete(id)
    }

    /// The database engine's own check: `ok`, or what is wrong.
    pub fn database_check(&self) -> Result<String, StoreError> {
        self.db.check()
    }
}
