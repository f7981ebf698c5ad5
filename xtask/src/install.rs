//! Installing what the build and the tests need on a fresh Debian machine:
//! the wasm target, npm packages (binaryen for wasm-opt and wasm2js,
//! playwright-core), Debian's Chromium and ChromeDriver, Debian's Firefox ESR
//! and geckodriver for the Firefox tests, Debian's PostgreSQL and the
//! `s3s-fs` S3-compatible server for the scale-out tests. Each step is
//! idempotent and skipped when already done.

use std::path::Path;

use crate::shell::{exists, run};

/// The wasm target, Node.js and binaryen.
pub fn build_dependencies() -> Result<(), String> {
    let root = crate::root();
    if !exists("npm") {
        run("apt-get", &["update", "-qq"], &root)?;
        run("apt-get", &["install", "-y", "-qq", "nodejs", "npm"], &root)?;
    }
    run(
        "rustup",
        &["target", "add", "wasm32-unknown-unknown"],
        &root,
    )?;
    npm_install(&root.join("extension"))
}

/// Everything the build needs, plus Chromium and the test packages
/// (playwright-core, rrweb): what the benchmark runs on.
pub fn browser_dependencies() -> Result<(), String> {
    build_dependencies()?;
    let root = crate::root();
    if !Path::new("/usr/bin/chromium").exists() || !Path::new("/usr/bin/chromedriver").exists() {
        run("apt-get", &["update", "-qq"], &root)?;
        run(
            "apt-get",
            &["install", "-y", "-qq", "chromium", "chromium-driver"],
            &root,
        )?;
    }
    npm_install(&root.join("tests"))
}

/// Debian's Firefox ESR, and geckodriver (only the Rust registry ships it)
/// for driving it through WebDriver.
fn firefox_dependencies() -> Result<(), String> {
    let root = crate::root();
    if !Path::new("/usr/bin/firefox-esr").exists() {
        run("apt-get", &["update", "-qq"], &root)?;
        run("apt-get", &["install", "-y", "-qq", "firefox-esr"], &root)?;
    }
    if !exists("geckodriver") {
        run(
            "cargo",
            &["install", "geckodriver", "--version", "0.37.1", "--locked"],
            &root,
        )?;
    }
    Ok(())
}

/// What the browsers need, plus PostgreSQL and `s3s-fs` for the server's
/// scale-out tests: everything the tests run on.
pub fn test_dependencies() -> Result<(), String> {
    browser_dependencies()?;
    firefox_dependencies()?;
    let root = crate::root();
    if crate::services::postgres_bin().is_none() {
        run("apt-get", &["update", "-qq"], &root)?;
        run("apt-get", &["install", "-y", "-qq", "postgresql"], &root)?;
    }
    if !exists("s3s-fs") {
        // The newest s3s-fs needs a newer Rust than Debian's machines here have.
        run(
            "cargo",
            &[
                "install",
                "s3s-fs",
                "--version",
                "0.14.1",
                "--features",
                "binary",
                "--locked",
            ],
            &root,
        )?;
    }
    Ok(())
}

/// `npm install` is quick when nothing changed, and follows the lock file.
fn npm_install(dir: &Path) -> Result<(), String> {
    run(
        "npm",
        &["install", "--no-audit", "--no-fund", "--loglevel=error"],
        dir,
    )
}
