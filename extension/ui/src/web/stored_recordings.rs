//! A stopped recording as the browser keeps it: its chunks and marks
//! assembled into a bundle, with the tester's exclusions, for the review
//! page and for the upload.

use repro_manifest::{Bundle, Chunk};
use wasm_bindgen::prelude::*;

use super::storage::{load, load_prefixed};
use crate::assemble::{apply_exclusions, assemble, Exclusions};
use crate::session::{
    chunk_prefix, finished_key, mark_prefix, review_key, SessionRecord, StoredMark,
};

/// A stopped session as recorded, before the tester's exclusions, with those
/// exclusions and the storage keys holding it; or why it cannot be had.
pub type Material = Result<(Bundle, Exclusions, Vec<String>), String>;

/// Load the material of stopped session `session_id`.
pub async fn review_material(session_id: &str) -> Result<Material, JsValue> {
    let finished: Option<(SessionRecord, u64)> = load(&finished_key(session_id)).await?;
    let Some((session, stopped_at)) = finished else {
        return Ok(Err("the recording is no longer in this browser".into()));
    };
    if session.pages.is_empty() {
        return Ok(Err(
            "nothing was recorded: the page never started its recorder".into(),
        ));
    }
    let stored = load_prefixed(&chunk_prefix(session_id)).await?;
    let chunks: Vec<Chunk> = stored
        .iter()
        .filter_map(|(_, text)| serde_json::from_str(text).ok())
        .collect();
    let stored_marks = load_prefixed(&mark_prefix(session_id)).await?;
    let marks: Vec<StoredMark> = stored_marks
        .iter()
        .filter_map(|(_, text)| serde_json::from_str(text).ok())
        .collect();
    let bundle = assemble(&session, chunks, marks, stopped_at);
    let exclusions: Exclusions = load(&review_key(session_id)).await?.unwrap_or_default();
    let mut keys: Vec<String> = stored.into_iter().map(|(key, _)| key).collect();
    keys.extend(stored_marks.into_iter().map(|(key, _)| key));
    keys.push(finished_key(session_id));
    keys.push(review_key(session_id));
    Ok(Ok((bundle, exclusions, keys)))
}

/// The bundle of stopped session `session_id` as it would be shared (the
/// tester's exclusions applied), and the storage keys holding it.
pub async fn stored_bundle(
    session_id: &str,
) -> Result<Result<(Bundle, Vec<String>), String>, JsValue> {
    Ok(review_material(session_id)
        .await?
        .map(|(mut bundle, exclusions, keys)| {
            apply_exclusions(&mut bundle, &exclusions);
            (bundle, keys)
        }))
}
