// Review page loader: the page itself is Rust (repro-extension-ui, review.rs).
import init, { review_main } from './pkg/repro_extension_ui.js';
init({ module_or_path: './pkg/repro_extension_ui_bg.wasm' }).then(review_main);
