// Options loader: the options page itself is Rust (repro-extension-ui, options.rs).
import init, { options_main } from './pkg/repro_extension_ui.js';
init({ module_or_path: './pkg/repro_extension_ui_bg.wasm' }).then(options_main);
