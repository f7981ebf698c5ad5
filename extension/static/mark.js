// Mark form loader: the form itself is Rust (repro-extension-ui, mark_form.rs).
import init, { mark_form_main } from './pkg/repro_extension_ui.js';
init({ module_or_path: './pkg/repro_extension_ui_bg.wasm' }).then(mark_form_main);
