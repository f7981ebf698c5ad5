//! The wasm2js build of the recorder as one classic script. wasm-bindgen's
//! bundler glue and binaryen's translation are ES modules, and a page never
//! unloads a module: the recorder's code and memory (6.2–6.9 MB measured on
//! the 10k-node page) stayed after stop. As a classic script that defines a
//! global, it is injected for each recording and dropped when it stops,
//! like the wasm build's no-modules glue.

/// One classic script defining `var {global}`, an object with the entry's
/// exports, from the three modules of the bundler build of `{stem}`: the
/// entry (`{stem}.js`), the glue (`{stem}_bg.js`) and the translation
/// (`{stem}_bg.wasm.js`), which imports the glue as `$_{stem}_bg_js`. The
/// translation gets a scope of its own, since its exports share names with
/// the glue's.
pub fn classic_script(
    entry: &str,
    glue: &str,
    translated: &str,
    stem: &str,
    global: &str,
) -> Result<String, String> {
    let exported = entry_exports(entry, stem)?;
    let (glue_body, glue_names) = strip_exports(glue, "export function ", "function ", &[])?;
    if !glue_names.iter().any(|name| name == "__wbg_set_wasm") {
        return Err(format!("{stem}_bg.js does not export __wbg_set_wasm"));
    }
    let namespace = format!("$_{stem}_bg_js");
    let import = format!("import * as {namespace} from './{stem}_bg.js';");
    let (translated_body, translated_names) =
        strip_exports(translated, "export var ", "var ", &[import.as_str()])?;
    Ok(format!(
        "var {global} = (function () {{\n'use strict';\n{glue_body}\
         var {namespace} = {{ {glue} }};\n\
         var reproTranslated = (function () {{\n{translated_body}\
         return {{ {translated} }};\n}})();\n\
         __wbg_set_wasm(reproTranslated);\n\
         return {{ {exported} }};\n}})();\n",
        glue = glue_names.join(", "),
        translated = translated_names.join(", "),
        exported = exported.join(", "),
    ))
}

/// The names the entry module re-exports from the glue.
fn entry_exports(entry: &str, stem: &str) -> Result<Vec<String>, String> {
    let from = format!("}} from \"./{stem}_bg.js\";");
    let names = entry
        .split_once("export {")
        .and_then(|(_, rest)| rest.split_once(from.as_str()))
        .map(|(names, _)| names)
        .ok_or_else(|| format!("{stem}.js has no `export {{ … {from}`"))?;
    let names: Vec<String> = names
        .split(',')
        .map(|name| name.trim().to_string())
        .filter(|name| !name.is_empty())
        .collect();
    if names.iter().any(|name| !is_identifier(name)) {
        return Err(format!(
            "{stem}.js exports something other than names: {names:?}"
        ));
    }
    Ok(names)
}

/// `module` with every line that starts with `export_prefix` starting with
/// `plain_prefix` instead, and the lines in `dropped` left out; also the
/// names so exported. Any other `import` or `export` is an error: the
/// conversion would not know what it means.
fn strip_exports(
    module: &str,
    export_prefix: &str,
    plain_prefix: &str,
    dropped: &[&str],
) -> Result<(String, Vec<String>), String> {
    let mut body = String::with_capacity(module.len());
    let mut names = Vec::new();
    for line in module.lines() {
        if dropped.contains(&line.trim()) {
            continue;
        }
        if let Some(rest) = line.strip_prefix(export_prefix) {
            let name: String = rest
                .chars()
                .take_while(|&c| c.is_alphanumeric() || c == '_' || c == '$')
                .collect();
            if !is_identifier(&name) {
                return Err(format!("cannot read the name exported by `{line}`"));
            }
            names.push(name);
            body.push_str(plain_prefix);
            body.push_str(rest);
        } else if line.starts_with("export ") || line.starts_with("import ") {
            return Err(format!("unexpected module statement `{line}`"));
        } else {
            body.push_str(line);
        }
        body.push('\n');
    }
    Ok((body, names))
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '$')
}

#[cfg(test)]
mod tests {
    use super::classic_script;

    const ENTRY: &str = "import * as wasm from \"./r_bg.wasm.js\";\nimport { __wbg_set_wasm } from \"./r_bg.js\";\n\n__wbg_set_wasm(wasm);\n\nexport {\n    start\n} from \"./r_bg.js\";\n";
    const GLUE: &str = "let wasm;\nexport function __wbg_set_wasm(val) {\n    wasm = val;\n}\nexport function start(x) {\n    return wasm.start(x) + 1;\n}\nexport function __wbg_log(x) {\n    return x * 2;\n}\n";
    const TRANSLATED: &str = "import * as $_r_bg_js from './r_bg.js';\nfunction asmFunc(imports) {\n  var log = imports['./r_bg.js'].__wbg_log;\n  return { start: function (x) { return log(x); } };\n}\nvar retasmFunc = asmFunc({ './r_bg.js': $_r_bg_js });\nexport var start = retasmFunc.start;\n";

    #[test]
    fn the_three_modules_become_one_script() {
        let script = classic_script(ENTRY, GLUE, TRANSLATED, "r", "g").unwrap();
        assert!(script.starts_with("var g = (function () {"));
        assert!(!script.contains("import ") && !script.contains("export "));
        // The glue's `start` and the translation's are two functions, in scopes of their own.
        assert!(script.contains("function start(x) {\n    return wasm.start(x) + 1;"));
        assert!(script.contains("var start = retasmFunc.start;\nreturn { start };"));
        assert!(script.contains("var $_r_bg_js = { __wbg_set_wasm, start, __wbg_log };"));
        assert!(script.contains("__wbg_set_wasm(reproTranslated);\nreturn { start };\n})();"));
    }

    #[test]
    fn what_the_conversion_does_not_know_is_an_error() {
        assert!(classic_script("export { start };", GLUE, TRANSLATED, "r", "g").is_err());
        let other_import = format!("import x from './y.js';\n{TRANSLATED}");
        assert!(classic_script(ENTRY, GLUE, &other_import, "r", "g").is_err());
        let no_setter = GLUE.replace("__wbg_set_wasm(val)", "set(val)");
        assert!(classic_script(ENTRY, &no_setter, TRANSLATED, "r", "g").is_err());
        let default_export = format!("{GLUE}export default 1;\n");
        assert!(classic_script(ENTRY, &default_export, TRANSLATED, "r", "g").is_err());
    }
}
