// Starts the Rust recorder in this document. The background injects the wasm
// glue (`pkg/repro_recorder.js`, global `reproRecorder`) just before this
// file, so each recording gets an instance of its own; the recorder calls
// `forget` once it has stopped, and its instance and memory become garbage.
// Where the page's CSP forbids compiling WebAssembly, the wasm2js build of
// the same crate runs instead: the background injects it on request
// (`pkg-js/repro_recorder.js`, global `reproRecorderJs`), and it too is
// dropped at stop. A Start while an instance runs reuses it. A recorder that
// fails tells the background, which notes it in the report.
(async () => {
  const url = (path) => chrome.runtime.getURL(path);
  const glue = reproRecorder;
  reproRecorder = undefined;
  const loading = (globalThis.__reproRecorder ??= (async () => {
    try {
      await glue({ module_or_path: url('pkg/repro_recorder_bg.wasm') });
      return [glue, 'wasm'];
    } catch (_) {
      const answer = await chrome.runtime.sendMessage({ kind: 'recorder-js' });
      if (answer?.error) throw new Error(answer.error);
      const js = reproRecorderJs;
      reproRecorderJs = undefined;
      return [js, 'js'];
    }
  })());
  const forget = () => { if (globalThis.__reproRecorder === loading) globalThis.__reproRecorder = undefined; };
  try {
    const [recorder, build] = await loading;
    await recorder.start(build, forget);
  } catch (error) {
    // The report must say that this page's replay is missing, not be empty without a word.
    chrome.runtime.sendMessage({ kind: 'recorder-failed', error: String(error?.message ?? error) }).catch(() => {});
  }
})();
