//! Reading an upload: the compressed size is capped while the body arrives,
//! the decompressed size while it inflates (a gzip bomb stops at the cap, not
//! after), then the JSON is checked in one streaming pass, read into the
//! bundle's types, validated, and re-encoded for storage.

use std::io::Read;

use repro_manifest::{Bundle, Limits};

use crate::secret_scan::Refusal;
use crate::ApiError;

/// The upload as received, decoded and checked.
pub struct Upload {
    /// The parsed, valid bundle.
    pub bundle: Bundle,
    /// The bundle's JSON as validated, re-encoded and gzip-compressed: what
    /// is stored is exactly what was checked (no unknown keys, no gzip
    /// header fields, no formatting of the sender's).
    pub gzip: Vec<u8>,
}

/// Decode and check a body (gzip or not). With `scan_secrets`, a bundle
/// that still carries a secret shape anywhere is refused.
///
/// Memory: the body, its decompressed JSON (capped), and the typed bundle;
/// never a generic JSON tree. The JSON is read once as a stream first (is
/// it JSON, does an object repeat a key, is a secret left in any string),
/// then straight into the bundle's types, which refuse any other shape at
/// its first wrong byte.
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
    let mut reader = serde_json::Deserializer::from_slice(&json);
    let bundle: Bundle = serde_path_to_error::deserialize(&mut reader).map_err(|e| {
        let path = e.path().to_string();
        ApiError::BadBundle {
            message: format!("the body is not a valid bundle: {}", e.into_inner()),
            path: Some(path),
        }
    })?;
    drop(json);
    bundle.validate(limits).map_err(|e| ApiError::BadBundle {
        message: e.message,
        path: Some(e.path),
    })?;
    let validated = serde_json::to_vec(&bundle)
        .map_err(|e| ApiError::Internal(format!("a valid bundle did not encode: {e}")))?;
    let gzip = compress(&validated);
    Ok(Upload { bundle, gzip })
}

/// Inflate one whole gzip stream, stopping past `cap` bytes (a gzip bomb
/// stops at the cap, not after). The stored copy is re-encoded, but the
/// body must still be one stream that any reader inflates the same way:
/// nothing may follow it.
fn inflate_capped(body: &[u8], cap: usize) -> Result<Vec<u8>, ApiError> {
    let mut json = Vec::new();
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

fn compress(json: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(json);
    encoder.finish().unwrap_or_default()
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
        compress(repro_manifest::example_bundle_json().as_bytes())
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
