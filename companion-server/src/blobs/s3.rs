//! Blobs in an S3-compatible bucket (AWS S3, Garage, MinIO, R2, …), reached
//! with path-style URLs (`{endpoint}/{bucket}/{key}`) and SigV4 signatures.
//! Keys are `{prefix}bundles/{id}.json.gz` and `{prefix}assets/{sha256}`; several Repro servers may share
//! one bucket under different prefixes.

use std::time::Duration;

use super::sigv4::{self, Credentials};
use super::Shelf;
use crate::dates::utc_basic_seconds;
use crate::store_basics::now_ms;
use crate::store_error::StoreError;

/// How to reach the bucket.
#[derive(Clone, PartialEq, Default)]
pub struct S3Settings {
    /// `http(s)://host[:port]` of the S3 API.
    pub endpoint: String,
    /// The bucket (it must exist).
    pub bucket: String,
    /// The region the store expects.
    pub region: String,
    /// Access key id.
    pub access_key: String,
    /// Secret key.
    pub secret_key: String,
    /// Prepended to every key (`""` or ending in `/`).
    pub prefix: String,
}

/// Everything but the secret key, which a log line or a panic must never print.
impl std::fmt::Debug for S3Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Settings")
            .field("endpoint", &self.endpoint)
            .field("bucket", &self.bucket)
            .field("region", &self.region)
            .field("access_key", &self.access_key)
            .field("secret_key", &"[redacted]")
            .field("prefix", &self.prefix)
            .finish()
    }
}

/// The bucket, with an HTTP agent that keeps connections open.
pub struct S3Blobs {
    settings: S3Settings,
    host: String,
    credentials: Credentials,
    agent: ureq::Agent,
}

/// Largest blob read back: the decoder's own limit is far below.
const MAX_BLOB_BYTES: u64 = 1 << 30;

fn object_store_error(what: &str, detail: impl std::fmt::Display) -> StoreError {
    StoreError::ObjectStore(format!("{what}: {detail}"))
}

/// The text of every `<tag>…</tag>` in `xml`, entities decoded.
fn xml_values(xml: &str, tag: &str) -> Vec<String> {
    let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
    xml.split(open.as_str())
        .skip(1)
        .filter_map(|rest| rest.split(close.as_str()).next())
        .map(|text| {
            text.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&")
        })
        .collect()
}

impl S3Blobs {
    /// Check the settings and that the bucket answers.
    pub fn open(settings: S3Settings) -> Result<S3Blobs, StoreError> {
        let endpoint = settings.endpoint.trim_end_matches('/').to_string();
        let host = endpoint
            .strip_prefix("http://")
            .or_else(|| endpoint.strip_prefix("https://"))
            .filter(|host| !host.is_empty() && !host.contains('/'))
            .ok_or_else(|| {
                object_store_error(
                    "the S3 endpoint must be http(s)://host[:port]",
                    &settings.endpoint,
                )
            })?
            .to_string();
        let safe = |text: &str| {
            text.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_./".contains(&b))
        };
        if settings.bucket.is_empty() || !safe(&settings.bucket) || settings.bucket.contains('/') {
            return Err(object_store_error(
                "the S3 bucket name is not valid",
                &settings.bucket,
            ));
        }
        if !safe(&settings.prefix)
            || !(settings.prefix.is_empty() || settings.prefix.ends_with('/'))
        {
            return Err(object_store_error(
                "the S3 prefix may hold letters, digits, - _ . / and must end with /",
                &settings.prefix,
            ));
        }
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(120)))
            .build()
            .into();
        let blobs = S3Blobs {
            credentials: Credentials {
                access_key: settings.access_key.clone(),
                secret_key: settings.secret_key.clone(),
                region: settings.region.clone(),
            },
            settings: S3Settings {
                endpoint,
                ..settings
            },
            host,
            agent,
        };
        blobs.check_ready()?;
        Ok(blobs)
    }

    fn key(&self, shelf: Shelf, name: &str) -> String {
        format!(
            "{}{}/{}",
            self.settings.prefix,
            shelf.folder(),
            shelf.file_name(name)
        )
    }

    /// `s3://bucket/key` of report `id`'s blob.
    pub fn locate(&self, id: &str) -> String {
        format!(
            "s3://{}/{}",
            self.settings.bucket,
            self.key(Shelf::Bundles, id)
        )
    }

    /// Send one signed request; status and body.
    fn send(
        &self,
        method: &str,
        key: Option<&str>,
        query: &[(&str, &str)],
        body: &[u8],
    ) -> Result<(u16, Vec<u8>), StoreError> {
        let path = match key {
            Some(key) => format!("/{}/{key}", self.settings.bucket),
            None => format!("/{}", self.settings.bucket),
        };
        let payload_sha256 = sigv4::sha256_hex(body);
        let timestamp = utc_basic_seconds(now_ms());
        let authorization = sigv4::authorization(
            &self.credentials,
            &sigv4::Request {
                method,
                path: &path,
                query,
                headers: &[
                    ("host", &self.host),
                    ("x-amz-content-sha256", &payload_sha256),
                ],
                payload_sha256: &payload_sha256,
                timestamp: &timestamp,
            },
        );
        let mut url = format!(
            "{}{}",
            self.settings.endpoint,
            sigv4::uri_encode(&path, true)
        );
        if !query.is_empty() {
            url = format!("{url}?{}", sigv4::canonical_query(query));
        }
        let builder = ureq::http::Request::builder()
            .method(method)
            .uri(&url)
            .header("host", &self.host)
            .header("x-amz-date", &timestamp)
            .header("x-amz-content-sha256", &payload_sha256)
            .header("authorization", authorization);
        let built = |e| object_store_error("cannot build the request", e);
        let sent = if method == "PUT" {
            self.agent.run(builder.body(body).map_err(built)?)
        } else {
            self.agent.run(builder.body(()).map_err(built)?)
        };
        let mut response = sent.map_err(|e| object_store_error(&format!("{method} {url}"), e))?;
        let status = response.status().as_u16();
        let bytes = if method == "HEAD" {
            Vec::new()
        } else {
            response
                .body_mut()
                .with_config()
                .limit(MAX_BLOB_BYTES)
                .read_to_vec()
                .map_err(|e| object_store_error(&format!("{method} {url}: reading"), e))?
        };
        Ok((status, bytes))
    }

    fn refused(what: &str, status: u16, body: &[u8]) -> StoreError {
        let code = xml_values(&String::from_utf8_lossy(body), "Code")
            .into_iter()
            .next()
            .unwrap_or_default();
        object_store_error(what, format!("HTTP {status} {code}"))
    }

    pub(super) fn put(&self, shelf: Shelf, name: &str, bytes: &[u8]) -> Result<(), StoreError> {
        match self.send("PUT", Some(&self.key(shelf, name)), &[], bytes)? {
            (200, _) => Ok(()),
            (status, body) => Err(Self::refused("storing a blob", status, &body)),
        }
    }

    pub(super) fn get(&self, shelf: Shelf, name: &str) -> Result<Vec<u8>, StoreError> {
        match self.send("GET", Some(&self.key(shelf, name)), &[], &[])? {
            (200, body) => Ok(body),
            (404, _) => Err(StoreError::NotFound),
            (status, body) => Err(Self::refused("reading a blob", status, &body)),
        }
    }

    pub(super) fn delete(&self, shelf: Shelf, name: &str) -> Result<(), StoreError> {
        match self.send("DELETE", Some(&self.key(shelf, name)), &[], &[])? {
            (200 | 204 | 404, _) => Ok(()),
            (status, body) => Err(Self::refused("deleting a blob", status, &body)),
        }
    }

    /// Every blob of `shelf`: its name and when it was written (the
    /// listing's `LastModified`).
    pub(super) fn listing(&self, shelf: Shelf) -> Result<Vec<(String, Option<i64>)>, StoreError> {
        let prefix = format!("{}{}/", self.settings.prefix, shelf.folder());
        let mut blobs = Vec::new();
        let mut continuation: Option<String> = None;
        loop {
            let mut query = vec![("list-type", "2"), ("prefix", prefix.as_str())];
            if let Some(token) = &continuation {
                query.push(("continuation-token", token.as_str()));
            }
            let (status, body) = self.send("GET", None, &query, &[])?;
            if status != 200 {
                return Err(Self::refused("listing blobs", status, &body));
            }
            let xml = String::from_utf8_lossy(&body);
            for object in xml_values(&xml, "Contents") {
                let key = xml_values(&object, "Key").into_iter().next();
                let Some(id) = key
                    .as_deref()
                    .and_then(|key| shelf.name_in(key.strip_prefix(&prefix)?))
                else {
                    continue;
                };
                let written = xml_values(&object, "LastModified")
                    .first()
                    .and_then(|time| crate::dates::parse_utc_time(time));
                blobs.push((id.to_string(), written));
            }
            let truncated =
                xml_values(&xml, "IsTruncated").first().map(String::as_str) == Some("true");
            continuation = xml_values(&xml, "NextContinuationToken").into_iter().next();
            if !truncated || continuation.is_none() {
                return Ok(blobs);
            }
        }
    }

    pub(super) fn check_ready(&self) -> Result<(), StoreError> {
        match self.send("HEAD", None, &[], &[])? {
            (200, _) => Ok(()),
            (404, _) => Err(object_store_error(
                "the S3 bucket does not exist",
                &self.settings.bucket,
            )),
            (status, body) => Err(Self::refused("checking the bucket", status, &body)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_values_are_found_and_decoded() {
        let xml = "<a><Key>x&amp;y</Key><Key>z</Key><IsTruncated>false</IsTruncated></a>";
        assert_eq!(xml_values(xml, "Key"), vec!["x&y", "z"]);
        assert_eq!(xml_values(xml, "IsTruncated"), vec!["false"]);
    }

    #[test]
    fn bad_settings_are_named() {
        let error = S3Blobs::open(S3Settings {
            endpoint: "ftp://x".into(),
            bucket: "b".into(),
            ..S3Settings::default()
        });
        assert!(matches!(error, Err(StoreError::ObjectStore(m)) if m.contains("http(s)://")));
    }
}
