//! Crash test on the embedded store: 50 uploads in flight from concurrent
//! clients, the server killed with SIGKILL, then started again on the same
//! folder. Every upload that was acknowledged is intact and readable; every
//! other one is either absent or (its answer lost in the crash) whole; and
//! `repro-server check` finds nothing wrong.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;

use std::io::Write;
use std::net::TcpStream;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::live::{bundle_of_size, create_token, get, read_response, serve, upload_head};

const CLIENTS: u64 = 50;

/// Send `body` slowly (in slices, with pauses), so that it is in flight for a while.
fn slow_upload(address: &str, token: &str, body: &[u8]) -> std::io::Result<(u16, Vec<u8>)> {
    let mut connection = TcpStream::connect(address)?;
    connection.write_all(upload_head(address, token, body.len()).as_bytes())?;
    for slice in body.chunks(16 * 1024) {
        connection.write_all(slice)?;
        std::thread::sleep(Duration::from_millis(15));
    }
    read_response(&mut connection)
}

#[test]
fn a_killed_server_keeps_every_acknowledged_upload_and_no_half_one() {
    let dir = tempfile::tempdir().unwrap();
    let token = create_token(dir.path());
    let (mut server, address) = serve(dir.path(), &["--rate-limit", "0"]);
    let bundles: Vec<(String, Vec<u8>)> = (0..CLIENTS)
        .map(|n| bundle_of_size(n + 1, 200_000))
        .collect();
    let acknowledged: Arc<Mutex<Vec<(usize, String)>>> = Arc::default();
    let clients: Vec<_> = (0..bundles.len())
        .map(|n| {
            let (address, token, body) = (address.clone(), token.clone(), bundles[n].1.clone());
            let acknowledged = acknowledged.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(n as u64 * 25));
                if let Ok((201, answer)) = slow_upload(&address, &token, &body) {
                    let answer: serde_json::Value = serde_json::from_slice(&answer).unwrap();
                    let id = answer["id"].as_str().unwrap().to_string();
                    acknowledged.lock().unwrap().push((n, id));
                }
            })
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(30);
    while acknowledged.lock().unwrap().len() < 15 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    server.kill().unwrap(); // SIGKILL
    server.wait().unwrap();
    for client in clients {
        client.join().unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() >= 15 && acknowledged.len() < bundles.len(),
        "the kill came with uploads in flight: {} of {} acknowledged",
        acknowledged.len(),
        bundles.len()
    );

    let (mut again, address) = serve(dir.path(), &[]);
    for (n, id) in &acknowledged {
        let (status, body) = get(&address, &format!("/r/{id}/bundle.json")).unwrap();
        assert_eq!(status, 200, "acknowledged report {id} is readable");
        // Stored as validated: the same bundle, re-encoded.
        let stored: repro_manifest::Bundle = serde_json::from_slice(&body).unwrap();
        let sent: repro_manifest::Bundle = serde_json::from_slice(&bundles[*n].1).unwrap();
        assert!(stored == sent, "acknowledged report {id} is intact");
    }
    again.kill().unwrap();
    again.wait().unwrap();
    let store = common::open_store(dir.path());
    for (n, (bundle_id, body)) in bundles.iter().enumerate() {
        if acknowledged.iter().any(|(a, _)| *a == n) {
            continue;
        }
        if let Some((id, _)) = store.report_for_bundle(bundle_id).unwrap() {
            // Stored, but the answer died with the server: it must be whole.
            let json = repro_server_inflate(&store.blob(&id).unwrap());
            let stored: repro_manifest::Bundle = serde_json::from_slice(&json).unwrap();
            let sent: repro_manifest::Bundle = serde_json::from_slice(body).unwrap();
            assert!(
                stored == sent,
                "unacknowledged but stored {bundle_id} is whole"
            );
        }
    }
    let (ok, said) = common::live::cli(dir.path(), &["check"]);
    assert!(ok, "{said}");
    assert!(said.contains("0 problem(s)"), "{said}");
    println!(
        "crash test: {} of {CLIENTS} uploads acknowledged before SIGKILL; {said}",
        acknowledged.len()
    );
}

fn repro_server_inflate(gzip: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut json = Vec::new();
    flate2::read::GzDecoder::new(gzip)
        .read_to_end(&mut json)
        .unwrap();
    json
}
