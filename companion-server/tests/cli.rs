//! The `repro-server` command line against a real store in a temporary folder:
//! tokens are listed without ever being shown again, revoked tokens cannot
//! upload, revoked reports answer 410.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;

use std::process::Command;

use common::live::cli;
use common::open_store;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use repro_server::{app, PendingUploads, ServerState};
use tower::ServiceExt;

fn upload(token: &str) -> Request<Body> {
    Request::post("/api/reports")
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(Body::from(repro_manifest::example_bundle_json()))
        .unwrap()
}

#[tokio::test]
async fn tokens_and_reports_are_managed_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, out) = cli(dir.path(), &["token", "create", "--label", "qa-team"]);
    assert!(ok, "{out}");
    let token = out.trim().lines().last().unwrap().to_string();
    assert!(token.starts_with("repro_"));

    let store = open_store(dir.path());
    let pending = PendingUploads::new(store.database());
    let state = ServerState::new(store, pending, dir.path().join("assets"));
    let response = app(state.clone()).oneshot(upload(&token)).await.unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let body = http_body_util::BodyExt::collect(response.into_body())
        .await
        .unwrap()
        .to_bytes();
    let id = serde_json::from_slice::<serde_json::Value>(&body).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();

    let (ok, listing) = cli(dir.path(), &["token", "list"]);
    assert!(
        ok && listing.contains("qa-team") && listing.contains("active"),
        "{listing}"
    );
    assert!(!listing.contains(&token), "a token is never shown again");
    assert!(
        listing
            .lines()
            .any(|l| l.contains("qa-team") && l.split_whitespace().nth(2) == Some("1")),
        "{listing}"
    );

    let (ok, out) = cli(dir.path(), &["token", "revoke", "1"]);
    assert!(ok, "{out}");
    let mut again: serde_json::Value =
        serde_json::from_str(&repro_manifest::example_bundle_json()).unwrap();
    again["id"] = serde_json::json!("ffffffffffffffffffffffffffffffff");
    let request = Request::post("/api/reports")
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(Body::from(again.to_string()))
        .unwrap();
    assert_eq!(
        app(state.clone()).oneshot(request).await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    assert!(cli(dir.path(), &["token", "list"]).1.contains("revoked"));

    let (ok, out) = cli(dir.path(), &["report", "revoke", &id]);
    assert!(ok, "{out}");
    for path in [
        format!("/r/{id}"),
        format!("/r/{id}/bundle.json"),
        format!("/r/{id}/har"),
    ] {
        let response = app(state.clone())
            .oneshot(Request::get(&path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::GONE, "{path}");
    }

    let (ok, out) = cli(dir.path(), &["token", "revoke", "42"]);
    assert!(!ok && out.contains("no token number 42"), "{out}");
    let (ok, out) = cli(dir.path(), &["report", "revoke", "../etc"]);
    assert!(!ok && out.contains("not a report id"), "{out}");
}

#[test]
fn the_server_deletes_unfinished_uploads_past_their_expiry() {
    let dir = tempfile::tempdir().unwrap();
    let pending = PendingUploads::new(open_store(dir.path()).database());
    let key = repro_server::unfinished_uploads::UploadKey::parse(&"a".repeat(32), &"b".repeat(64))
        .unwrap();
    pending
        .put_part(&key, 1, 0, b"half an upload", 1024)
        .unwrap();
    let (ok, out) = cli(dir.path(), &["serve", "--part-bytes", "12"]);
    assert!(
        !ok && out.contains("--part-bytes must be between 1024"),
        "{out}"
    );
    let settings = dir.path().join("repro.env");
    std::fs::write(&settings, "# a comment\nREPRO_RATE_LIMIT=often\n").unwrap();
    let (ok, out) = cli(
        dir.path(),
        &["serve", "--config", settings.to_str().unwrap()],
    );
    assert!(
        !ok && out.contains("repro.env:2: rate-limit takes a whole number, not `often`"),
        "{out}"
    );

    let mut server = Command::new(common::live::BINARY)
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--upload-expiry-hours",
            "0",
            "--data",
        ])
        .arg(dir.path())
        .args(common::backend_flags(dir.path()))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The log is read as it comes: the deletion commits before its line is
    // written, so the server is stopped once the line is there.
    let stderr = server.stderr.take().unwrap();
    let (lines, received) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            let _ = lines.send(line);
        }
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let mut log = String::new();
    while !log.contains("housekeeping: deleted") && std::time::Instant::now() < deadline {
        if let Ok(line) = received.recv_timeout(std::time::Duration::from_millis(50)) {
            log.push_str(&line);
            log.push('\n');
        }
    }
    server.kill().unwrap();
    server.wait().unwrap();
    assert_eq!(pending.unfinished().unwrap(), 0, "{log}");
    assert!(
        log.contains("housekeeping: deleted 1 unfinished upload(s) and 0 report(s)"),
        "{log}"
    );
}

#[test]
fn a_stopping_server_finishes_the_upload_in_flight() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().unwrap();
    let token = common::live::create_token(dir.path());
    let (mut server, address) = common::live::serve(dir.path(), &[]);
    let body = repro_manifest::example_bundle_json();
    let mut connection = std::net::TcpStream::connect(&address).unwrap();
    write!(
        connection,
        "POST /api/reports HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    let (first, rest) = body.split_at(body.len() / 2);
    connection.write_all(first.as_bytes()).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(200));
    let terminated = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(terminated.success());
    std::thread::sleep(std::time::Duration::from_millis(300));
    connection.write_all(rest.as_bytes()).unwrap();
    let mut answer = String::new();
    connection.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    let status = server.wait().unwrap();
    assert!(status.success(), "the server then stops cleanly: {status}");
    assert_eq!(open_store(dir.path()).blob_ids().unwrap().len(), 1);
}

#[test]
fn check_names_missing_blobs_and_repairs_orphans() {
    let dir = tempfile::tempdir().unwrap();
    let store = open_store(dir.path());
    let token_id = {
        let token = store.create_token("t").unwrap();
        store.check_token(&token).unwrap().unwrap()
    };
    let blob = common::gzip(&common::example());
    let bundle_id = |n: u32| format!("{n:032x}");
    let lost = store
        .put_report(token_id, &bundle_id(1), "t", "u", &blob, None)
        .unwrap()
        .id;
    let orphan = store
        .put_report(token_id, &bundle_id(2), "t", "u", &blob, None)
        .unwrap()
        .id;
    store.remove_blob(&lost).unwrap();
    // As if the server died between writing a blob and committing its row.
    let forget = orphan.clone();
    store
        .database()
        .transaction(move |tx| tx.execute("DELETE FROM reports WHERE id = ?1", &[forget.into()]))
        .unwrap();

    let (ok, out) = cli(dir.path(), &["check"]);
    assert!(!ok, "{out}");
    assert!(
        out.contains(&format!("problem: report {lost}: blob: not found")),
        "{out}"
    );
    assert!(
        out.contains("orphan blob (no report names it; written less than an hour ago"),
        "{out}"
    );
    assert!(out.contains(&orphan), "{out}");
    assert!(
        out.contains("1 report(s) checked, 1 problem(s), 1 orphan blob(s)"),
        "{out}"
    );

    // Just written: it may be an upload whose row is on its way. Left alone.
    let (_, out) = cli(dir.path(), &["check", "--repair"]);
    assert!(
        out.contains("perhaps by an upload in progress: left alone"),
        "{out}"
    );
    assert_eq!(store.blob_ids().unwrap(), vec![orphan.clone()]);
    // An hour later it is an orphan for good, and goes.
    let later = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
        + repro_server::integrity::SETTLE_MS
        + 1_000;
    let findings = repro_server::integrity::check_at(&store, true, later).unwrap();
    assert_eq!(findings.orphans, vec![orphan.clone()]);
    assert!(findings.young_orphans.is_empty());
    assert_eq!(store.blob_ids().unwrap(), Vec::<String>::new());
    store.delete_report(&lost).unwrap();
    let (ok, out) = cli(dir.path(), &["check"]);
    assert!(
        ok && out.contains("0 report(s) checked, 0 problem(s), 0 orphan blob(s)"),
        "{out}"
    );
}

#[test]
fn an_unreachable_database_or_bucket_is_named_at_start_without_its_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, out) = cli(
        dir.path(),
        &[
            "serve",
            "--database-url",
            "postgres://repro:pg-secret@127.0.0.1:1/repro",
        ],
    );
    assert!(!ok, "{out}");
    assert!(out.contains("cannot connect to PostgreSQL"), "{out}");
    assert!(!out.contains("pg-secret"), "{out}");
    let (ok, out) = cli(
        dir.path(),
        &[
            "serve",
            "--s3-endpoint",
            "http://127.0.0.1:1",
            "--s3-bucket",
            "reports",
            "--s3-access-key",
            "AK",
            "--s3-secret-key",
            "s3-secret",
        ],
    );
    assert!(!ok, "{out}");
    assert!(
        out.contains("cannot open the store: object store:"),
        "{out}"
    );
    assert!(!out.contains("s3-secret"), "{out}");
    if !common::on_scale_out_backends() {
        // (With the scale-out settings in the environment, this one would be whole.)
        let (ok, out) = cli(dir.path(), &["serve", "--s3-bucket", "reports"]);
        assert!(!ok && out.contains("without --s3-endpoint"), "{out}");
    }
}

#[test]
fn repairs_and_commands_beside_a_running_server_lose_no_acknowledged_upload() {
    use common::live::{bundle_of_size, create_token, get, post_bundle, serve};
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};

    let dir = tempfile::tempdir().unwrap();
    let token = create_token(dir.path());
    let (mut server, address) = serve(dir.path(), &["--rate-limit", "0"]);
    // A blob the server is writing in the data folder (S3 has no such
    // file): a command must not take it away.
    if !common::on_scale_out_backends() {
        let in_flight = dir
            .path()
            .join("tmp")
            .join("0123456789abcdef0123456789abcdef.part");
        std::fs::write(&in_flight, b"half a blob").unwrap();
        cli(dir.path(), &["token", "list"]);
        assert!(
            in_flight.exists(),
            "a command emptied the running server's temporary files"
        );
    }
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let uploading = Arc::new(AtomicBool::new(true));
    let clients: Vec<_> = (0..4u64)
        .map(|client| {
            let (address, token) = (address.clone(), token.clone());
            let acknowledged = acknowledged.clone();
            std::thread::spawn(move || {
                for n in 0..15u64 {
                    let (_, body) = bundle_of_size(client * 100 + n, 20_000);
                    let (status, answer) = post_bundle(&address, &token, &body).unwrap();
                    assert_eq!(status, 201, "{}", String::from_utf8_lossy(&answer));
                    let answer: serde_json::Value = serde_json::from_slice(&answer).unwrap();
                    acknowledged
                        .lock()
                        .unwrap()
                        .push(answer["id"].as_str().unwrap().to_string());
                }
            })
        })
        .collect();
    // Meanwhile, repairs and other commands on the same store, again and again.
    let commands = {
        let (data, uploading) = (dir.path().to_path_buf(), uploading.clone());
        std::thread::spawn(move || {
            let mut runs = 0;
            // At least three rounds, so that a fast machine's uploads do not
            // end before any command ran.
            while uploading.load(Ordering::Relaxed) || runs < 3 {
                let (_, out) = cli(&data, &["check", "--repair"]);
                assert!(!out.contains("deleted"), "a repair deleted a blob: {out}");
                cli(&data, &["token", "list"]);
                runs += 1;
            }
        })
    };
    for client in clients {
        client.join().unwrap();
    }
    uploading.store(false, Ordering::Relaxed);
    commands.join().unwrap();
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert_eq!(acknowledged.len(), 60);
    for id in &acknowledged {
        let (status, _) = get(&address, &format!("/r/{id}/bundle.json")).unwrap();
        assert_eq!(status, 200, "acknowledged report {id} is readable");
    }
    server.kill().unwrap();
    server.wait().unwrap();
}
