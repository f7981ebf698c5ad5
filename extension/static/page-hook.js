// Repro page hook: runs in the page's own (MAIN) world while the tab is
// recorded. It only wraps console, error events, fetch and XHR and forwards
// what it saw to the Rust recorder with postMessage. It decides nothing and
// masks nothing: the recorder parses, caps and masks every message.
(() => {
  if (window.__reproHook) return;
  Object.defineProperty(window, '__reproHook', { value: true });
  // Until the recorder of this document says it listens, keep what happens
  // (a page's own scripts run before the recorder has loaded).
  const early = [];
  let recorderReady = false;
  const send = (m) => { try { window.postMessage(m, '*'); } catch (_) { /* unclonable: drop */ } };
  const post = (m) => {
    m.__repro = 'hook';
    if (recorderReady) send(m); else if (early.length < 1000) early.push(m);
  };
  addEventListener('message', (e) => {
    if (e.source !== window || !e.data || e.data.__repro !== 'recorder-ready' || recorderReady) return;
    recorderReady = true;
    early.splice(0).forEach(send);
  });
  const text = (v) => {
    if (typeof v === 'string') return v;
    if (v instanceof Error) return String(v.stack || v);
    try { const s = JSON.stringify(v); if (s !== undefined) return s; } catch (_) { /* cycles, throwing getters */ }
    try { return String(v); } catch (_) { return '[unprintable]'; }
  };
  const absolute = (u) => { try { return new URL(String(u), location.href).href; } catch (_) { return String(u); } };
  for (const level of ['log', 'info', 'warn', 'error', 'debug', 'trace']) {
    const original = console[level];
    console[level] = function (...args) {
      const stack = level === 'trace' || level === 'error' ? String(new Error().stack) : null;
      post({ type: 'console', level, args: args.map(text), stack, time: Date.now() });
      return original.apply(this, args);
    };
  }
  addEventListener('error', (e) => {
    if (!(e instanceof ErrorEvent)) return;
    const stack = e.error && e.error.stack ? String(e.error.stack) : `at ${e.filename}:${e.lineno}:${e.colno}`;
    post({ type: 'console', level: 'error', source: 'uncaught', args: [String(e.message)], stack, time: Date.now() });
  }, true);
  addEventListener('unhandledrejection', (e) => {
    const stack = e.reason && e.reason.stack ? String(e.reason.stack) : null;
    post({ type: 'console', level: 'error', source: 'rejection', args: [text(e.reason)], stack, time: Date.now() });
  });
  const fetch0 = window.fetch;
  window.fetch = function (input, init) {
    const start = Date.now();
    const method = String((init && init.method) || (input && input.method) || 'GET').toUpperCase();
    const url = absolute((input && input.url) || input);
    const done = (status, error) => post({ type: 'network', kind: 'fetch', method, url, status, start, duration: Date.now() - start, error });
    return fetch0.apply(this, arguments).then(
      (response) => { done(response.status, null); return response; },
      (e) => { done(null, e && e.name === 'AbortError' ? 'aborted' : String(e)); throw e; });
  };
  const open0 = XMLHttpRequest.prototype.open;
  const send0 = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url) {
    this.__repro = { method: String(method).toUpperCase(), url: absolute(url), error: 'network error' };
    return open0.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    const info = this.__repro;
    const start = Date.now();
    if (info) {
      this.addEventListener('abort', () => { info.error = 'aborted'; });
      this.addEventListener('timeout', () => { info.error = 'timed out'; });
      this.addEventListener('loadend', () => post({ type: 'network', kind: 'xhr', method: info.method, url: info.url,
        status: this.status || null, start, duration: Date.now() - start, error: this.status ? null : info.error }));
    }
    return send0.apply(this, arguments);
  };
})();
