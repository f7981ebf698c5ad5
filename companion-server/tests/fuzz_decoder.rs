//! A mutation fuzzer for the bundle decoder and validator (the code every
//! upload goes through): the seed corpus in `tests/fuzz-corpus/` (bundles
//! recorded by the extension, plus the format's example) is mutated byte by
//! byte, structurally (a random value replaced by a hostile one), cut short,
//! nested deep, and wrapped in broken gzip. Every input must be accepted as
//! a valid bundle or refused with a client error; none may panic or be
//! blamed on the server. The number of executions is printed (run with
//! `--nocapture`); `REPRO_FUZZ_RUNS` sets it (default 10,000).

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::io::Write;

use repro_manifest::Limits;
use repro_server::ingest::decode;
use repro_server::ApiError;

/// A small deterministic generator (64-bit LCG), so a failure can be replayed by its run number.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn corpus() -> Vec<Vec<u8>> {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-corpus");
    let mut seeds: Vec<Vec<u8>> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| std::fs::read(entry.unwrap().path()).unwrap())
        .collect();
    seeds.push(repro_manifest::example_bundle_json().into_bytes());
    seeds
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn hostile_value(dice: &mut Dice) -> serde_json::Value {
    match dice.below(9) {
        0 => serde_json::json!(null),
        1 => serde_json::json!(-1),
        2 => serde_json::json!(u64::MAX),
        3 => serde_json::json!(1e308),
        4 => serde_json::json!("\u{0}<script>alert(1)</script>\u{202e}"),
        5 => serde_json::json!([]),
        6 => serde_json::json!({}),
        7 => serde_json::json!("x".repeat(dice.below(5000))),
        _ => serde_json::json!(true),
    }
}

/// Replace one random value at most `depth` levels into `value` by a hostile one.
fn mutate_value(value: &mut serde_json::Value, dice: &mut Dice, depth: usize) {
    if depth == 0 {
        *value = hostile_value(dice);
        return;
    }
    match value {
        serde_json::Value::Object(map) if !map.is_empty() => {
            let key = map.keys().nth(dice.below(map.len())).unwrap().clone();
            mutate_value(map.get_mut(&key).unwrap(), dice, depth - 1);
        }
        serde_json::Value::Array(list) if !list.is_empty() => {
            let at = dice.below(list.len());
            mutate_value(&mut list[at], dice, depth - 1);
        }
        _ => *value = hostile_value(dice),
    }
}

/// One input made from `seed`, and whether it is gzip.
fn mutate(seed: &[u8], dice: &mut Dice) -> (Vec<u8>, bool) {
    match dice.below(6) {
        0 => {
            let mut bytes = seed.to_vec();
            for _ in 0..dice.below(8) + 1 {
                let at = dice.below(bytes.len());
                match dice.below(3) {
                    0 => bytes[at] = dice.next() as u8,
                    1 => bytes.insert(at, b"{}[]\",:0\\"[dice.below(9)]),
                    _ => {
                        bytes.remove(at);
                    }
                }
            }
            (bytes, false)
        }
        1 => (seed[..dice.below(seed.len())].to_vec(), false),
        2 | 3 => {
            let mut value: serde_json::Value = serde_json::from_slice(seed).unwrap();
            for _ in 0..dice.below(3) + 1 {
                let depth = dice.below(8) + 1;
                mutate_value(&mut value, dice, depth);
            }
            (serde_json::to_vec(&value).unwrap(), dice.below(2) == 0)
        }
        4 => {
            let depth = 100 + dice.below(100_000);
            let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
            let mut value: serde_json::Value = serde_json::from_slice(seed).unwrap();
            value["events"] = serde_json::Value::String(String::new());
            let text = serde_json::to_string(&value).unwrap().replacen(
                "\"events\":\"\"",
                &format!("\"events\":{nested}"),
                1,
            );
            (text.into_bytes(), false)
        }
        _ => {
            let mut zipped = gzip(seed);
            let at = dice.below(zipped.len());
            zipped[at] ^= 1 << dice.below(8);
            (zipped, true)
        }
    }
}

#[test]
fn hostile_bundles_are_refused_with_a_client_error_never_a_crash() {
    let seeds = corpus();
    let limits = Limits::default();
    for seed in &seeds {
        assert!(
            decode(seed.clone(), false, &limits, true).is_ok(),
            "every seed is a valid bundle"
        );
    }
    let runs: usize = std::env::var("REPRO_FUZZ_RUNS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let mut accepted = 0;
    let mut refusals = std::collections::BTreeMap::<&'static str, usize>::new();
    for run in 0..runs {
        let mut dice = Dice(run as u64);
        let seed = &seeds[dice.below(seeds.len())];
        let (input, gzipped) = mutate(seed, &mut dice);
        let outcome = std::panic::catch_unwind(|| decode(input, gzipped, &limits, true));
        match outcome {
            Err(_) => panic!("run {run} panicked"),
            Ok(Ok(upload)) => {
                // What is stored reads whole and validates whole.
                let stored = repro_server::ingest::inflate(&upload.gzip).unwrap();
                let bundle: repro_manifest::Bundle = serde_json::from_slice(&stored).unwrap();
                bundle.validate(&limits).unwrap();
                assert_eq!(bundle.id, upload.head.id);
                accepted += 1;
            }
            Ok(Err(ApiError::Internal(detail))) => panic!("run {run} blamed the server: {detail}"),
            Ok(Err(refusal)) => *refusals.entry(refusal.reason()).or_insert(0) += 1,
        }
    }
    println!("fuzzed the decoder: {runs} executions ran clean ({accepted} accepted, refused: {refusals:?})");
    assert!(
        refusals.values().sum::<usize>() > runs / 2,
        "most mutations are refused"
    );
}
