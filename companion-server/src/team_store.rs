//! What the team pages need of the store: sign-in sessions (a token proves
//! who you are once; the browser then holds a random session id, stored here
//! only as a hash), the report list with search, and deletion.

use rusqlite::{params, OptionalExtension};

use crate::store::{hash_token, now_ms, random_id, Store, StoreError};

/// How long a sign-in lasts: 12 hours.
const SESSION_MS: i64 = 12 * 3_600_000;

/// A signed-in token holder.
#[derive(Debug, Clone, PartialEq)]
pub struct Holder {
    /// The token's number.
    pub token_id: i64,
    /// The token's label (the tester's name, as the team chose).
    pub label: String,
    /// May manage tokens and every report.
    pub admin: bool,
    /// The value forms must carry back (against cross-site requests).
    pub csrf: String,
}

/// A line of the report list.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportRow {
    /// The report's share id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its first page's URL.
    pub url: String,
    /// The label of the token that uploaded it.
    pub tester: String,
    /// The number of that token.
    pub token_id: i64,
    /// Unix ms of the upload.
    pub created_at: i64,
    /// Compressed size.
    pub bytes: i64,
    /// Revoked link.
    pub revoked: bool,
    /// When the link ends, if it does.
    pub expires_at: Option<i64>,
}

/// What to look for in the report list (empty fields match everything).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReportQuery {
    /// Words in the title or the URL.
    pub text: String,
    /// Words in the tester's label.
    pub tester: String,
    /// Uploaded at or after (Unix ms).
    pub from: Option<i64>,
    /// Uploaded before (Unix ms).
    pub until: Option<i64>,
}

fn like(text: &str) -> String {
    let escaped = text
        .trim()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

impl Store {
    /// Sign in with `token`: a new session id for the browser, or `None` for
    /// an unknown or revoked token.
    pub fn sign_in(&self, token: &str) -> Result<Option<String>, StoreError> {
        let Some(token_id) = self.check_token(token)? else {
            return Ok(None);
        };
        let session = format!("{}{}", random_id()?, random_id()?);
        let now = now_ms();
        let db = self.db();
        db.execute("DELETE FROM sessions WHERE expires_at < ?1", params![now])?;
        db.execute(
            "INSERT INTO sessions (hash, token_id, csrf, expires_at) VALUES (?1, ?2, ?3, ?4)",
            params![
                hash_token(&session),
                token_id,
                random_id()?,
                now + SESSION_MS
            ],
        )?;
        Ok(Some(session))
    }

    /// Who holds `session`, if it is live and its token not revoked.
    pub fn holder(&self, session: &str) -> Result<Option<Holder>, StoreError> {
        Ok(self
            .db()
            .query_row(
                "SELECT t.id, t.label, t.admin, s.csrf FROM sessions s JOIN tokens t ON t.id = s.token_id \
                 WHERE s.hash = ?1 AND s.expires_at > ?2 AND t.revoked_at IS NULL",
                params![hash_token(session), now_ms()],
                |row| {
                    Ok(Holder {
                        token_id: row.get(0)?,
                        label: row.get(1)?,
                        admin: row.get(2)?,
                        csrf: row.get(3)?,
                    })
                },
            )
            .optional()?)
    }

    /// End `session`.
    pub fn sign_out(&self, session: &str) -> Result<(), StoreError> {
        self.db().execute(
            "DELETE FROM sessions WHERE hash = ?1",
            params![hash_token(session)],
        )?;
        Ok(())
    }

    /// Reports matching `query`, newest first, at most `limit`.
    pub fn find_reports(
        &self,
        query: &ReportQuery,
        limit: u32,
    ) -> Result<Vec<ReportRow>, StoreError> {
        let db = self.db();
        let mut statement = db.prepare(
            "SELECT r.id, r.title, r.url, t.label, r.token_id, r.created_at, r.bytes, r.revoked_at IS NOT NULL, r.expires_at \
             FROM reports r JOIN tokens t ON t.id = r.token_id \
             WHERE (r.title LIKE ?1 ESCAPE '\\' OR r.url LIKE ?1 ESCAPE '\\') AND t.label LIKE ?2 ESCAPE '\\' \
             AND r.created_at >= ?3 AND r.created_at < ?4 ORDER BY r.created_at DESC, r.id LIMIT ?5",
        )?;
        let rows = statement.query_map(
            params![
                like(&query.text),
                like(&query.tester),
                query.from.unwrap_or(i64::MIN),
                query.until.unwrap_or(i64::MAX),
                limit
            ],
            |row| {
                Ok(ReportRow {
                    id: row.get(0)?,
                    title: row.get(1)?,
                    url: row.get(2)?,
                    tester: row.get(3)?,
                    token_id: row.get(4)?,
                    created_at: row.get(5)?,
                    bytes: row.get(6)?,
                    revoked: row.get(7)?,
                    expires_at: row.get(8)?,
                })
            },
        )?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The token that uploaded report `id`.
    pub fn report_owner(&self, id: &str) -> Result<i64, StoreError> {
        self.db()
            .query_row(
                "SELECT token_id FROM reports WHERE id = ?1",
                params![id],
                |row| row.get(0),
            )
            .optional()?
            .ok_or(StoreError::NotFound)
    }

    /// Delete report `id`: its row (its link answers 404 at once), then its blob.
    pub fn delete_report(&self, id: &str) -> Result<(), StoreError> {
        if self
            .db()
            .execute("DELETE FROM reports WHERE id = ?1", params![id])?
            == 0
        {
            return Err(StoreError::NotFound);
        }
        let _ = std::fs::remove_file(self.blob_path(id));
        Ok(())
    }
}
