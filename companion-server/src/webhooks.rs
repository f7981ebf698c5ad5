//! Telling other tools a report arrived: the issue as JSON (title,
//! Markdown, link, and `text` for Slack-compatible receivers), POSTed to
//! each configured webhook when a new report is stored.
//!
//! Delivery never holds up the upload and never grows without bound: one
//! delivery at a time, at most [`MAX_WAITING`] reports waiting (more are
//! dropped and logged), each POST with a 10 s limit, retried twice (after
//! 2 s and 8 s) when the receiver is down or answers 5xx. Outcomes are
//! logged without the webhook's path (a Slack webhook's path is its secret).

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::ServerState;

/// Reports waiting for delivery, at most (beyond the one being delivered).
const MAX_WAITING: usize = 64;
/// Waits before the second and third tries.
const RETRY_AFTER: [Duration; 2] = [Duration::from_secs(2), Duration::from_secs(8)];

/// The webhooks and their delivery queue.
#[derive(Debug)]
pub struct Webhooks {
    urls: Vec<String>,
    /// Deliveries in progress or waiting.
    queue: Arc<Semaphore>,
    /// One delivery at a time.
    turn: Arc<tokio::sync::Mutex<()>>,
}

impl Webhooks {
    /// Webhooks at `urls` (none: nothing is ever sent).
    pub fn new(urls: Vec<String>) -> Webhooks {
        Webhooks {
            urls,
            queue: Arc::new(Semaphore::new(MAX_WAITING + 1)),
            turn: Arc::new(tokio::sync::Mutex::new(())),
        }
    }
}

impl Default for Webhooks {
    fn default() -> Self {
        Webhooks::new(Vec::new())
    }
}

/// Where a webhook goes, for the log: its origin only.
fn origin_of(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
            let host = host.rsplit('@').next().unwrap_or_default();
            format!("{scheme}://{host}")
        }
        None => "(not a URL)".into(),
    }
}

/// Report `id` (at `link`) was just stored: tell the webhooks, in the
/// background.
pub(crate) fn report_arrived(state: &ServerState, id: String, link: String) {
    let hooks = &state.webhooks;
    if hooks.urls.is_empty() {
        return;
    }
    let Ok(place) = hooks.queue.clone().try_acquire_owned() else {
        crate::json_log::event(
            "warn",
            "webhook skipped",
            serde_json::json!({"report": id, "why": "too many reports waiting for delivery"}),
        );
        return;
    };
    let state = state.clone();
    tokio::spawn(async move {
        let turn = state.webhooks.turn.clone();
        let _turn = turn.lock().await;
        let bundle = match crate::share::stored_bundle(&state, &id).await {
            Ok(bundle) => bundle,
            Err(error) => {
                crate::json_log::event(
                    "warn",
                    "webhook skipped",
                    serde_json::json!({"report": id, "why": error.reason()}),
                );
                return;
            }
        };
        let body = crate::issue_markdown::issue_json(&id, &bundle, &link).to_string();
        drop(bundle);
        for url in state.webhooks.urls.clone() {
            deliver(&url, &body, &id).await;
        }
        drop(place);
    });
}

/// POST `body` to `url`, with retries; log the outcome.
async fn deliver(url: &str, body: &str, id: &str) {
    let mut waits = RETRY_AFTER.iter();
    let mut tries = 0;
    loop {
        tries += 1;
        let (url_owned, body_owned) = (url.to_string(), body.to_string());
        let outcome = tokio::task::spawn_blocking(move || post(&url_owned, &body_owned))
            .await
            .unwrap_or_else(|e| Err(e.to_string()));
        let retry = match &outcome {
            Ok(status) => *status >= 500,
            Err(_) => true,
        };
        match (retry, waits.next()) {
            (true, Some(wait)) => tokio::time::sleep(*wait).await,
            _ => {
                let (level, fields) = match outcome {
                    Ok(status) if status < 400 => ("info", serde_json::json!({"status": status})),
                    Ok(status) => ("warn", serde_json::json!({"status": status})),
                    Err(error) => ("warn", serde_json::json!({"error": error})),
                };
                let mut fields = fields;
                fields["report"] = id.into();
                fields["webhook"] = origin_of(url).into();
                fields["tries"] = tries.into();
                crate::json_log::event(level, "webhook delivered", fields);
                return;
            }
        }
    }
}

/// One POST; the receiver's status.
fn post(url: &str, body: &str) -> Result<u16, String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(10)))
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    agent
        .post(url)
        .header("content-type", "application/json")
        .header(
            "user-agent",
            concat!("repro-server/", env!("CARGO_PKG_VERSION")),
        )
        .send(body)
        .map(|response| response.status().as_u16())
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_log_names_the_origin_only() {
        assert_eq!(
            super::origin_of("https://hooks.slack.test/services/T0/B0/secret"),
            "https://hooks.slack.test"
        );
        assert_eq!(super::origin_of("http://u:p@h:8/x"), "http://h:8");
    }
}
