//! What the team pages need of the store: sign-in sessions (a token proves
//! who you are once; the browser then holds a random session id, stored here
//! only as a hash), the report list with search, and deletion.

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
    /// Where the team is with it: one of [`REPORT_STATUSES`].
    pub status: String,
    /// It has a thumbnail (`/r/{id}/thumbnail`).
    pub thumbnail: bool,
}

/// The statuses a report may have, as stored, with their words.
pub const REPORT_STATUSES: [(&str, &str); 4] = [
    ("open", "Open"),
    ("in_progress", "In progress"),
    ("fixed", "Fixed"),
    ("wont_fix", "Won't fix"),
];

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
    /// With this status (empty: any).
    pub status: String,
}

fn like(text: &str) -> String {
    let escaped = text
        .trim()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{}%", escaped.to_lowercase())
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
        let row = vec![
            hash_token(&session).into(),
            token_id.into(),
            random_id()?.into(),
            (now + SESSION_MS).into(),
        ];
        self.database().transaction(move |tx| {
            tx.execute("DELETE FROM sessions WHERE expires_at < ?1", &[now.into()])?;
            tx.execute(
                "INSERT INTO sessions (hash, token_id, csrf, expires_at) VALUES (?1, ?2, ?3, ?4)",
                &row,
            )
        })?;
        Ok(Some(session))
    }

    /// Who holds `session`, if it is live and its token not revoked.
    pub fn holder(&self, session: &str) -> Result<Option<Holder>, StoreError> {
        self.database()
            .query_one(
                "SELECT t.id, t.label, t.admin, s.csrf FROM sessions s JOIN tokens t ON t.id = s.token_id \
                 WHERE s.hash = ?1 AND s.expires_at > ?2 AND t.revoked_at IS NULL",
                vec![hash_token(session).into(), now_ms().into()],
            )?
            .map(|row| {
                Ok(Holder {
                    token_id: row.int(0)?,
                    label: row.text(1)?,
                    admin: row.bool(2)?,
                    csrf: row.text(3)?,
                })
            })
            .transpose()
    }

    /// End `session`.
    pub fn sign_out(&self, session: &str) -> Result<(), StoreError> {
        self.database().execute(
            "DELETE FROM sessions WHERE hash = ?1",
            vec![hash_token(session).into()],
        )?;
        Ok(())
    }

    /// Reports matching `query`, newest first, at most `limit`, after the
    /// first `offset` of them. Text matches ignore case the same way on
    /// both database engines.
    pub fn find_reports(
        &self,
        query: &ReportQuery,
        limit: u32,
        offset: u32,
    ) -> Result<Vec<ReportRow>, StoreError> {
        self.database()
            .query(
                "SELECT r.id, r.title, r.url, t.label, r.token_id, r.created_at, r.bytes, r.revoked_at IS NOT NULL, r.expires_at, r.status, r.thumbnail IS NOT NULL \
                 FROM reports r JOIN tokens t ON t.id = r.token_id \
                 WHERE (LOWER(r.title) LIKE ?1 ESCAPE '\\' OR LOWER(r.url) LIKE ?1 ESCAPE '\\') AND LOWER(t.label) LIKE ?2 ESCAPE '\\' \
                 AND r.created_at >= ?3 AND r.created_at < ?4 AND (?6 = '' OR r.status = ?6) ORDER BY r.created_at DESC, r.id LIMIT ?5 OFFSET ?7",
                vec![
                    like(&query.text).into(),
                    like(&query.tester).into(),
                    query.from.unwrap_or(i64::MIN).into(),
                    query.until.unwrap_or(i64::MAX).into(),
                    i64::from(limit).into(),
                    query.status.clone().into(),
                    i64::from(offset).into(),
                ],
            )?
            .iter()
            .map(|row| {
                Ok(ReportRow {
                    id: row.text(0)?,
                    title: row.text(1)?,
                    url: row.text(2)?,
                    tester: row.text(3)?,
                    token_id: row.int(4)?,
                    created_at: row.int(5)?,
                    bytes: row.int(6)?,
                    revoked: row.bool(7)?,
                    expires_at: row.opt_int(8)?,
                    status: row.text(9)?,
                    thumbnail: row.bool(10)?,
                })
            })
            .collect()
    }

    /// Set report `id`'s status (one of [`REPORT_STATUSES`]); `NotFound`
    /// when there is no such report.
    pub fn set_report_status(&self, id: &str, status: &str) -> Result<(), StoreError> {
        self.report_owner(id)?;
        self.database().execute(
            "UPDATE reports SET status = ?2 WHERE id = ?1",
            vec![id.into(), status.into()],
        )?;
        Ok(())
    }

    /// Report `id`'s thumbnail: its type and its bytes in base64, if it has one.
    pub fn report_thumbnail(&self, id: &str) -> Result<Option<(String, String)>, StoreError> {
        let Some(row) = self.database().query_one(
            "SELECT thumbnail_mime, thumbnail FROM reports WHERE id = ?1 AND thumbnail IS NOT NULL",
            vec![id.into()],
        )?
        else {
            return Ok(None);
        };
        Ok(Some((row.text(0)?, row.text(1)?)))
    }

    /// The token that uploaded report `id`.
    pub fn report_owner(&self, id: &str) -> Result<i64, StoreError> {
        self.database()
            .query_one(
                "SELECT token_id FROM reports WHERE id = ?1",
                vec![id.into()],
            )?
            .ok_or(StoreError::NotFound)?
            .int(0)
    }
}
