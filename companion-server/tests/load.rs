//! Load test on loopback, bounded in count and time: 200 bundles of about
//! 1 MB from 20 concurrent clients through the real binary, with no error.
//! Prints the median and 99th-percentile upload latency and the throughput
//! (run with `--nocapture` to see them; they also go to
//! `target/tmp/load-test.txt`).

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;

use std::time::{Duration, Instant};

use common::live::{bundle_of_size, create_token, post_bundle, serve};

const CLIENTS: usize = 20;
const UPLOADS: usize = 200;

#[test]
fn two_hundred_one_megabyte_bundles_from_twenty_clients() {
    let dir = tempfile::tempdir().unwrap();
    let token = create_token(dir.path());
    let (mut server, address) = serve(dir.path(), &["--rate-limit", "0"]);
    let bodies: Vec<Vec<u8>> = (0..UPLOADS)
        .map(|n| bundle_of_size(n as u64 + 1, 1_000_000).1)
        .collect();
    let total_bytes: usize = bodies.iter().map(Vec::len).sum();
    let bodies = std::sync::Arc::new(bodies);
    let started = Instant::now();
    let clients: Vec<_> = (0..CLIENTS)
        .map(|client| {
            let (address, token, bodies) = (address.clone(), token.clone(), bodies.clone());
            std::thread::spawn(move || {
                let mut latencies = Vec::new();
                for n in (client..UPLOADS).step_by(CLIENTS) {
                    let sent = Instant::now();
                    let (status, answer) = post_bundle(&address, &token, &bodies[n]).unwrap();
                    assert_eq!(status, 201, "{}", String::from_utf8_lossy(&answer));
                    latencies.push(sent.elapsed());
                }
                latencies
            })
        })
        .collect();
    let mut latencies: Vec<Duration> = clients
        .into_iter()
        .flat_map(|c| c.join().unwrap())
        .collect();
    let elapsed = started.elapsed();
    server.kill().unwrap();
    server.wait().unwrap();
    assert_eq!(latencies.len(), UPLOADS);
    assert!(
        elapsed < Duration::from_secs(240),
        "bounded in time: {elapsed:?}"
    );
    assert_eq!(
        common::open_store(dir.path()).blob_ids().unwrap().len(),
        UPLOADS
    );
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q).round() as usize];
    let summary = format!(
        "load test ({} build, {}): {UPLOADS} uploads of {:.2} MB from {CLIENTS} clients in {:.1} s: p50 {:.0} ms, p99 {:.0} ms, {:.1} uploads/s, {:.1} MB/s",
        if cfg!(debug_assertions) { "debug" } else { "release" },
        if common::on_scale_out_backends() { "PostgreSQL + S3" } else { "SQLite + folder" },
        total_bytes as f64 / UPLOADS as f64 / 1e6,
        elapsed.as_secs_f64(),
        at(0.5).as_secs_f64() * 1000.0,
        at(0.99).as_secs_f64() * 1000.0,
        UPLOADS as f64 / elapsed.as_secs_f64(),
        total_bytes as f64 / 1e6 / elapsed.as_secs_f64(),
    );
    println!("{summary}");
    let _ = std::fs::write(
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("load-test.txt"),
        &summary,
    );
}
