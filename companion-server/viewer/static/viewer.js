// Viewer loader: the viewer itself is Rust (repro-viewer).
import init, { viewer_main } from './pkg/repro_viewer.js';
init({ module_or_path: new URL('./pkg/repro_viewer_bg.wasm', import.meta.url) }).then(viewer_main);
