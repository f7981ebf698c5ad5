//! The store's integrity check (`repro-server check`): SQLite's own check
//! of the database, then every report row must have a blob that inflates to
//! a bundle that parses, validates, and carries the row's bundle id. Blobs
//! that no row names (a crash between writing a blob and committing its row
//! leaves one; no link reaches it) are listed, and deleted with `--repair`.

use repro_manifest::{Bundle, Limits};

use crate::{Store, StoreError};

/// What the check found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Findings {
    /// Report rows checked.
    pub reports: usize,
    /// Reports whose blob is missing or broken, and database problems, in words.
    pub problems: Vec<String>,
    /// Ids of blobs no row names.
    pub orphans: Vec<String>,
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

/// Check `store`; with `repair`, delete the orphan blobs found.
pub fn check(store: &Store, repair: bool) -> Result<Findings, StoreError> {
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
    let named: std::collections::HashSet<&str> = rows.iter().map(|(id, _)| id.as_str()).collect();
    findings.orphans = store
        .blob_ids()?
        .into_iter()
        .filter(|id| !named.contains(id.as_str()))
        .collect();
    if repair {
        for id in &findings.orphans {
            store.remove_blob(id)?;
        }
    }
    Ok(findings)
}
