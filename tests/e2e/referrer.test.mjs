// A replay never tells anyone else where it is watched from, nor that it
// is watched. The share link is the viewer's URL: a request of the
// replayed page that carried it (a `Referer`, an `Origin`) would let the
// recorded site or a third party fetch the report; any request at all
// tells them someone is looking. The fixture page sends every kind of
// request to a second loopback listener, with every `referrerpolicy` form
// and a `<meta name="referrer" content="unsafe-url">`; the report stores
// the page's images, and its replay loads them from the server and asks
// that listener nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { testEnvironment, startRecording, stopAndShare, ROOT } from './harness.mjs';

const env = testEnvironment({});
const PNG = readFileSync(`${ROOT}/dist/chromium/icon-128.png`);

/** A listener that answers every request and keeps what each one said about where it came from. */
async function startWatcher() {
  const seen = [];
  const server = createServer((req, res) => {
    seen.push({ path: req.url, referer: req.headers.referer ?? '', origin: req.headers.origin ?? '' });
    const types = { '.css': 'text/css', '.png': 'image/png', '.woff': 'font/woff', '.mp3': 'audio/mpeg' };
    const type = Object.entries(types).find(([ext]) => req.url.split('?')[0].endsWith(ext))?.[1] ?? 'text/plain';
    const body = type === 'text/css' ? `.from-sheet { background: url("/sheet-bg.png?from-sheet"); }`
      : type === 'image/png' ? PNG : '';
    res.writeHead(200, { 'content-type': type, 'access-control-allow-origin': '*' });
    res.end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, seen, close: () => server.close() };
}

test('a replay asks no other host anything: its images come from the server, and neither the share link nor the server is named anywhere', async () => {
  const { browser, server } = env;
  const watcher = await startWatcher();
  try {
    const { page, popup } = await startRecording(env, `/referrers.html?watch=${encodeURIComponent(watcher.url)}`);
    const { href } = await stopAndShare(popup);
    await popup.close();
    await page.close();
    const live = watcher.seen.splice(0);
    assert.ok(live.some((r) => r.referer.includes('/referrers.html')), 'the live page does send its own URL (the fixture works)');

    const viewer = await browser.context.newPage();
    await viewer.goto(href);
    const frame = viewer.frameLocator('#replay');
    await frame.locator('h1').waitFor();
    // Every image of the replay has loaded or been refused, and its fonts settled.
    const images = await viewer.locator('#replay').evaluate(async (iframe) => {
      const doc = iframe.contentDocument;
      await doc.fonts.ready;
      const all = [...doc.images];
      await Promise.all(all.map((img) => img.complete ? null : new Promise((done) => { img.onload = done; img.onerror = done; })));
      return all.map((img) => ({ src: img.currentSrc || img.src, width: img.naturalWidth }));
    });
    const stored = images.filter((img) => img.src.startsWith(`${server.url}/r/`));
    assert.ok(stored.length >= 3 && stored.every((img) => img.width === 128),
      `the page's images replay from the report's stored copies: ${JSON.stringify(images)}`);
    await viewer.close();
    const replayed = watcher.seen.splice(0);
    const said = (r) => `${r.path} ← ${r.referer || r.origin || 'nothing'}`;
    assert.deepEqual(replayed.map(said), [], 'the replay asked the other host nothing');
  } finally {
    watcher.close();
  }
});
