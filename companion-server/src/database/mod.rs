//! The metadata database behind the store: SQLite in the data folder (the
//! embedded default) or PostgreSQL (for several server replicas). The store
//! speaks one small SQL dialect to both: `?1`-style parameters, 64-bit
//! integers, text and bytes, and `ON CONFLICT` upserts, which both engines
//! understand. Each engine runs a piece of work in one transaction.

mod postgres;
mod sqlite;

use crate::store_error::StoreError;

pub use self::postgres::PostgresDatabase;
pub use self::sqlite::SqliteDatabase;

/// Columns added after their table was first created (a store made by an
/// older server gets them when it opens): table, column, type and default.
pub(crate) const ADDED_COLUMNS: &[(&str, &str, &str)] = &[
    ("reports", "expires_at", "INTEGER"),
    ("tokens", "admin", "INTEGER NOT NULL DEFAULT 0"),
    ("reports", "status", "TEXT NOT NULL DEFAULT 'open'"),
    ("reports", "thumbnail_mime", "TEXT"),
    ("reports", "thumbnail", "TEXT"),
];

/// Repro's tables, in the words of an engine: its 64-bit integer type, its
/// auto-numbered primary key, and its bytes type.
fn schema(int: &str, identity: &str, bytes: &str) -> String {
    format!(
        "
CREATE TABLE IF NOT EXISTS tokens (
    id {identity},
    hash TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL DEFAULT '',
    created_at {int} NOT NULL,
    revoked_at {int},
    admin {int} NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS reports (
    id TEXT PRIMARY KEY,
    bundle_id TEXT NOT NULL UNIQUE,
    token_id {int} NOT NULL REFERENCES tokens(id),
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    created_at {int} NOT NULL,
    bytes {int} NOT NULL,
    revoked_at {int},
    expires_at {int},
    status TEXT NOT NULL DEFAULT 'open'
);
CREATE INDEX IF NOT EXISTS reports_created_at ON reports(created_at);
CREATE TABLE IF NOT EXISTS sessions (
    hash TEXT PRIMARY KEY,
    token_id {int} NOT NULL REFERENCES tokens(id),
    csrf TEXT NOT NULL,
    expires_at {int} NOT NULL
);
CREATE TABLE IF NOT EXISTS uploads (
    name TEXT PRIMARY KEY,
    token_id {int} NOT NULL,
    started_at {int} NOT NULL
);
CREATE TABLE IF NOT EXISTS assets (
    sha256 TEXT PRIMARY KEY,
    content_type TEXT NOT NULL,
    bytes {int} NOT NULL,
    created_at {int} NOT NULL,
    used_at {int} NOT NULL
);
CREATE TABLE IF NOT EXISTS report_assets (
    report_id TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (report_id, sha256)
);
CREATE INDEX IF NOT EXISTS report_assets_sha256 ON report_assets(sha256);
CREATE TABLE IF NOT EXISTS comments (
    id {identity},
    report_id TEXT NOT NULL,
    token_id {int} NOT NULL REFERENCES tokens(id),
    created_at {int} NOT NULL,
    at_ms {int},
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS comments_report ON comments(report_id);
CREATE TABLE IF NOT EXISTS upload_parts (
    name TEXT NOT NULL,
    n {int} NOT NULL,
    size {int} NOT NULL,
    bytes {bytes} NOT NULL,
    PRIMARY KEY (name, n)
);
"
    )
}

/// A parameter or a column value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// SQL NULL.
    Null,
    /// A 64-bit integer (booleans are 0 and 1).
    Int(i64),
    /// Text.
    Text(String),
    /// Bytes.
    Bytes(Vec<u8>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}

impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Int(v.into())
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_string())
    }
}

impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}

impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Self {
        v.map_or(Value::Null, Value::Int)
    }
}

impl From<Option<String>> for Value {
    fn from(v: Option<String>) -> Self {
        v.map_or(Value::Null, Value::Text)
    }
}

/// One result row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row(pub Vec<Value>);

fn column_error(index: usize, wanted: &str, found: Option<&Value>) -> StoreError {
    StoreError::Database(format!(
        "column {index}: expected {wanted}, found {found:?}"
    ))
}

impl Row {
    /// Column `index` as an integer.
    pub fn int(&self, index: usize) -> Result<i64, StoreError> {
        match self.0.get(index) {
            Some(Value::Int(v)) => Ok(*v),
            other => Err(column_error(index, "an integer", other)),
        }
    }

    /// Column `index` as an integer or NULL.
    pub fn opt_int(&self, index: usize) -> Result<Option<i64>, StoreError> {
        match self.0.get(index) {
            Some(Value::Null) => Ok(None),
            _ => self.int(index).map(Some),
        }
    }

    /// Column `index` as a boolean (an integer, 0 being false).
    pub fn bool(&self, index: usize) -> Result<bool, StoreError> {
        self.int(index).map(|v| v != 0)
    }

    /// Column `index` as text.
    pub fn text(&self, index: usize) -> Result<String, StoreError> {
        match self.0.get(index) {
            Some(Value::Text(v)) => Ok(v.clone()),
            other => Err(column_error(index, "text", other)),
        }
    }

    /// Column `index` as bytes, moved out of the row.
    pub fn take_bytes(&mut self, index: usize) -> Result<Vec<u8>, StoreError> {
        match self.0.get_mut(index) {
            Some(Value::Bytes(v)) => Ok(std::mem::take(v)),
            other => Err(column_error(index, "bytes", other.map(|v| &*v))),
        }
    }
}

/// A connection inside a transaction.
pub trait Sql {
    /// Run a statement; the number of rows it changed.
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, StoreError>;
    /// Run a query; its rows.
    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError>;
    /// The first row of a query, if any.
    fn query_one(&mut self, sql: &str, params: &[Value]) -> Result<Option<Row>, StoreError> {
        Ok(self.query(sql, params)?.into_iter().next())
    }
}

/// The two engines.
#[derive(Clone)]
pub enum Database {
    /// SQLite in the data folder.
    Sqlite(SqliteDatabase),
    /// A PostgreSQL server.
    Postgres(PostgresDatabase),
}

impl Database {
    /// Run `work` in one transaction, committed when it returns `Ok` and
    /// rolled back otherwise.
    pub fn transaction<R: Send + 'static>(
        &self,
        work: impl FnOnce(&mut dyn Sql) -> Result<R, StoreError> + Send + 'static,
    ) -> Result<R, StoreError> {
        match self {
            Database::Sqlite(db) => db.transaction(work),
            Database::Postgres(db) => db.transaction(work),
        }
    }

    /// Run one statement in its own transaction; rows changed.
    pub fn execute(&self, sql: &'static str, params: Vec<Value>) -> Result<u64, StoreError> {
        self.transaction(move |tx| tx.execute(sql, &params))
    }

    /// Run one query in its own transaction; its rows.
    pub fn query(&self, sql: &'static str, params: Vec<Value>) -> Result<Vec<Row>, StoreError> {
        self.transaction(move |tx| tx.query(sql, &params))
    }

    /// The first row of one query, if any.
    pub fn query_one(
        &self,
        sql: &'static str,
        params: Vec<Value>,
    ) -> Result<Option<Row>, StoreError> {
        Ok(self.query(sql, params)?.into_iter().next())
    }

    /// The engine's own consistency check: `ok`, or what is wrong.
    pub fn check(&self) -> Result<String, StoreError> {
        match self {
            Database::Sqlite(db) => db.integrity_check(),
            Database::Postgres(_) => {
                // PostgreSQL checks its own pages (checksums, WAL); that it answers is what we can ask.
                self.query("SELECT 1", Vec::new()).map(|_| "ok".to_string())
            }
        }
    }

    /// A short name of the engine, for the log.
    pub fn describe(&self) -> &'static str {
        match self {
            Database::Sqlite(_) => "SQLite",
            Database::Postgres(_) => "PostgreSQL",
        }
    }
}
