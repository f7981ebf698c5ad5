//! Several `repro-server` processes over one store, as replicas behind a
//! load balancer: any replica takes any part of an upload, completes it, and
//! serves its link, and the same bundle sent to two replicas at once becomes
//! one report. On the scale-out backends this is PostgreSQL + S3 shared by
//! stateless servers; on the embedded one, two processes on one folder.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;

use std::io::Write;

use common::live::{bundle_of_size, call, create_token, get, post_bundle, serve};
use repro_server::blobs::sigv4::sha256_hex;

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn json(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes).unwrap()
}

#[test]
fn replicas_share_uploads_in_parts_reports_and_links() {
    let dir = tempfile::tempdir().unwrap();
    let token = create_token(dir.path());
    let (mut a, address_a) = serve(dir.path(), &["--part-bytes", "1024"]);
    let (mut b, address_b) = serve(dir.path(), &["--part-bytes", "1024"]);
    let replicas = [address_a.as_str(), address_b.as_str()];

    let (bundle_id, bundle) = bundle_of_size(77, 20_000);
    let body = gzip(&bundle);
    let base = format!("/api/uploads/{bundle_id}/{}", sha256_hex(&body));
    let parts: Vec<&[u8]> = body.chunks(1024).collect();
    assert!(parts.len() >= 4, "the upload spans several parts");
    for (n, part) in parts.iter().enumerate() {
        let replica = replicas[n % 2];
        let (status, answer) =
            call(replica, "PUT", &format!("{base}/parts/{n}"), &token, part).unwrap();
        assert_eq!(status, 200, "part {n} to {replica}: {}", json(&answer));
    }
    let (status, progress) = call(&address_b, "GET", &base, &token, b"").unwrap();
    assert_eq!(status, 200);
    assert_eq!(
        json(&progress)["parts"].as_array().unwrap().len(),
        parts.len(),
        "replica B sees the parts A took"
    );
    let count = serde_json::json!({ "parts": parts.len() }).to_string();
    let (status, answer) = call(
        &address_a,
        "POST",
        &format!("{base}/complete"),
        &token,
        count.as_bytes(),
    )
    .unwrap();
    assert_eq!(status, 201, "{}", json(&answer));
    let id = json(&answer)["id"].as_str().unwrap().to_string();
    let (status, stored) = get(&address_b, &format!("/r/{id}/bundle.json")).unwrap();
    assert_eq!(status, 200, "replica B serves the link A made");
    let typed = |bytes: &[u8]| serde_json::from_slice::<repro_manifest::Bundle>(bytes).unwrap();
    assert_eq!(typed(&stored), typed(&bundle));
    let (status, answer) = post_bundle(&address_b, &token, &bundle).unwrap();
    assert_eq!(
        (status, json(&answer)["id"].as_str().unwrap()),
        (200, id.as_str()),
        "a retry through the other replica returns the same link"
    );

    // The same new bundle through both replicas at the same moment.
    for n in 0..5u64 {
        let (bundle_id, bundle) = bundle_of_size(1_000 + n, 5_000);
        let answers: Vec<(u16, serde_json::Value)> = std::thread::scope(|scope| {
            let sends: Vec<_> = replicas
                .iter()
                .map(|replica| {
                    let (token, bundle) = (&token, &bundle);
                    scope.spawn(move || {
                        let (status, answer) = post_bundle(replica, token, bundle).unwrap();
                        (status, json(&answer))
                    })
                })
                .collect();
            sends.into_iter().map(|s| s.join().unwrap()).collect()
        });
        let mut statuses: Vec<u16> = answers.iter().map(|(status, _)| *status).collect();
        statuses.sort();
        assert_eq!(
            statuses,
            [200, 201],
            "one stored it, one found it: {answers:?}"
        );
        assert_eq!(
            answers[0].1["id"], answers[1].1["id"],
            "one report for {bundle_id}"
        );
    }
    a.kill().unwrap();
    b.kill().unwrap();
    a.wait().unwrap();
    b.wait().unwrap();
    let store = common::open_store(dir.path());
    assert_eq!(store.report_ids().unwrap().len(), 6);
    assert_eq!(
        store.blob_ids().unwrap().len(),
        6,
        "the losing replica's blob is gone"
    );
}
