//! The rows that tie reports to their page assets, written inside the
//! transactions of `store` (a report's) and `asset_store` (an asset's):
//! an asset is "used" each time an upload names it, which keeps the sweep
//! of unused assets away from it.

use crate::database::{Sql, Value};
use crate::store_error::StoreError;

/// Mark `sha256` used at `now`; whether the store holds it.
pub(crate) fn touch(tx: &mut dyn Sql, sha256: &str, now: i64) -> Result<bool, StoreError> {
    Ok(tx.execute(
        "UPDATE assets SET used_at = ?1 WHERE sha256 = ?2",
        &[now.into(), sha256.into()],
    )? == 1)
}

/// In the transaction storing report `report_id`: link it to `assets`,
/// each of which must be stored ([`StoreError::AssetMissing`] otherwise),
/// marking them used at `now`. (The update takes the asset's row, so a
/// sweep running alongside waits, then sees it used.)
pub(crate) fn link_report_assets(
    tx: &mut dyn Sql,
    report_id: &Value,
    assets: &[String],
    now: i64,
) -> Result<(), StoreError> {
    for sha256 in assets {
        if !touch(tx, sha256, now)? {
            return Err(StoreError::AssetMissing(sha256.clone()));
        }
        tx.execute(
            "INSERT INTO report_assets (report_id, sha256) VALUES (?1, ?2) \
             ON CONFLICT (report_id, sha256) DO NOTHING",
            &[report_id.clone(), sha256.as_str().into()],
        )?;
    }
    Ok(())
}
