//! What decoding an upload costs the real server in memory. Hostile bodies
//! small on the wire and large inside (a gzip of `[0,0,0,…]`, junk fields
//! inside events, an element with millions of attributes) and a plain
//! large bundle are sent to `repro-server
//! serve`, each to a fresh process, and its peak resident memory (`VmHWM`)
//! is read back: the growth must stay under [`MULTIPLE`] times the body's
//! decompressed size. Before decoding was typed and streamed, the first
//! shape alone cost 14 times its size (900 MiB for 64 MiB); before it went
//! entry by entry, a snapshot of millions of empty text nodes cost 26.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;

use std::io::Write;
use std::net::TcpStream;

use common::live::{create_token, read_response, serve};

/// The most a decode may grow the server's peak memory, in multiples of
/// the body's decompressed size.
const MULTIPLE: f64 = 2.5;

/// About this many bytes of JSON in each hostile body.
const SIZE: usize = 16 * 1024 * 1024;

fn status_kib(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// `head`, then `item` repeated (comma-separated) to about [`SIZE`] bytes, then `tail`.
fn repeated(head: &str, item: &str, tail: &str) -> Vec<u8> {
    repeated_with(head, &|_| item.to_string(), tail)
}

/// `head`, then items `item(0)`, `item(1)`, … (comma-separated) to about
/// [`SIZE`] bytes, then `tail`.
fn repeated_with(head: &str, item: &dyn Fn(usize) -> String, tail: &str) -> Vec<u8> {
    let mut json = Vec::with_capacity(SIZE + head.len() + tail.len());
    json.extend_from_slice(head.as_bytes());
    let mut n = 0;
    while json.len() < SIZE {
        if n > 0 {
            json.push(b',');
        }
        json.extend_from_slice(item(n).as_bytes());
        n += 1;
    }
    json.extend_from_slice(tail.as_bytes());
    json
}

/// The example bundle, with `place` (given the bundle) set to `wrap`, whose
/// `ITEMS` the caller fills in: the JSON text before and after the items.
fn bundle_around(
    place: impl Fn(&mut serde_json::Value) -> &mut serde_json::Value,
    wrap: &str,
) -> (String, String) {
    let mut bundle: serde_json::Value =
        serde_json::from_str(&repro_manifest::example_bundle_json()).unwrap();
    *place(&mut bundle) = serde_json::json!(["HOLE"]);
    let text = serde_json::to_string(&bundle).unwrap();
    let (head, tail) = text.split_once("[\"HOLE\"]").unwrap();
    let (wrap_head, wrap_tail) = wrap.split_once("ITEMS").unwrap();
    (format!("{head}{wrap_head}"), format!("{wrap_tail}{tail}"))
}

/// Send `json` gzipped to a fresh server; its status and the growth of its
/// peak memory, in bytes.
fn peak_growth(json: &[u8]) -> (u16, u64) {
    let dir = tempfile::tempdir().unwrap();
    let token = create_token(dir.path());
    let (mut server, address) = serve(dir.path(), &["--rate-limit", "0"]);
    let pid = server.id();
    let before = status_kib(pid, "VmHWM:");
    let body = common::gzip(json);
    let mut connection = TcpStream::connect(&address).unwrap();
    let head = format!(
        "POST /api/reports HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    connection.write_all(head.as_bytes()).unwrap();
    connection.write_all(&body).unwrap();
    let (status, _) = read_response(&mut connection).unwrap();
    let after = status_kib(pid, "VmHWM:");
    server.kill().unwrap();
    server.wait().unwrap();
    (status, (after.saturating_sub(before)) * 1024)
}

#[test]
fn decoding_costs_a_small_multiple_of_the_body_whatever_its_shape() {
    let events_of = |item: &str, wrap: &str| {
        let (head, tail) = bundle_around(|b| &mut b["events"], &format!("[{wrap}]"));
        repeated(&head, item, &tail)
    };
    let events_of_items = |item: &dyn Fn(usize) -> String, wrap: &str| {
        let (head, tail) = bundle_around(|b| &mut b["events"], &format!("[{wrap}]"));
        repeated_with(&head, item, &tail)
    };
    let console_of = |item: &str| {
        let (head, tail) = bundle_around(|b| &mut b["console"], "[ITEMS]");
        repeated(&head, item, &tail)
    };
    // Plain text in console arguments of a kilobyte each.
    let sentence = "\"the quick brown fox jumps over the lazy dog \"";
    let argument = format!("\"{}\"", sentence.trim_matches('"').repeat(23));
    let (head, tail) = bundle_around(|b| &mut b["console"][0]["args"], "[ITEMS]");
    let plain = repeated(&head, &argument, &tail);
    let shapes: Vec<(&str, Vec<u8>)> = vec![
        ("a bare array of zeros", repeated("[", "0", "]")),
        (
            "junk inside a known event",
            events_of(
                "0",
                r#"{"type":"click","t":1,"page":0,"id":1,"x":0,"y":0,"junk":[ITEMS]}"#,
            ),
        ),
        (
            "junk inside an event of a newer version",
            events_of("0", r#"{"type":"hologram","t":1,"page":0,"junk":[ITEMS]}"#),
        ),
        (
            "an element with millions of attributes",
            events_of(
                "\"a\"",
                r#"{"type":"snapshot","t":0,"page":0,"viewport":{"w":1,"h":1},"nodes":[{"id":1,"p":0,"k":"document"},["div","x",ITEMS]]}"#,
            ),
        ),
        (
            "snapshots of a million empty text nodes each",
            events_of_items(
                &|_| {
                    let texts = vec!["\"\""; 999_000].join(",");
                    format!(
                        r#"{{"type":"snapshot","t":0,"page":0,"viewport":{{"w":1,"h":1}},"nodes":[{{"id":1,"p":0,"k":"document"}},["body"],{texts}]}}"#
                    )
                },
                "ITEMS",
            ),
        ),
        (
            "snapshots of placed nodes with scattered ids",
            events_of_items(
                &|_| {
                    let nodes: Vec<String> = (0..500_000u64)
                        .map(|n| format!(r#"{{"p":1,"id":{}}},"""#, (n * 7919) % 50_000_000 + 2))
                        .collect();
                    format!(
                        r#"{{"type":"snapshot","t":0,"page":0,"viewport":{{"w":1,"h":1}},"nodes":[{{"id":1,"p":0,"k":"document"}},{}]}}"#,
                        nodes.join(",")
                    )
                },
                "ITEMS",
            ),
        ),
        (
            "mutations adding a million nested elements each",
            events_of_items(
                &|_| {
                    let adds = vec![r#"["a"]"#; 999_000].join(",");
                    format!(
                        r#"{{"type":"mutation","t":0,"page":0,"adds":[{{"p":1,"id":2}},{adds}]}}"#
                    )
                },
                "ITEMS",
            ),
        ),
        (
            "a million small events",
            events_of_items(
                &|_| r#"{"type":"scroll","t":0,"page":0,"id":1,"x":0,"y":0}"#.to_string(),
                "ITEMS",
            ),
        ),
        (
            "bare console entries past the limit",
            console_of(r#"{"t":0,"page":0,"level":"log","args":[]}"#),
        ),
        ("a plain large bundle", plain),
    ];
    let mut failures = Vec::new();
    for (name, json) in shapes {
        let (status, growth) = peak_growth(&json);
        let multiple = growth as f64 / json.len() as f64;
        println!(
            "{name}: {} MiB of JSON, answered {status}, peak memory +{} MiB ({multiple:.1}×)",
            json.len() >> 20,
            growth >> 20
        );
        if multiple > MULTIPLE {
            failures.push(format!("{name}: {multiple:.1}×"));
        }
    }
    assert!(
        failures.is_empty(),
        "decoding cost more than {MULTIPLE}× the body: {failures:?}"
    );
}
