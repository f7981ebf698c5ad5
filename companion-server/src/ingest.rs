//! Reading an upload: the compressed size is capped while the body arrives,
//! the decompressed size while it inflates (a gzip bomb stops at the cap, not
//! after), then the JSON is checked in one streaming pass, and read entry
//! by entry into the bundle's types, each entry validated and written back
//! out for storage (`repro_manifest::read_checked`).

use std::io::Read;

use repro_manifest::{Bundle, Limits};

use crate::secret_scan::Refusal;
use crate::ApiError;

/// The upload as received, decoded and checked.
pub struct Upload {
    /// The valid bundle's head: identity, environment, pages (its lists
    /// are left empty: they are only in `gzip`).
    pub head: Bundle,
    /// The bundle's JSON as validated, re-encoded and gzip-compressed: what
    /// is stored is exactly what was checked (no unknown keys, no gzip
    /// header fields, no formatting of the sender's).
    pub gzip: Vec<u8>,
}

/// Decode and check a body (gzip or not). With `scan_secrets`, a bundle
/// that still carries a secret shape anywhere is refused.
///
/// Memory: the body, its decompressed JSON (capped), one entry at a time,
/// and the compressed copy being written; never a generic JSON tree, never
/// the whole bundle's records. The JSON is read once as a stream first (is
/// it JSON, does an object repeat a key, is a secret left in any string),
/// then entry by entry into the bundle's types, which refuse any other
/// shape at its first wrong byte.
pub fn decode(
    body: Vec<u8>,
    gzipped: bool,
    limits: &Limits,
    scan_secrets: bool,
) -> Result<Upload, ApiError> {
    let json = if gzipped {
        let json = inflate_capped(&body, limits.max_bundle_bytes)?;
        // The compressed body is let go once inflated.
        drop(body);
        json
    } else {
        body
    };
    if json.len() > limits.max_bundle_bytes {
        return Err(ApiError::TooLarge(format!(
            "the decompressed bundle is larger than the limit of {} bytes",
            limits.max_bundle_bytes
        )));
    }
    crate::secret_scan::check(&json, scan_secrets).map_err(|refusal| match refusal {
        Refusal::Secret(found) => ApiError::Secret {
            path: found.path,
            kind: found.kind.to_string(),
        },
        Refusal::DuplicateKey { ref path, .. } => ApiError::BadBundle {
            message: refusal.to_string(),
            path: Some(path.clone()),
        },
        Refusal::NotJson(_) => ApiError::BadBundle {
            message: refusal.to_string(),
            path: None,
        },
    })?;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let head = repro_manifest::read_checked(&json, limits, &mut encoder).map_err(|e| {
        ApiError::BadBundle {
            message: e.message,
            path: Some(e.path),
        }
    })?;
    drop(json);
    let gzip = encoder
        .finish()
        .map_err(|e| ApiError::Internal(format!("a valid bundle did not compress: {e}")))?;
    Ok(Upload { head, gzip })
}

/// Inflate one whole gzip stream, stopping past `cap` bytes (a gzip bomb
/// stops at the cap, not after). The stored copy is re-encoded, but the
/// body must still be one stream that any reader inflates the same way:
/// nothing may follow it.
fn inflate_capped(body: &[u8], cap: usize) -> Result<Vec<u8>, ApiError> {
    // The gzip trailer states the size (modulo 4 GiB): room for that much,
    // never past the cap, saves the copies of a growing buffer. A wrong
    // statement costs nothing more than no statement.
    let stated = body
        .last_chunk::<4>()
        .map_or(0, |size| u32::from_le_bytes(*size) as usize);
    let mut json = Vec::with_capacity(stated.min(cap) + 1);
    let mut decoder = flate2::bufread::GzDecoder::new(body);
    (&mut decoder)
        .take(cap as u64 + 1)
        .read_to_end(&mut json)
        .map_err(|e| ApiError::BadBundle {
            message: format!("the gzip body does not decompress: {e}"),
            path: None,
        })?;
    let rest = decoder.into_inner().len();
    if rest > 0 && json.len() <= cap {
        return Err(ApiError::BadBundle {
            message: format!("{rest} byte(s) follow the end of the gzip stream"),
            path: None,
        });
    }
    Ok(json)
}

/// Inflate a stored blob (for clients that do not accept gzip).
pub fn inflate(gzip: &[u8]) -> Result<Vec<u8>, ApiError> {
    let mut json = Vec::new();
    flate2::read::GzDecoder::new(gzip)
        .read_to_end(&mut json)
        .map_err(|e| ApiError::Internal(format!("stored blob does not inflate: {e}")))?;
    Ok(json)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn example_gzip() -> Vec<u8> {
        use std::io::Write;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder
            .write_all(repro_manifest::example_bundle_json().as_bytes())
            .unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn bytes_after_the_gzip_stream_are_refused() {
        let mut body = example_gzip();
        body.extend_from_slice(&[0x1f, 0x8b, 0x08]);
        let refused = decode(body, true, &Limits::default(), true);
        assert!(
            matches!(&refused, Err(ApiError::BadBundle { message, .. }) if message == "3 byte(s) follow the end of the gzip stream"),
            "{:?}",
            refused.err()
        );
    }

    #[test]
    fn a_gzip_body_cut_in_its_trailer_is_refused() {
        let whole = example_gzip();
        assert!(decode(whole.clone(), true, &Limits::default(), true).is_ok());
        for cut in 1..=8 {
            let body = whole[..whole.len() - cut].to_vec();
            assert!(
                decode(body, true, &Limits::default(), true).is_err(),
                "cut by {cut}"
            );
        }
    }
}
