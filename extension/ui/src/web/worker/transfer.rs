//! Sending a compressed bundle to the companion server in parts that resume.
//!
//! The upload is named by the bundle id and the SHA-256 of the body. Each try
//! first asks the server what it already has (parts, or the finished report
//! when an earlier try's answer was lost) and sends only the rest, so a
//! dropped connection costs at most one part. A server without the parts API
//! gets the whole body in one request instead.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::config::Config;
use crate::session::explain_refusal;
use repro_extension_messages::web::js::{get, message_of, object};
use repro_extension_messages::web::runtime::call;

/// Why a try failed, in words, with the HTTP status (none: unreachable).
pub type Failure = (String, Option<u16>);

/// No single request may hang longer than this.
const REQUEST_TIMEOUT_MS: f64 = 60_000.0;

/// Send `body` (the gzip-compressed bundle `bundle_id`); `progress` hears the
/// bytes the server has after each part. The share link, or why not.
pub async fn send_bundle<F, Fut>(
    config: &Config,
    bundle_id: &str,
    body: &js_sys::Uint8Array,
    mut progress: F,
) -> Result<String, Failure>
where
    F: FnMut(u64) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let digest = sha256_hex(body).await.map_err(|e| {
        (
            format!("could not checksum the report ({})", message_of(&e)),
            None,
        )
    })?;
    let base = format!("/api/uploads/{bundle_id}/{digest}");
    let state = match request(config, "GET", &base, Body::None).await {
        Ok(json) => json,
        Err((_, Some(404 | 405))) => return send_whole(config, body).await,
        Err(failure) => return Err(failure),
    };
    if let Some(url) = get(&get(&state, "report"), "url").as_string() {
        return Ok(url);
    }
    let part_bytes = get(&state, "part_bytes")
        .as_f64()
        .filter(|n| *n >= 1.0)
        .unwrap_or(1_048_576.0) as u32;
    let arrived: Vec<(u32, u32)> = js_sys::Array::from(&get(&state, "parts"))
        .iter()
        .filter_map(|p| {
            Some((
                get(&p, "n").as_f64()? as u32,
                get(&p, "bytes").as_f64()? as u32,
            ))
        })
        .collect();
    let total = body.length();
    let count = total.div_ceil(part_bytes).max(1);
    let mut sent = 0u64;
    for n in 0..count {
        let start = n * part_bytes;
        let end = (start + part_bytes).min(total);
        if !arrived.contains(&(n, end - start)) {
            let part = body.subarray(start, end);
            request(
                config,
                "PUT",
                &format!("{base}/parts/{n}"),
                Body::Part(part),
            )
            .await?;
        }
        sent += (end - start) as u64;
        progress(sent).await;
    }
    let finish = format!("{{\"parts\":{count}}}");
    let path = format!("{base}/complete{}", expiry_query(config));
    let answer = request(config, "POST", &path, Body::Json(finish)).await?;
    link_of(&answer)
}

/// The whole body in one request, for a server without the parts API.
async fn send_whole(config: &Config, body: &js_sys::Uint8Array) -> Result<String, Failure> {
    let path = format!("/api/reports{}", expiry_query(config));
    let answer = request(config, "POST", &path, Body::GzipJson(body.clone())).await?;
    link_of(&answer)
}

/// `?expires_in_days=N` when the tester chose an expiry for share links.
fn expiry_query(config: &Config) -> String {
    match config.link_expiry_days {
        0 => String::new(),
        days => format!("?expires_in_days={days}"),
    }
}

fn link_of(answer: &JsValue) -> Result<String, Failure> {
    get(answer, "url")
        .as_string()
        .ok_or_else(|| ("the server answered without a link".into(), None))
}

/// What a request carries.
pub(super) enum Body {
    /// Nothing.
    None,
    /// A part of the gzip body, as bytes.
    Part(js_sys::Uint8Array),
    /// JSON text.
    Json(String),
    /// The whole bundle, gzip-compressed JSON.
    GzipJson(js_sys::Uint8Array),
    /// A page asset's bytes, of this type.
    Asset(js_sys::Uint8Array, &'static str),
}

/// One request to the server; its JSON answer, or why it failed in words.
pub(super) async fn request(
    config: &Config,
    method: &str,
    path: &str,
    body: Body,
) -> Result<JsValue, Failure> {
    let url = format!("{}{path}", config.server_url);
    let mut headers = vec![("Authorization", format!("Bearer {}", config.token).into())];
    let body: Option<JsValue> = match body {
        Body::None => None,
        Body::Part(bytes) => {
            headers.push(("Content-Type", "application/octet-stream".into()));
            Some(bytes.into())
        }
        Body::Json(text) => {
            headers.push(("Content-Type", "application/json".into()));
            Some(text.into())
        }
        Body::GzipJson(bytes) => {
            headers.push(("Content-Type", "application/json".into()));
            headers.push(("Content-Encoding", "gzip".into()));
            Some(bytes.into())
        }
        Body::Asset(bytes, content_type) => {
            headers.push(("Content-Type", content_type.into()));
            Some(bytes.into())
        }
    };
    let mut init = vec![("method", method.into()), ("headers", object(&headers))];
    if let Some(body) = body {
        init.push(("body", body));
    }
    if let Ok(signal) = call("AbortSignal.timeout", &[REQUEST_TIMEOUT_MS.into()]).await {
        init.push(("signal", signal));
    }
    let response = call("fetch", &[JsValue::from_str(&url), object(&init)])
        .await
        .map_err(|e| {
            let words = format!(
                "could not reach the server at {} ({})",
                config.server_url,
                message_of(&e)
            );
            (words, None)
        })?;
    let response: web_sys::Response = response
        .dyn_into()
        .map_err(|_| ("no response".to_string(), None))?;
    let status = response.status();
    let json = match response.json() {
        Ok(promise) => wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .unwrap_or(JsValue::NULL),
        Err(_) => JsValue::NULL,
    };
    if response.ok() {
        return Ok(json);
    }
    Err((
        explain_refusal(status, get(&json, "error").as_string().as_deref()),
        Some(status),
    ))
}

/// SHA-256 of `bytes` as lowercase hex, by the browser's Web Crypto.
pub(super) async fn sha256_hex(bytes: &js_sys::Uint8Array) -> Result<String, JsValue> {
    let digest = call(
        "crypto.subtle.digest",
        &["SHA-256".into(), bytes.clone().into()],
    )
    .await?;
    Ok(js_sys::Uint8Array::new(&digest)
        .to_vec()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}
