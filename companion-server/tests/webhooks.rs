//! A new report is announced to the configured webhooks: the real binary
//! POSTs the issue as JSON (title, Markdown, link, Slack's `text`) to a
//! receiver on loopback, tries again when the receiver fails (5xx), and
//! says nothing for a report stored before. A webhook that is down holds
//! up no upload.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::live::{create_token, post_bundle, serve};

/// A receiver answering `statuses` in turn (then 200); each request's
/// path and body arrive on the channel.
fn receiver(statuses: Vec<u16>) -> (String, mpsc::Receiver<(String, String)>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let mut statuses = statuses.into_iter();
        for stream in listener.incoming() {
            let mut stream = stream.unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let path = line.split(' ').nth(1).unwrap_or_default().to_string();
            let mut length = 0;
            loop {
                let mut header = String::new();
                reader.read_line(&mut header).unwrap();
                if header.trim().is_empty() {
                    break;
                }
                if let Some(value) = header.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = value.trim().parse().unwrap();
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            let status = statuses.next().unwrap_or(200);
            write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            )
            .unwrap();
            send.send((path, String::from_utf8(body).unwrap())).unwrap();
        }
    });
    (address, receive)
}

#[test]
fn a_new_report_is_posted_to_the_webhook_as_an_issue_retried_after_a_failure() {
    let (hook, received) = receiver(vec![503]);
    let dir = tempfile::tempdir().unwrap();
    let token = create_token(dir.path());
    let url = format!("http://{hook}/services/T0/secret-path");
    let (mut server, address) = serve(dir.path(), &["--webhooks", &url]);
    let body = common::example();
    let sent = Instant::now();
    let (status, answer) = post_bundle(&address, &token, &body).unwrap();
    assert_eq!(status, 201, "{}", String::from_utf8_lossy(&answer));
    assert!(
        sent.elapsed() < Duration::from_secs(2),
        "the upload does not wait for the webhook"
    );
    let link = serde_json::from_slice::<serde_json::Value>(&answer).unwrap()["url"]
        .as_str()
        .unwrap()
        .to_string();

    let (path, first) = received.recv_timeout(Duration::from_secs(10)).unwrap();
    assert_eq!(path, "/services/T0/secret-path");
    let (_, second) = received
        .recv_timeout(Duration::from_secs(10))
        .expect("tried again after the 503");
    assert_eq!(first, second);
    let issue: serde_json::Value = serde_json::from_str(&second).unwrap();
    assert_eq!(issue["link"], link.as_str());
    assert_eq!(
        issue["id"],
        link.rsplit('/').next().unwrap(),
        "the share id"
    );
    assert_eq!(issue["title"], "Checkout fails");
    assert_eq!(
        issue["text"],
        format!("New Repro report: Checkout fails <{link}>")
    );
    let markdown = issue["markdown"].as_str().unwrap();
    assert!(
        markdown.starts_with("# Checkout fails\n") && markdown.contains("## Steps to reproduce"),
        "{markdown}"
    );

    // The same bundle again is no new report: no announcement.
    let (status, _) = post_bundle(&address, &token, &body).unwrap();
    assert_eq!(status, 200);
    assert!(received.recv_timeout(Duration::from_secs(3)).is_err());
    server.kill().unwrap();
    server.wait().unwrap();
}

#[test]
fn a_webhook_that_is_down_holds_up_nothing() {
    // A port nothing listens on.
    let nothing = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", nothing.local_addr().unwrap());
    drop(nothing);
    let dir = tempfile::tempdir().unwrap();
    let token = create_token(dir.path());
    let (mut server, address) = serve(dir.path(), &["--webhooks", &url, "--rate-limit", "0"]);
    let started = Instant::now();
    for n in 1..=5u64 {
        let (_, body) = common::live::bundle_of_size(n, 100);
        let (status, answer) = post_bundle(&address, &token, &body).unwrap();
        assert_eq!(status, 201, "{}", String::from_utf8_lossy(&answer));
    }
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    let (status, _) = common::live::get(&address, "/healthz").unwrap();
    assert_eq!(status, 200);
    server.kill().unwrap();
    server.wait().unwrap();
}

#[test]
fn a_webhook_that_is_not_an_address_is_refused_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, out) = common::live::cli(dir.path(), &["serve", "--webhooks", "hooks.test/x"]);
    assert!(!ok);
    assert!(
        out.contains(
            "webhooks takes http:// or https:// addresses, separated by commas, not `hooks.test/x`"
        ),
        "{out}"
    );
    let _ = std::io::stdout().flush();
}
