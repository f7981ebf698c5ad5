// Shared set-up for the end-to-end tests: the fixture site, a real
// repro-server on loopback with a temporary embedded store, and Debian's
// Chromium with the built extension loaded.
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { chromium } from 'playwright-core';
import { before, after } from 'node:test';
import assert from 'node:assert/strict';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SITE = join(ROOT, 'tests', 'fixtures', 'site');
export const SERVER_BIN = join(ROOT, 'target', 'debug', 'repro-server');
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
/** The npm packages the fixture site serves under `/npm/` (real libraries the fidelity suite records). */
const SERVED_PACKAGES = ['@shoelace-style/shoelace', 'apexcharts', 'chart.js', 'react', 'react-dom'];
const NODE_MODULES = join(ROOT, 'tests', 'node_modules');

/** A file of a served npm package (`/npm/<package>/<path>`), with its content type; `null` when there is none. */
function packageFile(pathname) {
  const rest = decodeURIComponent(pathname.slice('/npm/'.length));
  if (rest.split('/').some((part) => part === '..' || part === '') || !SERVED_PACKAGES.some((p) => rest.startsWith(`${p}/`))) return null;
  try {
    return { body: readFileSync(join(NODE_MODULES, rest)), type: TYPES[extname(rest)] || 'application/octet-stream' };
  } catch {
    return null;
  }
}

/** A file of the fixture site by its bare name, with its content type; `null` when there is none. */
export function fixtureFile(name) {
  if (!/^[a-z0-9.-]+$/.test(name)) return null;
  try {
    return { body: readFileSync(join(SITE, name)), type: TYPES[extname(name)] || 'application/octet-stream' };
  } catch {
    return null;
  }
}

/**
 * Serve the fixture site; /strict.html and any page asked with `?strict` carry a strict CSP; /api/* answers JSON.
 * The settings page's Save is refused (403) until `fixSettings()` mends it.
 */
export async function startFixtureSite() {
  let settingsStatus = 403;
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://fixture');
    if (url.pathname === '/api/ok') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end('{"ok":true}');
    }
    // The settings page's Save, refused (the report-to-fix example).
    if (url.pathname === '/api/settings') {
      res.writeHead(settingsStatus, { 'content-type': 'application/json' });
      return res.end(settingsStatus === 403 ? '{"error":"forbidden"}' : '{"saved":true}');
    }
    if (url.pathname === '/api/error') {
      res.writeHead(500, { 'content-type': 'application/json' });
      return res.end('{"error":"boom"}');
    }
    if (url.pathname === '/api/slow') {
      return setTimeout(() => { res.writeHead(200); res.end('late'); }, 3000);
    }
    if (url.pathname === '/api/profile') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ user: 'grace', password: 'resp-Password-Xx2', nested: { access_token: 'resp-Token-Mm8' } }));
    }
    if (url.pathname.startsWith('/api/')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      return res.end('{"error":"missing"}');
    }
    // `/assets/x` serves `x` too: a stylesheet there refers to its neighbours.
    const name = url.pathname === '/' ? 'index.html' : url.pathname.replace(/^\/assets\//, '/').slice(1);
    const file = url.pathname.startsWith('/npm/') ? packageFile(url.pathname) : fixtureFile(name);
    if (!file) { res.writeHead(404); return res.end('not found'); }
    // A page may name another listener (`?watch=http://…`), written where it says `__WATCH__`.
    const watch = url.searchParams.get('watch');
    const body = watch && file.type.startsWith('text/html') ? Buffer.from(String(file.body).replaceAll('__WATCH__', watch)) : file.body;
    const headers = { 'content-type': file.type };
    if (name === 'strict.html' || url.searchParams.has('strict')) headers['content-security-policy'] = "script-src 'self'";
    if (name === 'console.html') headers['content-security-policy'] = "img-src 'self'";
    res.writeHead(200, headers);
    res.end(body);
  });
  server.on('upgrade', (req, socket) => echoWebSocket(req, socket));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => server.close(),
    fixSettings: (fixed = true) => { settingsStatus = fixed ? 200 : 403; },
  };
}

/** A minimal WebSocket echo endpoint at /echo (text frames under 64 KiB). */
function echoWebSocket(req, socket) {
  if (req.url !== '/echo') return socket.destroy();
  const accept = createHash('sha1').update(`${req.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  const frame = (opcode, payload) => {
    const head = payload.length < 126 ? Buffer.from([0x80 | opcode, payload.length])
      : Buffer.from([0x80 | opcode, 126, payload.length >> 8, payload.length & 255]);
    return Buffer.concat([head, payload]);
  };
  socket.on('data', (buffer) => {
    const opcode = buffer[0] & 15;
    let length = buffer[1] & 127;
    let offset = 2;
    if (length === 126) { length = buffer.readUInt16BE(2); offset = 4; }
    const mask = buffer.subarray(offset, offset + 4);
    const payload = Buffer.from(buffer.subarray(offset + 4, offset + 4 + length).map((b, i) => b ^ mask[i % 4]));
    if (opcode === 1) socket.write(frame(1, Buffer.from(`echo: ${payload}`)));
    if (opcode === 8) { socket.write(frame(8, payload)); socket.end(); }
  });
  socket.on('error', () => {});
}

/**
 * Start repro-server on loopback with a fresh store and a new token; or, with
 * `listen` and `data`, again on the same address and store.
 */
export async function startReproServer({ listen = '127.0.0.1:0', data, args = [] } = {}) {
  let token;
  if (!data) {
    data = mkdtempSync(join(tmpdir(), 'repro-store-'));
    const out = execFileSync(SERVER_BIN, ['token', 'create', '--data', data], { encoding: 'utf8' });
    token = out.trim().split('\n').pop();
  }
  const child = spawn(SERVER_BIN, ['serve', '--listen', listen, '--data', data, '--assets', join(ROOT, 'dist', 'viewer'), ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  // The server logs every request; only warnings and errors reach the test output.
  let partial = '';
  child.stderr.on('data', (chunk) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop();
    for (const line of lines) {
      if (!line.startsWith('{"') || !/"level":"info"/.test(line)) process.stderr.write(`repro-server: ${line}\n`);
    }
  });
  const url = await new Promise((resolve, reject) => {
    let seen = '';
    child.stdout.on('data', (chunk) => {
      seen += chunk;
      const match = seen.match(/listening on (http:\/\/[0-9.:]+)/);
      if (match) resolve(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`repro-server exited with ${code}`)));
  });
  return { url, token, data, stop: () => child.kill('SIGTERM') };
}

/**
 * Every file the server stored, decompressed where it is gzip: its data
 * folder and, when the server runs on PostgreSQL + S3, the folders where
 * those keep their bytes (`REPRO_TEST_STORE_FOLDERS`, set by `cargo xtask test`).
 */
export function storedBytes(folder) {
  const elsewhere = (process.env.REPRO_TEST_STORE_FOLDERS ?? '').split(':').filter(Boolean);
  return [folder, ...elsewhere].flatMap(filesUnder);
}

function filesUnder(folder) {
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const kind = statSync(path);
      if (kind.isDirectory()) walk(path);
      else if (kind.isFile()) files.push(path); // not PostgreSQL's socket

    }
  };
  walk(folder);
  return files.map((path) => {
    const raw = readFileSync(path);
    const text = path.endsWith('.gz') ? gunzipSync(raw) : raw;
    return { path, raw, text: text.toString('latin1') };
  });
}

/** Chromium with the built extension (or the one in `extension`), on a new profile or on `profile` again; returns the context, its id and service worker. */
export async function launchBrowser({ profile = mkdtempSync(join(tmpdir(), 'repro-profile-')), extension = join(ROOT, 'dist', 'chromium') } = {}) {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1000, height: 700 },
    args: [`--disable-extensions-except=${extension}`, `--load-extension=${extension}`, '--no-sandbox',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  let [worker] = context.serviceWorkers();
  if (!worker) worker = await context.waitForEvent('serviceworker');
  const id = new URL(worker.url()).host;
  return { context, id, worker };
}

/**
 * Stop the extension's service worker as Chrome does when it is idle (through
 * the DevTools protocol). Chrome starts a new one at the next event, and
 * `browser.worker` reaches it. Returns a check that the worker running now is
 * not the one that was stopped (a mark left in the old one's globals is gone).
 */
export async function stopServiceWorker(browser) {
  await browser.worker.evaluate(() => { self.reproTestMark = 'the worker before the stop'; });
  const page = browser.context.pages()[0] ?? await browser.context.newPage();
  const cdp = await browser.context.newCDPSession(page);
  const { targetInfos } = await cdp.send('Target.getTargets');
  const target = targetInfos.find((t) => t.type === 'service_worker' && t.url.includes(browser.id));
  if (!target) throw new Error('the extension has no running service worker');
  await cdp.send('Target.closeTarget', { targetId: target.targetId });
  await cdp.detach();
  const timeout = (ms) => new Promise((resolve) => setTimeout(() => resolve('no answer'), ms));
  return async () => {
    const mark = () => Promise.race([browser.worker.evaluate(() => self.reproTestMark ?? 'none'), timeout(1000)]);
    return (await eventually(mark, (m) => m === 'none')) === 'none';
  };
}

/** Fill the options page as a tester would; `extra` sets the privacy rules. */
export async function configure(context, id, serverUrl, token, extra = {}) {
  const options = await context.newPage();
  await options.goto(`chrome-extension://${id}/options.html`);
  await options.getByLabel('Server URL').fill(serverUrl);
  await options.getByLabel('Upload token').fill(token);
  await options.getByLabel('Upload without review').setChecked(Boolean(extra.autoUpload));
  await options.getByLabel('Mask all text').setChecked(Boolean(extra.maskAllText));
  await options.getByLabel('Also mask').fill(extra.maskSelectors || '');
  await options.getByLabel('Also block').fill(extra.blockSelectors || '');
  await options.getByLabel('Never record').fill((extra.skipSites || []).join('\n'));
  await options.getByLabel('Keep the last minute').setChecked(extra.preRoll !== false);
  await options.getByLabel('Local storage budget').fill(String(extra.budgetMb ?? 500));
  await options.getByLabel('Keep a local copy after upload').setChecked(Boolean(extra.keepCopies));
  await options.getByLabel('Share links expire after').selectOption(String(extra.linkExpiryDays ?? 0));
  await options.getByLabel("Store the page's images with the report").setChecked(extra.storeImages !== false);
  await options.getByRole('button', { name: 'Save' }).click();
  await options.getByText('Saved.').waitFor();
  await options.close();
}

/** The tab id of `page`, asked of the extension's service worker. */
export async function tabIdOf(worker, page) {
  const url = page.url();
  const ids = await worker.evaluate(async (u) => (await chrome.tabs.query({ url: u })).map((t) => t.id), url);
  if (ids.length !== 1) throw new Error(`${ids.length} tabs show ${url}: close the others or use another URL`);
  return ids[0];
}

/** Open the popup for a tab, as `popup.html?tab=ID`. */
export async function openPopup(context, id, tabId) {
  const popup = await context.newPage();
  await popup.goto(`chrome-extension://${id}/popup.html?tab=${tabId}`);
  return popup;
}

/**
 * The size of every WebAssembly memory of the tab's worlds (the page's and
 * the extension's isolated one), in bytes: `Runtime.getHeapUsage` counts
 * the backing stores of ArrayBuffers made in script (wasm2js's memory) but
 * not those of wasm memories (checked against heap snapshots: 2.4 MB of
 * wasm memory on the 10k page and 9.9 MB on the 100k page were missing
 * from it until 2026-12-03).
 */
export async function wasmMemoryBytes(cdp) {
  const contexts = [];
  const seen = ({ context }) => contexts.push(context.id);
  cdp.on('Runtime.executionContextCreated', seen);
  await cdp.send('Runtime.enable');
  cdp.off('Runtime.executionContextCreated', seen);
  let bytes = 0;
  for (const contextId of contexts) {
    try {
      const { result: prototype } = await cdp.send('Runtime.evaluate', { expression: 'WebAssembly.Memory.prototype', contextId, objectGroup: 'wasm-memory' });
      const { objects } = await cdp.send('Runtime.queryObjects', { prototypeObjectId: prototype.objectId, objectGroup: 'wasm-memory' });
      const { result } = await cdp.send('Runtime.callFunctionOn', {
        objectId: objects.objectId, returnByValue: true,
        functionDeclaration: 'function () { return this.reduce((sum, memory) => sum + memory.buffer.byteLength, 0); }',
      });
      bytes += result.value;
    } catch {
      // A context that went away meanwhile holds nothing.
    }
  }
  await cdp.send('Runtime.releaseObjectGroup', { objectGroup: 'wasm-memory' }).catch(() => {});
  await cdp.send('Runtime.disable');
  return bytes;
}

/** JS heap, ArrayBuffer backing stores and wasm memories after a full GC, in MB. */
export async function heapMb(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  const usage = await cdp.send('Runtime.getHeapUsage');
  return (usage.usedSize + (usage.backingStorageSize || 0) + await wasmMemoryBytes(cdp)) / 1e6;
}

/**
 * The size of the backing stores of every ArrayBuffer in the tab's worlds
 * (the wasm2js recorder's memory is one, 320 KiB at first);
 * `Runtime.queryObjects` does not list ArrayBuffers or typed arrays.
 */
export async function arrayBufferBytes(cdp) {
  const { backingStorageSize } = await cdp.send('Runtime.getHeapUsage');
  return backingStorageSize;
}

/**
 * Watch the extension's service worker for the first stored chunk that
 * holds a snapshot. Await the result's `ready` before pressing Start; its
 * `stored` resolves with when the chunk was stored (`at`, ms since the
 * epoch: its IndexedDB transaction committed, or, for builds before
 * IndexedDB that `bench/compare.mjs` may measure, `chrome.storage.local`
 * changed), the snapshot's `took_ms` (`tookMs`: the main-thread time of
 * the walk's slices) and the chunk's length in UTF-16 units (`units`).
 */
export function watchSnapshotStored(worker) {
  const stored = worker.evaluate(() => new Promise((resolve) => {
    const put = IDBObjectStore.prototype.put;
    const found = (text) => {
      IDBObjectStore.prototype.put = put;
      chrome.storage.onChanged.removeListener(changed);
      const snapshot = JSON.parse(text).events.find((e) => e.type === 'snapshot');
      resolve({ at: Date.now(), tookMs: snapshot.took_ms, units: text.length });
    };
    const holdsSnapshot = (key, value) => String(key).startsWith('chunk:') && String(value).includes('"type":"snapshot"');
    // IndexedDB has no change events: watch the writes instead.
    IDBObjectStore.prototype.put = function watchedPut(value, key) {
      const request = put.call(this, value, key);
      if (holdsSnapshot(key, value)) this.transaction.addEventListener('complete', () => found(value));
      return request;
    };
    const changed = (changes) => {
      for (const [key, change] of Object.entries(changes)) {
        if (holdsSnapshot(key, change.newValue)) found(change.newValue);
      }
    };
    chrome.storage.onChanged.addListener(changed);
  }));
  // The evaluation is sent; give the watch time to be in place.
  const ready = new Promise((resolve) => setTimeout(resolve, 50));
  return { ready, stored };
}

/**
 * Everything the extension keeps in the browser, as `{ key: text }`: its
 * `chrome.storage.local` and the chunks in its IndexedDB.
 */
export function extensionStorage(worker) {
  return worker.evaluate(async () => {
    const all = await chrome.storage.local.get(null);
    // Opened only if it exists: opening creates it, without its stores.
    if (!(await indexedDB.databases()).some((d) => d.name === 'repro')) return all;
    const done = (request) => new Promise((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const db = await done(indexedDB.open('repro'));
    try {
      const chunks = db.transaction('chunks').objectStore('chunks');
      const [keys, texts] = await Promise.all([done(chunks.getAllKeys()), done(chunks.getAll())]);
      keys.forEach((key, i) => { all[key] = texts[i]; });
    } finally {
      db.close();
    }
    return all;
  });
}

/** Download a report's bundle through its share link. */
export async function fetchBundle(link) {
  const response = await fetch(`${link}/bundle.json`);
  if (!response.ok) throw new Error(`bundle download: ${response.status}`);
  return response.json();
}

/** Poll `read` until `ok(value)` holds or `ms` pass; returns the last value. */
export async function eventually(read, ok, ms = 5000) {
  const deadline = Date.now() + ms;
  let value = await read();
  while (!ok(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}

/**
 * What the extension has stored so far of the recording in tab `tabId`:
 * the events, console entries and requests of its chunks, in order.
 */
export async function storedRecording(worker, tabId) {
  const all = await extensionStorage(worker);
  const session = all[`session:${tabId}`];
  const id = session && JSON.parse(session).id;
  const recording = { events: [], console: [], network: [] };
  if (!id) return recording;
  const keys = Object.keys(all).filter((key) => key.startsWith(`chunk:${id}:`)).sort();
  for (const key of keys) {
    const chunk = JSON.parse(all[key]);
    recording.events.push(...(chunk.events ?? []));
    recording.console.push(...(chunk.console ?? []));
    recording.network.push(...(chunk.network ?? []));
  }
  return recording;
}

/**
 * Wait until the extension has stored what `ok` looks for in the recording
 * of the tab (see `storedRecording`): the wait for "the recorder has it"
 * instead of a fixed sleep. Fails, naming `what`, after `ms`.
 */
export async function untilRecorded(worker, tabId, ok, what = 'what the test did', ms = 15000) {
  const recording = await eventually(() => storedRecording(worker, tabId), ok, ms);
  if (!ok(recording)) throw new Error(`the extension did not store ${what} within ${ms} ms`);
  return recording;
}

/** Wait until nothing answers at `url` any more (a server just stopped). */
export async function untilDown(url) {
  const answers = () => fetch(`${url}/healthz`).then(() => true, () => false);
  if (await eventually(answers, (up) => !up)) throw new Error(`${url} still answers`);
}

/** The recording holds its first snapshot (the recorder listens and walked the page). */
export const hasSnapshot = (recording) => recording.events.some((e) => e.type === 'snapshot');

/**
 * The fixture site, a repro-server and a browser with the extension, for the
 * tests of one file; `settings`, when given, are saved in the options page.
 * The returned object is filled in before the first test runs.
 */
export function testEnvironment(settings) {
  const env = {};
  before(async () => {
    env.site = await startFixtureSite();
    env.server = await startReproServer();
    env.browser = await launchBrowser();
    if (settings) await configure(env.browser.context, env.browser.id, env.server.url, env.server.token, settings);
  });
  after(async () => {
    await env.browser?.context.close();
    env.server?.stop();
    env.site?.close();
  });
  return env;
}

/** Open `path` of the fixture site in a new tab (or use the open `page`) and start recording it through the popup. */
export async function startRecording({ site, browser }, path, page = null) {
  if (!page) {
    page = await browser.context.newPage();
    await page.goto(site.url + path);
  }
  const tabId = await tabIdOf(browser.worker, page);
  const popup = await openPopup(browser.context, browser.id, tabId);
  await popup.getByRole('button', { name: 'Start recording' }).click();
  await popup.getByText('Recording this tab.').waitFor();
  // The recorder listens once its first snapshot is stored: what the test
  // does next is recorded.
  await untilRecorded(browser.worker, tabId, hasSnapshot, 'the first snapshot');
  return { page, tabId, popup };
}

/** Stop through the popup and share (after the review step unless `review` is false); the link and the stored bundle. */
export async function stopAndShare(popup, { review = true } = {}) {
  await popup.bringToFront();
  await popup.getByRole('button', { name: 'Stop recording' }).click();
  if (review) await popup.getByRole('button', { name: 'Share report' }).click();
  const link = popup.locator('#link');
  await link.waitFor({ timeout: 60000 });
  const href = await link.getAttribute('href');
  return { href, bundle: await fetchBundle(href) };
}

/**
 * Mark `locator`'s element through the popup and the mark form; unless
 * `waitUntilClosed` is false, return once the form has closed.
 */
export async function markElement(page, popup, locator, comment, kind, severity, { waitUntilClosed = true } = {}) {
  await popup.bringToFront();
  await popup.getByRole('button', { name: 'Mark an element' }).click();
  await page.bringToFront();
  await locator.scrollIntoViewIfNeeded();
  let form;
  for (let i = 0; i < 50 && !form; i++) {
    const box = await locator.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForTimeout(50);
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForTimeout(150);
    form = page.frames().find((f) => f.url().endsWith('/mark.html'));
  }
  assert.ok(form, 'the mark form opened beside the element');
  const box = await locator.boundingBox();
  await form.getByLabel('Comment').fill(comment);
  await form.getByLabel('Kind').selectOption(kind);
  await form.getByLabel('Severity').selectOption(severity);
  // Saving removes the form's frame, sometimes before Chromium has answered
  // the click's input event: the click then never returns, though it landed.
  // So the click counts as done once it returns or the form is gone.
  const clicked = form.getByRole('button', { name: 'Save mark' }).click();
  clicked.catch(() => {});
  const formGone = () => !page.frames().some((f) => f.url().endsWith('/mark.html'));
  let returned = false;
  clicked.then(() => (returned = true), () => {});
  for (let i = 0; i < 300 && !returned && !formGone(); i++) await page.waitForTimeout(100);
  if (!formGone()) await clicked;
  for (let i = 0; i < 100 && waitUntilClosed && !formGone(); i++) {
    await page.waitForTimeout(100);
  }
  return box;
}

/**
 * The node records of a snapshot's `nodes` or a mutation's `adds`, as
 * objects `{ id, p, b, k, tag, attrs, svg, text, name }`: reads the compact
 * form (texts as strings, elements as arrays, numbers closing elements,
 * placements) and the first form (one object per record).
 */
export function nodesOf(list = []) {
  const records = [];
  let open = [];
  let nextId;
  let place = null;
  for (const item of list) {
    if (typeof item === 'number') {
      open.length -= item;
      continue;
    }
    if (item && typeof item === 'object' && !Array.isArray(item) && !('k' in item)) {
      place = item;
      continue;
    }
    let record;
    if (item && typeof item === 'object' && 'id' in item) {
      record = { ...item };
      open = [record.p];
    } else {
      const data = typeof item === 'string' ? { k: 'text', text: item }
        : Array.isArray(item) ? { k: 'element', tag: item[0], attrs: pairs(item.slice(1)) }
          : { ...item };
      if (place) open = [place.p];
      record = { id: place?.id ?? nextId, p: open[open.length - 1], ...(place?.b ? { b: place.b } : {}), ...data };
      place = null;
    }
    if (['element', 'document', 'shadow_root', 'frame_document'].includes(record.k)) open.push(record.id);
    nextId = record.id + 1;
    records.push(record);
  }
  return records;
}

function pairs(flat) {
  const out = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i], flat[i + 1]]);
  return out;
}
