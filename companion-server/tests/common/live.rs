//! The real `repro-server` binary on loopback, and plain HTTP/1.1 over a
//! socket to talk to it (no client library: the bytes on the wire are the
//! test's own).

use std::io::{BufRead, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// The binary under test.
pub const BINARY: &str = env!("CARGO_BIN_EXE_repro-server");

/// Run `repro-server ARGS --data DATA` on the test's backends; whether it
/// succeeded, and what it printed (stdout then stderr).
pub fn cli(data: &Path, args: &[&str]) -> (bool, String) {
    let output = Command::new(BINARY)
        .args(args)
        .arg("--data")
        .arg(data)
        .args(super::backend_flags(data))
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

/// Create an upload token in the store at `data`.
pub fn create_token(data: &Path) -> String {
    let (ok, out) = cli(data, &["token", "create"]);
    assert!(ok, "{out}");
    out.trim().lines().last().unwrap().to_string()
}

/// Start `repro-server serve` on a free port over `data`, with `extra`
/// options; the child and its `host:port`.
pub fn serve(data: &Path, extra: &[&str]) -> (Child, String) {
    let mut child = Command::new(BINARY)
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(data)
        .args(super::backend_flags(data))
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let line = std::io::BufReader::new(stdout)
        .lines()
        .next()
        .unwrap()
        .unwrap();
    let address = line
        .split("http://")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .to_string();
    (child, address)
}

/// The head of an upload of `len` bytes of bundle JSON.
pub fn upload_head(address: &str, token: &str, len: usize) -> String {
    format!(
        "POST /api/reports HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {len}\r\nConnection: close\r\n\r\n"
    )
}

/// Read a whole response (the server closes after it); status and body.
pub fn read_response(connection: &mut TcpStream) -> std::io::Result<(u16, Vec<u8>)> {
    let mut raw = Vec::new();
    connection.read_to_end(&mut raw)?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no response head"))?;
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status in {head}")))?;
    Ok((status, raw[split + 4..].to_vec()))
}

/// POST `body` as a whole upload; status and answer.
pub fn post_bundle(address: &str, token: &str, body: &[u8]) -> std::io::Result<(u16, Vec<u8>)> {
    let mut connection = TcpStream::connect(address)?;
    connection.write_all(upload_head(address, token, body.len()).as_bytes())?;
    connection.write_all(body)?;
    read_response(&mut connection)
}

/// Send `method path` with the upload token and `body`; status and answer.
pub fn call(
    address: &str,
    method: &str,
    path: &str,
    token: &str,
    body: &[u8],
) -> std::io::Result<(u16, Vec<u8>)> {
    let mut connection = TcpStream::connect(address)?;
    write!(
        connection,
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    connection.write_all(body)?;
    read_response(&mut connection)
}

/// GET `path`; status and body (uncompressed: no Accept-Encoding is sent).
pub fn get(address: &str, path: &str) -> std::io::Result<(u16, Vec<u8>)> {
    let mut connection = TcpStream::connect(address)?;
    write!(
        connection,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )?;
    read_response(&mut connection)
}

/// The example bundle with id `n` (as 32 hex digits) and about `filler`
/// bytes of letters in one console entry, as JSON.
pub fn bundle_of_size(n: u64, filler: usize) -> (String, Vec<u8>) {
    let mut bundle: serde_json::Value =
        serde_json::from_str(&repro_manifest::example_bundle_json()).unwrap();
    let id = format!("{n:032x}");
    bundle["id"] = serde_json::json!(id);
    // Letters and spaces only: nothing shaped like a secret, and not too compressible.
    let mut state = n
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let text: String = (0..filler)
        .map(|i| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            if i % 9 == 8 {
                ' '
            } else {
                (b'a' + (state >> 59) as u8 % 26) as char
            }
        })
        .collect();
    bundle["console"][0]["args"] = serde_json::json!([text]);
    (id, serde_json::to_vec(&bundle).unwrap())
}
