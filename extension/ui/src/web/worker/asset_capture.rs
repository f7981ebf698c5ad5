//! The page assets a report uses, stored with it: before the bundle goes,
//! each image, font and background it refers to is fetched by the
//! extension (which may read what the page's origin could not), named by
//! the SHA-256 of its bytes, and sent to the server unless it has it
//! already; the bundle then lists them, and the replay loads them from the
//! server instead of the recorded site.
//!
//! Stylesheets of another origin that the page could not read are fetched
//! the same way and their rules copied into the bundle, as the recorder
//! copies a readable one. With "Store the page's images" off, images are left out (stylesheets
//! and fonts still go). Cookies go only where the recorded pages' own
//! origins are: an asset of
//! another host is fetched without credentials. What cannot be fetched, is
//! not a type an asset may have, or is past the limits is left out (the
//! replay shows nothing there, and asks no other host), and listed in the
//! bundle's `skipped_assets` with the reason.

use std::collections::HashMap;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::transfer::{request, sha256_hex, Body, Failure};
use crate::config::Config;
use repro_extension_messages::web::js::{get, object};
use repro_extension_messages::web::runtime::call;
use repro_manifest::asset_urls::{asset_urls, fill_stylesheets, unread_stylesheets};
use repro_manifest::css_urls::absolutize;
use repro_manifest::{AssetRef, Bundle, Limits, SkippedAsset};

/// No asset may take longer than this to fetch.
const FETCH_TIMEOUT_MS: f64 = 15_000.0;

/// The most bytes of assets one report stores.
const MAX_REPORT_ASSET_BYTES: usize = 64 * 1024 * 1024;

/// One fetched asset.
struct Fetched {
    reference: AssetRef,
    /// Its type, as sent (one of the format's asset types).
    content_type: &'static str,
    bytes: js_sys::Uint8Array,
}

/// Fetch the assets `bundle` uses, send the server those it lacks, and list
/// them in the bundle. A server without the assets API is sent none.
pub async fn capture(config: &Config, bundle: &mut Bundle) -> Result<(), Failure> {
    let limits = Limits::default();
    let own_origins: Vec<String> = bundle.pages.iter().filter_map(|p| origin(&p.url)).collect();
    fill_unread_stylesheets(bundle, &own_origins).await;
    let urls = asset_urls(bundle, limits.max_assets);
    if urls.is_empty() {
        return Ok(());
    }
    let mut fetched = Vec::new();
    let mut skipped = Vec::new();
    let mut total = 0usize;
    for url in urls {
        let with_cookies = origin(&url).is_some_and(|o| own_origins.contains(&o));
        let why = match fetch_asset(&url, with_cookies, limits.max_asset_bytes).await {
            // The tester keeps images out: stylesheets and fonts still go.
            Ok(asset)
                if !config.store_images && asset.reference.content_type.starts_with("image/") =>
            {
                "images_off"
            }
            Ok(asset) if total + asset.bytes.length() as usize > MAX_REPORT_ASSET_BYTES => {
                "report_full"
            }
            Ok(asset) => {
                total += asset.bytes.length() as usize;
                fetched.push(asset);
                continue;
            }
            Err(why) => why,
        };
        skipped.push(SkippedAsset {
            url,
            why: why.into(),
        });
    }
    bundle.skipped_assets = skipped;
    if fetched.is_empty() {
        return Ok(());
    }
    let mut hashes: Vec<String> = fetched.iter().map(|f| f.reference.sha256.clone()).collect();
    hashes.sort();
    hashes.dedup();
    let question = serde_json::json!({ "sha256": hashes }).to_string();
    let answer = match request(config, "POST", "/api/assets/missing", Body::Json(question)).await {
        Ok(answer) => answer,
        // A server from before assets: the report goes without them.
        Err((_, Some(404 | 405))) => return Ok(()),
        Err(failure) => return Err(failure),
    };
    let missing: Vec<String> = js_sys::Array::from(&get(&answer, "missing"))
        .iter()
        .filter_map(|h| h.as_string())
        .collect();
    let mut by_hash: HashMap<&str, &Fetched> = HashMap::new();
    for asset in &fetched {
        by_hash
            .entry(asset.reference.sha256.as_str())
            .or_insert(asset);
    }
    for sha256 in &missing {
        let Some(asset) = by_hash.get(sha256.as_str()) else {
            continue;
        };
        request(
            config,
            "PUT",
            &format!("/api/assets/{sha256}"),
            Body::Asset(asset.bytes.clone(), asset.content_type),
        )
        .await?;
    }
    bundle.assets = fetched.into_iter().map(|f| f.reference).collect();
    Ok(())
}

/// The most stylesheets of other origins one report fetches.
const MAX_UNREAD_STYLESHEETS: usize = 50;

/// The longest stylesheet copied in, in bytes (an attribute's limit is larger).
const MAX_STYLESHEET_BYTES: usize = 2 * 1024 * 1024;

/// Fetch the stylesheets the page used but its recorder could not read
/// (another origin's, sent without CORS headers) and copy their rules into
/// the bundle as the recorder copies a readable one: `url()`s made
/// absolute against the sheet, secret shapes masked. The replay, which
/// loads from the server alone, needs them.
async fn fill_unread_stylesheets(bundle: &mut Bundle, own_origins: &[String]) {
    let mut sheets = HashMap::new();
    for url in unread_stylesheets(bundle, MAX_UNREAD_STYLESHEETS) {
        let with_cookies = origin(&url).is_some_and(|o| own_origins.contains(&o));
        let Some(text) = fetch_stylesheet(&url, with_cookies).await else {
            continue;
        };
        let css = absolutize(&text, &url);
        let css = repro_manifest::pii::mask(&css).into_owned();
        sheets.insert(url, css);
    }
    if !sheets.is_empty() {
        fill_stylesheets(bundle, &sheets);
    }
}

/// The text of the stylesheet at `url`, unless it cannot be had, is too
/// long, or is not a stylesheet (a login page answering instead).
async fn fetch_stylesheet(url: &str, with_cookies: bool) -> Option<String> {
    let response = fetch(url, with_cookies).await?;
    let declared = response
        .headers()
        .get("content-type")
        .ok()
        .flatten()
        .unwrap_or_default();
    if !declared.trim().to_ascii_lowercase().starts_with("text/css") {
        return None;
    }
    let text = wasm_bindgen_futures::JsFuture::from(response.text().ok()?)
        .await
        .ok()?
        .as_string()?;
    (text.len() <= MAX_STYLESHEET_BYTES).then_some(text)
}

/// `fetch(url)` as an asset is fetched: cookies only if `with_cookies`,
/// the browser's copy when it has one, bounded in time; a 2xx response.
async fn fetch(url: &str, with_cookies: bool) -> Option<web_sys::Response> {
    let mut init = vec![
        (
            "credentials",
            if with_cookies { "include" } else { "omit" }.into(),
        ),
        // The copy the page just loaded, when the browser still has it.
        ("cache", "force-cache".into()),
    ];
    if let Ok(signal) = call("AbortSignal.timeout", &[FETCH_TIMEOUT_MS.into()]).await {
        init.push(("signal", signal));
    }
    let response: web_sys::Response = call("fetch", &[JsValue::from_str(url), object(&init)])
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    response.ok().then_some(response)
}

/// `scheme://host[:port]` of `url`.
fn origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    Some(format!(
        "{}://{}",
        scheme.to_ascii_lowercase(),
        host.to_ascii_lowercase()
    ))
}

/// Fetch `url` as an asset: its bytes, type and hash, or why not (one of
/// the format's `SKIP_REASONS`): it cannot be had, is too large, or is not
/// a type an asset may have.
async fn fetch_asset(
    url: &str,
    with_cookies: bool,
    max_bytes: usize,
) -> Result<Fetched, &'static str> {
    const UNREACHABLE: &str = "unreachable";
    let response = fetch(url, with_cookies).await.ok_or(UNREACHABLE)?;
    let headers = response.headers();
    let declared = headers
        .get("content-type")
        .ok()
        .flatten()
        .unwrap_or_default();
    let length = headers
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|n| n.parse::<usize>().ok());
    if length.is_some_and(|n| n > max_bytes) {
        return Err("too_large");
    }
    let body = response.array_buffer().map_err(|_| UNREACHABLE)?;
    let buffer = wasm_bindgen_futures::JsFuture::from(body)
        .await
        .map_err(|_| UNREACHABLE)?;
    let bytes = js_sys::Uint8Array::new(&buffer);
    let size = bytes.length() as usize;
    if size > max_bytes {
        return Err("too_large");
    }
    let head = bytes.subarray(0, (size as u32).min(1024)).to_vec();
    let content_type = match size {
        0 => None,
        _ => repro_manifest::asset_type(&declared, &head),
    }
    .ok_or("not_an_asset")?;
    let sha256 = sha256_hex(&bytes).await.map_err(|_| UNREACHABLE)?;
    Ok(Fetched {
        reference: AssetRef {
            url: url.to_string(),
            sha256,
            content_type: content_type.to_string(),
            bytes: size as u64,
        },
        content_type,
        bytes,
    })
}
