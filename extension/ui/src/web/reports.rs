//! The tester's report list in extension storage: one entry per stopped
//! recording, keyed by its session, which is both the upload queue and the
//! history the popup shows. Also the local storage budget.

use wasm_bindgen::prelude::*;

use super::storage::{load, load_prefixed, remove, save};
use crate::config::{Config, CONFIG_KEY, DEFAULT_BUDGET_MB};
use crate::session::{
    budget_state, report_key, tab_report_key, BudgetState, Report, UploadState, REPORT_PREFIX,
};
use repro_extension_messages::web::runtime::call;

/// The entry of session `session_id`.
pub async fn load_report(session_id: &str) -> Result<Option<Report>, JsValue> {
    load(&report_key(session_id)).await
}

/// The entry a tab's popup shows: the tab's last stopped recording.
pub async fn tab_report(tab: i64) -> Result<Option<Report>, JsValue> {
    match load::<String>(&tab_report_key(tab)).await? {
        Some(session) => load_report(&session).await,
        None => Ok(None),
    }
}

/// Every entry, newest first.
pub async fn all_reports() -> Result<Vec<Report>, JsValue> {
    let mut reports: Vec<Report> = load_prefixed(REPORT_PREFIX)
        .await?
        .iter()
        .filter_map(|(_, text)| serde_json::from_str(text).ok())
        .collect();
    reports.sort_by_key(|r| std::cmp::Reverse(r.stopped_at));
    Ok(reports)
}

/// Add an entry and make it the one its tab's popup shows.
pub async fn add_report(report: &Report) -> Result<(), JsValue> {
    save(&report_key(&report.session), report).await?;
    save(&tab_report_key(report.tab), &report.session).await
}

/// Move session `session_id` to `state`. Nothing happens if its entry is
/// gone, or already uploaded or discarded: those are final, so a second try
/// that lost a race with the one that delivered cannot undo it.
pub async fn set_state(session_id: &str, state: UploadState) -> Result<(), JsValue> {
    if let Some(mut report) = load_report(session_id).await? {
        if matches!(
            report.state,
            UploadState::Done { .. } | UploadState::Discarded
        ) {
            return Ok(());
        }
        report.state = state;
        save(&report_key(session_id), &report).await?;
    }
    Ok(())
}

/// Drop the entry of session `session_id` from the list.
pub async fn forget(session_id: &str) -> Result<(), JsValue> {
    let mut keys = vec![report_key(session_id)];
    if let Some(report) = load_report(session_id).await? {
        if load::<String>(&tab_report_key(report.tab))
            .await?
            .as_deref()
            == Some(session_id)
        {
            keys.push(tab_report_key(report.tab));
        }
    }
    remove(&keys).await
}

/// Bytes Repro keeps in extension storage (chunks included).
pub async fn storage_used() -> Result<u64, JsValue> {
    let used = call("chrome.storage.local.getBytesInUse", &[JsValue::NULL]).await?;
    Ok(used.as_f64().unwrap_or(0.0) as u64 + super::chunk_store::bytes_used().await?)
}

/// How full the local storage budget is.
pub async fn budget() -> Result<BudgetState, JsValue> {
    let budget_mb = load::<Config>(CONFIG_KEY)
        .await?
        .map_or(DEFAULT_BUDGET_MB, |c| c.storage_budget_mb);
    Ok(budget_state(storage_used().await?, budget_mb))
}
