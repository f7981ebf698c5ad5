//! The store's integrity check (`repro-server check`): SQLite's own check
//! of the database, then every report row must have a blob that inflates to
//! a bundle that parses, validates, and carries the row's bundle id. Blobs
//! that no row names (a crash between writing a blob and committing its row
//! leaves one; no link reaches it) are listed, and deleted with `--repair`
//! once they are older than [`SETTLE_MS`]: a younger one may be an upload
//! whose row a running server is about to commit, so it is left alone.
//! Page assets likewise: each row needs its blob, and a blob no row names
//! (written just before a crash) goes with `--repair` once old enough.

use repro_manifest::{Bundle, Limits};

use crate::{Store, StoreError};

/// How old a blob no row names must be before `--repair` deletes it (and
/// a temporary file before a store's opening removes it): an hour, far
/// longer than any upload takes between writing its blob and committing
/// its row.
pub const SETTLE_MS: i64 = 60 * 60 * 1000;

/// What the check found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Findings {
    /// Report rows checked.
    pub reports: usize,
    /// Reports whose blob is missing or broken, and database problems, in words.
    pub problems: Vec<String>,
    /// Ids of blobs no row names.
    pub orphans: Vec<String>,
    /// Of those, the ones too young to delete (a row may be on its way).
    pub young_orphans: Vec<String>,
    /// Asset rows checked.
    pub assets: usize,
    /// SHA-256s of asset blobs no row names.
    pub orphan_assets: Vec<String>,
    /// Of those, the ones too young to delete.
    pub young_orphan_assets: Vec<String>,
}

impl Findings {
    /// Nothing a reader could meet is broken (orphan blobs are unreachable).
    pub fn is_sound(&self) -> bool {
        self.problems.is_empty()
    }
}

fn check_blob(store: &Store, id: &str, bundle_id: &str) -> Result<(), String> {
    let gzip = store
        .blob(id)
        .map_err(|e| format!("report {id}: blob: {e}"))?;
    let json = crate::ingest::inflate(&gzip)
        .map_err(|_| format!("report {id}: the blob does not inflate"))?;
    let bundle: Bundle = serde_json::from_slice(&json)
        .map_err(|e| format!("report {id}: the bundle does not parse: {e}"))?;
    bundle.validate(&Limits::default()).map_err(|e| {
        format!(
            "report {id}: the bundle is not valid at {}: {}",
            e.path, e.message
        )
    })?;
    if bundle.id != bundle_id {
        return Err(format!(
            "report {id}: holds bundle {} instead of {bundle_id}",
            bundle.id
        ));
    }
    Ok(())
}

/// Check `store`; with `repair`, delete the orphan blobs found that are
/// older than [`SETTLE_MS`].
pub fn check(store: &Store, repair: bool) -> Result<Findings, StoreError> {
    check_at(store, repair, now_ms())
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// [`check`] as if it were `now` (Unix ms).
pub fn check_at(store: &Store, repair: bool, now: i64) -> Result<Findings, StoreError> {
    let mut findings = Findings::default();
    let database = store.database_check()?;
    if database != "ok" {
        findings.problems.push(format!("database: {database}"));
    }
    let rows = store.report_ids()?;
    findings.reports = rows.len();
    for (id, bundle_id) in &rows {
        if let Err(problem) = check_blob(store, id, bundle_id) {
            findings.problems.push(problem);
        }
    }
    // Listed after the rows were read: a blob whose row was committed
    // meanwhile is not named in `rows`, which is why young ones are spared.
    let named: std::collections::HashSet<&str> = rows.iter().map(|(id, _)| id.as_str()).collect();
    for (id, written) in store.blob_listing()? {
        if named.contains(id.as_str()) {
            continue;
        }
        // A blob whose age the storage does not tell is treated as young.
        if written.is_none_or(|written| now - written < SETTLE_MS) {
            findings.young_orphans.push(id.clone());
        }
        findings.orphans.push(id);
    }
    check_assets(store, now, &mut findings)?;
    if repair {
        for id in &findings.orphans {
            if !findings.young_orphans.contains(id) {
                store.remove_blob(id)?;
            }
        }
        for sha256 in &findings.orphan_assets {
            if !findings.young_orphan_assets.contains(sha256) {
                store.remove_asset_blob(sha256)?;
            }
        }
    }
    Ok(findings)
}

/// Page assets: a row whose blob is missing is a problem (its reports show
/// it empty); a blob no row names is an orphan (an asset written just before
/// a crash), young ones spared as for reports.
fn check_assets(store: &Store, now: i64, findings: &mut Findings) -> Result<(), StoreError> {
    let rows = store.asset_hashes()?;
    findings.assets = rows.len();
    // Listed after the rows: an asset whose row came meanwhile is young.
    let blobs = store.asset_blob_listing()?;
    let present: std::collections::HashSet<&str> =
        blobs.iter().map(|(sha256, _)| sha256.as_str()).collect();
    for sha256 in &rows {
        if !present.contains(sha256.as_str()) {
            findings
                .problems
                .push(format!("asset {sha256}: blob: not found"));
        }
    }
    let named: std::collections::HashSet<&str> = rows.iter().map(String::as_str).collect();
    for (sha256, written) in blobs.iter() {
        if named.contains(sha256.as_str()) {
            continue;
        }
        if written.is_none_or(|written| now - written < SETTLE_MS) {
            findings.young_orphan_assets.push(sha256.clone());
        }
        findings.orphan_assets.push(sha256.clone());
    }
    Ok(())
}
