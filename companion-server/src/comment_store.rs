//! What the comments need of the store: a report's comments in order, and
//! a new one from a signed-in holder (at most [`MAX_COMMENTS`] a report).

use crate::store::{now_ms, Store, StoreError};

/// The most comments a report keeps.
pub const MAX_COMMENTS: i64 = 500;

/// One comment as shown.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Comment {
    /// The label of the token that wrote it.
    pub who: String,
    /// When it was written, Unix ms.
    pub created_at: i64,
    /// The moment of the replay it is about, ms from the session start.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub t_ms: Option<i64>,
    /// Its text.
    pub body: String,
}

/// Why a comment was not added.
#[derive(Debug)]
pub enum CommentRefusal {
    /// The report has its most comments.
    Full,
    /// The store failed.
    Store(StoreError),
}

impl From<StoreError> for CommentRefusal {
    fn from(error: StoreError) -> Self {
        CommentRefusal::Store(error)
    }
}

impl Store {
    /// Report `id`'s comments, oldest first.
    pub fn comments(&self, id: &str) -> Result<Vec<Comment>, StoreError> {
        self.database()
            .query(
                "SELECT t.label, c.created_at, c.at_ms, c.body FROM comments c \
                 JOIN tokens t ON t.id = c.token_id WHERE c.report_id = ?1 ORDER BY c.id",
                vec![id.into()],
            )?
            .iter()
            .map(|row| {
                Ok(Comment {
                    who: row.text(0)?,
                    created_at: row.int(1)?,
                    t_ms: row.opt_int(2)?,
                    body: row.text(3)?,
                })
            })
            .collect()
    }

    /// Add a comment by token `token_id` to report `id` (which must exist).
    pub fn add_comment(
        &self,
        id: &str,
        token_id: i64,
        t_ms: Option<i64>,
        body: &str,
    ) -> Result<(), CommentRefusal> {
        self.report_owner(id)?;
        let count = self
            .database()
            .query_one(
                "SELECT COUNT(*) FROM comments WHERE report_id = ?1",
                vec![id.into()],
            )?
            .map(|row| row.int(0))
            .transpose()?
            .unwrap_or(0);
        if count >= MAX_COMMENTS {
            return Err(CommentRefusal::Full);
        }
        self.database().execute(
            "INSERT INTO comments (report_id, token_id, created_at, at_ms, body) VALUES (?1, ?2, ?3, ?4, ?5)",
            vec![id.into(), token_id.into(), now_ms().into(), t_ms.into(), body.into()],
        )?;
        Ok(())
    }
}
