//! Counters for Prometheus (`GET /metrics`, text format 0.0.4): reports
//! stored and their bytes, refusals by reason, requests by status, and the
//! time uploads take.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds (seconds) of the upload-duration histogram's buckets.
const BUCKETS: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

/// The server's counters.
#[derive(Default)]
pub struct Metrics {
    stored: AtomicU64,
    stored_bytes: AtomicU64,
    refusals: Mutex<BTreeMap<&'static str, u64>>,
    responses: Mutex<BTreeMap<u16, u64>>,
    upload_buckets: [AtomicU64; BUCKETS.len()],
    upload_count: AtomicU64,
    upload_micros: AtomicU64,
}

fn bump<K: Ord>(map: &Mutex<BTreeMap<K, u64>>, key: K) {
    let mut map = map.lock().unwrap_or_else(|p| p.into_inner());
    *map.entry(key).or_insert(0) += 1;
}

impl Metrics {
    /// A new report was stored, `bytes` compressed.
    pub fn stored(&self, bytes: u64) {
        self.stored.fetch_add(1, Ordering::Relaxed);
        self.stored_bytes.fetch_add(bytes, Ordering::Relaxed);
    }

    /// A request was answered with `status`; `refusal` names why it was refused.
    pub fn answered(&self, status: u16, refusal: Option<&'static str>) {
        bump(&self.responses, status);
        if let Some(reason) = refusal {
            bump(&self.refusals, reason);
        }
    }

    /// An upload (whole, or the completion of one in parts) took `took`.
    pub fn upload_took(&self, took: Duration) {
        let seconds = took.as_secs_f64();
        for (bound, count) in BUCKETS.iter().zip(&self.upload_buckets) {
            if seconds <= *bound {
                count.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.upload_count.fetch_add(1, Ordering::Relaxed);
        self.upload_micros
            .fetch_add(took.as_micros() as u64, Ordering::Relaxed);
    }

    /// Everything, in Prometheus' text format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let load = |a: &AtomicU64| a.load(Ordering::Relaxed);
        let _ = writeln!(out, "# HELP repro_reports_stored_total Reports stored (a repeated upload of a stored bundle is not counted).\n# TYPE repro_reports_stored_total counter\nrepro_reports_stored_total {}", load(&self.stored));
        let _ = writeln!(out, "# HELP repro_stored_bytes_total Compressed bytes of the reports stored.\n# TYPE repro_stored_bytes_total counter\nrepro_stored_bytes_total {}", load(&self.stored_bytes));
        let _ = writeln!(out, "# HELP repro_refusals_total Requests refused, by reason.\n# TYPE repro_refusals_total counter");
        for (reason, n) in self
            .refusals
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
        {
            let _ = writeln!(out, "repro_refusals_total{{reason=\"{reason}\"}} {n}");
        }
        let _ = writeln!(out, "# HELP repro_http_responses_total Responses, by status.\n# TYPE repro_http_responses_total counter");
        for (status, n) in self
            .responses
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
        {
            let _ = writeln!(out, "repro_http_responses_total{{status=\"{status}\"}} {n}");
        }
        let _ = writeln!(out, "# HELP repro_upload_duration_seconds Time to receive, check and store an upload.\n# TYPE repro_upload_duration_seconds histogram");
        for (bound, count) in BUCKETS.iter().zip(&self.upload_buckets) {
            let _ = writeln!(
                out,
                "repro_upload_duration_seconds_bucket{{le=\"{bound}\"}} {}",
                load(count)
            );
        }
        let count = load(&self.upload_count);
        let _ = writeln!(
            out,
            "repro_upload_duration_seconds_bucket{{le=\"+Inf\"}} {count}"
        );
        let _ = writeln!(
            out,
            "repro_upload_duration_seconds_sum {}",
            load(&self.upload_micros) as f64 / 1e6
        );
        let _ = writeln!(out, "repro_upload_duration_seconds_count {count}");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_render_as_prometheus_text() {
        let metrics = Metrics::default();
        metrics.stored(1000);
        metrics.answered(201, None);
        metrics.answered(413, Some("too_large"));
        metrics.upload_took(Duration::from_millis(30));
        let text = metrics.render();
        assert!(text.contains("repro_reports_stored_total 1\n"), "{text}");
        assert!(text.contains("repro_stored_bytes_total 1000\n"));
        assert!(text.contains("repro_refusals_total{reason=\"too_large\"} 1\n"));
        assert!(text.contains("repro_http_responses_total{status=\"201\"} 1\n"));
        assert!(text.contains("repro_upload_duration_seconds_bucket{le=\"0.025\"} 0\n"));
        assert!(text.contains("repro_upload_duration_seconds_bucket{le=\"0.05\"} 1\n"));
        assert!(text.contains("repro_upload_duration_seconds_count 1\n"));
    }
}
