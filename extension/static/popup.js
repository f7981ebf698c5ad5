// Popup loader: the popup itself is Rust (repro-extension-ui, popup.rs).
import init, { popup_main } from './pkg/repro_extension_ui.js';
init({ module_or_path: './pkg/repro_extension_ui_bg.wasm' }).then(popup_main);
