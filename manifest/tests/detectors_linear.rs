//! The secret detectors run in time linear in their input, whatever the
//! input: a page or an upload chooses its text, and a detector that looked
//! from every word start to the end of a run (`a.a.a.…`, `eyJ-eyJ-…`,
//! `sk-sk-…`) cost the square of the run's length (a 1 KB gzip upload took
//! 2.2 s of the server's CPU). Each shape is timed at two lengths, four
//! times apart: linear work takes about four times as long, quadratic
//! sixteen. The longer one is 1 MB, and must also stay within a bound
//! relative to a plain scan of the same bytes.

use std::time::{Duration, Instant};

use repro_manifest::pii;

/// `unit` repeated to `bytes` bytes, after `head`.
fn repeated(head: &str, unit: &str, bytes: usize) -> String {
    let mut text = String::with_capacity(bytes + head.len());
    text.push_str(head);
    while text.len() < bytes {
        text.push_str(unit);
    }
    text
}

/// Text of printable bytes from a fixed-seed generator.
fn random_text(bytes: usize) -> String {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    (0..bytes)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (b' ' + (state % 95) as u8) as char
        })
        .collect()
}

/// The shortest of three runs of `f`.
fn fastest(f: impl Fn()) -> Duration {
    (0..3)
        .map(|_| {
            let began = Instant::now();
            f();
            began.elapsed()
        })
        .min()
        .unwrap_or_default()
}

/// A plain pass over the bytes, the yardstick.
fn plain_scan(text: &str) -> Duration {
    fastest(|| {
        let count = text.bytes().filter(|b| b.is_ascii_alphanumeric()).count();
        std::hint::black_box(count);
    })
}

const SHAPES: [(&str, &str, &str); 12] = [
    ("email local parts", "@ ", "a."),
    ("email domains", "", "a.b@c."),
    ("JWT headers", "", "eyJ-"),
    ("JWT payloads", "", "eyJhbGciOiJIUzI1NiJ9.eyJ-"),
    ("OpenAI keys", "", "sk-"),
    ("Slack keys", "", "xoxb-"),
    ("GitHub keys", "", "ghp_"),
    ("AWS keys", "", "AKIA-"),
    ("bearer tokens", "", "bearer "),
    ("card numbers", "", "4111 "),
    ("IBANs", "", "DE89 "),
    ("digits and at signs", "", "1@"),
];

#[test]
fn every_detector_is_linear_on_adversarial_and_random_text() {
    const LONG: usize = 1 << 20;
    let mut inputs: Vec<(String, String, String)> = SHAPES
        .iter()
        .map(|(name, head, unit)| {
            (
                name.to_string(),
                repeated(head, unit, LONG / 4),
                repeated(head, unit, LONG),
            )
        })
        .collect();
    inputs.push((
        "random text".into(),
        random_text(LONG / 4),
        random_text(LONG),
    ));
    for (name, short, long) in &inputs {
        let short_time = fastest(|| {
            std::hint::black_box(pii::find(short));
        });
        let long_time = fastest(|| {
            std::hint::black_box(pii::find(long));
        });
        let growth = long_time.as_secs_f64() / short_time.as_secs_f64().max(1e-6);
        // Four times the input: about four times the time if linear,
        // sixteen if quadratic. Short runs are noisy, so a few ms pass.
        assert!(
            growth < 8.0 || long_time < Duration::from_millis(20),
            "{name}: 4× the input took {growth:.1}× the time ({short_time:?} → {long_time:?})"
        );
        let yardstick = plain_scan(long);
        eprintln!(
            "{name}: {long_time:?} for 1 MB, {short_time:?} for 256 KB; a plain scan {yardstick:?}"
        );
        assert!(
            long_time < yardstick * 2000 + Duration::from_millis(50),
            "{name}: 1 MB took {long_time:?}, a plain scan {yardstick:?}"
        );
    }
}
