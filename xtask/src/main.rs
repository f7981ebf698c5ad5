//! The Repro build tool, run as `cargo xtask <command>`.
//!
//! - `run`: install what the build needs, build the extension and the viewer,
//!   build the server, and start it on its embedded store.
//! - `test`: install what the tests need (wasm target, Chromium, Firefox
//!   ESR and geckodriver, node packages), build everything, and run every
//!   test, end-to-end included (Chromium and Firefox).
//! - `lint`: `cargo fmt --check` and clippy (native and wasm).
//! - `unit`: every crate's unit tests and the server's integration tests on
//!   the embedded store (`cargo test --workspace`).
//! - `test-server [CARGO TEST ARGS]`: run the server's tests only, on both
//!   backends (`--release --test load -- --nocapture` prints the load numbers).
//! - `e2e`: build, then the browser tests (and the record-share-replay test
//!   again with the server on PostgreSQL + S3).
//! - `build`: build `dist/chromium/` and `dist/firefox/` (unpacked and
//!   zipped) and `dist/viewer/`, check both packages as the stores would,
//!   and write their listing to `dist/store/`.
//! - `bench`: build the extension and run the recorder benchmark against
//!   rrweb in headless Chromium (`tests/bench/`); `--quick` takes one sample
//!   of each, `--only=NAME` runs the page groups whose name contains NAME.
//! - `fidelity`: build, then record each fixture page with Repro and rrweb
//!   at once and compare both replays with the live page, pixels and text
//!   (`tests/fidelity/`); `--only=PAGE` runs one page.
//!
//! It shells out to cargo, npm and apt-get; it never downloads anything
//! outside the package registries.

mod classic_script;
mod dist;
mod icons;
mod install;
mod services;
mod shell;
mod store;
mod wasm;
mod zip;

use std::path::PathBuf;
use std::process::ExitCode;

/// The workspace root (the build tool lives one folder below it).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("build") => build(),
        Some("run") => run(&args[1..]),
        Some("test") => test(),
        Some("lint") => install::build_dependencies().and_then(|()| lint()),
        Some("unit") => unit_tests(),
        Some("e2e") => install::test_dependencies()
            .and_then(|()| build())
            .and_then(|()| browser_tests()),
        Some("test-server") => install::test_dependencies().and_then(|()| server_tests(&args[1..])),
        Some("bench") => bench(&args[1..]),
        Some("fidelity") => fidelity(&args[1..]),
        Some("install-test-deps") => install::test_dependencies(),
        _ => {
            eprintln!("usage: cargo xtask <run [--listen ADDR] [--data DIR] | test | lint | unit | test-server [CARGO TEST ARGS] | e2e | bench [--quick] [--only=NAME] | fidelity [--only=PAGE] | build | install-test-deps>");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Build the extension and the viewer into `dist/`.
fn build() -> Result<(), String> {
    install::build_dependencies()?;
    wasm::build_all()?;
    dist::assemble()?;
    store::check_and_list()
}

/// Build everything and start the server on its embedded store.
fn run(args: &[String]) -> Result<(), String> {
    let mut listen = "127.0.0.1:8080".to_string();
    let mut data = root().join("data");
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--listen" => listen = rest.next().ok_or("--listen needs an address")?.clone(),
            "--data" => data = PathBuf::from(rest.next().ok_or("--data needs a folder")?),
            other => return Err(format!("unknown option {other}")),
        }
    }
    build()?;
    shell::run(
        "cargo",
        &["build", "--release", "-p", "repro-server"],
        &root(),
    )?;
    let server = root().join("target/release/repro-server");
    let data_arg = data.to_string_lossy().to_string();
    println!();
    println!("Repro is built.");
    println!(
        "  Load the extension unpacked from: {}",
        root().join("dist/chromium").display()
    );
    println!("  (chrome://extensions → Developer mode → Load unpacked; zip for stores: dist/repro-chromium.zip)");
    println!(
        "  Create an upload token:  {} token create --data {data_arg}",
        server.display()
    );
    println!("  Then in the extension's Options: Server URL http://{listen} and that token.");
    println!("  The team's reports: http://{listen}/ (sign in with a token).");
    println!();
    shell::run(
        &server.to_string_lossy(),
        &[
            "serve",
            "--listen",
            &listen,
            "--data",
            &data_arg,
            "--assets",
            &root().join("dist/viewer").to_string_lossy(),
        ],
        &root(),
    )
}

/// Build the extension and run the recorder benchmark (it writes
/// `tests/bench/results.json` and prints the medians and ratios).
fn bench(args: &[String]) -> Result<(), String> {
    // The browser, not the server's databases: a first run on a new
    // checkout does not compile s3s-fs it never uses.
    install::browser_dependencies()?;
    build()?;
    let mut command = vec!["bench/run.mjs".to_string()];
    command.extend(args.iter().cloned());
    let command: Vec<&str> = command.iter().map(String::as_str).collect();
    shell::run("node", &command, &root().join("tests"))
}

/// Build the extension and the server, and run the fidelity suite: each
/// fixture page recorded by Repro and rrweb at once, both replays compared
/// with the live page (it writes `tests/fidelity/results.json`).
fn fidelity(args: &[String]) -> Result<(), String> {
    install::browser_dependencies()?;
    build()?;
    shell::run("cargo", &["build", "-p", "repro-server"], &root())?;
    let mut command = vec!["fidelity/run.mjs".to_string()];
    command.extend(args.iter().cloned());
    let command: Vec<&str> = command.iter().map(String::as_str).collect();
    shell::run("node", &command, &root().join("tests"))
}

/// The server's tests on the embedded store, then on PostgreSQL + S3;
/// `extra` goes to both `cargo test` runs (`--release --test load -- --nocapture`).
fn server_tests(extra: &[String]) -> Result<(), String> {
    let mut args = vec!["test", "-p", "repro-server"];
    args.extend(extra.iter().map(String::as_str));
    shell::run("cargo", &args, &root())?;
    let services = start_services()?;
    scale_out_server_tests(&services, extra)
}

fn start_services() -> Result<services::Services, String> {
    let services = services::Services::start()?;
    eprintln!("+ (PostgreSQL and s3s-fs started for the scale-out backend)");
    Ok(services)
}

/// Server tests whose subject is not storage (connections, decoding
/// memory): they run once, on the embedded store, and are skipped in the
/// scale-out pass, where they would only take another minute.
const BACKEND_INDEPENDENT_TESTS: &[&str] = &[
    "idle_and_half_sent_heads_are_cut_and_the_cap_locks_no_one_out_for_long",
    "sigterm_ends_the_server_within_its_grace_even_with_a_stalled_upload",
    "decoding_costs_a_small_multiple_of_the_body_whatever_its_shape",
];

/// The server's test suite again (but [`BACKEND_INDEPENDENT_TESTS`]), on a
/// throwaway PostgreSQL and S3 server, reached through the same `REPRO_*`
/// variables an operator sets.
fn scale_out_server_tests(services: &services::Services, extra: &[String]) -> Result<(), String> {
    let mut args = vec!["test", "-p", "repro-server", "--no-fail-fast"];
    args.extend(extra.iter().map(String::as_str));
    if !args.contains(&"--") {
        args.push("--");
    }
    for name in BACKEND_INDEPENDENT_TESTS {
        args.extend(["--skip", name]);
    }
    shell::run_with_env("cargo", &args, &root(), &services.environment)
}

/// Install test dependencies, build, and run every test: the lint, the
/// unit and integration tests, the server's suite on both backends, and the
/// browser tests.
fn test() -> Result<(), String> {
    install::test_dependencies()?;
    build()?;
    lint()?;
    unit_tests()?;
    scale_out_server_tests(&start_services()?, &[])?;
    browser_tests()
}

/// `cargo fmt --check` and clippy, natively and for the wasm crates.
fn lint() -> Result<(), String> {
    let root = root();
    shell::run("cargo", &["fmt", "--all", "--check"], &root)?;
    shell::run(
        "cargo",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
        &root,
    )?;
    shell::run(
        "cargo",
        &[
            "clippy",
            "--target",
            "wasm32-unknown-unknown",
            "-p",
            "repro-extension-messages",
            "-p",
            "repro-recorder",
            "-p",
            "repro-extension-ui",
            "-p",
            "repro-viewer",
            "--",
            "-D",
            "warnings",
        ],
        &root,
    )
}

/// Every crate's unit tests and the server's integration tests on the
/// embedded store (`cargo test --workspace`).
fn unit_tests() -> Result<(), String> {
    shell::run("cargo", &["test", "--workspace"], &root())
}

/// The end-to-end tests: the built extension in headless Chromium against
/// a real server on its embedded store; the Firefox build through
/// `web-ext lint` and its tests in headless Firefox ESR; then the
/// record-share-replay test and its secret search again on PostgreSQL + S3.
fn browser_tests() -> Result<(), String> {
    let root = root();
    shell::run("cargo", &["build", "-p", "repro-server"], &root)?;
    shell::run(
        "node",
        &["--test", "--test-concurrency=1", "e2e/"],
        &root.join("tests"),
    )?;
    // The Firefox build: the stores' linter, then the Firefox tests.
    shell::run(
        "node",
        &[
            "node_modules/web-ext/bin/web-ext.js",
            "lint",
            "--source-dir",
            "../dist/firefox",
            "--no-config-discovery",
        ],
        &root.join("tests"),
    )?;
    shell::run(
        "node",
        &["--test", "--test-concurrency=1", "firefox/"],
        &root.join("tests"),
    )?;
    // Record, share, replay and the secret search once more, with the
    // server on PostgreSQL + S3 (new ones: the secret search reads every
    // byte they hold, and the server tests leave hand-made blobs behind).
    let services = start_services()?;
    shell::run_with_env(
        "node",
        &[
            "--test",
            "--test-concurrency=1",
            "e2e/record_share_replay.test.mjs",
        ],
        &root.join("tests"),
        &services.environment,
    )
}
