//! Building the wasm crates and turning them into what browsers load.
//!
//! Every wasm crate is compiled once, as MVP wasm (`.cargo/config.toml`), with
//! the `wasm` profile. From that one module:
//! - `wasm-bindgen --target web`, then `wasm-opt -Oz`: what extension pages,
//!   the viewer and most pages' recorder load;
//! - for the recorder only, `wasm-bindgen --target bundler`, binaryen's
//!   lowering passes and `wasm2js`: the same recorder as plain JavaScript,
//!   for pages whose CSP forbids compiling WebAssembly (docs/PLATFORM.md).

use std::fs;
use std::path::{Path, PathBuf};

use wasm_bindgen_cli_support::Bindgen;

use crate::shell::run;

/// A wasm crate and where its output goes.
struct WasmCrate {
    package: &'static str,
    stem: &'static str,
    out_dir: &'static str,
    also_as_js: bool,
}

const CRATES: [WasmCrate; 3] = [
    WasmCrate { package: "repro-recorder", stem: "repro_recorder", out_dir: "extension", also_as_js: true },
    WasmCrate { package: "repro-extension-ui", stem: "repro_extension_ui", out_dir: "extension", also_as_js: false },
    WasmCrate { package: "repro-viewer", stem: "repro_viewer", out_dir: "viewer", also_as_js: false },
];

fn binaryen(tool: &str) -> PathBuf {
    crate::root().join("extension/node_modules/.bin").join(tool)
}

/// Where generated packages are staged before `dist` picks them up.
pub fn staging() -> PathBuf {
    crate::root().join("target/repro-pkg")
}

fn wasm_opt(args: &[&str]) -> Result<(), String> {
    run(&binaryen("wasm-opt").to_string_lossy(), args, &crate::root())
}

fn path_str(path: &Path) -> String {
    path.to_string_lossy().to_string()
}

/// Build every wasm crate and generate its JavaScript packages.
pub fn build_all() -> Result<(), String> {
    let root = crate::root();
    let mut args = vec!["build", "--profile", "wasm", "--target", "wasm32-unknown-unknown"];
    for krate in &CRATES {
        args.extend(["-p", krate.package]);
    }
    run("cargo", &args, &root)?;
    for krate in &CRATES {
        package(krate)?;
    }
    Ok(())
}

fn package(krate: &WasmCrate) -> Result<(), String> {
    let built = crate::root().join(format!("target/wasm32-unknown-unknown/wasm/{}.wasm", krate.stem));
    let work = staging().join("work");
    fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    // The precompiled std still declares newer features; drop the declarations
    // so that wasm-bindgen emits MVP glue (no externref table).
    let stripped = work.join(format!("{}.wasm", krate.stem));
    wasm_opt(&["-g", "--strip-target-features", &path_str(&built), "-o", &path_str(&stripped)])?;

    let web_dir = staging().join(krate.out_dir).join("pkg");
    bindgen(&stripped, &web_dir, krate.stem, Target::Web)?;
    let wasm_file = web_dir.join(format!("{}_bg.wasm", krate.stem));
    wasm_opt(&["-Oz", "--strip-debug", "--strip-producers", &path_str(&wasm_file), "-o", &path_str(&wasm_file)])?;

    if krate.also_as_js {
        let js_dir = staging().join(krate.out_dir).join("pkg-js");
        as_javascript(&stripped, &js_dir, krate.stem)?;
    }
    Ok(())
}

enum Target {
    Web,
    Bundler,
}

fn bindgen(input: &Path, out_dir: &Path, stem: &str, target: Target) -> Result<(), String> {
    let _ = fs::remove_dir_all(out_dir);
    fs::create_dir_all(out_dir).map_err(|e| e.to_string())?;
    let mut bindgen = Bindgen::new();
    bindgen.input_path(input).out_name(stem).typescript(false).reference_types(false);
    match target {
        Target::Web => bindgen.web(true),
        Target::Bundler => bindgen.bundler(true),
    }
    .map_err(|e| e.to_string())?;
    bindgen.generate(out_dir).map_err(|e| format!("wasm-bindgen on {}: {e:#}", input.display()))
}

/// The recorder as JavaScript: bundler glue whose `.wasm` import points at
/// the wasm2js translation of the lowered module.
fn as_javascript(stripped: &Path, out_dir: &Path, stem: &str) -> Result<(), String> {
    bindgen(stripped, out_dir, stem, Target::Bundler)?;
    let bg_wasm = out_dir.join(format!("{stem}_bg.wasm"));
    let lowered = out_dir.join(format!("{stem}_lowered.wasm"));
    wasm_opt(&[
        "--enable-bulk-memory",
        "--enable-bulk-memory-opt",
        "--enable-sign-ext",
        "--enable-nontrapping-float-to-int",
        "--enable-mutable-globals",
        "--llvm-memory-copy-fill-lowering",
        "--signext-lowering",
        "--llvm-nontrapping-fptoint-lowering",
        &path_str(&bg_wasm),
        "-o",
        &path_str(&lowered),
    ])?;
    let translated = out_dir.join(format!("{stem}_bg.wasm.js"));
    run(
        &binaryen("wasm2js").to_string_lossy(),
        &["-O", &path_str(&lowered), "-o", &path_str(&translated)],
        &crate::root(),
    )?;
    let js = fs::read_to_string(&translated).map_err(|e| e.to_string())?;
    fs::write(&translated, crate::wasm::patch_memory_growth(&js)?).map_err(|e| e.to_string())?;
    let entry = out_dir.join(format!("{stem}.js"));
    let glue = fs::read_to_string(&entry).map_err(|e| e.to_string())?;
    let from = format!("./{stem}_bg.wasm\"");
    if !glue.contains(&from) {
        return Err(format!("{} does not import {from}", entry.display()));
    }
    fs::write(&entry, glue.replace(&from, &format!("./{stem}_bg.wasm.js\""))).map_err(|e| e.to_string())?;
    for leftover in [bg_wasm, lowered] {
        fs::remove_file(leftover).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Placeholder until the wasm2js output has been inspected.
pub fn patch_memory_growth(js: &str) -> Result<String, String> {
    Ok(js.to_string())
}
