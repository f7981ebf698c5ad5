//! Building the wasm crates and turning them into what browsers load.
//!
//! Every wasm crate is compiled once, as MVP wasm (`.cargo/config.toml`), with
//! the `wasm` profile. From that one module:
//! - `wasm-bindgen --target web`, then `wasm-opt -Oz`: what extension pages
//!   and the viewer load; for the recorder, `--target no-modules` instead, a
//!   classic script the background injects before each start, so that every
//!   recording gets an instance of its own that is garbage once it stops;
//! - for the recorder only, `wasm-bindgen --target bundler`, binaryen's
//!   lowering passes and `wasm2js`: the same recorder as plain JavaScript,
//!   for pages whose CSP forbids compiling WebAssembly (docs/PLATFORM.md),
//!   made one classic script (global `reproRecorderJs`) so that it too is
//!   dropped when a recording stops.

use std::fs;
use std::path::{Path, PathBuf};

use wasm_bindgen_cli_support::Bindgen;

use crate::classic_script::classic_script;
use crate::shell::run;

/// A wasm crate and where its output goes.
struct WasmCrate {
    package: &'static str,
    stem: &'static str,
    out_dir: &'static str,
    also_as_js: bool,
    /// Glue as a classic script defining this global, not an ES module.
    script_global: Option<&'static str>,
}

const CRATES: [WasmCrate; 3] = [
    WasmCrate {
        package: "repro-recorder",
        stem: "repro_recorder",
        out_dir: "extension",
        also_as_js: true,
        script_global: Some("reproRecorder"),
    },
    WasmCrate {
        package: "repro-extension-ui",
        stem: "repro_extension_ui",
        out_dir: "extension",
        also_as_js: false,
        script_global: None,
    },
    WasmCrate {
        package: "repro-viewer",
        stem: "repro_viewer",
        out_dir: "viewer",
        also_as_js: false,
        script_global: None,
    },
];

/// Features the precompiled std uses even in an MVP build; binaryen must be
/// told, since their declarations were stripped.
const PRECOMPILED_STD_FEATURES: [&str; 5] = [
    "--enable-bulk-memory",
    "--enable-bulk-memory-opt",
    "--enable-sign-ext",
    "--enable-nontrapping-float-to-int",
    "--enable-mutable-globals",
];

fn binaryen(tool: &str) -> PathBuf {
    crate::root().join("extension/node_modules/.bin").join(tool)
}

/// Where generated packages are staged before `dist` picks them up.
pub fn staging() -> PathBuf {
    crate::root().join("target/repro-pkg")
}

fn wasm_opt(args: &[&str]) -> Result<(), String> {
    run(
        &binaryen("wasm-opt").to_string_lossy(),
        args,
        &crate::root(),
    )
}

fn path_str(path: &Path) -> String {
    path.to_string_lossy().to_string()
}

/// Build every wasm crate and generate its JavaScript packages.
pub fn build_all() -> Result<(), String> {
    let root = crate::root();
    let _ = fs::remove_dir_all(staging());
    let mut args = vec![
        "build",
        "--profile",
        "wasm",
        "--target",
        "wasm32-unknown-unknown",
    ];
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
    let built = crate::root().join(format!(
        "target/wasm32-unknown-unknown/wasm/{}.wasm",
        krate.stem
    ));
    let work = staging().join("work");
    fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    // The precompiled std still declares newer features; drop the declarations
    // so that wasm-bindgen emits MVP glue (no externref table).
    let stripped = work.join(format!("{}.wasm", krate.stem));
    wasm_opt(&[
        "-g",
        "--strip-target-features",
        &path_str(&built),
        "-o",
        &path_str(&stripped),
    ])?;

    let web_dir = staging().join(krate.out_dir).join("pkg");
    match krate.script_global {
        Some(global) => {
            bindgen(&stripped, &web_dir, krate.stem, Target::Script(global))?;
            let glue = web_dir.join(format!("{}.js", krate.stem));
            let js = fs::read_to_string(&glue).map_err(|e| e.to_string())?;
            fs::write(&glue, redeclarable_global(&js, global)?).map_err(|e| e.to_string())?;
        }
        None => bindgen(&stripped, &web_dir, krate.stem, Target::Web)?,
    }
    let wasm_file = web_dir.join(format!("{}_bg.wasm", krate.stem));
    let mut args = PRECOMPILED_STD_FEATURES.to_vec();
    args.extend(["-Oz", "--strip-debug", "--strip-producers"]);
    let wasm_file = path_str(&wasm_file);
    args.extend([wasm_file.as_str(), "-o", wasm_file.as_str()]);
    wasm_opt(&args)?;

    if krate.also_as_js {
        let js_dir = staging().join(krate.out_dir).join("pkg-js");
        let global = krate
            .script_global
            .ok_or("a crate built as JavaScript needs a script global")?;
        as_javascript(&stripped, &js_dir, krate.stem, &format!("{global}Js"))?;
    }
    Ok(())
}

enum Target {
    Web,
    Bundler,
    /// `--target no-modules` with this global.
    Script(&'static str),
}

fn bindgen(input: &Path, out_dir: &Path, stem: &str, target: Target) -> Result<(), String> {
    fs::create_dir_all(out_dir).map_err(|e| e.to_string())?;
    let mut bindgen = Bindgen::new();
    bindgen.input_path(input).out_name(stem).typescript(false);
    match target {
        Target::Web => bindgen.web(true),
        Target::Bundler => bindgen.bundler(true),
        Target::Script(global) => bindgen
            .no_modules(true)
            .and_then(|b| b.no_modules_global(global)),
    }
    .map_err(|e| e.to_string())?;
    bindgen
        .generate(out_dir)
        .map_err(|e| format!("wasm-bindgen on {}: {e:#}", input.display()))
}

/// The recorder as JavaScript: the bundler glue and the wasm2js translation
/// of the lowered module, as one classic script defining `global`.
fn as_javascript(stripped: &Path, out_dir: &Path, stem: &str, global: &str) -> Result<(), String> {
    bindgen(stripped, out_dir, stem, Target::Bundler)?;
    let bg_wasm = out_dir.join(format!("{stem}_bg.wasm"));
    let lowered = out_dir.join(format!("{stem}_lowered.wasm"));
    let bg_wasm_arg = path_str(&bg_wasm);
    let lowered_arg = path_str(&lowered);
    let mut args = PRECOMPILED_STD_FEATURES.to_vec();
    args.extend([
        "--llvm-memory-copy-fill-lowering",
        "--signext-lowering",
        "--llvm-nontrapping-fptoint-lowering",
        "-Oz",
        "--strip-debug",
        "--strip-producers",
        &bg_wasm_arg,
        "-o",
        &lowered_arg,
    ]);
    wasm_opt(&args)?;
    let translated = out_dir.join(format!("{stem}_bg.wasm.js"));
    run(
        &binaryen("wasm2js").to_string_lossy(),
        &["-O", &path_str(&lowered), "-o", &path_str(&translated)],
        &crate::root(),
    )?;
    let read =
        |path: &Path| fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()));
    let patched = without_indentation(&patch_memory_growth(&read(&translated)?)?)?;
    let entry = out_dir.join(format!("{stem}.js"));
    let glue = out_dir.join(format!("{stem}_bg.js"));
    let script = classic_script(&read(&entry)?, &read(&glue)?, &patched, stem, global)?;
    fs::write(&entry, script).map_err(|e| e.to_string())?;
    for leftover in [bg_wasm, lowered, glue, translated] {
        fs::remove_file(leftover).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// The translation without the spaces that indent its lines: 30 % of its
/// bytes (1.66 → 1.16 MB), which every Start on a strict-CSP page hands the
/// browser to compile and which the page then keeps as the script's source
/// (measured on the 10k page: 0.5 MB less heap while recording). Only safe
/// where no string or template spans lines: wasm2js writes none, and a
/// backtick, which could open a template, fails the build.
fn without_indentation(js: &str) -> Result<String, String> {
    if js.contains('`') {
        return Err(
            "the wasm2js translation has a backtick; its indentation cannot be dropped safely"
                .into(),
        );
    }
    let mut out = String::with_capacity(js.len());
    for line in js.split_inclusive('\n') {
        out.push_str(line.trim_start_matches([' ', '\t']));
    }
    Ok(out)
}

/// No-modules glue declares its global with `let`, and a second injection
/// into the same content-script world would throw on the redeclaration: make
/// it a `var`, which a new injection simply assigns again.
fn redeclarable_global(js: &str, global: &str) -> Result<String, String> {
    let from = format!("let {global} = (function(exports) {{");
    if js.matches(&from).count() != 1 {
        return Err(format!(
            "the no-modules glue does not declare `{from}` once"
        ));
    }
    Ok(js.replacen(&from, &format!("var {global} = (function(exports) {{"), 1))
}

/// wasm2js grows memory by copying into a new ArrayBuffer without detaching
/// the old one, so wasm-bindgen's cached views go stale and the recorder
/// aborts on the first large page (docs/PLATFORM.md). Replace its two memory
/// functions: grow geometrically with `ArrayBuffer.prototype.transfer`, which
/// detaches the old buffer, and keep the logical page count apart.
fn patch_memory_growth(js: &str) -> Result<String, String> {
    const START: &str = " function __wasm_memory_size() {";
    const END: &str = "  return oldPages;\n }\n";
    let start = js
        .find(START)
        .ok_or("wasm2js output has no __wasm_memory_size")?;
    let end = js[start..]
        .find(END)
        .ok_or("wasm2js output has no __wasm_memory_grow")?
        + start
        + END.len();
    let replacement = r#" var reproPages = buffer.byteLength >> 16;
 function __wasm_memory_size() {
  return reproPages;
 }

 // Patched by repro-build (see xtask/src/wasm.rs).
 function __wasm_memory_grow(pagesToAdd) {
  pagesToAdd = pagesToAdd | 0;
  var oldPages = reproPages;
  var newPages = oldPages + pagesToAdd;
  if (newPages >= 65536) return -1;
  var capacityPages = buffer.byteLength / 65536;
  if (newPages > capacityPages) {
   buffer = buffer.transfer(Math.min(65535, Math.max(newPages, capacityPages * 2)) * 65536);
   HEAP8 = new Int8Array(buffer);
   HEAP16 = new Int16Array(buffer);
   HEAP32 = new Int32Array(buffer);
   HEAPU8 = new Uint8Array(buffer);
   HEAPU16 = new Uint16Array(buffer);
   HEAPU32 = new Uint32Array(buffer);
   HEAPF32 = new Float32Array(buffer);
   HEAPF64 = new Float64Array(buffer);
   bufferView = HEAPU8;
  }
  reproPages = newPages;
  return oldPages;
 }
"#;
    Ok(format!("{}{}{}", &js[..start], replacement, &js[end..]))
}

#[cfg(test)]
mod tests {
    #[test]
    fn memory_growth_patch_replaces_both_functions() {
        let js = "a\n function __wasm_memory_size() {\n  return buffer.byteLength >> 16;\n }\n\n function __wasm_memory_grow(pagesToAdd) {\n  copy();\n  return oldPages;\n }\n b";
        let patched = super::patch_memory_growth(js).unwrap();
        assert!(patched.starts_with("a\n var reproPages"));
        assert!(patched.contains("buffer.transfer("));
        assert!(!patched.contains("copy()"));
        assert!(patched.ends_with(" b"));
        assert!(super::patch_memory_growth("nothing here").is_err());
    }

    #[test]
    fn indentation_goes_and_everything_else_stays() {
        let js = "function f($0) {\n  $0 = $0 + 1 | 0;\n\t return \"a  b\";\n}\n";
        let stripped = super::without_indentation(js).unwrap();
        assert_eq!(
            stripped,
            "function f($0) {\n$0 = $0 + 1 | 0;\nreturn \"a  b\";\n}\n"
        );
        assert!(super::without_indentation("let s = `a\n  b`;").is_err());
    }

    #[test]
    fn the_script_global_becomes_a_var() {
        let js =
            "\n            let g = (function(exports) {\n let x = 1;\n })({ __proto__: null });";
        let patched = super::redeclarable_global(js, "g").unwrap();
        assert!(patched.contains("var g = (function(exports) {\n let x = 1;"));
        assert!(super::redeclarable_global("let h = 1;", "g").is_err());
    }
}
