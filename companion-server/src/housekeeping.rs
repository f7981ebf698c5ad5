//! What the server deletes by itself: unfinished uploads in parts past their
//! expiry, reports older than the configured retention, and page assets no
//! report uses any more. Run at start and then every few minutes.

use std::sync::Arc;
use std::time::Duration;

use crate::store::now_ms;
use crate::{PendingUploads, Store};

/// How old things may get.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ages {
    /// Unfinished uploads in parts older than this are deleted.
    pub unfinished_upload: Duration,
    /// Reports older than this are deleted; `None` keeps them.
    pub report: Option<Duration>,
}

/// What one sweep deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Swept {
    /// Unfinished uploads.
    pub uploads: usize,
    /// Reports (row and blob).
    pub reports: usize,
    /// Assets no report uses (row and blob).
    pub assets: usize,
}

fn before(now: i64, age: Duration) -> i64 {
    now - i64::try_from(age.as_millis()).unwrap_or(i64::MAX)
}

/// Delete what is older than `ages` at `now` (Unix ms).
pub fn sweep(
    store: &Store,
    pending: &PendingUploads,
    ages: Ages,
    now: i64,
) -> Result<Swept, crate::StoreError> {
    let uploads = pending.expire(before(now, ages.unfinished_upload))?;
    let reports = match ages.report {
        Some(age) => store.delete_reports_created_before(before(now, age))?,
        None => 0,
    };
    let assets = store.sweep_unused_assets(now - crate::asset_store::UNUSED_ASSET_MS)?;
    Ok(Swept {
        uploads,
        reports,
        assets,
    })
}

/// Sweep now and then for as long as the server runs, logging what went.
pub async fn run(store: Arc<Store>, pending: Arc<PendingUploads>, ages: Ages) {
    let shortest = ages
        .report
        .map_or(ages.unfinished_upload, |r| r.min(ages.unfinished_upload));
    let every = (shortest / 4).clamp(Duration::from_secs(1), Duration::from_secs(600));
    loop {
        let (store, pending) = (store.clone(), pending.clone());
        match tokio::task::spawn_blocking(move || sweep(&store, &pending, ages, now_ms())).await {
            Ok(Ok(Swept { uploads, reports, assets })) if uploads + reports + assets > 0 => crate::json_log::event(
                "info",
                &format!("housekeeping: deleted {uploads} unfinished upload(s) and {reports} report(s) past their age, and {assets} asset(s) no report uses"),
                serde_json::json!({ "uploads": uploads, "reports": reports, "assets": assets }),
            ),
            Ok(Err(e)) => crate::json_log::event(
                "error",
                "housekeeping failed",
                serde_json::json!({ "detail": e.to_string() }),
            ),
            _ => {}
        }
        tokio::time::sleep(every).await;
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn reports_past_the_retention_go_with_their_blobs() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let pending = PendingUploads::new(store.database());
        store.create_token("t").unwrap();
        let stored = store
            .put_report(1, &"c".repeat(32), "t", "u", b"blob", None)
            .unwrap();
        let ages = Ages {
            unfinished_upload: Duration::from_secs(3600),
            report: Some(Duration::from_secs(86_400)),
        };
        let swept = sweep(&store, &pending, ages, now_ms()).unwrap();
        assert_eq!(swept, Swept::default(), "a new report stays");
        let keep_all = Ages {
            report: None,
            ..ages
        };
        assert_eq!(
            sweep(&store, &pending, keep_all, now_ms() + 100 * 86_400_000)
                .unwrap()
                .reports,
            0
        );
        let swept = sweep(&store, &pending, ages, now_ms() + 86_400_001).unwrap();
        assert_eq!(swept.reports, 1);
        assert!(matches!(
            store.report(&stored.id),
            Err(crate::StoreError::NotFound)
        ));
        assert!(matches!(
            store.blob(&stored.id),
            Err(crate::StoreError::NotFound)
        ));
    }
}
