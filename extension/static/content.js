// Loads the Rust recorder into this document: the wasm build, or the wasm2js
// build of the same crate where the page's CSP forbids compiling WebAssembly.
(async () => {
  if (globalThis.__reproRecorder) return;
  globalThis.__reproRecorder = true;
  const url = (path) => chrome.runtime.getURL(path);
  let recorder, build = 'wasm';
  try {
    recorder = await import(url('pkg/repro_recorder.js'));
    await recorder.default({ module_or_path: url('pkg/repro_recorder_bg.wasm') });
  } catch (_) {
    recorder = await import(url('pkg-js/repro_recorder.js'));
    build = 'js';
  }
  await recorder.start(build);
})();
