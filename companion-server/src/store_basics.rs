//! What the store and its backends share: random ids, hex and SHA-256,
//! the clock in Unix milliseconds, and writing a file so that a crash
//! leaves it whole or absent.

use std::fs;
use std::io::Write;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::store_error::StoreError;

/// 32 lowercase hex digits from 128 random bits.
pub fn random_id() -> Result<String, StoreError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)
        .map_err(|e| StoreError::Io(std::io::Error::other(e.to_string())))?;
    Ok(hex(&bytes))
}

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of `bytes`, as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Now, in Unix milliseconds.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Write `bytes` to `tmp`, sync it, rename it to `dest` and sync `dest`'s
/// folder: after a crash `dest` is whole or absent, never cut.
pub(crate) fn write_durably(tmp: &Path, dest: &Path, bytes: &[u8]) -> std::io::Result<()> {
    {
        let mut file = fs::File::create(tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
    }
    fs::rename(tmp, dest)?;
    if let Some(dir) = dest.parent() {
        fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}
