// Loads the Rust recorder into this document once (the wasm build, or the
// wasm2js build of the same crate where the page's CSP forbids compiling
// WebAssembly) and starts it; run again for each Start in the same document.
(async () => {
  const url = (path) => chrome.runtime.getURL(path);
  globalThis.__reproRecorder ??= (async () => {
    try {
      const recorder = await import(url('pkg/repro_recorder.js'));
      await recorder.default({ module_or_path: url('pkg/repro_recorder_bg.wasm') });
      return [recorder, 'wasm'];
    } catch (_) {
      return [await import(url('pkg-js/repro_recorder.js')), 'js'];
    }
  })();
  const [recorder, build] = await globalThis.__reproRecorder;
  await recorder.start(build);
})();
