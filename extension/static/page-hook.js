// Repro page hook: runs in the page's own (MAIN) world. It only wraps
// console, error events, fetch and XHR and forwards what it saw to the Rust
// recorder with postMessage, as text: objects become a bounded preview
// (depth 3, 50 keys, cycles and throwing getters survive). It also wraps
// the setters of form values, and tells the recorder by an event on the
// control when a script set one, on an element when a script attached a
// shadow root to it (again, for closed roots, when a recorder starts), and
// on the document when a script changed the address;
// it keeps the texts scripts gave constructed stylesheets, for the recorder
// to ask. It masks nothing: the recorder parses,
// caps and masks every message and reads the control's value itself.
(() => {
  if (window.__reproHook) return;
  Object.defineProperty(window, '__reproHook', { value: true });
  // Until a recorder of this document says it listens, and again once it has
  // stopped, keep the last minute (at most 1000 entries) in this page's
  // memory only: the pre-roll.
  let early = [];
  let first = 0; // entries before `first` were dropped (compacted now and then, never shifted one by one)
  let recorderReady = false;
  // Entries go out in batches: one message per task of the page, not one per call.
  let batch = [];
  const sendBatch = () => {
    const entries = batch;
    batch = [];
    try { window.postMessage({ __repro: 'hook', batch: entries }, '*'); } catch (_) { /* unclonable: drop */ }
  };
  const send = (m) => { if (batch.push(m) === 1) queueMicrotask(sendBatch); };
  const post = (m) => {
    if (recorderReady) return send(m);
    early.push(m);
    const horizon = Date.now() - 60000;
    while (early.length - first > 1000 || (first < early.length && (early[first].time || early[first].start) < horizon)) first++;
    if (first > 1000) { early = early.slice(first); first = 0; }
  };
  addEventListener('message', (e) => {
    // From this window's recorder, or (a frame of its parent's origin) the parent's.
    if ((e.source !== window && e.source !== window.parent) || !e.data) return;
    if (e.data.__repro === 'recorder-stopped') recorderReady = false;
    if (e.data.__repro !== 'recorder-ready' || recorderReady) return;
    recorderReady = true;
    early.slice(first).forEach(send);
    early = [];
    first = 0;
    // Closed roots attached before it started: a recorder cannot find one
    // on a plain element by itself.
    for (const ref of closedHosts) ref.deref()?.dispatchEvent(new Event('repro:shadow-attached', { bubbles: true, composed: true }));
  });
  // The hosts of closed roots attached by script, weakly held (at most 10,000).
  let closedHosts = [];
  const preview = (v, depth, seen) => {
    if (typeof v === 'string') return v.length > 10000 ? `${v.slice(0, 10000)}…` : v;
    if (typeof v === 'function') return `ƒ ${v.name || 'anonymous'}()`;
    if (v === null || typeof v !== 'object') return v === undefined ? 'undefined' : typeof v === 'number' || typeof v === 'boolean' ? v : String(v);
    if (v instanceof Error) return `${v.name}: ${v.message}${v.stack ? `\n${v.stack}` : ''}`;
    if (v instanceof Node) return `<${v.nodeName.toLowerCase()}${v.id ? `#${v.id}` : ''}${typeof v.className === 'string' && v.className ? `.${v.className.trim().split(/\s+/).join('.')}` : ''}>`;
    if (seen.has(v)) return '[circular]';
    if (depth >= 3) return Array.isArray(v) ? `Array(${v.length})` : '{…}';
    seen.add(v);
    const keys = Object.keys(v);
    const out = Array.isArray(v) ? [] : {};
    for (const k of keys.slice(0, 50)) { try { out[k] = preview(v[k], depth + 1, seen); } catch (_) { out[k] = '[getter threw]'; } }
    if (keys.length > 50) out['…'] = `${keys.length - 50} more`;
    return out;
  };
  const text = (v) => {
    // Most arguments are strings and numbers: no preview for them.
    if (typeof v === 'string') return v.length > 10000 ? `${v.slice(0, 10000)}…` : v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    try { const p = preview(v, 0, new WeakSet()); return typeof p === 'string' ? p : JSON.stringify(p); } catch (_) { return '[unprintable]'; }
  };
  const absolute = (u) => { try { return new URL(String(u), location.href).href; } catch (_) { return String(u); } };
  const log = (level, args, stack) => post({ type: 'console', level, args: args.map(text), stack, time: Date.now() });
  const wrap = (method, forward) => {
    const original = console[method];
    if (typeof original === 'function') console[method] = function (...args) { forward(...args); return original.apply(this, args); };
  };
  for (const level of ['log', 'info', 'warn', 'error', 'debug', 'trace']) {
    wrap(level, (...args) => log(level, args, level === 'trace' || level === 'error' ? String(new Error().stack) : null));
  }
  const counts = new Map();
  const timers = new Map();
  wrap('table', (data) => log('log', [data]));
  wrap('dir', (data) => log('log', [data]));
  wrap('assert', (ok, ...args) => { if (!ok) log('error', ['Assertion failed:', ...args], String(new Error().stack)); });
  wrap('count', (label = 'default') => { counts.set(label, (counts.get(label) || 0) + 1); log('info', [`${label}: ${counts.get(label)}`]); });
  wrap('countReset', (label = 'default') => counts.delete(label));
  wrap('time', (label = 'default') => timers.set(label, performance.now()));
  const elapsed = (label) => `${label}: ${(performance.now() - (timers.get(label) ?? performance.now())).toFixed(3)} ms`;
  wrap('timeLog', (label = 'default', ...args) => log('info', [elapsed(label), ...args]));
  wrap('timeEnd', (label = 'default') => { log('info', [elapsed(label)]); timers.delete(label); });
  addEventListener('securitypolicyviolation', (e) => post({ type: 'console', level: 'error', source: 'csp',
    args: [`Content-Security-Policy blocked ${e.blockedURI || 'inline code'} (${e.effectiveDirective})`], time: Date.now() }));
  addEventListener('error', (e) => {
    const el = e.target;
    if (!(e instanceof ErrorEvent) && el && el.tagName) {
      return post({ type: 'console', level: 'error', source: 'resource', time: Date.now(),
        args: [`Failed to load <${el.tagName.toLowerCase()}> ${absolute(el.currentSrc || el.src || el.href || '')}`] });
    }
    if (!(e instanceof ErrorEvent)) return;
    const stack = e.error && e.error.stack ? String(e.error.stack) : `at ${e.filename}:${e.lineno}:${e.colno}`;
    post({ type: 'console', level: 'error', source: 'uncaught', args: [String(e.message)], stack, time: Date.now() });
  }, true);
  addEventListener('unhandledrejection', (e) => {
    const stack = e.reason && e.reason.stack ? String(e.reason.stack) : null;
    post({ type: 'console', level: 'error', source: 'rejection', args: [text(e.reason)], stack, time: Date.now() });
  });
  // Bodies are forwarded only when textual, and at most LIMIT characters of
  // each; the recorder masks headers and bodies before they go anywhere.
  const LIMIT = 65536;
  const textual = (type) => /json|text|xml|javascript|x-www-form-urlencoded|graphql/i.test(type || '');
  const bodyOf = (body, type) => {
    if (body == null) return null;
    if (typeof body === 'string') return { text: body.slice(0, LIMIT), size: body.length, mime: type || null };
    if (body instanceof URLSearchParams) {
      const s = String(body);
      return { text: s.slice(0, LIMIT), size: s.length, mime: 'application/x-www-form-urlencoded' };
    }
    if (body instanceof Blob) return { size: body.size, mime: body.type || null };
    if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return { size: body.byteLength };
    if (body instanceof FormData) return { size: 0, mime: 'multipart/form-data' };
    return { size: 0 };
  };
  const headerPairs = (headers) => {
    const out = [];
    try { new Headers(headers || {}).forEach((value, name) => out.push([name, value])); } catch (_) { /* unreadable */ }
    return out;
  };
  const fetch0 = window.fetch;
  window.fetch = function (input, init) {
    const start = Date.now();
    const request = input instanceof Request ? input : null;
    const method = String((init && init.method) || (request && request.method) || 'GET').toUpperCase();
    const url = absolute((request && request.url) || input);
    const requestHeaders = headerPairs((init && init.headers) || (request && request.headers));
    const requestType = requestHeaders.find(([name]) => name === 'content-type');
    const entry = { type: 'network', kind: 'fetch', method, url, start, request_headers: requestHeaders,
      request_body: bodyOf(init && init.body, requestType && requestType[1]) };
    let sent = false;
    const send = () => { if (!sent) { sent = true; post(entry); } };
    return fetch0.apply(this, arguments).then((response) => {
      entry.status = response.status;
      entry.duration = Date.now() - start;
      entry.response_headers = headerPairs(response.headers);
      const type = response.headers.get('content-type') || '';
      // Not recording (the pre-roll), a page's answered requests keep no
      // body: reading each one twice is what being installed cost most.
      if (textual(type) && (recorderReady || !response.ok)) {
        setTimeout(send, 10000); // a body that never ends (a stream) does not hold the entry back
        response.clone().text().then((text) => {
          entry.response_body = { text: text.slice(0, LIMIT), size: text.length, mime: type };
          send();
        }, send);
      } else {
        entry.response_body = { size: Number(response.headers.get('content-length')) || 0, mime: type || null };
        send();
      }
      return response;
    }, (e) => {
      entry.duration = Date.now() - start;
      entry.error = e && e.name === 'AbortError' ? 'aborted' : String(e);
      send();
      throw e;
    });
  };
  const beacon0 = navigator.sendBeacon && navigator.sendBeacon.bind(navigator);
  if (beacon0) {
    navigator.sendBeacon = function (url, data) {
      const queued = beacon0(url, data);
      post({ type: 'network', kind: 'beacon', method: 'POST', url: absolute(url), start: Date.now(),
        error: queued ? null : 'not queued', request_body: bodyOf(data) });
      return queued;
    };
  }
  const WS = window.WebSocket;
  if (WS) {
    const frame = (data) => (typeof data === 'string' ? bodyOf(data) : { size: (data && (data.size || data.byteLength)) || 0 });
    window.WebSocket = function (url, protocols) {
      const ws = protocols === undefined ? new WS(url) : new WS(url, protocols);
      const event = (method, extra) => post({ type: 'network', kind: 'websocket', method, url: ws.url, start: Date.now(), ...extra });
      ws.addEventListener('open', () => event('OPEN', { status: 101 }));
      ws.addEventListener('message', (e) => event('RECEIVE', { response_body: frame(e.data) }));
      ws.addEventListener('close', (e) => event('CLOSE', { response_body: bodyOf(`${e.code} ${e.reason}`) }));
      ws.addEventListener('error', () => event('ERROR', { error: 'connection failed' }));
      const send0 = ws.send.bind(ws);
      ws.send = (data) => { event('SEND', { request_body: frame(data) }); return send0(data); };
      return ws;
    };
    window.WebSocket.prototype = WS.prototype;
    Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
  }
  // A value or checkedness set from script (`input.value = …`) fires no
  // event: tell the recorder with one of its own, once per control and task.
  const setFromScript = new Set();
  const announce = () => {
    const controls = [...setFromScript];
    setFromScript.clear();
    for (const control of controls) control.dispatchEvent(new Event('repro:script-set-value', { bubbles: true, composed: true }));
  };
  const watchSetter = (proto, name) => {
    const own = Object.getOwnPropertyDescriptor(proto, name);
    if (!own?.set) return;
    Object.defineProperty(proto, name, {
      ...own,
      set(value) {
        own.set.call(this, value);
        // One announcement per task: queued by the first set of the task
        // (the same control set a thousand times in a loop queues one).
        if (setFromScript.size === 0) queueMicrotask(announce);
        setFromScript.add(this);
      },
    });
  };
  watchSetter(HTMLInputElement.prototype, 'value');
  watchSetter(HTMLInputElement.prototype, 'checked');
  watchSetter(HTMLTextAreaElement.prototype, 'value');
  watchSetter(HTMLSelectElement.prototype, 'value');
  watchSetter(HTMLSelectElement.prototype, 'selectedIndex');
  // Chromium writes some rules of a sheet back wrong (a shorthand holding
  // var() whose longhand is set apart: its other longhands come out empty),
  // so the text a script gave a constructed sheet is kept, while no rule is
  // added or removed, and handed to the recorder when it asks on a shadow
  // root or the document: a JSON array, one text or null per adopted sheet.
  const sheetTexts = new WeakMap();
  // Sheets adopted by a document or a shadow root change no node when the
  // list is set or a sheet in it changes: tell the recorder on that root
  // (or document), once per task. (A list changed in place, with push,
  // passes no setter and goes unseen.)
  const adopters = new WeakMap(); // sheet → the roots and documents adopting it
  const readopted = new Set();
  const announceAdopted = () => {
    const roots = [...readopted];
    readopted.clear();
    for (const root of roots) root.dispatchEvent(new Event('repro:adopted-sheets-changed'));
  };
  const adoptedChanged = (root) => { if (readopted.add(root).size === 1) queueMicrotask(announceAdopted); };
  const sheetChanged = (sheet) => { for (const root of adopters.get(sheet) || []) adoptedChanged(root); };
  for (const proto of [Document.prototype, ShadowRoot.prototype]) {
    const own = Object.getOwnPropertyDescriptor(proto, 'adoptedStyleSheets');
    if (!own?.set) continue;
    Object.defineProperty(proto, 'adoptedStyleSheets', {
      ...own,
      set(sheets) {
        own.set.call(this, sheets);
        for (const sheet of own.get.call(this)) {
          if (!adopters.has(sheet)) adopters.set(sheet, new Set());
          adopters.get(sheet).add(this);
        }
        adoptedChanged(this);
      },
    });
  }
  for (const name of ['replace', 'replaceSync']) {
    const own = CSSStyleSheet.prototype[name];
    if (!own) continue;
    CSSStyleSheet.prototype[name] = function (text) {
      const result = own.apply(this, arguments);
      sheetTexts.set(this, String(text));
      if (result && typeof result.then === 'function') result.then(() => sheetChanged(this), () => {});
      else sheetChanged(this);
      return result;
    };
  }
  const answerSheetTexts = (e) => {
    const root = e.currentTarget;
    const texts = Array.from(root.adoptedStyleSheets || [], (sheet) => sheetTexts.get(sheet) ?? null);
    root.dispatchEvent(new CustomEvent('repro:sheet-texts', { detail: JSON.stringify(texts) }));
  };
  document.addEventListener('repro:sheet-texts-asked', answerSheetTexts);
  // A shadow root attached by script (open or closed) makes no mutation:
  // tell the recorder on its host, which finds the root itself.
  const attachShadow0 = Element.prototype.attachShadow;
  if (attachShadow0) {
    Element.prototype.attachShadow = function (init) {
      const root = attachShadow0.call(this, init);
      if (init?.mode === 'closed') {
        if (closedHosts.length >= 10000) closedHosts = closedHosts.filter((ref) => ref.deref());
        if (closedHosts.length < 10000) closedHosts.push(new WeakRef(this));
      }
      root.addEventListener('repro:sheet-texts-asked', answerSheetTexts);
      this.dispatchEvent(new Event('repro:shadow-attached', { bubbles: true, composed: true }));
      return root;
    };
  }
  // A script that changes the page's address (a router's pushState) fires
  // no event: tell the recorder on the document.
  for (const name of ['pushState', 'replaceState']) {
    const own = History.prototype[name];
    History.prototype[name] = function (...args) {
      const result = own.apply(this, args);
      document.dispatchEvent(new Event('repro:history-changed'));
      return result;
    };
  }
  // Rules a script adds or removes through the CSS object model change no
  // text and no node: tell the recorder on the sheet's <style>, once per task.
  const restyled = new Set();
  const announceStyles = () => {
    const owners = [...restyled];
    restyled.clear();
    for (const owner of owners) owner.dispatchEvent(new Event('repro:style-rules-changed'));
  };
  for (const name of ['insertRule', 'deleteRule']) {
    const own = CSSStyleSheet.prototype[name];
    CSSStyleSheet.prototype[name] = function (...args) {
      const result = own.apply(this, args);
      sheetTexts.delete(this);
      sheetChanged(this);
      const owner = this.ownerNode;
      if (owner && restyled.add(owner).size === 1) queueMicrotask(announceStyles);
      return result;
    };
  }
  const open0 = XMLHttpRequest.prototype.open;
  const send0 = XMLHttpRequest.prototype.send;
  const setHeader0 = XMLHttpRequest.prototype.setRequestHeader;
  XMLHttpRequest.prototype.open = function (method, url) {
    this.__repro = { method: String(method).toUpperCase(), url: absolute(url), error: 'network error', headers: [] };
    return open0.apply(this, arguments);
  };
  XMLHttpRequest.prototype.setRequestHeader = function (name, value) {
    if (this.__repro) this.__repro.headers.push([String(name).toLowerCase(), String(value)]);
    return setHeader0.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function (body) {
    const info = this.__repro;
    const start = Date.now();
    if (info) {
      const requestType = info.headers.find(([name]) => name === 'content-type');
      const requestBody = bodyOf(body, requestType && requestType[1]);
      this.addEventListener('abort', () => { info.error = 'aborted'; });
      this.addEventListener('timeout', () => { info.error = 'timed out'; });
      this.addEventListener('loadend', () => {
        const type = this.getResponseHeader('content-type') || '';
        const responseHeaders = (this.getAllResponseHeaders() || '').trim().split(/[\r\n]+/).filter(Boolean)
          .map((line) => { const at = line.indexOf(':'); return [line.slice(0, at).trim().toLowerCase(), line.slice(at + 1).trim()]; });
        let responseBody = null;
        // Not recording (the pre-roll), an answered request keeps no body.
        const keepBody = recorderReady || this.status >= 400;
        if (!keepBody) {
          responseBody = { size: Number(this.getResponseHeader('content-length')) || 0, mime: type || null };
        } else if (this.status && (this.responseType === '' || this.responseType === 'text')) {
          responseBody = textual(type) ? bodyOf(this.responseText, type) : { size: this.responseText.length, mime: type };
        } else if (this.status && this.responseType === 'json') {
          responseBody = bodyOf(JSON.stringify(this.response), type);
        }
        post({ type: 'network', kind: 'xhr', method: info.method, url: info.url, status: this.status || null, start,
          duration: Date.now() - start, error: this.status ? null : info.error, request_headers: info.headers,
          request_body: requestBody, response_headers: responseHeaders, response_body: responseBody });
      });
    }
    return send0.apply(this, arguments);
  };
  // A recorder already listening here (the parent's, for a frame of its
  // origin) says it is ready again.
  window.postMessage({ __repro: 'hook-here' }, '*');
})();
