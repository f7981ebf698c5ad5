//! Connections through the real binary: a client that sends half a request
//! head, or nothing, is cut off; a cap on connections does not lock others
//! out for longer than that; and SIGTERM ends the server within its grace
//! period even while a client stalls in the middle of an upload.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::live::{create_token, get, serve};
use repro_server::connections::{HEADER_TIMEOUT, SHUTDOWN_GRACE};

/// Seconds until the server closes `connection` (reads return 0), at most `limit`.
fn closed_within(connection: &mut TcpStream, limit: Duration) -> Option<Duration> {
    let start = Instant::now();
    connection
        .set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let mut buffer = [0u8; 1024];
    while start.elapsed() < limit {
        match connection.read(&mut buffer) {
            Ok(0) => return Some(start.elapsed()),
            Ok(_) => {}
            Err(e)
                if e.kind() == std::io::ErrorKind::WouldBlock
                    || e.kind() == std::io::ErrorKind::TimedOut => {}
            Err(_) => return Some(start.elapsed()),
        }
    }
    None
}

#[test]
fn idle_and_half_sent_heads_are_cut_and_the_cap_locks_no_one_out_for_long() {
    let dir = tempfile::tempdir().unwrap();
    let (mut server, address) = serve(dir.path(), &["--max-connections", "8"]);
    let margin = HEADER_TIMEOUT + Duration::from_secs(5);

    let mut half = TcpStream::connect(&address).unwrap();
    half.write_all(b"POST /api/reports HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    // Twenty more connections that send nothing: more than the cap.
    let mut bare: Vec<TcpStream> = (0..20)
        .map(|_| TcpStream::connect(&address).unwrap())
        .collect();
    let started = Instant::now();
    let (status, body) = get(&address, "/healthz").unwrap();
    let waited = started.elapsed();
    assert_eq!((status, body.as_slice()), (200, &b"ok"[..]));
    assert!(
        waited < margin * 2,
        "a health check waited {waited:?} behind idle connections"
    );

    let cut = closed_within(&mut half, margin);
    assert!(
        cut.is_some(),
        "a half-sent head is cut off within {margin:?}"
    );
    for connection in &mut bare {
        assert!(
            closed_within(connection, margin).is_some(),
            "an idle connection is cut off"
        );
    }
    server.kill().unwrap();
    server.wait().unwrap();
}

#[test]
fn sigterm_ends_the_server_within_its_grace_even_with_a_stalled_upload() {
    let dir = tempfile::tempdir().unwrap();
    let token = create_token(dir.path());
    let (mut server, address) = serve(dir.path(), &[]);
    let mut stalled = TcpStream::connect(&address).unwrap();
    let head = format!(
        "POST /api/reports HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{{\"id\":"
    );
    stalled.write_all(head.as_bytes()).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    let signalled = std::process::Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(signalled.success());
    let bound = SHUTDOWN_GRACE + Duration::from_secs(5);
    loop {
        if server.try_wait().unwrap().is_some() {
            break;
        }
        if started.elapsed() > bound {
            server.kill().unwrap();
            panic!("the server was still running {bound:?} after SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(started.elapsed() <= bound);
}
