//! Reading an upload: the compressed size is capped while the body arrives,
//! the decompressed size while it inflates (a gzip bomb stops at the cap, not
//! after), then the bundle is parsed and validated.

use std::io::Read;

use repro_manifest::{Bundle, Limits};

use crate::ApiError;

/// The upload as received, decoded and checked.
pub struct Upload {
    /// The parsed, valid bundle.
    pub bundle: Bundle,
    /// The bundle's JSON, gzip-compressed, as it will be stored.
    pub gzip: Vec<u8>,
}

/// Decode and check a body (gzip or not). With `scan_secrets`, a bundle
/// that still carries a secret shape anywhere is refused.
pub fn decode(
    body: Vec<u8>,
    gzipped: bool,
    limits: &Limits,
    scan_secrets: bool,
) -> Result<Upload, ApiError> {
    let json = if gzipped {
        let mut json = Vec::new();
        let mut decoder = flate2::bufread::GzDecoder::new(body.as_slice());
        (&mut decoder)
            .take(limits.max_bundle_bytes as u64 + 1)
            .read_to_end(&mut json)
            .map_err(|e| ApiError::BadBundle {
                message: format!("the gzip body does not decompress: {e}"),
                path: None,
            })?;
        // The body is stored as sent, so it must be one whole gzip stream
        // that any reader inflates the same way: nothing may follow it.
        let rest = decoder.into_inner().len();
        if rest > 0 && json.len() <= limits.max_bundle_bytes {
            return Err(ApiError::BadBundle {
                message: format!("{rest} byte(s) follow the end of the gzip stream"),
                path: None,
            });
        }
        json
    } else {
        body.clone()
    };
    if json.len() > limits.max_bundle_bytes {
        return Err(ApiError::TooLarge(format!(
            "the decompressed bundle is larger than the limit of {} bytes",
            limits.max_bundle_bytes
        )));
    }
    let value: serde_json::Value =
        serde_json::from_slice(&json).map_err(|e| ApiError::BadBundle {
            message: format!("the body is not valid JSON: {e}"),
            path: None,
        })?;
    if scan_secrets {
        if let Some(found) = crate::secret_scan::scan(&value) {
            return Err(ApiError::Secret {
                path: found.path,
                kind: found.kind.to_string(),
            });
        }
    }
    let bundle: Bundle = serde_path_to_error::deserialize(&value).map_err(|e| {
        let path = e.path().to_string();
        ApiError::BadBundle {
            message: format!("the body is not a valid bundle: {}", e.into_inner()),
            path: Some(path),
        }
    })?;
    bundle.validate(limits).map_err(|e| ApiError::BadBundle {
        message: e.message,
        path: Some(e.path),
    })?;
    let gzip = if gzipped { body } else { compress(&json) };
    Ok(Upload { bundle, gzip })
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
