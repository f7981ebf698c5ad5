// Sync that never loses a report: the service worker stopped in the middle of
// a recording, the browser closed with a report queued, a connection cut in
// the middle of an upload in parts, an answer lost after the server stored
// the report. Each with the real server on loopback; the cuts are made by a
// small proxy between the browser and the server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testEnvironment, startRecording, stopAndShare, startReproServer, configure, launchBrowser, stopServiceWorker, openPopup, tabIdOf, eventually, extensionStorage, untilRecorded, untilDown } from './harness.mjs';

const env = testEnvironment();

/**
 * A proxy to `target` that cuts the connection while part `cutPart` of an
 * upload arrives, and drops the answer to `complete` after the server has
 * stored the report. Each happens twice: Chrome itself sends a request again
 * once when a kept-alive connection drops, and the test is about what Repro
 * does next. It logs what passed and keeps each part it forwarded.
 */
async function cuttingProxy(target, { cutPart }) {
  const log = [];
  const parts = new Map();
  const checksums = new Set();
  let cuts = 2;
  let losses = 2;
  const server = createServer(async (req, res) => {
    const part = req.url.match(/\/parts\/(\d+)$/)?.[1];
    checksums.add(req.url.split('/')[4]);
    if (req.method === 'PUT' && Number(part) === cutPart && cuts > 0) {
      cuts -= 1;
      log.push(`CUT ${part}`);
      req.once('data', () => req.socket.destroy());
      return;
    }
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    const headers = {};
    for (const name of ['authorization', 'content-type', 'content-encoding']) {
      if (req.headers[name]) headers[name] = req.headers[name];
    }
    const upstream = await fetch(target + req.url, { method: req.method, headers, body: body.length ? body : undefined });
    const answer = Buffer.from(await upstream.arrayBuffer());
    if (part !== undefined) {
      log.push(`PUT ${part}`);
      parts.set(Number(part), body);
    } else if (req.url.endsWith('/complete')) {
      log.push(`COMPLETE ${upstream.status}${losses > 0 ? ' (answer lost)' : ''}`);
      if (losses > 0) {
        losses -= 1;
        return req.socket.destroy();
      }
    } else {
      log.push(JSON.parse(answer).report ? 'GET: stored already' : 'GET');
    }
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') || 'application/json' });
    res.end(answer);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, log, parts, checksums, close: () => server.close() };
}

test('the service worker is stopped mid-recording while the tester types; the replay has every keystroke', async () => {
  const { server, browser } = env;
  await configure(browser.context, browser.id, server.url, server.token);
  const { page, popup, tabId } = await startRecording(env, '/?worker-stopped');
  // The recorder is listening once its first chunk (the snapshot) is stored.
  const snapshotStored = async () => {
    const all = await extensionStorage(browser.worker);
    const session = all[`session:${tabId}`] && JSON.parse(all[`session:${tabId}`]).id;
    return Boolean(session) && Object.keys(all).some((key) => key.startsWith(`chunk:${session}:`));
  };
  assert.ok(await eventually(snapshotStored, Boolean), 'the recorder started');
  const field = page.locator('#name');
  await field.pressSequentially('abcd', { delay: 60 });
  const restarted = await stopServiceWorker(browser);
  await field.pressSequentially('efghij', { delay: 60 });
  const { bundle } = await stopAndShare(popup);
  const nameId = bundle.events.find((e) => e.type === 'input')?.id;
  const typed = bundle.events.filter((e) => e.type === 'input' && e.id === nameId).map((e) => e.value);
  assert.deepEqual(typed, Array.from({ length: 10 }, (_, i) => '*'.repeat(i + 1)),
    'one masked input event per keystroke, in order, none missing around the restart');
  assert.ok(await restarted(), 'the worker that took the rest of the recording is a new one');
});

test('a connection cut in the middle of an upload in parts resumes at that part; a lost answer makes no duplicate', async () => {
  const { browser } = env;
  const server = await startReproServer({ args: ['--part-bytes', '1024'] });
  const proxy = await cuttingProxy(server.url, { cutPart: 2 });
  try {
    await configure(browser.context, browser.id, proxy.url, server.token, { autoUpload: true });
    const { page, popup, tabId } = await startRecording(env, '/?in-parts');
    await page.locator('#name').pressSequentially('resumable', { delay: 20 });
    // Console lines that do not compress much make a bundle of several 1 KiB parts.
    await page.evaluate(() => {
      for (let i = 0; i < 200; i += 1) console.log('entry', i, Math.random().toString(36).slice(2));
    });
    await untilRecorded(browser.worker, tabId, (r) => r.console.some((e) => e.args[0] === 'entry' && e.args[1] === '199'), 'the last console line');
    const { href } = await stopAndShare(popup, { review: false });

    const { log } = proxy;
    console.log(`through the proxy: ${log.join(', ')}`);
    const count = (entry) => log.filter((e) => e === entry).length;
    assert.ok(proxy.parts.size >= 4, `the bundle took several parts: ${log}`);
    assert.equal(count('PUT 0'), 1, `part 0 was not sent again: ${log}`);
    assert.equal(count('PUT 1'), 1, `part 1 was not sent again: ${log}`);
    const resumed = log.indexOf('GET', log.lastIndexOf('CUT 2'));
    assert.ok(resumed > 0 && resumed < log.indexOf('PUT 2'), `after the cut Repro asked what arrived, then sent part 2: ${log}`);
    assert.equal(log.at(-1), 'GET: stored already', `after the lost answer the report was found, not sent again: ${log}`);

    const stored = readdirSync(join(server.data, 'bundles'));
    assert.deepEqual(stored, [`${href.split('/r/')[1]}.json.gz`], 'one report, the one linked');
    const blob = readFileSync(join(server.data, 'bundles', stored[0]));
    const joined = Buffer.concat([...proxy.parts.keys()].sort((a, b) => a - b).map((n) => proxy.parts.get(n)));
    // The server stores the bundle as it validated it, re-encoded: the same
    // JSON the browser sent (its gzip bytes may differ).
    const bundle = JSON.parse(gunzipSync(blob));
    assert.deepEqual(bundle, JSON.parse(gunzipSync(joined)), 'the stored bundle is the one the browser sent');
    const digest = createHash('sha256').update(joined).digest('hex');
    assert.deepEqual([...proxy.checksums], [digest], 'every try named the same body, the one the parts make');
    assert.ok(bundle.events.some((e) => e.type === 'input' && e.value === '*********'));
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    assert.match(metrics, /^repro_unfinished_uploads 0$/m, 'no unfinished upload is left');
  } finally {
    proxy.close();
    server.stop();
  }
});

test('the browser is closed with a report queued; reopened on the same profile, the report uploads by itself', async () => {
  const { site } = env;
  const profile = mkdtempSync(join(tmpdir(), 'repro-profile-'));
  const server = await startReproServer();
  server.stop();
  await untilDown(server.url);
  const first = await launchBrowser({ profile });
  await configure(first.context, first.id, server.url, server.token, { autoUpload: true });
  const { popup } = await startRecording({ site, browser: first }, '/?browser-restart');
  await popup.getByRole('button', { name: 'Stop recording' }).click();
  await popup.getByText(/^Waiting for the server: could not reach the server/).waitFor({ timeout: 15000 });
  await first.context.close();

  const back = await startReproServer({ listen: new URL(server.url).host, data: server.data });
  const second = await launchBrowser({ profile });
  try {
    const stored = await eventually(() => readdirSync(join(server.data, 'bundles')), (files) => files.length === 1, 30000);
    assert.equal(stored.length, 1, 'the queued report reached the server without the tester');
    const page = await second.context.newPage();
    await page.goto(`${site.url}/?after-restart`);
    const list = await openPopup(second.context, second.id, await tabIdOf(second.worker, page));
    const link = list.locator('#reports a');
    await link.waitFor();
    assert.equal(await link.getAttribute('href'), `${back.url}/r/${stored[0].replace('.json.gz', '')}`);
    assert.match(await list.locator('#reports').textContent(), /uploaded/);
    const notified = await second.worker.evaluate(async () => Object.keys(await chrome.notifications.getAll()));
    assert.equal(notified.length, 1, 'the tester is told the link is ready');
  } finally {
    await second.context.close();
    back.stop();
  }
});

test('chunks an earlier version kept in chrome.storage.local are shared with the rest, then deleted', async () => {
  const { server, browser } = env;
  await configure(browser.context, browser.id, server.url, server.token);
  const { page, popup, tabId } = await startRecording(env, '/?earlier-version');
  await page.locator('#name').pressSequentially('before');
  await untilRecorded(browser.worker, tabId, (r) => r.events.some((e) => e.type === 'input' && e.value === '*'.repeat('before'.length)), "the typing");
  // Move every chunk stored so far (the snapshot among them) to where
  // versions before IndexedDB kept them.
  const moved = await browser.worker.evaluate(async (tab) => {
    const session = JSON.parse((await chrome.storage.local.get(`session:${tab}`))[`session:${tab}`]).id;
    const done = (request) => new Promise((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const db = await done(indexedDB.open('repro'));
    const range = IDBKeyRange.bound(`chunk:${session}:`, `chunk:${session}:\uffff`);
    const chunks = db.transaction('chunks').objectStore('chunks');
    const [keys, texts] = await Promise.all([done(chunks.getAllKeys(range)), done(chunks.getAll(range))]);
    await chrome.storage.local.set(Object.fromEntries(keys.map((key, i) => [key, texts[i]])));
    const writing = db.transaction(['chunks', 'sizes'], 'readwrite');
    for (const store of ['chunks', 'sizes']) writing.objectStore(store).delete(range);
    await new Promise((resolve) => { writing.oncomplete = resolve; });
    db.close();
    return keys.length;
  }, tabId);
  assert.ok(moved >= 1, 'the snapshot was stored before the move');
  await page.locator('#name').pressSequentially(' after');
  const { bundle } = await stopAndShare(popup);
  assert.ok(bundle.events.some((e) => e.type === 'snapshot'), 'the snapshot kept in chrome.storage.local is shared');
  const typed = bundle.events.filter((e) => e.type === 'input').map((e) => e.value);
  // Inputs are masked by default: a star per character.
  assert.equal(typed.at(-1), '*'.repeat('before after'.length), 'what was typed after the move is shared too');
  const left = Object.keys(await extensionStorage(browser.worker)).filter((key) => key.startsWith(`chunk:${bundle.id}:`));
  assert.deepEqual(left, [], 'the chunks in both places are deleted once the server has the report');
});

test('at the local storage budget the recording stops by itself, keeps what it has, and the popup says why', async () => {
  const { server, browser } = env;
  await configure(browser.context, browser.id, server.url, server.token, { budgetMb: 0.1 });
  try {
    const { page, popup } = await startRecording(env, '/?budget');
    await page.evaluate(() => {
      for (let i = 0; i < 2000; i += 1) console.log('filler', i, Math.random().toString(36).repeat(3));
    });
    await popup.getByText(/^Recording stopped by itself\. Repro keeps .* of its 102\.4 KB budget/).waitFor({ timeout: 20000 });
    await popup.getByText('Not recording.').waitFor();
    assert.match(await popup.locator('#budget').textContent(), /Recording is paused until you share or discard reports/);
    await popup.getByRole('button', { name: 'Share report' }).click();
    await popup.locator('#link').waitFor({ timeout: 30000 });
    const bundle = await (await fetch(`${await popup.locator('#link').getAttribute('href')}/bundle.json`)).json();
    assert.ok(bundle.console.filter((e) => e.args[0] === 'filler').length > 100, 'what was recorded before the stop is in the report');
    await popup.locator('#budget').waitFor({ state: 'hidden' });
  } finally {
    await configure(browser.context, browser.id, server.url, server.token);
  }
});

test('with "Keep a local copy" the recording stays after upload until it is removed from the list; a chosen link expiry shows in the viewer', async () => {
  const { server, browser, site } = env;
  await configure(browser.context, browser.id, server.url, server.token, { keepCopies: true, linkExpiryDays: 7 });
  try {
    const { page, popup } = await startRecording(env, '/?keep-copy');
    await page.locator('#name').pressSequentially('kept');
    const { href, bundle } = await stopAndShare(popup);
    const viewer = await browser.context.newPage();
    await viewer.goto(href);
    const expiry = new Date(Date.now() + 7 * 86400000).toISOString().slice(0, 10);
    await viewer.getByText(`This link expires on ${expiry}`).waitFor();
    await viewer.close();
    const keysOf = async () => Object.keys(await extensionStorage(browser.worker)).filter((k) => k.includes(bundle.id));
    assert.ok((await keysOf()).some((k) => k.startsWith('chunk:')), 'the local copy is kept after the upload');

    const other = await browser.context.newPage();
    await other.goto(`${site.url}/?another-tab`);
    const list = await openPopup(browser.context, browser.id, await tabIdOf(browser.worker, other));
    const entry = list.locator('#reports li', { has: list.locator(`a[href="${href}"]`) });
    await entry.getByRole('button', { name: 'Remove from list' }).click();
    await entry.waitFor({ state: 'detached' });
    assert.deepEqual(await eventually(keysOf, (keys) => keys.length === 0), [], 'removing it deletes the local copy and the entry');
  } finally {
    await configure(browser.context, browser.id, server.url, server.token);
  }
});
