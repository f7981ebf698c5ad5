//! The embedded store: SQLite for metadata, a folder for bundle blobs.
//!
//! An upload is written blob first (to a temporary file, synced, then renamed
//! into place), then its metadata row in one transaction: a crash leaves at
//! most an unreferenced blob, never a visible half report. Uploads are
//! idempotent by bundle id. Tokens are stored as SHA-256 hashes only.

use std::fmt;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

/// A store failure.
#[derive(Debug)]
pub enum StoreError {
    /// The thing asked for does not exist.
    NotFound,
    /// SQLite failed.
    Database(rusqlite::Error),
    /// The file system failed.
    Io(std::io::Error),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::NotFound => write!(f, "not found"),
            StoreError::Database(e) => write!(f, "database: {e}"),
            StoreError::Io(e) => write!(f, "file system: {e}"),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Database(e)
    }
}

impl From<std::io::Error> for StoreError {
    fn from(e: std::io::Error) -> Self {
        StoreError::Io(e)
    }
}

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

/// SQLite + folder store.
pub struct Store {
    db: Mutex<Connection>,
    blobs: PathBuf,
    tmp: PathBuf,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS tokens (
    id INTEGER PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE TABLE IF NOT EXISTS reports (
    id TEXT PRIMARY KEY,
    bundle_id TEXT NOT NULL UNIQUE,
    token_id INTEGER NOT NULL REFERENCES tokens(id),
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    revoked_at INTEGER,
    expires_at INTEGER
);
CREATE INDEX IF NOT EXISTS reports_created_at ON reports(created_at);
CREATE TABLE IF NOT EXISTS sessions (
    hash TEXT PRIMARY KEY,
    token_id INTEGER NOT NULL REFERENCES tokens(id),
    csrf TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
";

/// Columns added after the first release, for stores created before them.
const ADDED_COLUMNS: &[(&str, &str, &str)] = &[
    ("reports", "expires_at", "INTEGER"),
    ("tokens", "admin", "INTEGER NOT NULL DEFAULT 0"),
];

/// 32 lowercase hex digits from 128 random bits.
pub fn random_id() -> Result<String, StoreError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)
        .map_err(|e| StoreError::Io(std::io::Error::other(e.to_string())))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

pub(crate) fn hash_token(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Now, in Unix milliseconds.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Write `bytes` to `tmp`, sync it, rename it to `dest` and sync `dest`'s
/// folder: after a crash `dest` is whole or absent, never cut.
pub(crate) fn write_durably(tmp: &Path, dest: &Path, bytes: &[u8]) -> std::io::Result<()> {
    {
        let mut file = fs::File::create(tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
    }
    fs::rename(tmp, dest)?;
    if let Some(dir) = dest.parent() {
        fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}

impl Store {
    /// Open (or create) the store in `folder`.
    pub fn open(folder: &Path) -> Result<Store, StoreError> {
        let blobs = folder.join("bundles");
        let tmp = folder.join("tmp");
        fs::create_dir_all(&blobs)?;
        fs::create_dir_all(&tmp)?;
        // Half-written uploads from before a crash were never visible: drop them.
        for entry in fs::read_dir(&tmp)?.flatten() {
            let _ = fs::remove_file(entry.path());
        }
        let db = Connection::open(folder.join("repro.sqlite3"))?;
        db.pragma_update(None, "journal_mode", "WAL")?;
        db.pragma_update(None, "synchronous", "FULL")?;
        db.pragma_update(None, "foreign_keys", "ON")?;
        db.execute_batch(SCHEMA)?;
        for (table, column, kind) in ADDED_COLUMNS {
            let present: bool = db.query_row(
                &format!("SELECT COUNT(*) > 0 FROM pragma_table_info('{table}') WHERE name = ?1"),
                params![column],
                |row| row.get(0),
            )?;
            if !present {
                db.execute_batch(&format!("ALTER TABLE {table} ADD COLUMN {column} {kind}"))?;
            }
        }
        Ok(Store {
            db: Mutex::new(db),
            blobs,
            tmp,
        })
    }

    pub(crate) fn db(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite inconsistent.
        self.db
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Create an upload token; the token itself is returned once and only its hash kept.
    pub fn create_token(&self, label: &str) -> Result<String, StoreError> {
        self.create_token_with(label, false)
    }

    /// Create an upload token; an `admin` one may also manage tokens and
    /// every report on the admin and reports pages.
    pub fn create_token_with(&self, label: &str, admin: bool) -> Result<String, StoreError> {
        let token = format!("repro_{}", random_id()?);
        self.db().execute(
            "INSERT INTO tokens (hash, label, created_at, admin) VALUES (?1, ?2, ?3, ?4)",
            params![hash_token(&token), label, now_ms(), admin],
        )?;
        Ok(token)
    }

    /// Every upload token, oldest first.
    pub fn list_tokens(&self) -> Result<Vec<TokenInfo>, StoreError> {
        let db = self.db();
        let mut statement = db.prepare(
            "SELECT t.id, t.label, t.created_at, t.revoked_at IS NOT NULL, \
             (SELECT COUNT(*) FROM reports r WHERE r.token_id = t.id), t.admin FROM tokens t ORDER BY t.id",
        )?;
        let rows = statement.query_map([], |row| {
            Ok(TokenInfo {
                id: row.get(0)?,
                label: row.get(1)?,
                created_at: row.get(2)?,
                revoked: row.get(3)?,
                reports: row.get(4)?,
                admin: row.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Revoke upload token number `id`: it can no longer upload.
    pub fn revoke_token(&self, id: i64) -> Result<(), StoreError> {
        self.revoke("tokens", &id)
    }

    /// Revoke the share link of report `id`: it answers 410 from now on.
    pub fn revoke_report(&self, id: &str) -> Result<(), StoreError> {
        self.revoke("reports", &id)
    }

    /// Set `revoked_at` of row `id` of `table` (kept if already set).
    fn revoke(&self, table: &'static str, id: &dyn rusqlite::ToSql) -> Result<(), StoreError> {
        let sql = format!("UPDATE {table} SET revoked_at = COALESCE(revoked_at, ?2) WHERE id = ?1");
        match self.db().execute(&sql, params![id, now_ms()])? {
            0 => Err(StoreError::NotFound),
            _ => Ok(()),
        }
    }

    /// The id of a valid, unrevoked token.
    pub fn check_token(&self, token: &str) -> Result<Option<i64>, StoreError> {
        Ok(self
            .db()
            .query_row(
                "SELECT id FROM tokens WHERE hash = ?1 AND revoked_at IS NULL",
                params![hash_token(token)],
                |row| row.get(0),
            )
            .optional()?)
    }

    pub(crate) fn blob_path(&self, id: &str) -> PathBuf {
        self.blobs.join(format!("{id}.json.gz"))
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
        if let Some(id) = self.report_for_bundle(bundle_id)? {
            return Ok(Stored { id, created: false });
        }
        let id = random_id()?;
        let final_path = self.blob_path(&id);
        write_durably(&self.tmp.join(format!("{id}.part")), &final_path, gzip)?;
        let inserted = {
            let mut db = self.db();
            let tx = db.transaction()?;
            let existing: Option<String> = tx
                .query_row(
                    "SELECT id FROM reports WHERE bundle_id = ?1",
                    params![bundle_id],
                    |r| r.get(0),
                )
                .optional()?;
            match existing {
                Some(existing) => Err(existing),
                None => {
                    tx.execute(
                        "INSERT INTO reports (id, bundle_id, token_id, title, url, created_at, bytes, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                        params![id, bundle_id, token_id, title, url, now_ms(), gzip.len() as i64, expires_at],
                    )?;
                    tx.commit()?;
                    Ok(())
                }
            }
        };
        match inserted {
            Ok(()) => Ok(Stored { id, created: true }),
            Err(existing) => {
                let _ = fs::remove_file(&final_path);
                Ok(Stored {
                    id: existing,
                    created: false,
                })
            }
        }
    }

    /// The report holding bundle `bundle_id`, if it was stored.
    pub fn report_for_bundle(&self, bundle_id: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .db()
            .query_row(
                "SELECT id FROM reports WHERE bundle_id = ?1",
                params![bundle_id],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// A report's metadata.
    pub fn report(&self, id: &str) -> Result<ReportMeta, StoreError> {
        self.db()
            .query_row(
                "SELECT id, bundle_id, title, url, created_at, bytes, revoked_at IS NOT NULL, expires_at FROM reports WHERE id = ?1",
                params![id],
                |row| {
                    Ok(ReportMeta {
                        id: row.get(0)?,
                        bundle_id: row.get(1)?,
                        title: row.get(2)?,
                        url: row.get(3)?,
                        created_at: row.get(4)?,
                        bytes: row.get(5)?,
                        revoked: row.get(6)?,
                        expires_at: row.get(7)?,
                    })
                },
            )
            .optional()?
            .ok_or(StoreError::NotFound)
    }

    /// A report's stored blob (gzip-compressed bundle JSON).
    pub fn blob(&self, id: &str) -> Result<Vec<u8>, StoreError> {
        match fs::read(self.blob_path(id)) {
            Ok(bytes) => Ok(bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(StoreError::NotFound),
            Err(e) => Err(e.into()),
        }
    }

    /// Delete every report uploaded before `before_ms`: rows first (in one
    /// transaction), then blobs; how many went. A crash in between leaves
    /// only unreferenced blobs, which no link reaches.
    pub fn delete_reports_created_before(&self, before_ms: i64) -> Result<usize, StoreError> {
        let ids: Vec<String> = {
            let mut db = self.db();
            let tx = db.transaction()?;
            let ids = {
                let mut statement = tx.prepare("SELECT id FROM reports WHERE created_at < ?1")?;
                let rows = statement.query_map(params![before_ms], |row| row.get(0))?;
                rows.collect::<Result<Vec<String>, _>>()?
            };
            tx.execute(
                "DELETE FROM reports WHERE created_at < ?1",
                params![before_ms],
            )?;
            tx.commit()?;
            ids
        };
        for id in &ids {
            let _ = fs::remove_file(self.blob_path(id));
        }
        Ok(ids.len())
    }

    /// Can the store serve? The database answers and the blob folder takes a file.
    pub fn check_ready(&self) -> Result<(), StoreError> {
        self.db().query_row("SELECT 1", [], |_| Ok(()))?;
        let probe = self.tmp.join(format!("ready-{}.probe", random_id()?));
        fs::write(&probe, b"ok")?;
        fs::remove_file(&probe)?;
        Ok(())
    }

    /// `(report id, bundle id)` of every report.
    pub fn report_ids(&self) -> Result<Vec<(String, String)>, StoreError> {
        let db = self.db();
        let mut statement = db.prepare("SELECT id, bundle_id FROM reports ORDER BY id")?;
        let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The report ids that have a blob file.
    pub fn blob_ids(&self) -> Result<Vec<String>, StoreError> {
        let mut ids = Vec::new();
        for entry in fs::read_dir(&self.blobs)?.flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            if let Some(id) = name.strip_suffix(".json.gz") {
                ids.push(id.to_string());
            }
        }
        ids.sort();
        Ok(ids)
    }

    /// Delete the blob of `id` (one no row names).
    pub fn remove_blob(&self, id: &str) -> Result<(), StoreError> {
        fs::remove_file(self.blob_path(id))?;
        Ok(())
    }

    /// SQLite's own check of the database file: `ok`, or what is wrong.
    pub fn database_check(&self) -> Result<String, StoreError> {
        Ok(self
            .db()
            .query_row("PRAGMA integrity_check", [], |row| row.get(0))?)
    }
}
